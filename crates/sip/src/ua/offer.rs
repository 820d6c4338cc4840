//! New offers inside a dialog: re-INVITE and UPDATE both ways (hold/resume), glare (491)
//! with the randomised retry, and the per-call timers.

use std::time::{Duration, Instant};

use rand::Rng as _;

use super::api::OfferKind;
use super::call::{CallState, GlareRetry};
use super::transactions::Purpose;
use super::{EndReason, Error, Event, UserAgent};
use crate::ids::CallHandle;
use crate::inbound::Inbound;
use crate::outbound::Body;

impl UserAgent {
    /// Sends a new offer in a re-INVITE (hold: `a=sendonly`/`inactive`; resume: `sendrecv`).
    pub fn reinvite(&mut self, now: Instant, call: CallHandle, sdp: Vec<u8>) -> Result<(), Error> {
        self.send_offer(now, call, OfferKind::Reinvite, sdp)
    }

    /// Sends a new offer in an UPDATE (RFC 3311).
    pub fn update(&mut self, now: Instant, call: CallHandle, sdp: Vec<u8>) -> Result<(), Error> {
        self.send_offer(now, call, OfferKind::Update, sdp)
    }

    fn send_offer(
        &mut self,
        now: Instant,
        call: CallHandle,
        kind: OfferKind,
        sdp: Vec<u8>,
    ) -> Result<(), Error> {
        let c = self.calls.get(&call).ok_or(Error::UnknownCall)?;
        if c.state != CallState::Confirmed
            || c.offer_pending.is_some()
            || c.offer_to_answer.is_some()
        {
            return Err(Error::WrongState("a new offer"));
        }
        let Some(mut c) = self.calls.remove(&call) else { return Err(Error::UnknownCall) };
        let (method, purpose) = match kind {
            OfferKind::Reinvite => ("INVITE", Purpose::Reinvite(call)),
            OfferKind::Update => ("UPDATE", Purpose::Update(call)),
        };
        let mut request = self.dialog_request(&mut c.dialog, method, None);
        request.headers.push(("Contact", self.contact()));
        request.body = Body::sdp(sdp);
        let dest = c.dialog.next_hop(self.cfg.transport);
        self.calls.insert(call, c);
        let dest = dest.ok_or(Error::Unroutable)?;
        let key = self.send_request(now, request, dest, purpose);
        if let Some(c) = self.calls.get_mut(&call) {
            c.offer_pending = Some(key);
        }
        Ok(())
    }

    /// Answers the peer's re-INVITE/UPDATE offer (reported as `OfferReceived`).
    pub fn answer_offer(
        &mut self,
        now: Instant,
        call: CallHandle,
        sdp: Vec<u8>,
    ) -> Result<(), Error> {
        let c = self.calls.get_mut(&call).ok_or(Error::UnknownCall)?;
        let (key, kind) = c.offer_to_answer.take().ok_or(Error::WrongState("answer_offer"))?;
        if kind == OfferKind::Reinvite {
            c.server_key = Some(key.clone());
            c.server_is_initial = false;
        }
        let tag = c.dialog.local_tag.clone();
        let response = self
            .dialog_reply(&key, 200, &tag, Body::sdp(sdp))
            .ok_or(Error::WrongState("answer_offer"))?;
        self.respond(now, &key, response);
        Ok(())
    }

    pub(crate) fn on_reinvite(&mut self, now: Instant, msg: &Inbound, key: &str) {
        self.on_offer(now, msg, key, OfferKind::Reinvite);
    }

    pub(crate) fn on_update(&mut self, now: Instant, msg: &Inbound, key: &str) {
        self.on_offer(now, msg, key, OfferKind::Update);
    }

    fn on_offer(&mut self, now: Instant, msg: &Inbound, key: &str, kind: OfferKind) {
        let Some(call) = self.call_for_request(msg) else {
            return self.respond_status(now, key, 481, None);
        };
        if !self.check_remote_cseq(now, call, msg, key) {
            return;
        }
        let Some(c) = self.calls.get_mut(&call) else { return };
        if c.offer_pending.is_some() || c.offer_to_answer.is_some() {
            // Glare (RFC 3261 §14.2, RFC 3311 §5.2): both sides offered at once.
            return self.respond_status(now, key, 491, None);
        }
        c.dialog.refresh_target(msg);
        match msg.sdp() {
            Some(sdp) => {
                c.offer_to_answer = Some((key.to_owned(), kind));
                self.emit(Event::OfferReceived { call, kind, sdp });
            }
            // An offerless UPDATE only refreshes the target.
            None if kind == OfferKind::Update => self.respond_status(now, key, 200, None),
            None => self.respond_status(now, key, 488, None),
        }
    }

    /// A response to our re-INVITE/UPDATE.
    pub(crate) fn on_offer_response(
        &mut self,
        now: Instant,
        call: CallHandle,
        kind: OfferKind,
        msg: &Inbound,
    ) {
        let Some(status) = msg.status().filter(|s| *s >= 200) else { return };
        if kind == OfferKind::Reinvite && status < 300 {
            self.ack_reinvite(call, msg);
        }
        let Some(c) = self.calls.get_mut(&call) else { return };
        if c.offer_pending.take().is_none() && status < 300 {
            return; // a retransmitted 2xx, re-ACKed above
        }
        if status < 300 {
            c.dialog.refresh_target(msg);
            if let Some(sdp) = msg.sdp() {
                self.emit(Event::AnswerReceived { call, sdp });
            }
        } else if status == 491 {
            self.schedule_glare_retry(now, call, kind);
        } else {
            self.on_offer_failed(now, call, status);
        }
    }

    fn ack_reinvite(&mut self, call: CallHandle, msg: &Inbound) {
        let Some(mut c) = self.calls.remove(&call) else { return };
        let ack = self.dialog_request(&mut c.dialog, "ACK", Some(msg.cseq));
        let dest = c.dialog.next_hop(self.cfg.transport);
        self.calls.insert(call, c);
        if let Some(dest) = dest {
            self.transmit(dest, ack.to_bytes());
        }
    }

    /// §14.1: retry after 2.1-4 s if we own the Call-ID (we placed the call), else 0-2 s.
    fn schedule_glare_retry(&mut self, now: Instant, call: CallHandle, kind: OfferKind) {
        let Some(sdp) = self.pending_offer_body(call) else { return };
        let Some(outgoing) = self.calls.get(&call).map(|c| c.outgoing) else { return };
        let millis = if outgoing {
            self.rng.random_range(2100..=4000)
        } else {
            self.rng.random_range(0..=2000)
        };
        if let Some(c) = self.calls.get_mut(&call) {
            c.glare = Some(GlareRetry { at: now + Duration::from_millis(millis), kind, sdp });
        }
    }

    fn pending_offer_body(&self, call: CallHandle) -> Option<Vec<u8>> {
        self.tx.clients.values().find_map(|t| match t.purpose {
            Purpose::Reinvite(c) | Purpose::Update(c) if c == call => {
                t.request.body.as_ref().map(|b| b.bytes.clone())
            }
            _ => None,
        })
    }

    pub(crate) fn on_offer_failed(&mut self, _now: Instant, call: CallHandle, status: u16) {
        if let Some(c) = self.calls.get_mut(&call) {
            c.offer_pending = None;
        }
        self.emit(Event::OfferRejected { call, status });
    }

    pub(crate) fn run_call_timers(&mut self, now: Instant) {
        let due: Vec<CallHandle> = self
            .calls
            .iter()
            .filter(|(_, c)| c.deadline().is_some_and(|d| d <= now))
            .map(|(h, _)| *h)
            .collect();
        for call in due {
            self.run_reliable_provisional(now, call);
            let given_up = self.calls.get_mut(&call).is_some_and(|c| {
                let due = c.cancel_deadline.is_some_and(|d| d <= now);
                if due {
                    c.cancel_deadline = None;
                }
                due
            });
            if given_up {
                // The callee never sent a final response to our CANCELled INVITE.
                if let Some(key) = self.calls.get(&call).and_then(|c| c.invite_key.clone()) {
                    self.tx.clients.remove(&key);
                }
                self.end_call(now, call, EndReason::Cancelled);
                continue;
            }
            let retry = self.calls.get_mut(&call).and_then(|c| {
                let due = c.glare.as_ref().is_some_and(|g| g.at <= now);
                if due { c.glare.take() } else { None }
            });
            if let Some(g) = retry
                && self.send_offer(now, call, g.kind, g.sdp).is_err()
            {
                // The peer offered meanwhile (or the call ended): the app decides again.
                self.emit(Event::OfferRejected { call, status: 491 });
            }
        }
    }
}
