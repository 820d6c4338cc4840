//! The SIP `Identity` header value (RFC 8224 §4): `token;info=<uri>;alg=ES256;ppt=shaken`.
//!
//! Parsed here rather than with `sip_types::Identity` so that every malformation has its own
//! reason code and the verifier can be fuzzed on its own.

use super::StirError;

/// The longest Identity value accepted (a PASSporT with RCD stays well under 4 KiB).
pub const MAX_IDENTITY_LEN: usize = 8 * 1024;

/// One parsed Identity header value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityHeader {
    /// The PASSporT as compact JWS (`header.payload.signature`, payload empty in compact form).
    pub token: String,
    /// The `info` parameter without its angle brackets.
    pub info: Option<String>,
    /// The `alg` parameter.
    pub alg: Option<String>,
    /// The `ppt` parameter (unquoted).
    pub ppt: Option<String>,
}

impl IdentityHeader {
    /// Parses one Identity header value.
    pub fn parse(value: &str) -> Result<Self, StirError> {
        if value.len() > MAX_IDENTITY_LEN {
            return Err(StirError::IdentityMalformed("header longer than 8 KiB"));
        }
        let value = value.trim();
        let (token, params) = value.split_once(';').unwrap_or((value, ""));
        let token = token.trim();
        if token.is_empty() {
            return Err(StirError::IdentityMalformed("no PASSporT"));
        }
        if !token.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)) {
            return Err(StirError::IdentityMalformed("PASSporT is not base64url"));
        }
        if token.bytes().filter(|b| *b == b'.').count() != 2 {
            return Err(StirError::IdentityMalformed("PASSporT is not a three-part JWS"));
        }
        let mut header =
            IdentityHeader { token: token.to_owned(), info: None, alg: None, ppt: None };
        for param in params.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            header.absorb(param)?;
        }
        Ok(header)
    }

    fn absorb(&mut self, param: &str) -> Result<(), StirError> {
        let (name, value) =
            param.split_once('=').ok_or(StirError::IdentityMalformed("parameter without value"))?;
        let value = value.trim();
        let slot = match name.trim().to_ascii_lowercase().as_str() {
            "info" => {
                let inner = value
                    .strip_prefix('<')
                    .and_then(|v| v.strip_suffix('>'))
                    .ok_or(StirError::IdentityMalformed("info is not <uri>"))?;
                return set_once(&mut self.info, inner);
            }
            "alg" => &mut self.alg,
            "ppt" => &mut self.ppt,
            _ => return Ok(()),
        };
        set_once(slot, value.trim_matches('"'))
    }

    /// True for the compact form (RFC 8224 §7.1.1): the payload is rebuilt from the SIP request.
    pub fn is_compact(&self) -> bool {
        self.token.contains("..")
    }
}

fn set_once(slot: &mut Option<String>, value: &str) -> Result<(), StirError> {
    if slot.is_some() {
        return Err(StirError::IdentityMalformed("parameter given twice"));
    }
    *slot = Some(value.to_owned());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kamailio_form_parses() {
        let h = IdentityHeader::parse(
            "aGVhZA.cGF5.c2ln;info=<http://127.0.0.1:8088/cert.pem>;alg=ES256;ppt=shaken",
        )
        .unwrap();
        assert_eq!(h.info.as_deref(), Some("http://127.0.0.1:8088/cert.pem"));
        assert_eq!(h.alg.as_deref(), Some("ES256"));
        assert_eq!(h.ppt.as_deref(), Some("shaken"));
        assert!(!h.is_compact());
    }

    #[test]
    fn malformed_values_name_the_problem() {
        assert!(matches!(
            IdentityHeader::parse(";info=<x>"),
            Err(StirError::IdentityMalformed("no PASSporT"))
        ));
        assert!(matches!(IdentityHeader::parse("a.b"), Err(StirError::IdentityMalformed(_))));
        assert!(matches!(
            IdentityHeader::parse("a.b.c;info=x"),
            Err(StirError::IdentityMalformed(_))
        ));
        assert!(IdentityHeader::parse("a..c;ppt=\"shaken\"").unwrap().is_compact());
    }
}
