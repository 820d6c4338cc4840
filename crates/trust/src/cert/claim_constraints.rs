//! JWTClaimConstraints (RFC 8226 §8, OID 1.3.6.1.5.5.7.1.27) and EnhancedJWTClaimConstraints
//! (RFC 9118, OID 1.3.6.1.5.5.7.1.33): which PASSporT claims a certificate allows. Used to decide
//! whether an RCD brand may be shown. Hand-decoded like the TNAuthList (no crate knows them).
//!
//! ```text
//! SEQUENCE { mustInclude [0] SEQUENCE OF IA5String OPTIONAL,
//!            permittedValues [1] SEQUENCE OF SEQUENCE { claim IA5String, values SEQUENCE OF UTF8String } OPTIONAL,
//!            mustExclude [2] SEQUENCE OF IA5String OPTIONAL }   -- [2] only in the enhanced form
//! ```

use serde_json::{Map, Value};

use super::der_lite::{Tlv, context_number, items, one, sequence, text};

/// The decoded constraints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaimConstraints {
    /// Claims the PASSporT must carry.
    pub must_include: Vec<String>,
    /// For each named claim, the only values allowed (compared as text; `nam` looks inside `rcd`).
    pub permitted: Vec<(String, Vec<String>)>,
    /// Claims the PASSporT must not carry.
    pub must_exclude: Vec<String>,
}

impl ClaimConstraints {
    /// Decodes the extension value; `None` if malformed (then treated as "allows nothing").
    pub fn decode(der: &[u8]) -> Option<Self> {
        let outer = one(der)?;
        let mut out = ClaimConstraints::default();
        for field in items(sequence(&outer)?)? {
            let inner = one(field.value)?;
            match context_number(field.tag)? {
                0 => out.must_include = names(&inner)?,
                1 => out.permitted = permitted(&inner)?,
                2 => out.must_exclude = names(&inner)?,
                _ => return None,
            }
        }
        Some(out)
    }

    /// True when `payload` satisfies every constraint.
    pub fn allow(&self, payload: &Map<String, Value>) -> bool {
        let has = |claim: &str| claim_value(payload, claim).is_some();
        self.must_include.iter().all(|c| has(c))
            && !self.must_exclude.iter().any(|c| has(c))
            && self.permitted.iter().all(|(claim, values)| match claim_value(payload, claim) {
                None => true,
                Some(Value::String(s)) => values.iter().any(|v| v == s),
                Some(other) => {
                    let text = other.to_string();
                    values.contains(&text)
                }
            })
    }
}

fn claim_value<'a>(payload: &'a Map<String, Value>, claim: &str) -> Option<&'a Value> {
    payload.get(claim).or_else(|| payload.get("rcd").and_then(|r| r.get(claim)))
}

fn names(tlv: &Tlv<'_>) -> Option<Vec<String>> {
    items(sequence(tlv)?)?.iter().map(|n| text(n).map(str::to_owned)).collect()
}

fn permitted(tlv: &Tlv<'_>) -> Option<Vec<(String, Vec<String>)>> {
    let mut out = Vec::new();
    for entry in items(sequence(tlv)?)? {
        let parts = items(sequence(&entry)?)?;
        let [claim, values] = parts.as_slice() else { return None };
        let values = items(sequence(values)?)?
            .iter()
            .map(|v| text(v).map(str::to_owned))
            .collect::<Option<Vec<_>>>()?;
        out.push((text(claim)?.to_owned(), values));
    }
    Some(out)
}
