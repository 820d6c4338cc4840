//! Per-call state shared by the outgoing, incoming and in-dialog handlers.

use std::time::{Duration, Instant};

use super::api::OfferKind;
use super::dialog::Dialog;
use crate::ids::CallHandle;
use crate::outbound::OutRequest;

/// Where a call stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallState {
    /// Outgoing INVITE sent, no provisional yet.
    Calling,
    /// Outgoing, provisional received.
    Early,
    /// Incoming, not answered yet.
    Incoming,
    /// Incoming, 2xx sent, waiting for ACK.
    Accepting,
    /// Established.
    Confirmed,
    /// BYE sent or received; kept until its transaction ends.
    Ending,
}

/// A reliable provisional response being retransmitted until PRACK (RFC 3262 §3).
#[derive(Debug, Clone)]
pub(crate) struct ReliableProvisional {
    pub bytes: Vec<u8>,
    pub rseq: u32,
    pub next_at: Instant,
    pub interval: Duration,
    pub give_up_at: Instant,
}

/// Our re-INVITE/UPDATE waiting to be retried after a 491 (RFC 3261 §14.1).
#[derive(Debug, Clone)]
pub(crate) struct GlareRetry {
    pub at: Instant,
    pub kind: OfferKind,
    pub sdp: Vec<u8>,
}

/// An incoming REFER we were asked to act on.
#[derive(Debug, Clone)]
pub(crate) struct PendingRefer {
    pub target: String,
    pub replaces: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub outgoing: bool,
    pub state: CallState,
    pub dialog: Dialog,
    /// Outgoing: the initial INVITE as last sent (CANCEL base, auth resend).
    pub invite: Option<OutRequest>,
    /// Outgoing: client transaction key of the initial INVITE.
    pub invite_key: Option<String>,
    /// Incoming: server transaction key of the INVITE we answer (initial or re-INVITE).
    pub server_key: Option<String>,
    /// Whether that server INVITE is the initial one.
    pub server_is_initial: bool,
    /// Cancel asked before any provisional arrived (sent on the first one).
    pub cancel_wanted: bool,
    /// Our ACK for the 2xx, resent when the 2xx is retransmitted.
    pub ack: Option<Vec<u8>>,
    /// Incoming calls: whether to send provisionals reliably.
    pub use_100rel: bool,
    pub next_rseq: u32,
    pub reliable: Option<ReliableProvisional>,
    /// Outgoing calls: the highest RSeq we PRACKed.
    pub last_rseq: Option<u32>,
    /// Client key of our pending re-INVITE/UPDATE (glare detection).
    pub offer_pending: Option<String>,
    /// Server key of the peer's re-INVITE/UPDATE waiting for our SDP answer.
    pub offer_to_answer: Option<(String, OfferKind)>,
    pub glare: Option<GlareRetry>,
    pub refer: Option<PendingRefer>,
    /// This call was placed to carry out a REFER received on that call: NOTIFY it.
    pub transfer_of: Option<CallHandle>,
    /// This incoming call replaces that one (RFC 3891).
    pub replaces: Option<CallHandle>,
    /// NOTIFY CSeq-independent counter of sipfrag updates sent (bounded).
    pub notifies: u8,
    /// `Ended` was reported.
    pub ended: bool,
    /// CANCEL sent: give up on the INVITE if no final response comes by then (§9.1).
    pub cancel_deadline: Option<Instant>,
}

impl Call {
    pub(crate) fn new(outgoing: bool, state: CallState, dialog: Dialog) -> Self {
        Self {
            outgoing,
            state,
            dialog,
            invite: None,
            invite_key: None,
            server_key: None,
            server_is_initial: false,
            cancel_wanted: false,
            ack: None,
            use_100rel: false,
            next_rseq: 1,
            reliable: None,
            last_rseq: None,
            offer_pending: None,
            offer_to_answer: None,
            glare: None,
            refer: None,
            transfer_of: None,
            replaces: None,
            notifies: 0,
            ended: false,
            cancel_deadline: None,
        }
    }

    pub(crate) fn deadline(&self) -> Option<Instant> {
        let reliable = self.reliable.as_ref().map(|r| r.next_at.min(r.give_up_at));
        let own = crate::timers::earliest(reliable, self.glare.as_ref().map(|g| g.at));
        crate::timers::earliest(own, self.cancel_deadline)
    }

    pub(crate) fn is_established(&self) -> bool {
        matches!(self.state, CallState::Confirmed | CallState::Accepting)
    }
}
