//! Transaction state machines of RFC 3261 §17 with the RFC 6026 corrections.
//!
//! These machines know nothing about message syntax: they are told which status a response
//! carries or that a request was retransmitted, and they answer with what to do (pass up,
//! retransmit, acknowledge, time out). The user agent keeps the bytes to retransmit, so every
//! timer rule is testable on its own with `Instant`s handed in.

pub(crate) mod client;
pub(crate) mod client_invite;
pub(crate) mod server;
pub(crate) mod server_invite;

pub(crate) use client::ClientNonInvite;
pub(crate) use client_invite::ClientInvite;
pub(crate) use server::ServerNonInvite;
pub(crate) use server_invite::ServerInvite;

/// What a transaction asks of its owner when one of its timers fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimerAction {
    /// Send the stored request (client) or the stored response (server) again.
    Retransmit,
    /// Server INVITE transaction: the TU sent no provisional within 200 ms, send 100 Trying.
    SendTrying,
    /// The transaction timed out (timer B, F, H, or no ACK for a 2xx by timer L).
    TimedOut,
    /// The transaction ended normally and can be forgotten.
    Terminated,
}

/// How a client transaction treats a received response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResponseVerdict {
    /// Hand the response to the transaction user.
    PassUp,
    /// Hand it up and send an ACK for this non-2xx final response (INVITE only).
    PassUpAndAck,
    /// A retransmitted non-2xx final: send the ACK again, do not pass it up.
    AckAgain,
    /// A retransmission the transaction absorbs.
    Absorb,
}
