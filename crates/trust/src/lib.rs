//! Sans-IO caller trust: STIR/SHAKEN, Rich Call Data, reputation and detectors to a [`Verdict`].
//!
//! The crate never reads the clock, opens a socket or does HTTP. Time comes in as [`UnixTime`];
//! certificate, CRL and logo fetches leave as [`Output::Fetch`] and come back as
//! [`Input::Fetched`]. The whole IO contract is the [`Trust`] state machine:
//!
//! ```text
//! let mut trust = Trust::new(Arc::new(context));              // context: ContextFile::build(..)
//! // an INVITE arrives (before ringing):
//! trust.handle_input(now, Input::Call { id, call: InboundCall::from_request(&req, via_tls)? });
//! // a fetch the engine performed finished (HTTP GET, at most max_bytes, Cache-Control passed on):
//! trust.handle_input(now, Input::Fetched { url, result: FetchResult::Body { bytes, cache_control } });
//! // the timer armed from Output::Timeout fired:
//! trust.handle_timeout(now);
//! // after each of the above, drain:
//! loop {
//!     match trust.poll_output() {
//!         Output::Fetch { url, purpose, max_bytes, deadline } => { /* start the GET */ }
//!         Output::Verdict { id, verdict } => { /* Verifying first if a fetch runs, then Final */ }
//!         Output::Timeout(at) => { /* arm one timer */ break }
//!         Output::Idle => break,
//!     }
//! }
//! ```
//!
//! With a warm certificate cache the final verdict is the first output after `Input::Call`; the
//! phone can ring at once. With a cold cache a `Verifying` verdict comes first and the final one
//! follows the fetch or its hard deadline (`policy.fetch.timeout_ms`). The outbound guard is the
//! pure function [`check_outbound`].
#![forbid(unsafe_code)]

pub mod assess;
pub mod call;
pub mod cert;
pub mod context;
pub mod detectors;
pub mod e164;
pub mod fetch;
pub mod machine;
pub mod outbound;
pub mod pii;
pub mod rcd;
pub mod reputation;
pub mod stir;
pub mod time;
pub mod verdict;

pub use assess::StirOutcome;
pub use call::{CallFactsError, CallOrigin, InboundCall, Party};
pub use context::{ContextError, ContextFile, Policy, TrustContext};
pub use e164::E164;
pub use fetch::{FetchResult, FetchUrl};
pub use machine::{CheckId, Input, Output, Trust};
pub use outbound::{OutboundDecision, OutboundVerdict, check_outbound, dials_abroad};
pub use pii::Pii;
pub use time::UnixTime;
pub use verdict::{
    Action, Attestation, Level, RcdStatus, Reason, ReasonCode, Severity, Verdict, VerdictState,
};
