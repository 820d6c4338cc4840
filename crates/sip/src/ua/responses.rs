//! Received responses: matched to client transactions (§17.1.3), answered with digest
//! credentials when challenged, then routed to the part of the agent that sent the request.

use std::time::Instant;

use super::api::OfferKind;
use super::transactions::{ClientMachine, Purpose, client_key};
use super::{Event, UserAgent};
use crate::ids::FlowId;
use crate::inbound::Inbound;
use crate::transaction::ResponseVerdict;

/// Retries with fresh credentials per request before giving up (wrong password loops).
const MAX_AUTH_TRIES: u8 = 2;

impl UserAgent {
    pub(crate) fn on_response(&mut self, now: Instant, flow: FlowId, msg: &Inbound) {
        let Some(status) = msg.status() else { return };
        let key = client_key(&msg.branch, &msg.cseq_method);
        let Some(tx) = self.tx.clients.get_mut(&key) else { return };
        let verdict = match &mut tx.machine {
            ClientMachine::Plain(m) => m.on_response(now, status),
            ClientMachine::Invite(m) => m.on_response(now, status),
        };
        let purpose = tx.purpose;
        match verdict {
            ResponseVerdict::Absorb => return,
            ResponseVerdict::AckAgain => {
                if let Some(ack) = tx.ack.clone() {
                    let dest = tx.destination.clone();
                    self.transmit(dest, ack);
                }
                return;
            }
            ResponseVerdict::PassUpAndAck => {
                let ack = tx.request.ack_for_failure(&msg.to).to_bytes();
                tx.ack = Some(ack.clone());
                let dest = tx.destination.clone();
                self.transmit(dest, ack);
            }
            ResponseVerdict::PassUp => {}
        }
        if matches!(status, 401 | 407) && self.retry_with_credentials(now, &key, msg) {
            return;
        }
        self.dispatch_response(now, flow, purpose, msg);
    }

    fn dispatch_response(&mut self, now: Instant, flow: FlowId, purpose: Purpose, msg: &Inbound) {
        let status = msg.status().unwrap_or_default();
        match purpose {
            Purpose::Register => self.on_register_response(now, flow, msg),
            Purpose::Invite(call) => self.on_invite_response(now, call, msg),
            Purpose::Reinvite(call) => self.on_offer_response(now, call, OfferKind::Reinvite, msg),
            Purpose::Update(call) => self.on_offer_response(now, call, OfferKind::Update, msg),
            Purpose::Bye(call) if status >= 200 => self.forget_call(call),
            Purpose::Refer(call) if status >= 300 => {
                self.emit(Event::TransferProgress { call, status })
            }
            Purpose::Options(id) if status >= 200 => {
                self.emit(Event::OptionsAnswered { id, status })
            }
            _ => {}
        }
    }

    /// Answers a 401/407 by re-sending the request with credentials, a new branch and the
    /// next CSeq. False when we have no credentials or they were rejected.
    fn retry_with_credentials(&mut self, now: Instant, key: &str, msg: &Inbound) -> bool {
        let Some(tx) = self.tx.clients.get(key) else { return false };
        let (proxy, values) = match msg.status() {
            Some(407) => (true, &msg.proxy_authenticate),
            _ => (false, &msg.www_authenticate),
        };
        if tx.auth_tries >= MAX_AUTH_TRIES {
            return false;
        }
        let Some(digest) = self.digest.as_mut() else { return false };
        let had = tx.auth_tries > 0;
        if digest.on_challenge(values.iter().map(String::as_str), proxy, had).is_err() {
            return false;
        }
        let (mut request, dest, purpose, tries) =
            (tx.request.clone(), tx.destination.clone(), tx.purpose, tx.auth_tries);
        request.branch = self.branch();
        request.cseq = request.cseq.wrapping_add(1);
        self.authorize(&mut request);
        self.note_resent_cseq(purpose, &request);
        let new_key = self.send_request(now, request, dest, purpose);
        if let Some(t) = self.tx.clients.get_mut(&new_key) {
            t.auth_tries = tries + 1;
        }
        true
    }

    /// Replaces any credentials in `request` with fresh answers to the known challenges.
    pub(crate) fn authorize(&mut self, request: &mut crate::outbound::OutRequest) {
        request.headers.retain(|(n, _)| *n != "Authorization" && *n != "Proxy-Authorization");
        let cnonce = self.token(8);
        if let Some(digest) = self.digest.as_mut() {
            let uri = request.uri.clone();
            request.headers.extend(digest.authorize(request.method, &uri, &cnonce));
        }
    }

    /// Keeps CSeq counters and stored requests in step with a re-sent request.
    fn note_resent_cseq(&mut self, purpose: Purpose, request: &crate::outbound::OutRequest) {
        match purpose {
            Purpose::Register => self.reg.cseq = request.cseq,
            Purpose::Invite(call) => {
                if let Some(c) = self.calls.get_mut(&call) {
                    c.invite = Some(request.clone());
                    c.invite_key = Some(client_key(&request.branch, request.method));
                    c.dialog.local_cseq = request.cseq;
                }
            }
            Purpose::Bye(call)
            | Purpose::Reinvite(call)
            | Purpose::Update(call)
            | Purpose::Refer(call) => {
                if let Some(c) = self.calls.get_mut(&call) {
                    c.dialog.local_cseq = c.dialog.local_cseq.max(request.cseq);
                    if matches!(purpose, Purpose::Reinvite(_) | Purpose::Update(_)) {
                        c.offer_pending = Some(client_key(&request.branch, request.method));
                    }
                }
            }
            _ => {}
        }
    }
}
