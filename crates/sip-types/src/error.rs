//! Parse errors: what is wrong and where.

use std::fmt;

use crate::header_name::HeaderName;
use crate::message::Request;

/// A message, URI or header value could not be parsed.
///
/// `Display` names the place first (`line 3: ...`) and then the diagnosis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong.
    pub kind: ParseErrorKind,
    /// 1-based line of the message where the problem sits, when known.
    pub line: Option<u32>,
    /// Byte offset into the input where the offending line or element starts, when known.
    pub offset: Option<usize>,
    /// The request, when it is well-formed and only inconsistent (see
    /// [`ParseError::answerable_request`]).
    answerable: Option<Box<Request>>,
}

impl ParseError {
    /// An error without a position (for stand-alone values).
    pub fn new(kind: ParseErrorKind) -> Self {
        Self { kind, line: None, offset: None, answerable: None }
    }

    pub(crate) fn at(kind: ParseErrorKind, line: u32, offset: usize) -> Self {
        Self { kind, line: Some(line), offset: Some(offset), answerable: None }
    }

    pub(crate) fn answerable(kind: ParseErrorKind, request: Request) -> Self {
        Self { answerable: Some(Box::new(request)), ..Self::new(kind) }
    }

    /// The rejected request, when it parsed completely and only its parts disagree
    /// ([`ParseErrorKind::CseqMethodMismatch`]): the UA answers it `400 Bad Request`, e.g. with
    /// [`Response::to_request`](crate::Response::to_request), instead of dropping it.
    pub fn answerable_request(&self) -> Option<&Request> {
        self.answerable.as_deref()
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        write!(f, "{}", self.kind)
    }
}

impl std::error::Error for ParseError {}

impl From<ParseErrorKind> for ParseError {
    fn from(kind: ParseErrorKind) -> Self {
        Self::new(kind)
    }
}

/// The diagnosis of a [`ParseError`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseErrorKind {
    /// The input is empty (or only keep-alive CRLFs).
    #[error("empty message")]
    Empty,
    /// The start line is neither a request line nor a status line.
    #[error("malformed start line: {0}")]
    BadStartLine(&'static str),
    /// The SIP version is not `SIP/2.0`.
    #[error("unsupported SIP version {0:?}")]
    UnsupportedVersion(String),
    /// The request method is not a token.
    #[error("invalid method")]
    InvalidMethod,
    /// The status code is not three digits in 100..=699.
    #[error("invalid status code")]
    InvalidStatusCode,
    /// The reason phrase holds characters that are not allowed.
    #[error("invalid reason phrase")]
    InvalidReasonPhrase,
    /// A URI (the Request-URI or one inside a header) is malformed.
    #[error("invalid URI: {0}")]
    InvalidUri(ValueError),
    /// The Request-URI carries a `?headers` component, which RFC 3261 19.1.1 forbids there.
    #[error("Request-URI must not contain URI headers")]
    RequestUriWithHeaders,
    /// A header line has no colon or a malformed name.
    #[error("malformed header line")]
    BadHeaderLine,
    /// A header value does not follow its grammar.
    #[error("invalid {name} header: {reason}")]
    InvalidHeader {
        /// The header concerned.
        name: HeaderName,
        /// What is wrong with its value.
        reason: ValueError,
    },
    /// A header the message must carry is absent.
    #[error("missing {0} header")]
    MissingHeader(HeaderName),
    /// A header that may appear once appears several times.
    #[error("{0} header given more than once")]
    DuplicateHeader(HeaderName),
    /// Content-Length appears twice with the same value.
    #[error("Content-Length given twice")]
    DuplicateContentLength,
    /// Content-Length appears twice with different values.
    #[error("Content-Length given twice with different values")]
    ConflictingContentLength,
    /// Content-Length announces more bytes than the datagram holds.
    #[error("Content-Length {declared} exceeds the {available} body bytes present")]
    BodyTooShort {
        /// Announced length.
        declared: usize,
        /// Bytes actually present after the header section.
        available: usize,
    },
    /// The CSeq method differs from the request method. The request is otherwise complete:
    /// [`ParseError::answerable_request`] returns it so the UA can answer 400.
    #[error("CSeq method {cseq} does not match request method {request}")]
    CseqMethodMismatch {
        /// Method of the request line.
        request: String,
        /// Method in CSeq.
        cseq: String,
    },
    /// The message exceeds [`Limits::max_message_bytes`](crate::Limits).
    #[error("message larger than {limit} bytes")]
    MessageTooLarge {
        /// The limit that was exceeded.
        limit: usize,
    },
    /// The header section has more header lines than [`Limits::max_headers`](crate::Limits).
    #[error("more than {limit} headers")]
    TooManyHeaders {
        /// The limit that was exceeded.
        limit: usize,
    },
    /// One header line (after folding) is longer than [`Limits::max_header_line`](crate::Limits).
    #[error("header line longer than {limit} bytes")]
    HeaderLineTooLong {
        /// The limit that was exceeded.
        limit: usize,
    },
    /// The header section does not end with an empty line.
    #[error("header section not terminated by an empty line")]
    UnterminatedHeaders,
    /// A line ends in a bare LF or CR instead of CRLF.
    #[error("line not terminated by CRLF")]
    BareLineEnding,
    /// A byte that may not appear in the start line or header section (NUL, other controls).
    #[error("control character 0x{0:02x} in header section")]
    ControlCharacter(u8),
    /// The header section is not valid UTF-8.
    #[error("header section is not valid UTF-8")]
    NonUtf8,
    /// A stream message lacks Content-Length (mandatory on TCP/TLS, RFC 3261 18.3).
    #[error("Content-Length is mandatory on stream transports")]
    MissingContentLength,
    /// A multipart body is malformed.
    #[error("invalid multipart body: {0}")]
    InvalidMultipart(&'static str),
}

/// What is wrong inside one header value or URI.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// The value is empty where content is required.
    #[error("empty value")]
    Empty,
    /// A quoted string has no closing quote.
    #[error("unterminated quoted string")]
    UnterminatedQuote,
    /// A `<` has no matching `>`.
    #[error("unterminated angle bracket")]
    UnterminatedAngle,
    /// A token was expected.
    #[error("expected a token")]
    ExpectedToken,
    /// A specific character was expected.
    #[error("expected '{0}'")]
    Expected(char),
    /// Characters follow where the value should end.
    #[error("unexpected character '{0}'")]
    Unexpected(char),
    /// A number is malformed.
    #[error("malformed number")]
    BadNumber,
    /// A number is larger than its field allows.
    #[error("number out of range")]
    NumberOutOfRange,
    /// A parameter (`;name=value`) is malformed.
    #[error("malformed parameter")]
    BadParam,
    /// The URI scheme is missing or malformed.
    #[error("malformed scheme")]
    BadScheme,
    /// The host part is malformed.
    #[error("malformed host")]
    BadHost,
    /// The port is malformed or out of range.
    #[error("malformed port")]
    BadPort,
    /// A `%` escape is not followed by two hex digits.
    #[error("malformed %-escape")]
    BadEscape,
    /// A character not allowed at this place of a URI.
    #[error("character '{0}' not allowed in URI")]
    BadUriChar(char),
    /// The Via sent-protocol is not `SIP/2.0/transport`.
    #[error("malformed sent-protocol")]
    BadProtocol,
    /// A date is not an RFC 1123 date in GMT.
    #[error("malformed date")]
    BadDate,
    /// A name-addr without `<>` has a URI with `;`, `,` or `?` (RFC 3261 20.10).
    #[error("URI with ';', ',' or '?' must be enclosed in <>")]
    UnbracketedUri,
    /// A display name made of tokens holds a non-token character.
    #[error("display name must be a quoted string or tokens")]
    BadDisplayName,
    /// A comma-separated list has an empty element.
    #[error("empty list element")]
    EmptyElement,
    /// The value uses a method name that is not a token.
    #[error("invalid method")]
    BadMethod,
}
