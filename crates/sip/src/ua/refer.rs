//! Call transfer: REFER (RFC 3515) with NOTIFY sipfrag progress, blind and attended
//! (Replaces, RFC 3891).

use std::time::Instant;

use super::call::{CallState, PendingRefer};
use super::transactions::Purpose;
use super::{Error, Event, UserAgent};
use crate::ids::CallHandle;
use crate::inbound::Inbound;
use crate::outbound::{Body, reason_phrase};
use crate::uri;

impl UserAgent {
    /// Blind transfer: asks the peer of `call` to call `target`.
    pub fn refer(&mut self, now: Instant, call: CallHandle, target: &str) -> Result<(), Error> {
        self.send_refer(now, call, format!("<{target}>"))
    }

    /// Attended transfer: asks the peer of `call` to call the peer of `other`, replacing our
    /// dialog with it.
    pub fn refer_attended(
        &mut self,
        now: Instant,
        call: CallHandle,
        other: CallHandle,
    ) -> Result<(), Error> {
        let o = self.calls.get(&other).ok_or(Error::UnknownCall)?;
        let remote_tag =
            o.dialog.remote_tag.clone().ok_or(Error::WrongState("attended transfer"))?;
        let replaces =
            format!("{};to-tag={remote_tag};from-tag={}", o.dialog.call_id, o.dialog.local_tag);
        let target = uri::addr_spec(&o.dialog.remote).to_owned();
        let refer_to = format!("<{target}?Replaces={}>", uri::escape_header(&replaces));
        self.send_refer(now, call, refer_to)
    }

    fn send_refer(
        &mut self,
        now: Instant,
        call: CallHandle,
        refer_to: String,
    ) -> Result<(), Error> {
        let mut c = self.calls.remove(&call).ok_or(Error::UnknownCall)?;
        if c.state != CallState::Confirmed {
            self.calls.insert(call, c);
            return Err(Error::WrongState("refer"));
        }
        let mut request = self.dialog_request(&mut c.dialog, "REFER", None);
        request.headers.extend([
            ("Refer-To", refer_to),
            ("Referred-By", self.local_identity()),
            ("Contact", self.contact()),
        ]);
        let dest = c.dialog.next_hop(self.cfg.transport);
        self.calls.insert(call, c);
        self.send_request(now, request, dest.ok_or(Error::Unroutable)?, Purpose::Refer(call));
        Ok(())
    }

    pub(crate) fn on_refer(&mut self, now: Instant, msg: &Inbound, key: &str) {
        let Some(call) = self.call_for_request(msg) else {
            return self.respond_status(now, key, 481, None);
        };
        let Some(refer_to) = msg.refer_to.as_deref() else {
            return self.respond_status(now, key, 400, None);
        };
        if !self.check_remote_cseq(now, call, msg, key) {
            return;
        }
        let (target, replaces) = uri::split_replaces(uri::addr_spec(refer_to));
        self.respond_status(now, key, 202, None);
        let attended = replaces.is_some();
        if let Some(c) = self.calls.get_mut(&call) {
            c.refer = Some(PendingRefer { target: target.clone(), replaces });
            c.notifies = 0;
        }
        self.send_notify(now, call, 100);
        self.emit(Event::TransferRequested { call, target, attended });
    }

    /// Carries out the transfer the peer of `call` asked for: places the new call (with
    /// Replaces for an attended transfer) and reports its outcome to the referrer by NOTIFY.
    pub fn accept_transfer(
        &mut self,
        now: Instant,
        call: CallHandle,
        sdp: Vec<u8>,
    ) -> Result<CallHandle, Error> {
        let refer = self.calls.get_mut(&call).ok_or(Error::UnknownCall)?.refer.take();
        let refer = refer.ok_or(Error::WrongState("accept_transfer"))?;
        let new_call = self.invite_with(now, &refer.target, sdp, refer.replaces)?;
        if let Some(c) = self.calls.get_mut(&new_call) {
            c.transfer_of = Some(call);
        }
        Ok(new_call)
    }

    /// NOTIFYs the referrer of `call` with the transfer call's `status` (sipfrag).
    pub(crate) fn send_notify(&mut self, now: Instant, call: CallHandle, status: u16) {
        let Some(mut c) = self.calls.remove(&call) else { return };
        if c.notifies >= 8 || c.state == CallState::Ending {
            self.calls.insert(call, c);
            return;
        }
        c.notifies += 1;
        let mut request = self.dialog_request(&mut c.dialog, "NOTIFY", None);
        let state =
            if status >= 200 { "terminated;reason=noresource" } else { "active;expires=60" };
        request.headers.extend([
            ("Event", "refer".to_owned()),
            ("Subscription-State", state.to_owned()),
            ("Contact", self.contact()),
        ]);
        let frag = format!("SIP/2.0 {status} {}\r\n", reason_phrase(status));
        request.body =
            Some(Body { content_type: "message/sipfrag;version=2.0", bytes: frag.into_bytes() });
        let dest = c.dialog.next_hop(self.cfg.transport);
        self.calls.insert(call, c);
        if let Some(dest) = dest {
            self.send_request(now, request, dest, Purpose::Notify(call));
        }
    }

    pub(crate) fn on_notify(&mut self, now: Instant, msg: &Inbound, key: &str) {
        let Some(call) = self.call_for_request(msg) else {
            return self.respond_status(now, key, 481, None);
        };
        if !self.check_remote_cseq(now, call, msg, key) {
            return;
        }
        self.respond_status(now, key, 200, None);
        let status = sipfrag_status(&msg.body);
        if let Some(status) = status {
            self.emit(Event::TransferProgress { call, status });
        }
    }
}

/// The status code of a `message/sipfrag` body (`SIP/2.0 200 OK`).
fn sipfrag_status(body: &[u8]) -> Option<u16> {
    let text = std::str::from_utf8(body.get(..body.len().min(64))?).ok()?;
    let rest = text.trim_start().strip_prefix("SIP/2.0 ")?;
    rest.get(..3)?.parse().ok()
}
