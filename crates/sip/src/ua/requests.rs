//! Entry point for received bytes and the dispatch of incoming requests by method.

use std::time::Instant;

use super::UserAgent;
use super::transactions::{ReplyBase, ServerMachine, ServerTx, server_key};
use crate::ids::FlowId;
use crate::inbound::{Inbound, StartLine};
use crate::transaction::{ServerInvite, ServerNonInvite};

/// Option tags we understand in `Require`.
const UNDERSTOOD: [&str; 2] = ["100rel", "replaces"];

impl UserAgent {
    pub(crate) fn on_bytes(&mut self, now: Instant, flow: FlowId, trusted: bool, bytes: &[u8]) {
        let Some(msg) = crate::inbound::parse(bytes) else { return };
        match &msg.start {
            Some(StartLine::Response { .. }) => self.on_response(now, flow, &msg),
            // Ghost-call protection: requests from flows the engine does not trust are dropped
            // without a reply, so scanners learn nothing and nothing rings.
            Some(StartLine::Request { .. }) if trusted => self.on_request(now, flow, &msg, bytes),
            _ => {}
        }
    }

    fn on_request(&mut self, now: Instant, flow: FlowId, msg: &Inbound, raw: &[u8]) {
        let method = msg.method().unwrap_or_default().to_owned();
        if method == "ACK" {
            self.on_ack(now, msg);
            return;
        }
        let key = server_key(msg, &method);
        if let Some(tx) = self.tx.servers.get(&key) {
            self.on_request_retransmission(&key, tx.flow);
            return;
        }
        if self.tx.len() >= self.cfg.limits.max_transactions {
            return;
        }
        self.open_server(now, flow, msg, &key, &method);
        if let Some(status) = malformed_status(msg, &method) {
            return self.respond_status(now, &key, status, None);
        }
        if method == "CANCEL" {
            self.on_cancel(now, msg, &key);
            return;
        }
        let unsupported: Vec<&str> = msg
            .require
            .iter()
            .map(String::as_str)
            .filter(|r| !UNDERSTOOD.iter().any(|u| u.eq_ignore_ascii_case(r)))
            .collect();
        if !unsupported.is_empty() {
            self.reject_bad_extension(now, &key, &unsupported.join(", "));
            return;
        }
        if matches!(method.as_str(), "INVITE" | "UPDATE") && !msg.body_acceptable() {
            return self.reject_media_type(now, &key);
        }
        self.dispatch_request(now, &method, msg, &key, raw);
    }

    fn dispatch_request(
        &mut self,
        now: Instant,
        method: &str,
        msg: &Inbound,
        key: &str,
        raw: &[u8],
    ) {
        let in_dialog = msg.to_tag.is_some();
        match method {
            "INVITE" if !in_dialog => self.on_new_invite(now, msg, key, raw),
            "INVITE" => self.on_reinvite(now, msg, key),
            "UPDATE" => self.on_update(now, msg, key),
            "BYE" => self.on_bye(now, msg, key),
            "PRACK" => self.on_prack(now, msg, key),
            "REFER" => self.on_refer(now, msg, key),
            "NOTIFY" => self.on_notify(now, msg, key),
            "OPTIONS" => self.on_options(now, key),
            "INFO" | "MESSAGE" | "SUBSCRIBE" | "PUBLISH" | "REGISTER" => {
                self.respond_status(now, key, 405, None)
            }
            _ => self.respond_status(now, key, 501, None),
        }
    }

    /// Answers 415 with the body types we take.
    fn reject_media_type(&mut self, now: Instant, key: &str) {
        let Some(tx) = self.tx.servers.get(key) else { return };
        let mut response = tx.base.reply(415, None);
        response.headers.push(("Accept", "application/sdp".to_owned()));
        self.respond(now, key, response);
    }

    fn open_server(&mut self, now: Instant, flow: FlowId, msg: &Inbound, key: &str, method: &str) {
        let reliable = msg.vias.first().is_some_and(|v| !v.to_ascii_uppercase().contains("/UDP"));
        let machine = if method == "INVITE" {
            ServerMachine::Invite(ServerInvite::new(now, reliable, self.cfg.timers))
        } else {
            ServerMachine::Plain(ServerNonInvite::new(reliable, self.cfg.timers))
        };
        let tx = ServerTx { machine, flow, base: ReplyBase::of(msg), last: None };
        self.tx.servers.insert(key.to_owned(), tx);
    }

    fn on_request_retransmission(&mut self, key: &str, flow: FlowId) {
        let Some(tx) = self.tx.servers.get(key) else { return };
        let resend = match &tx.machine {
            ServerMachine::Plain(m) => m.on_retransmission(),
            ServerMachine::Invite(m) => m.on_retransmission(),
        };
        if resend && let Some(bytes) = tx.last.clone() {
            self.transmit(crate::ids::Destination::Flow(flow), bytes);
        }
    }

    fn reject_bad_extension(&mut self, now: Instant, key: &str, unsupported: &str) {
        let Some(tx) = self.tx.servers.get(key) else { return };
        let mut response = tx.base.reply(420, None);
        response.headers.push(("Unsupported", unsupported.to_owned()));
        self.respond(now, key, response);
    }

    fn on_options(&mut self, now: Instant, key: &str) {
        let Some(tx) = self.tx.servers.get(key) else { return };
        let mut response = tx.base.reply(200, None);
        response.headers.extend([
            ("Allow", super::ALLOW.to_owned()),
            ("Accept", "application/sdp".to_owned()),
            ("Supported", super::SUPPORTED.to_owned()),
        ]);
        self.respond(now, key, response);
    }

    /// The call whose dialog `msg` (a request from the peer) belongs to.
    pub(crate) fn call_for_request(&self, msg: &Inbound) -> Option<crate::ids::CallHandle> {
        self.calls.iter().find(|(_, c)| c.dialog.matches_request(msg)).map(|(h, _)| *h)
    }

    /// CSeq rule for in-dialog requests (§12.2.2): lower than the last one is an error (500).
    pub(crate) fn check_remote_cseq(
        &mut self,
        now: Instant,
        call: crate::ids::CallHandle,
        msg: &Inbound,
        key: &str,
    ) -> bool {
        let Some(c) = self.calls.get_mut(&call) else { return false };
        if c.dialog.remote_cseq.is_some_and(|last| msg.cseq <= last) {
            self.respond_status(now, key, 500, None);
            return false;
        }
        c.dialog.remote_cseq = Some(msg.cseq);
        true
    }
}

impl UserAgent {
    /// Sends an out-of-dialog OPTIONS to `uri` (capabilities, reachability). The answer comes
    /// as [`super::Event::OptionsAnswered`].
    pub fn options(&mut self, now: Instant, uri: &str) -> Result<super::RequestId, super::Error> {
        if self.tx.len() >= self.cfg.limits.max_transactions {
            return Err(super::Error::Busy);
        }
        let destination = self.next_hop(uri).ok_or(super::Error::Unroutable)?;
        let id = super::RequestId(self.next_handle());
        let request = crate::outbound::OutRequest {
            method: "OPTIONS",
            uri: uri.to_owned(),
            via_transport: self.cfg.transport.via_token(),
            via_sent_by: self.cfg.local_addr.clone(),
            branch: self.branch(),
            routes: Vec::new(),
            from: format!("{};tag={}", self.local_identity(), self.token(6)),
            to: format!("<{uri}>"),
            call_id: self.token(16),
            cseq: 1,
            headers: vec![("Accept", "application/sdp".to_owned())],
            body: None,
        };
        self.send_request(now, request, destination, super::transactions::Purpose::Options(id));
        Ok(id)
    }
}

/// Statuses RFC 4475 names for requests that parse but cannot be served: a CSeq method that
/// differs from the request's (400) and a Request-URI scheme we cannot handle (416).
fn malformed_status(msg: &Inbound, method: &str) -> Option<u16> {
    if !msg.cseq_method.eq_ignore_ascii_case(method) {
        return Some(400);
    }
    let scheme = msg.uri_scheme();
    (!matches!(scheme.as_str(), "sip" | "sips" | "tel")).then_some(416)
}
