//! Header names: canonical forms, compact forms, case-insensitive lookup.

use std::fmt;

/// A header field name. Known names are variants (compact forms map to them); others keep their
/// spelling in [`HeaderName::Other`]. Comparison of `Other` names is case-insensitive.
#[derive(Debug, Clone, Eq)]
#[non_exhaustive]
pub enum HeaderName {
    /// `Accept`.
    Accept,
    /// `Accept-Contact` (compact `a`).
    AcceptContact,
    /// `Accept-Encoding`.
    AcceptEncoding,
    /// `Accept-Language`.
    AcceptLanguage,
    /// `Alert-Info`.
    AlertInfo,
    /// `Allow`.
    Allow,
    /// `Allow-Events` (compact `u`).
    AllowEvents,
    /// `Authentication-Info`.
    AuthenticationInfo,
    /// `Authorization`.
    Authorization,
    /// `Call-ID` (compact `i`).
    CallId,
    /// `Call-Info`.
    CallInfo,
    /// `Contact` (compact `m`).
    Contact,
    /// `Content-Disposition`.
    ContentDisposition,
    /// `Content-Encoding` (compact `e`).
    ContentEncoding,
    /// `Content-Language`.
    ContentLanguage,
    /// `Content-Length` (compact `l`).
    ContentLength,
    /// `Content-Type` (compact `c`).
    ContentType,
    /// `CSeq`.
    CSeq,
    /// `Date`.
    Date,
    /// `Error-Info`.
    ErrorInfo,
    /// `Event` (compact `o`).
    Event,
    /// `Expires`.
    Expires,
    /// `From` (compact `f`).
    From,
    /// `Identity` (compact `y`).
    Identity,
    /// `Identity-Info` (compact `n`).
    IdentityInfo,
    /// `In-Reply-To`.
    InReplyTo,
    /// `Max-Forwards`.
    MaxForwards,
    /// `MIME-Version`.
    MimeVersion,
    /// `Min-Expires`.
    MinExpires,
    /// `Min-SE`.
    MinSe,
    /// `Organization`.
    Organization,
    /// `P-Asserted-Identity`.
    PAssertedIdentity,
    /// `P-Preferred-Identity`.
    PPreferredIdentity,
    /// `Path`.
    Path,
    /// `Priority`.
    Priority,
    /// `Privacy`.
    Privacy,
    /// `Proxy-Authenticate`.
    ProxyAuthenticate,
    /// `Proxy-Authorization`.
    ProxyAuthorization,
    /// `Proxy-Require`.
    ProxyRequire,
    /// `RAck`.
    RAck,
    /// `Reason`.
    Reason,
    /// `Record-Route`.
    RecordRoute,
    /// `Refer-To` (compact `r`).
    ReferTo,
    /// `Referred-By` (compact `b`).
    ReferredBy,
    /// `Reject-Contact` (compact `j`).
    RejectContact,
    /// `Replaces`.
    Replaces,
    /// `Reply-To`.
    ReplyTo,
    /// `Request-Disposition` (compact `d`).
    RequestDisposition,
    /// `Require`.
    Require,
    /// `Retry-After`.
    RetryAfter,
    /// `Route`.
    Route,
    /// `RSeq`.
    RSeq,
    /// `Server`.
    Server,
    /// `Service-Route`.
    ServiceRoute,
    /// `Session-Expires` (compact `x`).
    SessionExpires,
    /// `Subject` (compact `s`).
    Subject,
    /// `Subscription-State`.
    SubscriptionState,
    /// `Supported` (compact `k`).
    Supported,
    /// `Timestamp`.
    Timestamp,
    /// `To` (compact `t`).
    To,
    /// `Unsupported`.
    Unsupported,
    /// `User-Agent`.
    UserAgent,
    /// `Via` (compact `v`).
    Via,
    /// `Warning`.
    Warning,
    /// `WWW-Authenticate`.
    WwwAuthenticate,
    /// An extension header, spelled as received.
    Other(Box<str>),
}

impl HeaderName {
    /// Looks a received name up (case-insensitive, compact forms accepted).
    pub fn parse(name: &str) -> HeaderName {
        if name.len() == 1 {
            if let Some(h) = compact(name.as_bytes()[0].to_ascii_lowercase()) {
                return h;
            }
        }
        let first = name.as_bytes().first().map_or(0, u8::to_ascii_lowercase);
        for (canon, h) in candidates(first) {
            if canon.len() == name.len() && canon.eq_ignore_ascii_case(name) {
                return h.clone();
            }
        }
        HeaderName::Other(name.into())
    }

    /// The canonical spelling.
    pub fn as_str(&self) -> &str {
        match self {
            HeaderName::Accept => "Accept",
            HeaderName::AcceptContact => "Accept-Contact",
            HeaderName::AcceptEncoding => "Accept-Encoding",
            HeaderName::AcceptLanguage => "Accept-Language",
            HeaderName::AlertInfo => "Alert-Info",
            HeaderName::Allow => "Allow",
            HeaderName::AllowEvents => "Allow-Events",
            HeaderName::AuthenticationInfo => "Authentication-Info",
            HeaderName::Authorization => "Authorization",
            HeaderName::CallId => "Call-ID",
            HeaderName::CallInfo => "Call-Info",
            HeaderName::Contact => "Contact",
            HeaderName::ContentDisposition => "Content-Disposition",
            HeaderName::ContentEncoding => "Content-Encoding",
            HeaderName::ContentLanguage => "Content-Language",
            HeaderName::ContentLength => "Content-Length",
            HeaderName::ContentType => "Content-Type",
            HeaderName::CSeq => "CSeq",
            HeaderName::Date => "Date",
            HeaderName::ErrorInfo => "Error-Info",
            HeaderName::Event => "Event",
            HeaderName::Expires => "Expires",
            HeaderName::From => "From",
            HeaderName::Identity => "Identity",
            HeaderName::IdentityInfo => "Identity-Info",
            HeaderName::InReplyTo => "In-Reply-To",
            HeaderName::MaxForwards => "Max-Forwards",
            HeaderName::MimeVersion => "MIME-Version",
            HeaderName::MinExpires => "Min-Expires",
            HeaderName::MinSe => "Min-SE",
            HeaderName::Organization => "Organization",
            HeaderName::PAssertedIdentity => "P-Asserted-Identity",
            HeaderName::PPreferredIdentity => "P-Preferred-Identity",
            HeaderName::Path => "Path",
            HeaderName::Priority => "Priority",
            HeaderName::Privacy => "Privacy",
            HeaderName::ProxyAuthenticate => "Proxy-Authenticate",
            HeaderName::ProxyAuthorization => "Proxy-Authorization",
            HeaderName::ProxyRequire => "Proxy-Require",
            HeaderName::RAck => "RAck",
            HeaderName::Reason => "Reason",
            HeaderName::RecordRoute => "Record-Route",
            HeaderName::ReferTo => "Refer-To",
            HeaderName::ReferredBy => "Referred-By",
            HeaderName::RejectContact => "Reject-Contact",
            HeaderName::Replaces => "Replaces",
            HeaderName::ReplyTo => "Reply-To",
            HeaderName::RequestDisposition => "Request-Disposition",
            HeaderName::Require => "Require",
            HeaderName::RetryAfter => "Retry-After",
            HeaderName::Route => "Route",
            HeaderName::RSeq => "RSeq",
            HeaderName::Server => "Server",
            HeaderName::ServiceRoute => "Service-Route",
            HeaderName::SessionExpires => "Session-Expires",
            HeaderName::Subject => "Subject",
            HeaderName::SubscriptionState => "Subscription-State",
            HeaderName::Supported => "Supported",
            HeaderName::Timestamp => "Timestamp",
            HeaderName::To => "To",
            HeaderName::Unsupported => "Unsupported",
            HeaderName::UserAgent => "User-Agent",
            HeaderName::Via => "Via",
            HeaderName::Warning => "Warning",
            HeaderName::WwwAuthenticate => "WWW-Authenticate",
            HeaderName::Other(s) => s,
        }
    }
}

impl PartialEq for HeaderName {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (HeaderName::Other(a), HeaderName::Other(b)) => a.eq_ignore_ascii_case(b),
            (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
        }
    }
}

impl std::hash::Hash for HeaderName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        if let HeaderName::Other(s) = self {
            for b in s.bytes() {
                state.write_u8(b.to_ascii_lowercase());
            }
        }
    }
}

impl fmt::Display for HeaderName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn compact(c: u8) -> Option<HeaderName> {
    Some(match c {
        b'a' => HeaderName::AcceptContact,
        b'u' => HeaderName::AllowEvents,
        b'i' => HeaderName::CallId,
        b'm' => HeaderName::Contact,
        b'e' => HeaderName::ContentEncoding,
        b'l' => HeaderName::ContentLength,
        b'c' => HeaderName::ContentType,
        b'o' => HeaderName::Event,
        b'f' => HeaderName::From,
        b'y' => HeaderName::Identity,
        b'n' => HeaderName::IdentityInfo,
        b'r' => HeaderName::ReferTo,
        b'b' => HeaderName::ReferredBy,
        b'j' => HeaderName::RejectContact,
        b'd' => HeaderName::RequestDisposition,
        b'x' => HeaderName::SessionExpires,
        b's' => HeaderName::Subject,
        b'k' => HeaderName::Supported,
        b't' => HeaderName::To,
        b'v' => HeaderName::Via,
        _ => return None,
    })
}

/// Known names grouped by lower-case first letter, so lookup compares few strings.
fn candidates(first: u8) -> &'static [(&'static str, HeaderName)] {
    match first {
        b'a' => &[
            ("Accept", HeaderName::Accept),
            ("Accept-Contact", HeaderName::AcceptContact),
            ("Accept-Encoding", HeaderName::AcceptEncoding),
            ("Accept-Language", HeaderName::AcceptLanguage),
            ("Alert-Info", HeaderName::AlertInfo),
            ("Allow", HeaderName::Allow),
            ("Allow-Events", HeaderName::AllowEvents),
            ("Authentication-Info", HeaderName::AuthenticationInfo),
            ("Authorization", HeaderName::Authorization),
        ],
        b'c' => &[
            ("Call-ID", HeaderName::CallId),
            ("Call-Info", HeaderName::CallInfo),
            ("Contact", HeaderName::Contact),
            ("Content-Disposition", HeaderName::ContentDisposition),
            ("Content-Encoding", HeaderName::ContentEncoding),
            ("Content-Language", HeaderName::ContentLanguage),
            ("Content-Length", HeaderName::ContentLength),
            ("Content-Type", HeaderName::ContentType),
            ("CSeq", HeaderName::CSeq),
        ],
        b'd' => &[("Date", HeaderName::Date)],
        b'e' => &[
            ("Error-Info", HeaderName::ErrorInfo),
            ("Event", HeaderName::Event),
            ("Expires", HeaderName::Expires),
        ],
        b'f' => &[("From", HeaderName::From)],
        b'i' => &[
            ("Identity", HeaderName::Identity),
            ("Identity-Info", HeaderName::IdentityInfo),
            ("In-Reply-To", HeaderName::InReplyTo),
        ],
        b'm' => &[
            ("Max-Forwards", HeaderName::MaxForwards),
            ("MIME-Version", HeaderName::MimeVersion),
            ("Min-Expires", HeaderName::MinExpires),
            ("Min-SE", HeaderName::MinSe),
        ],
        b'o' => &[("Organization", HeaderName::Organization)],
        b'p' => &[
            ("P-Asserted-Identity", HeaderName::PAssertedIdentity),
            ("P-Preferred-Identity", HeaderName::PPreferredIdentity),
            ("Path", HeaderName::Path),
            ("Priority", HeaderName::Priority),
            ("Privacy", HeaderName::Privacy),
            ("Proxy-Authenticate", HeaderName::ProxyAuthenticate),
            ("Proxy-Authorization", HeaderName::ProxyAuthorization),
            ("Proxy-Require", HeaderName::ProxyRequire),
        ],
        b'r' => &[
            ("RAck", HeaderName::RAck),
            ("Reason", HeaderName::Reason),
            ("Record-Route", HeaderName::RecordRoute),
            ("Refer-To", HeaderName::ReferTo),
            ("Referred-By", HeaderName::ReferredBy),
            ("Reject-Contact", HeaderName::RejectContact),
            ("Replaces", HeaderName::Replaces),
            ("Reply-To", HeaderName::ReplyTo),
            ("Request-Disposition", HeaderName::RequestDisposition),
            ("Require", HeaderName::Require),
            ("Retry-After", HeaderName::RetryAfter),
            ("Route", HeaderName::Route),
            ("RSeq", HeaderName::RSeq),
        ],
        b's' => &[
            ("Server", HeaderName::Server),
            ("Service-Route", HeaderName::ServiceRoute),
            ("Session-Expires", HeaderName::SessionExpires),
            ("Subject", HeaderName::Subject),
            ("Subscription-State", HeaderName::SubscriptionState),
            ("Supported", HeaderName::Supported),
        ],
        b't' => &[("Timestamp", HeaderName::Timestamp), ("To", HeaderName::To)],
        b'u' => &[("Unsupported", HeaderName::Unsupported), ("User-Agent", HeaderName::UserAgent)],
        b'v' => &[("Via", HeaderName::Via)],
        b'w' => {
            &[("Warning", HeaderName::Warning), ("WWW-Authenticate", HeaderName::WwwAuthenticate)]
        }
        _ => &[],
    }
}
