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

/// Length of the longest known name (`P-Preferred-Identity`).
const LONGEST_KNOWN: usize = 20;

impl HeaderName {
    /// Looks a received name up (case-insensitive, compact forms accepted).
    pub fn parse(name: &str) -> HeaderName {
        if let Some(h) = canonical(name.as_bytes()) {
            return h;
        }
        let mut lower = [0u8; LONGEST_KNOWN];
        if let Some(buf) = lower.get_mut(..name.len()) {
            for (l, b) in buf.iter_mut().zip(name.bytes()) {
                *l = b.to_ascii_lowercase();
            }
            if let Some(h) = known(buf) {
                return h;
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

/// The headers of nearly every request and response, spelled as RFC 3261 writes them: found
/// without lower-casing a copy first (the lower-casing path costs about a hundred instructions
/// per header line).
fn canonical(name: &[u8]) -> Option<HeaderName> {
    Some(match name {
        b"Via" => HeaderName::Via,
        b"From" => HeaderName::From,
        b"To" => HeaderName::To,
        b"Call-ID" => HeaderName::CallId,
        b"CSeq" => HeaderName::CSeq,
        b"Contact" => HeaderName::Contact,
        b"Max-Forwards" => HeaderName::MaxForwards,
        b"Content-Type" => HeaderName::ContentType,
        b"Content-Length" => HeaderName::ContentLength,
        b"Allow" => HeaderName::Allow,
        b"Supported" => HeaderName::Supported,
        b"Require" => HeaderName::Require,
        b"User-Agent" => HeaderName::UserAgent,
        b"Server" => HeaderName::Server,
        b"Route" => HeaderName::Route,
        b"Record-Route" => HeaderName::RecordRoute,
        b"Expires" => HeaderName::Expires,
        b"Accept" => HeaderName::Accept,
        b"Authorization" => HeaderName::Authorization,
        b"WWW-Authenticate" => HeaderName::WwwAuthenticate,
        b"Proxy-Authenticate" => HeaderName::ProxyAuthenticate,
        b"Proxy-Authorization" => HeaderName::ProxyAuthorization,
        b"Session-Expires" => HeaderName::SessionExpires,
        b"P-Asserted-Identity" => HeaderName::PAssertedIdentity,
        b"RSeq" => HeaderName::RSeq,
        b"RAck" => HeaderName::RAck,
        _ => return None,
    })
}

/// A known name, compact forms included, from its lower-case spelling. The match compiles to
/// a dispatch on length and a few fixed-size compares: no table walk.
fn known(lower: &[u8]) -> Option<HeaderName> {
    Some(match lower {
        b"accept" => HeaderName::Accept,
        b"a" | b"accept-contact" => HeaderName::AcceptContact,
        b"accept-encoding" => HeaderName::AcceptEncoding,
        b"accept-language" => HeaderName::AcceptLanguage,
        b"alert-info" => HeaderName::AlertInfo,
        b"allow" => HeaderName::Allow,
        b"u" | b"allow-events" => HeaderName::AllowEvents,
        b"authentication-info" => HeaderName::AuthenticationInfo,
        b"authorization" => HeaderName::Authorization,
        b"i" | b"call-id" => HeaderName::CallId,
        b"call-info" => HeaderName::CallInfo,
        b"m" | b"contact" => HeaderName::Contact,
        b"content-disposition" => HeaderName::ContentDisposition,
        b"e" | b"content-encoding" => HeaderName::ContentEncoding,
        b"content-language" => HeaderName::ContentLanguage,
        b"l" | b"content-length" => HeaderName::ContentLength,
        b"c" | b"content-type" => HeaderName::ContentType,
        b"cseq" => HeaderName::CSeq,
        b"date" => HeaderName::Date,
        b"error-info" => HeaderName::ErrorInfo,
        b"o" | b"event" => HeaderName::Event,
        b"expires" => HeaderName::Expires,
        b"f" | b"from" => HeaderName::From,
        b"y" | b"identity" => HeaderName::Identity,
        b"n" | b"identity-info" => HeaderName::IdentityInfo,
        b"in-reply-to" => HeaderName::InReplyTo,
        b"max-forwards" => HeaderName::MaxForwards,
        b"mime-version" => HeaderName::MimeVersion,
        b"min-expires" => HeaderName::MinExpires,
        b"min-se" => HeaderName::MinSe,
        b"organization" => HeaderName::Organization,
        b"p-asserted-identity" => HeaderName::PAssertedIdentity,
        b"p-preferred-identity" => HeaderName::PPreferredIdentity,
        b"path" => HeaderName::Path,
        b"priority" => HeaderName::Priority,
        b"privacy" => HeaderName::Privacy,
        b"proxy-authenticate" => HeaderName::ProxyAuthenticate,
        b"proxy-authorization" => HeaderName::ProxyAuthorization,
        b"proxy-require" => HeaderName::ProxyRequire,
        b"rack" => HeaderName::RAck,
        b"reason" => HeaderName::Reason,
        b"record-route" => HeaderName::RecordRoute,
        b"r" | b"refer-to" => HeaderName::ReferTo,
        b"b" | b"referred-by" => HeaderName::ReferredBy,
        b"j" | b"reject-contact" => HeaderName::RejectContact,
        b"replaces" => HeaderName::Replaces,
        b"reply-to" => HeaderName::ReplyTo,
        b"d" | b"request-disposition" => HeaderName::RequestDisposition,
        b"require" => HeaderName::Require,
        b"retry-after" => HeaderName::RetryAfter,
        b"route" => HeaderName::Route,
        b"rseq" => HeaderName::RSeq,
        b"server" => HeaderName::Server,
        b"service-route" => HeaderName::ServiceRoute,
        b"x" | b"session-expires" => HeaderName::SessionExpires,
        b"s" | b"subject" => HeaderName::Subject,
        b"subscription-state" => HeaderName::SubscriptionState,
        b"k" | b"supported" => HeaderName::Supported,
        b"timestamp" => HeaderName::Timestamp,
        b"t" | b"to" => HeaderName::To,
        b"unsupported" => HeaderName::Unsupported,
        b"user-agent" => HeaderName::UserAgent,
        b"v" | b"via" => HeaderName::Via,
        b"warning" => HeaderName::Warning,
        b"www-authenticate" => HeaderName::WwwAuthenticate,
        _ => return None,
    })
}
