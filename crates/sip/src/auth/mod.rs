//! HTTP digest authentication for SIP (RFC 2617, RFC 7616, RFC 8760).

mod challenge;
mod digest;

pub use challenge::{Algorithm, AuthError, Challenge};
pub use digest::{Credentials, DigestClient};
