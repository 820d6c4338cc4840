//! SIP messages and URIs: parse and print (RFC 3261, RFC 5118, RFC 4475). No IO, no clock.
//!
//! # Parsing
//! * [`Message::parse`] / [`Message::parse_with`] take one complete message (a UDP datagram or
//!   a frame) and return a [`Request`] or [`Response`], or a [`ParseError`] naming what is wrong
//!   and where (`line 3: Content-Length given twice with different values`).
//! * [`framing::StreamFramer`] cuts TCP/TLS byte streams into messages by Content-Length
//!   (mandatory on streams) and reports RFC 5626 CRLF keep-alives ([`framing::Frame`]).
//! * [`Limits`] bound message size, header count and header line length.
//! * Lines end in CRLF; a bare LF is read as a line end too (robust framing, RFC 3261 7.5), a
//!   bare CR is an error.
//! * A request whose CSeq method differs from its request line is rejected with
//!   [`ParseErrorKind::CseqMethodMismatch`], and [`ParseError::answerable_request`] hands the
//!   request back so the UA can answer 400 (RFC 4475 3.1.2.17).
//!
//! While parsing, line folding is removed, header names are mapped to [`HeaderName`] (compact
//! forms included) and the headers every UA reads are validated (Via, From, To, Call-ID, CSeq,
//! Contact, Route, Record-Route, Max-Forwards, Expires, Content-Type, Content-Length, Date,
//! option-tag lists, RAck). Values are stored as text; typed views are built on demand by
//! [`Headers`] accessors: [`Headers::via`], [`Headers::from`], [`Headers::to`],
//! [`Headers::call_id`], [`Headers::cseq`], [`Headers::contact`], [`Headers::route`],
//! [`Headers::record_route`], [`Headers::www_authenticate`], [`Headers::authorization`],
//! [`Headers::require`], [`Headers::rack`], [`Headers::replaces`], [`Headers::identity`], ...
//!
//! # Printing
//! [`Message::write_to`] / [`Message::to_bytes`] / `Display` print what was parsed so that it
//! parses again to an equal message (long header names, folding removed). Build messages with
//! [`Request::new`], [`Response::new`], [`Response::to_request`], [`Headers::push`] and the typed
//! constructors ([`SipUri::build`], [`NameAddr::new`], [`Via::new`], [`AuthHeader::digest`]).
//!
//! # Semantics left to the UA
//! Messages that RFC 4475 calls syntactically valid but semantically wrong (unknown URI scheme,
//! unknown Require option, unknown Content-Type, Max-Forwards 0) parse; the UA answers 416, 420,
//! 415 or 483.

#![forbid(unsafe_code)]

mod error;
pub mod framing;
mod head;
mod header_name;
mod headers;
mod headers_typed;
mod limits;
mod message;
mod method;
pub mod multipart;
mod name_addr;
mod name_prefix;
mod params;
mod parse;
mod scan;
mod status;
mod typed;
mod uri;
mod validate;

pub use error::{ParseError, ParseErrorKind, ValueError};
pub use header_name::HeaderName;
pub use headers::Headers;
pub use headers_typed::Contact;
pub use limits::Limits;
pub use message::{Message, Request, Response};
pub use method::Method;
pub use name_addr::NameAddr;
pub use params::Params;
pub use status::StatusCode;
pub use typed::{
    AuthHeader, Branch, CSeq, CallId, ContentType, Identity, RAck, Replaces, Tag, Via,
};
pub use uri::{AbsoluteUri, Host, SipUri, TelUri, Uri, escape_user, unescape};
