//! The user agent's IO contract: what goes in, what comes out.

use std::time::Instant;

use crate::ids::{CallHandle, Destination, FlowId};

/// Something that happened in the world, fed with [`crate::UserAgent::handle_input`].
#[derive(Clone)]
#[non_exhaustive]
pub enum Input {
    /// A complete SIP message (stream transports already framed by the engine) arrived on
    /// `flow`. `trusted` is the engine's verdict on the flow (registrar/outbound-proxy flow or
    /// a configured peer): requests on untrusted flows are dropped without a reply.
    Received {
        /// The flow the message arrived on; responses go back on it.
        flow: FlowId,
        /// Whether requests from this flow may reach the user.
        trusted: bool,
        /// The message bytes.
        bytes: Vec<u8>,
    },
    /// The local address changed (new network): re-register with a new Contact.
    NetworkChanged {
        /// The new `host:port` to put in `Via` and `Contact`.
        local_addr: String,
    },
    /// A timer armed by [`Output::Timeout`] expired (or any wake-up: due work runs).
    Timeout,
}

/// What the engine must do next, drained with [`crate::UserAgent::poll_output`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Send bytes.
    Transmit(Transmit),
    /// Tell the application.
    Event(Event),
    /// Nothing more to do now: call `handle_input(at, Input::Timeout)` at `at`.
    Timeout(Instant),
}

/// A message to send.
#[derive(Clone, PartialEq, Eq)]
pub struct Transmit {
    /// Where it goes.
    pub destination: Destination,
    /// The serialized message.
    pub bytes: Vec<u8>,
}

/// A handle for an out-of-dialog request whose answer is reported (OPTIONS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequestId(pub u64);

/// Registration state of the account.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Registration {
    /// Bound at the registrar for `expires` seconds; refreshed automatically before that.
    Registered {
        /// Seconds granted by the registrar.
        expires: u32,
        /// The flow the registrar answered on: keep it alive (RFC 5626 style) and trust it.
        flow: Option<FlowId>,
    },
    /// Unregistered on request (Expires: 0 confirmed).
    Unregistered,
    /// Registration failed with a final status (0: timed out) and the registrar's reason.
    Failed {
        /// Status code, 0 for a transaction timeout.
        status: u16,
        /// Why, in words.
        reason: String,
    },
}

/// Why a call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndReason {
    /// We hung up (BYE sent) or cancelled.
    LocalHangup,
    /// The peer sent BYE.
    RemoteHangup,
    /// The peer cancelled before we answered.
    RemoteCancel,
    /// We cancelled before an answer (487 received, or the answer crossed and was hung up).
    Cancelled,
    /// The call was rejected with a final status and reason phrase.
    Rejected {
        /// Final status (486, 603, ...).
        status: u16,
        /// Reason phrase.
        reason: String,
    },
    /// We rejected an incoming call.
    LocalReject,
    /// No response, or no ACK for our 2xx (timers B/H/L).
    Timeout,
    /// Replaced by another call (RFC 3891).
    Replaced,
}

/// A remote offer the application must answer with [`crate::UserAgent::answer_offer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OfferKind {
    /// re-INVITE (hold/resume, codec change).
    Reinvite,
    /// UPDATE (RFC 3311).
    Update,
}

/// What the application hears about.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// Registration state changed.
    Registration(Registration),
    /// A new call from a trusted flow. Answer with `ringing`, `answer` or `reject`.
    IncomingCall {
        /// The call.
        call: CallHandle,
        /// The `From` header value (caller identity as claimed; the trust layer judges it).
        from: String,
        /// The SDP offer, if the INVITE had one.
        sdp: Option<Vec<u8>>,
        /// The whole INVITE as received, for the trust layer (Identity, P-Asserted-Identity).
        invite: Vec<u8>,
        /// An existing call this one replaces (attended transfer, RFC 3891).
        replaces: Option<CallHandle>,
    },
    /// Provisional response on an outgoing call; `sdp` is early media.
    Ringing {
        /// The call.
        call: CallHandle,
        /// 180 or 183.
        status: u16,
        /// Early-media SDP.
        sdp: Option<Vec<u8>>,
    },
    /// The call is established (2xx received, or our 2xx acknowledged).
    Answered {
        /// The call.
        call: CallHandle,
        /// The peer's SDP answer (outgoing calls).
        sdp: Option<Vec<u8>>,
    },
    /// The peer sent an offer (hold/resume) that needs an answer.
    OfferReceived {
        /// The call.
        call: CallHandle,
        /// re-INVITE or UPDATE.
        kind: OfferKind,
        /// The offer.
        sdp: Vec<u8>,
    },
    /// The peer answered our re-INVITE/UPDATE offer.
    AnswerReceived {
        /// The call.
        call: CallHandle,
        /// The answer.
        sdp: Vec<u8>,
    },
    /// Our re-INVITE/UPDATE was refused (the previous session stays).
    OfferRejected {
        /// The call.
        call: CallHandle,
        /// Final status.
        status: u16,
    },
    /// The peer asks us to call `target` (REFER). Accept with `accept_transfer`.
    TransferRequested {
        /// The call carrying the REFER.
        call: CallHandle,
        /// The Refer-To URI (without the Replaces header).
        target: String,
        /// Whether this is an attended transfer (Refer-To carried Replaces).
        attended: bool,
    },
    /// Progress of a transfer we asked for (NOTIFY sipfrag status).
    TransferProgress {
        /// The call we referred.
        call: CallHandle,
        /// Status line code reported by the transferee.
        status: u16,
    },
    /// The call ended.
    Ended {
        /// The call.
        call: CallHandle,
        /// Why.
        reason: EndReason,
    },
    /// An OPTIONS request got a final answer (status 0: timeout).
    OptionsAnswered {
        /// The request.
        id: RequestId,
        /// Final status.
        status: u16,
    },
}
