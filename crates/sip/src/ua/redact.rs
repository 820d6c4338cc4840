//! `Debug` for the IO types that carry personal data (caller identities, addresses, SDP,
//! whole messages): they print their shape, never the content, so logging an event or an
//! output is always safe.

use std::fmt;

use super::api::{Event, Input, Transmit};

impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Input::Received { flow, trusted, bytes } => f
                .debug_struct("Received")
                .field("flow", flow)
                .field("trusted", trusted)
                .field("len", &bytes.len())
                .finish(),
            Input::NetworkChanged { .. } => f.write_str("NetworkChanged"),
            Input::Timeout => f.write_str("Timeout"),
        }
    }
}

impl fmt::Debug for Transmit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transmit")
            .field("destination", &self.destination)
            .field("len", &self.bytes.len())
            .finish()
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Registration(r) => f.debug_tuple("Registration").field(r).finish(),
            Event::IncomingCall { call, replaces, .. } => f
                .debug_struct("IncomingCall")
                .field("call", call)
                .field("replaces", replaces)
                .finish_non_exhaustive(),
            Event::Ringing { call, status, sdp } => f
                .debug_struct("Ringing")
                .field("call", call)
                .field("status", status)
                .field("early_media", &sdp.is_some())
                .finish(),
            Event::Answered { call, sdp } => {
                f.debug_struct("Answered").field("call", call).field("sdp", &sdp.is_some()).finish()
            }
            Event::OfferReceived { call, kind, .. } => f
                .debug_struct("OfferReceived")
                .field("call", call)
                .field("kind", kind)
                .finish_non_exhaustive(),
            Event::AnswerReceived { call, .. } => {
                f.debug_struct("AnswerReceived").field("call", call).finish_non_exhaustive()
            }
            Event::OfferRejected { call, status } => {
                f.debug_struct("OfferRejected").field("call", call).field("status", status).finish()
            }
            Event::TransferRequested { call, attended, .. } => f
                .debug_struct("TransferRequested")
                .field("call", call)
                .field("attended", attended)
                .finish_non_exhaustive(),
            Event::TransferProgress { call, status } => f
                .debug_struct("TransferProgress")
                .field("call", call)
                .field("status", status)
                .finish(),
            Event::Ended { call, reason } => {
                f.debug_struct("Ended").field("call", call).field("reason", reason).finish()
            }
            Event::OptionsAnswered { id, status } => {
                f.debug_struct("OptionsAnswered").field("id", id).field("status", status).finish()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::CallHandle;

    #[test]
    fn incoming_call_debug_hides_the_caller() {
        let e = Event::IncomingCall {
            call: CallHandle(1),
            from: "\"Jane\" <sip:+15551234567@192.0.2.7>".into(),
            sdp: Some(b"c=IN IP4 192.0.2.7".to_vec()),
            invite: b"INVITE sip:+15551234567@192.0.2.7".to_vec(),
            replaces: None,
        };
        let text = format!("{e:?}");
        assert!(
            !text.contains("5551234567") && !text.contains("192.0.2.7") && !text.contains("Jane"),
            "{text}"
        );
    }
}
