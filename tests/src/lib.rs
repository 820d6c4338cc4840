//! Test harness for real peers on loopback: starts, configures and stops them by PID.
#![forbid(unsafe_code)]

pub mod account;
pub mod baresip;
mod command;
pub mod coturn;
pub mod error;
pub mod http;
pub mod kamailio;
pub mod net;
pub mod pki;
pub mod process;
pub mod pulse;
pub mod sipp;
pub mod tone;
pub mod wait;
pub mod workdir;

pub use account::{SipAccount, Transport};
pub use baresip::Baresip;
pub use coturn::Coturn;
pub use error::PeerError;
pub use kamailio::{Attestation, Kamailio};
pub use sipp::{Scenario, Sipp};
