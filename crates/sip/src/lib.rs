//! Sans-IO SIP user agent: transactions, dialogs, registration, INVITE sessions.
//!
//! The engine owns sockets, DNS and TLS; this crate owns everything SIP. Drive a
//! [`UserAgent`] like this:
//!
//! ```text
//! loop {
//!     ua.handle_input(now, Input::Received { flow, trusted, bytes })   // or a command
//!     while let Some(out) = ua.poll_output() {
//!         match out {
//!             Output::Transmit(t) => send t.bytes to t.destination,
//!             Output::Event(e) => tell the app,
//!             Output::Timeout(at) => { arm a timer for `at`; break }
//!         }
//!     }
//! }
//! ```
//!
//! Commands (`register`, `invite`, `answer`, `hangup`, ...) are methods taking `now`; their
//! output is drained the same way. Time only ever comes in as an argument.
#![forbid(unsafe_code)]

pub mod auth;
mod ids;
mod inbound;
mod outbound;
mod timers;
mod transaction;
mod ua;
mod uri;

pub use ids::{CallHandle, Destination, FlowId, Target, Transport};
pub use timers::TimerConfig;
pub use ua::{
    Config, EndReason, Error, Event, Input, Limits, OfferKind, Output, RateLimiter, Registration,
    RequestId, Transmit, UserAgent,
};
