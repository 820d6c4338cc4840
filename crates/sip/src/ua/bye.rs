//! Ending calls: hangup in any state, BYE both ways, and the bookkeeping that reports the end
//! of a call exactly once.

use std::time::Instant;

use super::call::CallState;
use super::transactions::Purpose;
use super::{EndReason, Error, Event, UserAgent};
use crate::ids::CallHandle;
use crate::inbound::Inbound;

impl UserAgent {
    /// Ends a call whatever its state: CANCEL before an answer, BYE after, 603 if incoming.
    pub fn hangup(&mut self, now: Instant, call: CallHandle) -> Result<(), Error> {
        let c = self.calls.get(&call).ok_or(Error::UnknownCall)?;
        match c.state {
            CallState::Calling | CallState::Early => self.cancel(now, call),
            CallState::Incoming => self.reject(now, call, 603, "Decline"),
            CallState::Accepting | CallState::Confirmed => {
                self.send_bye(now, call);
                self.end_call(now, call, EndReason::LocalHangup);
                Ok(())
            }
            CallState::Ending => Err(Error::WrongState("hangup")),
        }
    }

    pub(crate) fn send_bye(&mut self, now: Instant, call: CallHandle) {
        let Some(mut c) = self.calls.remove(&call) else { return };
        let bye = self.dialog_request(&mut c.dialog, "BYE", None);
        let dest = c.dialog.next_hop(self.cfg.transport);
        c.state = CallState::Ending;
        c.reliable = None;
        c.glare = None;
        self.calls.insert(call, c);
        if let Some(dest) = dest {
            self.send_request(now, bye, dest, Purpose::Bye(call));
        }
    }

    pub(crate) fn on_bye(&mut self, now: Instant, msg: &Inbound, key: &str) {
        let Some(call) = self.call_for_request(msg) else {
            return self.respond_status(now, key, 481, None);
        };
        if !self.check_remote_cseq(now, call, msg, key) {
            return;
        }
        self.respond_status(now, key, 200, None);
        if let Some(c) = self.calls.get(&call)
            && let Some(invite_key) = c.server_key.clone()
            && c.state == CallState::Incoming
        {
            // BYE before our answer (early dialog): the INVITE gets 487 (§15.1.2).
            self.respond_status(now, &invite_key, 487, None);
        }
        self.end_call(now, call, EndReason::RemoteHangup);
        self.forget_call(call);
    }

    /// Reports the end of a call once and stops its timers; the entry stays while its BYE runs.
    pub(crate) fn end_call(&mut self, now: Instant, call: CallHandle, reason: EndReason) {
        let Some(c) = self.calls.get_mut(&call) else { return };
        c.reliable = None;
        c.glare = None;
        let report = !c.ended;
        c.ended = true;
        let transfer_of = c.transfer_of.take();
        if c.state != CallState::Ending {
            self.calls.remove(&call);
        }
        if let Some(referrer) = transfer_of {
            let status = match &reason {
                EndReason::Rejected { status, .. } => *status,
                _ => 487,
            };
            self.send_notify(now, referrer, status);
        }
        if report {
            self.emit(Event::Ended { call, reason });
        }
    }

    /// Drops a call's state for good (its BYE transaction finished).
    pub(crate) fn forget_call(&mut self, call: CallHandle) {
        self.calls.remove(&call);
    }

    /// The call our answered call replaced is hung up (RFC 3891 §3).
    pub(crate) fn hangup_replaced(&mut self, now: Instant, old: CallHandle) {
        let Some(c) = self.calls.get(&old) else { return };
        if c.is_established() {
            self.send_bye(now, old);
        }
        self.end_call(now, old, EndReason::Replaced);
    }
}
