//! Reliable provisional responses (RFC 3262), UAS side: retransmit until PRACK, answer PRACK.

use std::time::Instant;

use super::{EndReason, UserAgent};
use crate::ids::{CallHandle, Destination};
use crate::inbound::Inbound;

impl UserAgent {
    pub(crate) fn on_prack(&mut self, now: Instant, msg: &Inbound, key: &str) {
        let Some(call) = self.call_for_request(msg) else {
            return self.respond_status(now, key, 481, None);
        };
        let Some(c) = self.calls.get_mut(&call) else { return };
        let matches = match (&c.reliable, &msg.rack) {
            (Some(r), Some((rseq, _, method))) => {
                *rseq == r.rseq && method.eq_ignore_ascii_case("INVITE")
            }
            _ => false,
        };
        if matches {
            c.reliable = None;
            c.dialog.remote_cseq = Some(msg.cseq);
            self.respond_status(now, key, 200, None);
        } else {
            self.respond_status(now, key, 481, None);
        }
    }

    /// Retransmits reliable provisionals (T1 doubling) until PRACK; gives up with a 5xx.
    pub(crate) fn run_reliable_provisional(&mut self, now: Instant, handle: CallHandle) {
        let Some(c) = self.calls.get_mut(&handle) else { return };
        let Some(r) = c.reliable.as_mut() else { return };
        if now >= r.give_up_at {
            c.reliable = None;
            let key = c.server_key.clone().unwrap_or_default();
            let tag = c.dialog.local_tag.clone();
            self.respond_status(now, &key, 504, Some(&tag));
            self.end_call(now, handle, EndReason::Timeout);
        } else if now >= r.next_at {
            r.interval *= 2;
            r.next_at = now + r.interval;
            let bytes = r.bytes.clone();
            let flow = c.server_key.as_ref().and_then(|k| self.tx.servers.get(k)).map(|t| t.flow);
            if let Some(flow) = flow {
                self.transmit(Destination::Flow(flow), bytes);
            }
        }
    }
}
