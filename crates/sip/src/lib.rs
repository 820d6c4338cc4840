//! Sans-IO SIP user agent: transactions, dialogs, registration, INVITE sessions.
#![forbid(unsafe_code)]

pub mod auth;
mod timers;
mod transaction;

pub use timers::TimerConfig;
