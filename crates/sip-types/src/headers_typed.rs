//! Typed accessors on [`Headers`], parsed on demand from the stored text.

use crate::error::{ParseError, ParseErrorKind, ValueError};
use crate::header_name::HeaderName;
use crate::headers::Headers;
use crate::name_addr::NameAddr;
use crate::scan::split_list;
use crate::typed::{self, AuthHeader, CSeq, CallId, ContentType, Identity, RAck, Replaces, Via};

/// A Contact value: `*` or an address (RFC 3261 20.10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contact {
    /// `Contact: *` (REGISTER removing every binding).
    Wildcard,
    /// An address with its parameters (`expires`, `q`, `+sip.instance`, ...).
    Address(NameAddr),
}

fn invalid(name: HeaderName) -> impl Fn(ValueError) -> ParseError {
    move |reason| ParseError::new(ParseErrorKind::InvalidHeader { name: name.clone(), reason })
}

impl Headers {
    fn required(&self, name: HeaderName) -> Result<&str, ParseError> {
        self.get(&name).ok_or_else(|| ParseError::new(ParseErrorKind::MissingHeader(name)))
    }

    /// Every element of every header line named `name`, comma lists split.
    fn list<T>(
        &self,
        name: HeaderName,
        parse: impl Fn(&str) -> Result<T, ValueError>,
    ) -> Result<Vec<T>, ParseError> {
        let err = invalid(name.clone());
        let mut out = Vec::new();
        for line in self.get_all(&name) {
            for elem in split_list(line) {
                let (_, text) = elem.map_err(&err)?;
                out.push(parse(text).map_err(&err)?);
            }
        }
        Ok(out)
    }

    fn optional<T>(
        &self,
        name: HeaderName,
        parse: impl Fn(&str) -> Result<T, ValueError>,
    ) -> Result<Option<T>, ParseError> {
        let err = invalid(name.clone());
        self.get(&name).map(|v| parse(v).map_err(err)).transpose()
    }

    fn number(&self, name: HeaderName, max: u64) -> Result<Option<u32>, ParseError> {
        self.optional(name, |v| typed::parse_number(v, max).map(|n| n as u32))
    }

    /// All Via values, top first.
    pub fn via(&self) -> Result<Vec<Via>, ParseError> {
        self.list(HeaderName::Via, Via::parse)
    }

    /// The top Via value.
    pub fn top_via(&self) -> Result<Via, ParseError> {
        let line = self.required(HeaderName::Via)?;
        let err = invalid(HeaderName::Via);
        let (_, first) = split_list(line).next().unwrap_or(Err(ValueError::Empty)).map_err(&err)?;
        Via::parse(first).map_err(err)
    }

    /// From.
    pub fn from(&self) -> Result<NameAddr, ParseError> {
        NameAddr::parse(self.required(HeaderName::From)?).map_err(invalid(HeaderName::From))
    }

    /// To.
    pub fn to(&self) -> Result<NameAddr, ParseError> {
        NameAddr::parse(self.required(HeaderName::To)?).map_err(invalid(HeaderName::To))
    }

    /// Call-ID.
    pub fn call_id(&self) -> Result<CallId, ParseError> {
        let v = self.required(HeaderName::CallId)?;
        typed::check_call_id(v).map_err(invalid(HeaderName::CallId))?;
        Ok(CallId::from(v))
    }

    /// CSeq.
    pub fn cseq(&self) -> Result<CSeq, ParseError> {
        CSeq::parse(self.required(HeaderName::CSeq)?).map_err(invalid(HeaderName::CSeq))
    }

    /// Contact values (all lines, lists split), including `*`.
    pub fn contact(&self) -> Result<Vec<Contact>, ParseError> {
        self.list(HeaderName::Contact, |v| {
            if v == "*" { Ok(Contact::Wildcard) } else { NameAddr::parse(v).map(Contact::Address) }
        })
    }

    /// Route values in order.
    pub fn route(&self) -> Result<Vec<NameAddr>, ParseError> {
        self.list(HeaderName::Route, NameAddr::parse)
    }

    /// Record-Route values in order.
    pub fn record_route(&self) -> Result<Vec<NameAddr>, ParseError> {
        self.list(HeaderName::RecordRoute, NameAddr::parse)
    }

    /// P-Asserted-Identity values (RFC 3325).
    pub fn p_asserted_identity(&self) -> Result<Vec<NameAddr>, ParseError> {
        self.list(HeaderName::PAssertedIdentity, NameAddr::parse)
    }

    /// Refer-To (RFC 3515).
    pub fn refer_to(&self) -> Result<Option<NameAddr>, ParseError> {
        self.optional(HeaderName::ReferTo, NameAddr::parse)
    }

    /// Replaces (RFC 3891).
    pub fn replaces(&self) -> Result<Option<Replaces>, ParseError> {
        self.optional(HeaderName::Replaces, Replaces::parse)
    }

    /// Identity values (RFC 8224; one per header line, possibly several).
    pub fn identity(&self) -> Result<Vec<Identity>, ParseError> {
        let err = invalid(HeaderName::Identity);
        self.get_all(&HeaderName::Identity).map(|v| Identity::parse(v).map_err(&err)).collect()
    }

    /// Max-Forwards (0..=255).
    pub fn max_forwards(&self) -> Result<Option<u8>, ParseError> {
        Ok(self.number(HeaderName::MaxForwards, 255)?.map(|n| n as u8))
    }

    /// Content-Length.
    pub fn content_length(&self) -> Result<Option<u32>, ParseError> {
        self.number(HeaderName::ContentLength, u64::from(u32::MAX))
    }

    /// Expires (delta-seconds).
    pub fn expires(&self) -> Result<Option<u32>, ParseError> {
        self.number(HeaderName::Expires, u64::from(u32::MAX))
    }

    /// Min-Expires.
    pub fn min_expires(&self) -> Result<Option<u32>, ParseError> {
        self.number(HeaderName::MinExpires, u64::from(u32::MAX))
    }

    /// RSeq (RFC 3262).
    pub fn rseq(&self) -> Result<Option<u32>, ParseError> {
        self.number(HeaderName::RSeq, u64::from(u32::MAX))
    }

    /// RAck (RFC 3262).
    pub fn rack(&self) -> Result<Option<RAck>, ParseError> {
        self.optional(HeaderName::RAck, RAck::parse)
    }

    /// Content-Type.
    pub fn content_type(&self) -> Result<Option<ContentType>, ParseError> {
        self.optional(HeaderName::ContentType, ContentType::parse)
    }

    /// WWW-Authenticate challenges (one per header line).
    pub fn www_authenticate(&self) -> Result<Vec<AuthHeader>, ParseError> {
        self.auth(HeaderName::WwwAuthenticate)
    }

    /// Proxy-Authenticate challenges.
    pub fn proxy_authenticate(&self) -> Result<Vec<AuthHeader>, ParseError> {
        self.auth(HeaderName::ProxyAuthenticate)
    }

    /// Authorization credentials.
    pub fn authorization(&self) -> Result<Vec<AuthHeader>, ParseError> {
        self.auth(HeaderName::Authorization)
    }

    /// Proxy-Authorization credentials.
    pub fn proxy_authorization(&self) -> Result<Vec<AuthHeader>, ParseError> {
        self.auth(HeaderName::ProxyAuthorization)
    }

    fn auth(&self, name: HeaderName) -> Result<Vec<AuthHeader>, ParseError> {
        let err = invalid(name.clone());
        self.get_all(&name).map(|v| AuthHeader::parse(v).map_err(&err)).collect()
    }

    /// Require option tags.
    pub fn require(&self) -> Result<Vec<&str>, ParseError> {
        self.tokens(HeaderName::Require)
    }

    /// Proxy-Require option tags.
    pub fn proxy_require(&self) -> Result<Vec<&str>, ParseError> {
        self.tokens(HeaderName::ProxyRequire)
    }

    /// Supported option tags.
    pub fn supported(&self) -> Result<Vec<&str>, ParseError> {
        self.tokens(HeaderName::Supported)
    }

    /// Unsupported option tags.
    pub fn unsupported(&self) -> Result<Vec<&str>, ParseError> {
        self.tokens(HeaderName::Unsupported)
    }

    /// Allow methods (as written).
    pub fn allow(&self) -> Result<Vec<&str>, ParseError> {
        self.tokens(HeaderName::Allow)
    }

    fn tokens(&self, name: HeaderName) -> Result<Vec<&str>, ParseError> {
        let mut out = Vec::new();
        for line in self.get_all(&name) {
            let tokens = typed::parse_tokens(line).map_err(invalid(name.clone()))?;
            out.extend(tokens);
        }
        Ok(out)
    }
}
