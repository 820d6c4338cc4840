//! Test harness for real peers on loopback: starts, configures and stops them by PID.
