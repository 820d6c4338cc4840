//! Builds [`InboundCall`] from a parsed `sip_types::Request` (an INVITE).

use sip_types::{HeaderName, NameAddr, Request, Uri};

use super::{CallOrigin, InboundCall, Party};

/// Why an INVITE cannot be turned into call facts.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallFactsError {
    /// The From header is missing or malformed.
    #[error("From header: {0}")]
    From(sip_types::ParseError),
    /// The To header is missing or malformed.
    #[error("To header: {0}")]
    To(sip_types::ParseError),
}

impl InboundCall {
    /// Extracts the call facts from an INVITE. Identity values are kept raw so that the STIR
    /// verifier can name precisely what is wrong with a malformed one.
    ///
    /// `via_registrar_tls` says whether the request arrived over the registrar's TLS flow: only
    /// then is a network `verstat` believed.
    pub fn from_request(req: &Request, via_registrar_tls: bool) -> Result<Self, CallFactsError> {
        let h = &req.headers;
        let from = party(&h.from().map_err(CallFactsError::From)?);
        let to = party(&h.to().map_err(CallFactsError::To)?);
        // A malformed P-Asserted-Identity is ignored rather than trusted.
        let pai = h.p_asserted_identity().ok().and_then(|v| v.first().map(party));
        let raw = |name: HeaderName| h.get_all(&name).map(str::to_owned).collect::<Vec<_>>();
        Ok(InboundCall {
            from,
            pai,
            to,
            request_uri_user: uri_user(&req.uri),
            identity: raw(HeaderName::Identity),
            call_info: raw(HeaderName::CallInfo),
            date: h.get(&HeaderName::Date).and_then(parse_date),
            via_registrar_tls,
            origin: CallOrigin::Unknown,
        })
    }
}

fn party(na: &NameAddr) -> Party {
    let uri = na.uri();
    Party {
        user: uri_user(uri),
        host: uri_host(uri),
        display_name: na.display_name().map(|d| d.into_owned()),
        verstat: uri_param(uri, "verstat")
            .or_else(|| na.params().value("verstat").map(str::to_owned)),
    }
}

fn uri_user(uri: &Uri) -> String {
    match uri {
        Uri::Sip(s) => s.user().map(|u| u.into_owned()).unwrap_or_default(),
        Uri::Tel(t) => t.number().to_owned(),
        Uri::Other(_) => String::new(),
    }
}

fn uri_host(uri: &Uri) -> String {
    match uri {
        Uri::Sip(s) => s.host().to_string(),
        _ => String::new(),
    }
}

fn uri_param(uri: &Uri, name: &str) -> Option<String> {
    match uri {
        Uri::Sip(s) => s.params().value(name).map(str::to_owned),
        Uri::Tel(t) => t.params().value(name).map(str::to_owned),
        Uri::Other(_) => None,
    }
}

fn parse_date(v: &str) -> Option<i64> {
    let t = httpdate::parse_http_date(v.trim()).ok()?;
    let secs = t.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    i64::try_from(secs).ok()
}
