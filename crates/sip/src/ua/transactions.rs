//! The transaction table: client and server transactions with the bytes they retransmit.

use std::collections::BTreeMap;
use std::time::Instant;

use super::api::RequestId;
use super::{Event, UserAgent};
use crate::ids::{CallHandle, Destination, FlowId};
use crate::inbound::Inbound;
use crate::outbound::{Body, OutRequest, OutResponse, reason_phrase};
use crate::timers::earliest;
use crate::transaction::{
    ClientInvite, ClientNonInvite, ServerInvite, ServerNonInvite, TimerAction,
};

/// Why we sent a request: where its responses go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    Register,
    Invite(CallHandle),
    Cancel(CallHandle),
    Bye(CallHandle),
    Reinvite(CallHandle),
    Update(CallHandle),
    Prack(CallHandle),
    Refer(CallHandle),
    Notify(CallHandle),
    Options(RequestId),
    /// BYE for a late-answering fork (its outcome concerns no call).
    ForkBye,
}

#[derive(Debug, Clone)]
pub(crate) enum ClientMachine {
    Plain(ClientNonInvite),
    Invite(ClientInvite),
}

#[derive(Debug, Clone)]
pub(crate) struct ClientTx {
    pub machine: ClientMachine,
    pub request: OutRequest,
    pub bytes: Vec<u8>,
    pub destination: Destination,
    pub purpose: Purpose,
    /// The ACK for a non-2xx final, resent for retransmitted finals.
    pub ack: Option<Vec<u8>>,
    /// How many times this request chain was re-sent with fresh credentials.
    pub auth_tries: u8,
}

#[derive(Debug, Clone)]
pub(crate) enum ServerMachine {
    Plain(ServerNonInvite),
    Invite(ServerInvite),
}

/// The parts of a request a response copies (RFC 3261 §8.2.6.2).
#[derive(Debug, Clone)]
pub(crate) struct ReplyBase {
    pub vias: Vec<String>,
    pub from: String,
    pub to: String,
    pub call_id: String,
    pub cseq: String,
    pub record_routes: Vec<String>,
}

impl ReplyBase {
    pub(crate) fn of(msg: &Inbound) -> Self {
        Self {
            vias: msg.vias.clone(),
            from: msg.from.clone(),
            to: msg.to.clone(),
            call_id: msg.call_id.clone(),
            cseq: format!("{} {}", msg.cseq, msg.cseq_method),
            record_routes: msg.record_routes.clone(),
        }
    }

    /// A response with `status`; `to_tag` is added when the request's `To` has none.
    pub(crate) fn reply(&self, status: u16, to_tag: Option<&str>) -> OutResponse {
        let mut headers: Vec<(&'static str, String)> =
            self.vias.iter().map(|v| ("Via", v.clone())).collect();
        let has_tag = self.to.to_ascii_lowercase().contains(";tag=");
        let to = match to_tag {
            Some(tag) if !has_tag && status > 100 => format!("{};tag={tag}", self.to),
            _ => self.to.clone(),
        };
        headers.extend([
            ("From", self.from.clone()),
            ("To", to),
            ("Call-ID", self.call_id.clone()),
            ("CSeq", self.cseq.clone()),
        ]);
        OutResponse { status, reason: reason_phrase(status).into(), headers, body: None }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct ServerTx {
    pub machine: ServerMachine,
    pub flow: FlowId,
    pub base: ReplyBase,
    pub last: Option<Vec<u8>>,
}

/// Both tables, keyed so that iteration order (and so output order) is deterministic.
#[derive(Debug, Default)]
pub(crate) struct Transactions {
    pub clients: BTreeMap<String, ClientTx>,
    pub servers: BTreeMap<String, ServerTx>,
}

impl Transactions {
    pub(crate) fn len(&self) -> usize {
        self.clients.len() + self.servers.len()
    }

    pub(crate) fn deadline(&self) -> Option<Instant> {
        let c = self.clients.values().filter_map(|t| match &t.machine {
            ClientMachine::Plain(m) => m.deadline(),
            ClientMachine::Invite(m) => m.deadline(),
        });
        let s = self.servers.values().filter_map(|t| match &t.machine {
            ServerMachine::Plain(m) => m.deadline(),
            ServerMachine::Invite(m) => m.deadline(),
        });
        earliest(c.min(), s.min())
    }
}

/// Client key: branch plus method (a CANCEL shares its INVITE's branch).
pub(crate) fn client_key(branch: &str, method: &str) -> String {
    format!("{branch}|{method}")
}

/// Server key (RFC 3261 §17.2.3): branch, sent-by, method with ACK folded into INVITE.
pub(crate) fn server_key(msg: &Inbound, method: &str) -> String {
    let method = if method == "ACK" { "INVITE" } else { method };
    format!("{}|{}|{method}", msg.branch, msg.sent_by.to_ascii_lowercase())
}

impl UserAgent {
    /// Starts a client transaction for `request` and sends it.
    pub(crate) fn send_request(
        &mut self,
        now: Instant,
        request: OutRequest,
        destination: Destination,
        purpose: Purpose,
    ) -> String {
        let reliable = match &destination {
            Destination::Target(t) => t.transport.is_reliable(),
            Destination::Flow(_) => self.cfg.transport.is_reliable(),
        };
        let machine = if request.method == "INVITE" {
            ClientMachine::Invite(ClientInvite::new(now, reliable, self.cfg.timers))
        } else {
            ClientMachine::Plain(ClientNonInvite::new(now, reliable, self.cfg.timers))
        };
        let key = client_key(&request.branch, request.method);
        let bytes = request.to_bytes();
        self.transmit(destination.clone(), bytes.clone());
        let tx =
            ClientTx { machine, request, bytes, destination, purpose, ack: None, auth_tries: 0 };
        self.tx.clients.insert(key.clone(), tx);
        key
    }

    /// Sends a response within server transaction `key` and records it for retransmission.
    pub(crate) fn respond(&mut self, now: Instant, key: &str, response: OutResponse) {
        let Some(tx) = self.tx.servers.get_mut(key) else { return };
        let bytes = response.to_bytes();
        match &mut tx.machine {
            ServerMachine::Plain(m) => m.on_send(now, response.status),
            ServerMachine::Invite(m) => m.on_send(now, response.status),
        }
        tx.last = Some(bytes.clone());
        let flow = tx.flow;
        self.transmit(Destination::Flow(flow), bytes);
    }

    /// Sends a bare response with `status` (and an optional body) in transaction `key`.
    pub(crate) fn respond_status(
        &mut self,
        now: Instant,
        key: &str,
        status: u16,
        tag: Option<&str>,
    ) {
        let Some(tx) = self.tx.servers.get(key) else { return };
        let mut response = tx.base.reply(status, tag);
        if matches!(status, 405 | 501) {
            response.headers.push(("Allow", super::ALLOW.into()));
        }
        self.respond(now, key, response);
    }

    /// A response with our Contact, Allow and Supported (dialog-creating responses).
    pub(crate) fn dialog_reply(
        &self,
        key: &str,
        status: u16,
        tag: &str,
        body: Option<Body>,
    ) -> Option<OutResponse> {
        let tx = self.tx.servers.get(key)?;
        let mut r = tx.base.reply(status, Some(tag));
        r.headers.extend(tx.base.record_routes.iter().map(|rr| ("Record-Route", rr.clone())));
        r.headers.push(("Contact", self.contact()));
        r.headers.push(("Allow", super::ALLOW.into()));
        r.headers.push(("Supported", super::SUPPORTED.into()));
        r.body = body;
        Some(r)
    }

    pub(crate) fn run_transaction_timers(&mut self, now: Instant) {
        let keys: Vec<String> = self.tx.clients.keys().cloned().collect();
        for key in keys {
            while let Some(action) = self.client_timer(now, &key) {
                self.on_client_timer(now, &key, action);
            }
        }
        let keys: Vec<String> = self.tx.servers.keys().cloned().collect();
        for key in keys {
            while let Some(action) = self.server_timer(now, &key) {
                self.on_server_timer(now, &key, action);
            }
        }
    }

    fn client_timer(&mut self, now: Instant, key: &str) -> Option<TimerAction> {
        match &mut self.tx.clients.get_mut(key)?.machine {
            ClientMachine::Plain(m) => m.on_timer(now),
            ClientMachine::Invite(m) => m.on_timer(now),
        }
    }

    fn server_timer(&mut self, now: Instant, key: &str) -> Option<TimerAction> {
        match &mut self.tx.servers.get_mut(key)?.machine {
            ServerMachine::Plain(m) => m.on_timer(now),
            ServerMachine::Invite(m) => m.on_timer(now),
        }
    }

    fn on_client_timer(&mut self, now: Instant, key: &str, action: TimerAction) {
        match action {
            TimerAction::Retransmit | TimerAction::SendTrying => {
                if let Some(tx) = self.tx.clients.get(key) {
                    let (dest, bytes) = (tx.destination.clone(), tx.bytes.clone());
                    self.transmit(dest, bytes);
                }
            }
            TimerAction::TimedOut => {
                if let Some(tx) = self.tx.clients.remove(key) {
                    self.on_client_timeout(now, tx.purpose);
                }
            }
            TimerAction::Terminated => {
                self.tx.clients.remove(key);
            }
        }
    }

    fn on_server_timer(&mut self, now: Instant, key: &str, action: TimerAction) {
        match action {
            TimerAction::Retransmit => {
                if let Some(tx) = self.tx.servers.get(key)
                    && let Some(bytes) = tx.last.clone()
                {
                    self.transmit(Destination::Flow(tx.flow), bytes);
                }
            }
            TimerAction::SendTrying => {
                if let Some(tx) = self.tx.servers.get_mut(key) {
                    let bytes = tx.base.reply(100, None).to_bytes();
                    tx.last = Some(bytes.clone());
                    let flow = tx.flow;
                    self.transmit(Destination::Flow(flow), bytes);
                }
            }
            TimerAction::TimedOut => {
                self.tx.servers.remove(key);
                self.on_server_timeout(now, key);
            }
            TimerAction::Terminated => {
                self.tx.servers.remove(key);
            }
        }
    }

    /// A client transaction got no final response (timer B or F).
    fn on_client_timeout(&mut self, now: Instant, purpose: Purpose) {
        match purpose {
            Purpose::Register => self.on_register_timeout(now),
            Purpose::Invite(call) => {
                let cancelled = self.calls.get(&call).is_some_and(|c| c.cancel_wanted);
                let reason =
                    if cancelled { super::EndReason::Cancelled } else { super::EndReason::Timeout };
                self.end_call(now, call, reason);
            }
            Purpose::Reinvite(call) | Purpose::Update(call) => {
                self.on_offer_failed(now, call, 408);
            }
            Purpose::Refer(call) => self.emit(Event::TransferProgress { call, status: 408 }),
            Purpose::Options(id) => self.emit(Event::OptionsAnswered { id, status: 0 }),
            Purpose::Bye(call) => self.forget_call(call),
            Purpose::Cancel(_) | Purpose::Prack(_) | Purpose::Notify(_) | Purpose::ForkBye => {}
        }
    }
}
