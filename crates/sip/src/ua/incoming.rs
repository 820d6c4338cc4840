//! Incoming calls: the INVITE server side (ringing, answer, reject, CANCEL, ACK).

use std::time::Instant;

use super::call::{Call, CallState, ReliableProvisional};
use super::dialog::Dialog;
use super::transactions::{ServerMachine, server_key};
use super::{EndReason, Error, Event, UserAgent};
use crate::ids::CallHandle;
use crate::inbound::Inbound;
use crate::outbound::Body;
use crate::transaction::server_invite::AckVerdict;

impl UserAgent {
    pub(crate) fn on_new_invite(&mut self, now: Instant, msg: &Inbound, key: &str, raw: &[u8]) {
        if msg.from_tag.is_none() || msg.contact_uri.is_none() {
            self.respond_status(now, key, 400, None);
            return;
        }
        if self.is_merged(msg) {
            // The same INVITE forked back to us along another path (§8.2.2.2).
            return self.respond_status(now, key, 482, None);
        }
        if self.calls.len() >= self.cfg.limits.max_calls {
            let tag = self.token(6);
            self.respond_status(now, key, 486, Some(&tag));
            return;
        }
        let replaces = match &msg.replaces {
            Some(value) => match self.call_for_replaces(value) {
                Some(call) => Some(call),
                None => return self.respond_status(now, key, 481, None),
            },
            None => None,
        };
        let handle = CallHandle(self.next_handle());
        let tag = self.token(6);
        let mut call = Call::new(false, CallState::Incoming, Dialog::uas_from_request(msg, tag));
        call.server_key = Some(key.to_owned());
        call.server_is_initial = true;
        call.use_100rel = self.cfg.reliable_provisionals && msg.supports("100rel");
        call.replaces = replaces;
        self.calls.insert(handle, call);
        self.emit(Event::IncomingCall {
            call: handle,
            from: msg.from.clone(),
            sdp: msg.sdp(),
            invite: raw.to_vec(),
            replaces,
        });
    }

    /// Whether `msg` is an INVITE we already took through another branch: same Call-ID,
    /// From-tag and CSeq as a call we know, but another transaction.
    fn is_merged(&self, msg: &Inbound) -> bool {
        self.calls.values().any(|c| {
            !c.outgoing
                && c.dialog.call_id == msg.call_id
                && c.dialog.remote_tag == msg.from_tag
                && c.dialog.remote_cseq == Some(msg.cseq)
        })
    }

    /// The call a `Replaces` header value (`call-id;to-tag=..;from-tag=..`) names: its to-tag
    /// is our local tag, its from-tag the peer's (RFC 3891 §3).
    fn call_for_replaces(&self, value: &str) -> Option<CallHandle> {
        let mut parts = value.split(';');
        let call_id = parts.next()?.trim();
        let param = |name: &str| {
            value.split(';').skip(1).find_map(|p| {
                let (k, v) = p.split_once('=')?;
                k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
            })
        };
        let (to_tag, from_tag) = (param("to-tag")?, param("from-tag")?);
        self.calls
            .iter()
            .find(|(_, c)| {
                c.dialog.call_id == call_id
                    && c.dialog.local_tag == to_tag
                    && c.dialog.remote_tag.as_deref() == Some(from_tag.as_str())
            })
            .map(|(h, _)| *h)
    }

    /// Sends 180 Ringing (183 with early-media SDP), reliably when the caller supports 100rel.
    pub fn ringing(
        &mut self,
        now: Instant,
        call: CallHandle,
        early_sdp: Option<Vec<u8>>,
    ) -> Result<(), Error> {
        let c = self.calls.get_mut(&call).ok_or(Error::UnknownCall)?;
        if c.state != CallState::Incoming {
            return Err(Error::WrongState("ringing"));
        }
        let status = if early_sdp.is_some() { 183 } else { 180 };
        let (key, tag, reliable) =
            (c.server_key.clone().unwrap_or_default(), c.dialog.local_tag.clone(), c.use_100rel);
        let rseq = c.next_rseq;
        let Some(mut response) =
            self.dialog_reply(&key, status, &tag, early_sdp.and_then(Body::sdp))
        else {
            return Err(Error::WrongState("ringing"));
        };
        if reliable {
            response.headers.extend([("Require", "100rel".to_owned()), ("RSeq", rseq.to_string())]);
        }
        let bytes = response.to_bytes();
        self.respond(now, &key, response);
        if reliable && let Some(c) = self.calls.get_mut(&call) {
            c.next_rseq += 1;
            let t1 = self.cfg.timers.t1;
            let give_up_at = now + self.cfg.timers.t1x64();
            c.reliable = Some(ReliableProvisional {
                bytes,
                rseq,
                next_at: now + t1,
                interval: t1,
                give_up_at,
            });
        }
        Ok(())
    }

    /// Answers an incoming call with an SDP answer. The 2xx is retransmitted until ACK.
    pub fn answer(&mut self, now: Instant, call: CallHandle, sdp: Vec<u8>) -> Result<(), Error> {
        let c = self.calls.get_mut(&call).ok_or(Error::UnknownCall)?;
        if c.state != CallState::Incoming {
            return Err(Error::WrongState("answer"));
        }
        c.state = CallState::Accepting;
        c.reliable = None;
        let (key, tag) = (c.server_key.clone().unwrap_or_default(), c.dialog.local_tag.clone());
        let response = self
            .dialog_reply(&key, 200, &tag, Body::sdp(sdp))
            .ok_or(Error::WrongState("answer"))?;
        self.respond(now, &key, response);
        Ok(())
    }

    /// Rejects an incoming call with `status` (4xx-6xx) and a reason phrase.
    pub fn reject(
        &mut self,
        now: Instant,
        call: CallHandle,
        status: u16,
        reason: &str,
    ) -> Result<(), Error> {
        let c = self.calls.get(&call).ok_or(Error::UnknownCall)?;
        if c.state != CallState::Incoming || !(300..700).contains(&status) {
            return Err(Error::WrongState("reject"));
        }
        let (key, tag) = (c.server_key.clone().unwrap_or_default(), c.dialog.local_tag.clone());
        let tx = self.tx.servers.get(&key).ok_or(Error::WrongState("reject"))?;
        let mut response = tx.base.reply(status, Some(&tag));
        let reason = reason.replace(['\r', '\n', '"'], " ");
        response.headers.push(("Reason", format!("SIP;cause={status};text=\"{reason}\"")));
        response.reason = reason;
        self.respond(now, &key, response);
        self.end_call(now, call, EndReason::LocalReject);
        Ok(())
    }

    pub(crate) fn on_cancel(&mut self, now: Instant, msg: &Inbound, cancel_key: &str) {
        let invite_key = server_key(msg, "INVITE");
        let call =
            self.calls.iter().find(|(_, c)| c.server_key.as_deref() == Some(invite_key.as_str()));
        let Some((&handle, c)) = call else {
            self.respond_status(now, cancel_key, 481, None);
            return;
        };
        let tag = c.dialog.local_tag.clone();
        let unanswered = c.state == CallState::Incoming;
        self.respond_status(now, cancel_key, 200, Some(&tag));
        if unanswered {
            self.respond_status(now, &invite_key, 487, Some(&tag));
            self.end_call(now, handle, EndReason::RemoteCancel);
        }
    }

    pub(crate) fn on_ack(&mut self, now: Instant, msg: &Inbound) {
        let key = server_key(msg, "ACK");
        if let Some(tx) = self.tx.servers.get_mut(&key) {
            // ACK for our non-2xx final: same branch as the INVITE.
            if let ServerMachine::Invite(m) = &mut tx.machine {
                m.on_ack(now);
            }
            return;
        }
        let Some(handle) = self.call_for_request(msg) else { return };
        let Some(c) = self.calls.get(&handle) else { return };
        let Some(key) = c.server_key.clone() else { return };
        let verdict = match self.tx.servers.get_mut(&key).map(|t| &mut t.machine) {
            Some(ServerMachine::Invite(m)) => m.on_ack(now),
            _ => AckVerdict::Ignore,
        };
        if verdict == AckVerdict::Confirms2xx {
            self.on_2xx_acked(now, handle, msg);
        }
    }

    fn on_2xx_acked(&mut self, now: Instant, handle: CallHandle, msg: &Inbound) {
        let Some(c) = self.calls.get_mut(&handle) else { return };
        let initial = c.server_is_initial;
        c.server_is_initial = false;
        if initial && c.state == CallState::Accepting {
            c.state = CallState::Confirmed;
            let replaced = c.replaces.take();
            self.emit(Event::Answered { call: handle, sdp: msg.sdp() });
            if let Some(old) = replaced {
                self.hangup_replaced(now, old);
            }
        } else if let Some(sdp) = msg.sdp() {
            self.emit(Event::AnswerReceived { call: handle, sdp });
        }
    }

    /// A server INVITE transaction timed out: no ACK for our 2xx (L) or our non-2xx (H).
    pub(crate) fn on_server_timeout(&mut self, now: Instant, key: &str) {
        let found = self.calls.iter().find(|(_, c)| c.server_key.as_deref() == Some(key));
        let Some((&handle, c)) = found else { return };
        if c.is_established() {
            // §13.3.1.4: the dialog is confirmed but the session must end with a BYE.
            if let Some(c) = self.calls.get_mut(&handle) {
                c.state = CallState::Confirmed;
            }
            self.send_bye(now, handle);
            self.end_call(now, handle, EndReason::Timeout);
        }
    }
}
