//! Dialog state (RFC 3261 §12): identifiers, route set, remote target and CSeq counters.

use crate::ids::{Destination, Transport};
use crate::inbound::Inbound;
use crate::outbound::OutRequest;
use crate::uri;

/// One dialog, early or confirmed.
#[derive(Debug, Clone)]
pub(crate) struct Dialog {
    pub call_id: String,
    pub local_tag: String,
    pub remote_tag: Option<String>,
    /// Our name-addr (From of our requests) without tag.
    pub local: String,
    /// The peer's name-addr without tag.
    pub remote: String,
    pub remote_target: String,
    /// Route set, in the order our requests carry it.
    pub route_set: Vec<String>,
    pub local_cseq: u32,
    pub remote_cseq: Option<u32>,
}

impl Dialog {
    /// Our outgoing-call dialog completed from a 1xx/2xx with a To-tag (§12.1.2).
    pub(crate) fn uac_from_response(&self, msg: &Inbound) -> Self {
        let mut d = self.clone();
        d.remote_tag = msg.to_tag.clone();
        if let Some(contact) = &msg.contact_uri {
            d.remote_target = contact.clone();
        }
        d.route_set = msg.record_routes.iter().rev().cloned().collect();
        d
    }

    /// The dialog of an incoming dialog-creating request (§12.1.1).
    pub(crate) fn uas_from_request(msg: &Inbound, local_tag: String) -> Self {
        Self {
            call_id: msg.call_id.clone(),
            local_tag,
            remote_tag: msg.from_tag.clone(),
            local: strip_tag(&msg.to),
            remote: strip_tag(&msg.from),
            remote_target: msg.contact_uri.clone().unwrap_or_else(|| msg.from_uri.clone()),
            route_set: msg.record_routes.clone(),
            local_cseq: 0,
            remote_cseq: Some(msg.cseq),
        }
    }

    /// Whether `msg` (a request from the peer) belongs to this dialog.
    pub(crate) fn matches_request(&self, msg: &Inbound) -> bool {
        self.call_id == msg.call_id
            && msg.to_tag.as_deref() == Some(self.local_tag.as_str())
            && (self.remote_tag.is_none() || msg.from_tag == self.remote_tag)
    }

    /// A request within the dialog. `cseq` is the next local CSeq unless given (ACK/CANCEL).
    pub(crate) fn request(
        &mut self,
        method: &'static str,
        cseq: Option<u32>,
        via: Via<'_>,
    ) -> OutRequest {
        let cseq = cseq.unwrap_or_else(|| {
            self.local_cseq = self.local_cseq.wrapping_add(1);
            self.local_cseq
        });
        let (uri, routes) = self.request_uri_and_routes();
        OutRequest {
            method,
            uri,
            via_transport: via.transport.via_token(),
            via_sent_by: via.sent_by.to_owned(),
            branch: via.branch,
            routes,
            from: format!("{};tag={}", self.local, self.local_tag),
            to: match &self.remote_tag {
                Some(tag) => format!("{};tag={tag}", self.remote),
                None => self.remote.clone(),
            },
            call_id: self.call_id.clone(),
            cseq,
            headers: Vec::new(),
            body: None,
        }
    }

    /// Loose routing puts the remote target in the request-URI; a strict first route takes
    /// its place and the remote target goes last (§12.2.1.1).
    fn request_uri_and_routes(&self) -> (String, Vec<String>) {
        match self.route_set.first() {
            Some(first) if !uri::is_loose(first) => {
                let mut routes: Vec<String> = self.route_set[1..].to_vec();
                routes.push(format!("<{}>", self.remote_target));
                (uri::addr_spec(first).to_owned(), routes)
            }
            _ => (self.remote_target.clone(), self.route_set.clone()),
        }
    }

    /// The next hop: the first route if any, else the remote target.
    pub(crate) fn next_hop(&self, default: Transport) -> Option<Destination> {
        let hop = self.route_set.first().map_or(self.remote_target.as_str(), |r| r.as_str());
        uri::target(hop, default).map(Destination::Target)
    }

    /// Takes a target refresh (re-INVITE/UPDATE Contact) into account.
    pub(crate) fn refresh_target(&mut self, msg: &Inbound) {
        if let Some(contact) = &msg.contact_uri {
            self.remote_target = contact.clone();
        }
    }
}

/// The `Via` pieces for a new request.
#[derive(Debug, Clone)]
pub(crate) struct Via<'a> {
    pub transport: Transport,
    pub sent_by: &'a str,
    pub branch: String,
}

/// A name-addr without its `tag` parameter.
pub(crate) fn strip_tag(value: &str) -> String {
    let lower = value.to_ascii_lowercase();
    let Some(at) = lower.find(";tag=") else { return value.trim().to_owned() };
    let rest = &value[at + 5..];
    let end = rest.find(';').map_or(value.len(), |e| at + 5 + e);
    format!("{}{}", &value[..at], &value[end..]).trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_tag_keeps_other_params() {
        assert_eq!(strip_tag("<sip:a@b>;tag=123;x=y"), "<sip:a@b>;x=y");
        assert_eq!(strip_tag("\"A\" <sip:a@b>;TAG=9"), "\"A\" <sip:a@b>");
    }
}
