//! Sans-IO caller trust: STIR/SHAKEN, Rich Call Data, reputation and detectors to a [`Verdict`].
//!
//! The crate never reads the clock, opens a socket or does HTTP. Time comes in as [`UnixTime`];
//! certificate, CRL and logo fetches leave as [`Output::Fetch`] and come back as
//! [`Input::Fetched`]. The whole IO contract is the [`Trust`] state machine:
//!
//! ```text
//! trust.handle_input(now, Input::Call { id, call })
//! trust.handle_input(now, Input::Fetched { url, result })
//! trust.handle_timeout(now)
//! loop { match trust.poll_output() { Output::Fetch{..} | Output::Verdict{..} => .., Output::Timeout(at) => break, Output::Idle => break } }
//! ```
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
pub use outbound::{OutboundDecision, OutboundVerdict, check_outbound};
pub use pii::Pii;
pub use time::UnixTime;
pub use verdict::{
    Action, Attestation, Level, RcdStatus, Reason, ReasonCode, Severity, Verdict, VerdictState,
};
