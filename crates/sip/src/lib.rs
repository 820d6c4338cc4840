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
//! Commands are methods taking `now`; drain `poll_output` after each, the same way. Time only
//! ever comes in as an argument, randomness from [`Config::rng_seed`].
//!
//! | command | when |
//! |---|---|
//! | [`UserAgent::register`] / [`UserAgent::unregister`] | bind / remove the Contact (refreshed automatically) |
//! | [`UserAgent::invite`] | place a call with an SDP offer |
//! | [`UserAgent::cancel`] | before an answer (sent once a provisional arrived) |
//! | [`UserAgent::ringing`] | incoming: 180, or 183 with early-media SDP (reliable if the caller supports 100rel) |
//! | [`UserAgent::answer`] / [`UserAgent::reject`] | incoming: 200 with SDP / a 3xx-6xx status and reason |
//! | [`UserAgent::hangup`] | any state: CANCEL, 603 or BYE as fits |
//! | [`UserAgent::reinvite`] / [`UserAgent::update`] | new offer (hold, resume) |
//! | [`UserAgent::answer_offer`] | answer an [`Event::OfferReceived`] |
//! | [`UserAgent::refer`] / [`UserAgent::refer_attended`] | blind / attended transfer |
//! | [`UserAgent::accept_transfer`] | carry out an [`Event::TransferRequested`] |
//! | [`UserAgent::options`] | out-of-dialog OPTIONS |
//!
//! The engine owns trust: it passes `trusted: false` for flows that are not the registrar's or
//! outbound proxy's (or a configured peer's); those requests are dropped without a reply.
//! [`RateLimiter`] is a bounded per-source token bucket for the engine's use. Memory is bounded
//! by [`Limits`]; [`UserAgent::transaction_count`] and [`UserAgent::call_count`] expose it.
//! Stream transports are framed with `sip_types::framing::StreamFramer` before `Received`.
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
