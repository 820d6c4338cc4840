//! Outgoing calls: the INVITE client side (provisionals, PRACK, 2xx and ACK, CANCEL, forking).

use std::time::Instant;

use super::call::{Call, CallState};
use super::dialog::{Dialog, Via};
use super::transactions::Purpose;
use super::{EndReason, Error, Event, UserAgent};
use crate::ids::CallHandle;
use crate::inbound::Inbound;
use crate::outbound::{Body, OutRequest};

impl UserAgent {
    /// Places a call to `uri` with an SDP offer. Returns the call's handle.
    pub fn invite(&mut self, now: Instant, uri: &str, sdp: Vec<u8>) -> Result<CallHandle, Error> {
        self.invite_with(now, uri, sdp, None)
    }

    /// Places a call, optionally with a `Replaces` header (attended transfer target side).
    pub(crate) fn invite_with(
        &mut self,
        now: Instant,
        uri: &str,
        sdp: Vec<u8>,
        replaces: Option<String>,
    ) -> Result<CallHandle, Error> {
        if self.calls.len() >= self.cfg.limits.max_calls
            || self.tx.len() >= self.cfg.limits.max_transactions
        {
            return Err(Error::Busy);
        }
        let destination = self.next_hop(uri).ok_or(Error::Unroutable)?;
        let dialog = Dialog {
            call_id: self.token(16),
            local_tag: self.token(6),
            remote_tag: None,
            local: self.local_identity(),
            remote: format!("<{uri}>"),
            remote_target: uri.to_owned(),
            route_set: Vec::new(),
            local_cseq: 0,
            remote_cseq: None,
        };
        let mut call = Call::new(true, CallState::Calling, dialog);
        let mut request = self.dialog_request(&mut call.dialog, "INVITE", None);
        request.headers.extend(self.invite_headers());
        if let Some(r) = replaces {
            request.headers.push(("Replaces", r));
        }
        request.body = Body::sdp(sdp);
        let handle = CallHandle(self.next_handle());
        call.invite = Some(request.clone());
        call.invite_key =
            Some(self.send_request(now, request, destination, Purpose::Invite(handle)));
        self.calls.insert(handle, call);
        Ok(handle)
    }

    pub(crate) fn invite_headers(&self) -> Vec<(&'static str, String)> {
        vec![
            ("Contact", self.contact()),
            ("Allow", super::ALLOW.to_owned()),
            ("Supported", super::SUPPORTED.to_owned()),
            ("User-Agent", self.cfg.user_agent.clone()),
        ]
    }

    /// A request in `dialog` with a fresh branch and our Via.
    pub(crate) fn dialog_request(
        &mut self,
        dialog: &mut Dialog,
        method: &'static str,
        cseq: Option<u32>,
    ) -> OutRequest {
        let branch = self.branch();
        let via = Via { transport: self.cfg.transport, sent_by: &self.cfg.local_addr, branch };
        dialog.request(method, cseq, via)
    }

    /// Cancels an outgoing call before it is answered. CANCEL goes out once a provisional
    /// arrived (RFC 3261 §9.1); a 2xx crossing it is ACKed and hung up.
    pub fn cancel(&mut self, now: Instant, call: CallHandle) -> Result<(), Error> {
        let c = self.calls.get_mut(&call).ok_or(Error::UnknownCall)?;
        match c.state {
            CallState::Calling => c.cancel_wanted = true,
            CallState::Early => {
                c.cancel_wanted = true;
                self.send_cancel(now, call);
            }
            _ => return Err(Error::WrongState("cancel")),
        }
        Ok(())
    }

    fn send_cancel(&mut self, now: Instant, call: CallHandle) {
        let Some(c) = self.calls.get(&call) else { return };
        let (Some(invite), Some(key)) = (&c.invite, &c.invite_key) else { return };
        let Some(dest) = self.tx.clients.get(key).map(|t| t.destination.clone()) else { return };
        let cancel = invite.cancel();
        self.send_request(now, cancel, dest, Purpose::Cancel(call));
        if let Some(c) = self.calls.get_mut(&call) {
            c.cancel_deadline = Some(now + self.cfg.timers.t1x64());
        }
    }

    pub(crate) fn on_invite_response(&mut self, now: Instant, call: CallHandle, msg: &Inbound) {
        let Some(status) = msg.status() else { return };
        match status {
            100 => {}
            101..=199 => self.on_provisional(now, call, msg, status),
            200..=299 => self.on_invite_2xx(now, call, msg),
            _ => self.on_invite_failure(now, call, msg, status),
        }
    }

    fn on_provisional(&mut self, now: Instant, call: CallHandle, msg: &Inbound, status: u16) {
        let Some(c) = self.calls.get_mut(&call) else { return };
        if c.state == CallState::Calling {
            c.state = CallState::Early;
            if c.cancel_wanted {
                self.send_cancel(now, call);
                return;
            }
        }
        if msg.to_tag.is_some() && c.dialog.remote_tag.is_none() {
            c.dialog = c.dialog.uac_from_response(msg);
        }
        if msg.requires("100rel")
            && msg.rseq.is_some()
            && msg.to_tag.is_some()
            && !self.send_prack(now, call, msg)
        {
            return; // a retransmitted reliable provisional: already reported
        }
        self.emit(Event::Ringing { call, status, sdp: msg.sdp() });
    }

    /// PRACKs a reliable provisional (RFC 3262 §4); false if it was a retransmission.
    fn send_prack(&mut self, now: Instant, call: CallHandle, msg: &Inbound) -> bool {
        let Some(c) = self.calls.get_mut(&call) else { return false };
        let rseq = msg.rseq.unwrap_or_default();
        if c.last_rseq.is_some_and(|last| rseq <= last) {
            return false;
        }
        c.last_rseq = Some(rseq);
        let mut early = c.dialog.uac_from_response(msg);
        let mut prack = self.dialog_request(&mut early, "PRACK", None);
        prack.headers.push(("RAck", format!("{rseq} {} INVITE", msg.cseq)));
        if let Some(c) = self.calls.get_mut(&call)
            && c.dialog.remote_tag == early.remote_tag
        {
            c.dialog.local_cseq = early.local_cseq;
        }
        if let Some(dest) =
            early.next_hop(self.cfg.transport).or_else(|| self.next_hop(&early.remote_target))
        {
            self.send_request(now, prack, dest, Purpose::Prack(call));
        }
        true
    }

    fn on_invite_2xx(&mut self, now: Instant, call: CallHandle, msg: &Inbound) {
        let Some(c) = self.calls.get(&call) else { return };
        let confirmed = c.ack.is_some();
        if confirmed && c.dialog.remote_tag == msg.to_tag {
            // A retransmitted 2xx: our ACK was lost.
            if let (Some(ack), Some(dest)) = (c.ack.clone(), c.dialog.next_hop(self.cfg.transport))
            {
                self.transmit(dest, ack);
            }
            return;
        }
        let (cseq, cancelled) = (msg.cseq, c.cancel_wanted);
        let mut dialog = c.dialog.uac_from_response(msg);
        let ack = self.dialog_request(&mut dialog, "ACK", Some(cseq));
        let Some(dest) = dialog.next_hop(self.cfg.transport) else { return };
        let ack_bytes = ack.to_bytes();
        self.transmit(dest.clone(), ack_bytes.clone());
        if confirmed {
            // Another fork answered too: the first 2xx won, this leg is ACKed and hung up.
            let bye = self.dialog_request(&mut dialog, "BYE", None);
            self.send_request(now, bye, dest, Purpose::ForkBye);
            return;
        }
        let Some(c) = self.calls.get_mut(&call) else { return };
        c.cancel_deadline = None;
        c.dialog = dialog;
        c.ack = Some(ack_bytes);
        c.state = CallState::Confirmed;
        if cancelled {
            // CANCEL crossed the 2xx: ACK it, then end the session with BYE (§9.1).
            self.send_bye(now, call);
            self.end_call(now, call, EndReason::Cancelled);
        } else {
            let referrer = c.transfer_of.take();
            self.emit(Event::Answered { call, sdp: msg.sdp() });
            if let Some(referrer) = referrer {
                self.send_notify(now, referrer, 200);
            }
        }
    }

    fn on_invite_failure(&mut self, now: Instant, call: CallHandle, msg: &Inbound, status: u16) {
        let Some(c) = self.calls.get(&call) else { return };
        if c.is_established() {
            return;
        }
        let reason = match (status, c.cancel_wanted) {
            (487, true) => EndReason::Cancelled,
            _ => EndReason::Rejected { status, reason: reason_of(msg) },
        };
        self.end_call(now, call, reason);
    }
}

fn reason_of(msg: &Inbound) -> String {
    match &msg.start {
        Some(crate::inbound::StartLine::Response { reason, .. }) => reason.clone(),
        _ => String::new(),
    }
}
