//! The flat view of a received message that the user agent works on. It is filled from the
//! `sip-types` parse in one place, so the rest of the crate does not depend on that API's shape.

/// Request line or status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StartLine {
    Request { method: String, uri: String },
    Response { status: u16, reason: String },
}

/// What the user agent needs from a received request or response.
#[derive(Debug, Clone, Default)]
pub(crate) struct Inbound {
    pub start: Option<StartLine>,
    /// Every `Via` value, top first, as received.
    pub vias: Vec<String>,
    /// Top `Via` branch parameter.
    pub branch: String,
    /// Top `Via` sent-by (`host[:port]`).
    pub sent_by: String,
    /// `From` value as received, its tag and its URI.
    pub from: String,
    pub from_tag: Option<String>,
    pub from_uri: String,
    /// `To` value as received, its tag and its URI.
    pub to: String,
    pub to_tag: Option<String>,
    pub call_id: String,
    pub cseq: u32,
    pub cseq_method: String,
    /// First `Contact` URI and its `expires` parameter.
    pub contact_uri: Option<String>,
    pub contact_expires: Option<u32>,
    /// Every `Contact` URI with its `expires` parameter (a registrar lists all bindings).
    pub contacts: Vec<(String, Option<u32>)>,
    pub min_expires: Option<u32>,
    pub expires: Option<u32>,
    /// Every `Record-Route` entry, top first, each a full name-addr.
    pub record_routes: Vec<String>,
    pub require: Vec<String>,
    pub supported: Vec<String>,
    pub rseq: Option<u32>,
    /// `RAck`: response number, CSeq number, method.
    pub rack: Option<(u32, u32, String)>,
    pub refer_to: Option<String>,
    pub replaces: Option<String>,
    pub www_authenticate: Vec<String>,
    pub proxy_authenticate: Vec<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Inbound {
    pub(crate) fn method(&self) -> Option<&str> {
        match &self.start {
            Some(StartLine::Request { method, .. }) => Some(method),
            _ => None,
        }
    }

    /// The Request-URI scheme, lower-case (`sip`, `sips`, `tel`, ...).
    pub(crate) fn uri_scheme(&self) -> String {
        match &self.start {
            Some(StartLine::Request { uri, .. }) => {
                uri.split(':').next().unwrap_or_default().to_ascii_lowercase()
            }
            _ => String::new(),
        }
    }

    /// Whether the body is absent or one we can use (SDP, possibly inside multipart).
    pub(crate) fn body_acceptable(&self) -> bool {
        self.body.is_empty() || self.sdp().is_some()
    }

    pub(crate) fn status(&self) -> Option<u16> {
        match &self.start {
            Some(StartLine::Response { status, .. }) => Some(*status),
            _ => None,
        }
    }

    /// The body if it is SDP (or untyped but non-empty).
    pub(crate) fn sdp(&self) -> Option<Vec<u8>> {
        let is_sdp = self
            .content_type
            .as_deref()
            .is_none_or(|t| t.trim().to_ascii_lowercase().starts_with("application/sdp"));
        (is_sdp && !self.body.is_empty()).then(|| self.body.clone())
    }

    pub(crate) fn requires(&self, option: &str) -> bool {
        self.require.iter().any(|r| r.eq_ignore_ascii_case(option))
    }

    pub(crate) fn supports(&self, option: &str) -> bool {
        self.requires(option) || self.supported.iter().any(|r| r.eq_ignore_ascii_case(option))
    }
}

/// Parses received bytes into the user agent's view. `None` when the message is not valid
/// SIP or lacks a header every transaction needs (Via with branch, From, To, Call-ID, CSeq):
/// such messages are dropped (RFC 3261 §18.3). A CSeq method mismatch is the one parse error
/// that still yields a request, so that it can be answered.
pub(crate) fn parse(bytes: &[u8]) -> Option<Inbound> {
    let message = match sip_types::Message::parse(bytes) {
        Ok(message) => message,
        // A request whose CSeq method disagrees with its start line is otherwise complete: the
        // request path answers it 400 (RFC 4475 §3.1.2.17) instead of dropping it.
        Err(error) => sip_types::Message::Request(error.answerable_request()?.clone()),
    };
    let start = match &message {
        sip_types::Message::Request(r) => {
            StartLine::Request { method: r.method.as_str().to_owned(), uri: r.uri.to_string() }
        }
        sip_types::Message::Response(r) => {
            StartLine::Response { status: r.status.code(), reason: r.reason.clone() }
        }
    };
    let mut msg = from_headers(message.headers())?;
    msg.start = Some(start);
    msg.body = message.body().to_vec();
    extract_sdp_part(&mut msg, message.headers());
    Some(msg)
}

/// A multipart/mixed body (RFC 4475 §3.1.1.11) is replaced by its SDP part, if it has one.
fn extract_sdp_part(msg: &mut Inbound, headers: &sip_types::Headers) {
    let Ok(Some(ct)) = headers.content_type() else { return };
    if !ct.is("multipart", "mixed") {
        return;
    }
    let Some(boundary) = ct.boundary() else { return };
    let Ok(parts) = sip_types::multipart::parse_multipart(&msg.body, &boundary) else { return };
    let sdp = parts.into_iter().find(|p| {
        p.headers.content_type().ok().flatten().is_some_and(|t| t.is("application", "sdp"))
    });
    if let Some(part) = sdp {
        msg.body = part.body;
        msg.content_type = Some("application/sdp".to_owned());
    }
}

fn from_headers(h: &sip_types::Headers) -> Option<Inbound> {
    use sip_types::HeaderName as N;
    let vias = h.via().ok()?;
    let top = vias.first()?;
    let from = h.from().ok()?;
    let to = h.to().ok()?;
    let cseq = h.cseq().ok()?;
    let contacts: Vec<sip_types::NameAddr> = h
        .contact()
        .ok()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| match c {
            sip_types::Contact::Address(a) => Some(a),
            sip_types::Contact::Wildcard => None,
        })
        .take(16)
        .collect();
    let expires_of = |c: &sip_types::NameAddr| c.params().value("expires")?.parse().ok();
    let contact = contacts.first();
    let sent_by = match top.port() {
        Some(port) => format!("{}:{port}", top.host()),
        None => top.host().to_string(),
    };
    let strings = |name: N| h.get_all(&name).map(str::to_owned).collect::<Vec<_>>();
    Some(Inbound {
        start: None,
        vias: vias.iter().map(|v| v.as_str().to_owned()).collect(),
        // RFC 2543 peers send no branch: match on the ids instead (§17.2.3).
        branch: top.branch().map_or_else(
            || {
                format!(
                    "rfc2543.{}.{}",
                    from.tag().map(|t| t.as_str().to_owned()).unwrap_or_default(),
                    cseq.seq
                )
            },
            |b| b.as_str().to_owned(),
        ),
        sent_by,
        from: from.as_str().to_owned(),
        from_tag: from.tag().map(|t| t.as_str().to_owned()),
        from_uri: from.uri().to_string(),
        to: to.as_str().to_owned(),
        to_tag: to.tag().map(|t| t.as_str().to_owned()),
        call_id: h.call_id().ok()?.as_str().to_owned(),
        cseq: cseq.seq,
        cseq_method: cseq.method.as_str().to_owned(),
        contact_uri: contact.as_ref().map(|c| c.uri().to_string()),
        contact_expires: contact.and_then(expires_of),
        contacts: contacts.iter().map(|c| (c.uri().to_string(), expires_of(c))).collect(),
        min_expires: h.min_expires().ok().flatten(),
        expires: h.expires().ok().flatten(),
        record_routes: h
            .record_route()
            .unwrap_or_default()
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect(),
        require: h.require().unwrap_or_default().into_iter().map(str::to_owned).collect(),
        supported: h.supported().unwrap_or_default().into_iter().map(str::to_owned).collect(),
        rseq: h.rseq().ok().flatten(),
        rack: h.rack().ok().flatten().map(|r| (r.rseq, r.cseq, r.method.as_str().to_owned())),
        refer_to: h.get(&N::ReferTo).map(str::to_owned),
        replaces: h.get(&N::Replaces).map(str::to_owned),
        www_authenticate: strings(N::WwwAuthenticate),
        proxy_authenticate: strings(N::ProxyAuthenticate),
        content_type: h.get(&N::ContentType).map(str::to_owned),
        body: Vec::new(),
    })
}
