//! Strict JSON for PASSporT headers and payloads: duplicate keys are an error (serde_json keeps
//! the last one silently, which lets a signer and a verifier disagree), and so are numbers that do
//! not fit an `i64`/`u64`/finite `f64`. Hand-written because serde_json has no strict mode.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Nesting limit for PASSporT JSON (RCD jCards nest a few levels; nothing legitimate nests 32).
const MAX_DEPTH: usize = 32;

/// Why a JSON document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JsonError {
    /// The same key appears twice in one object.
    #[error("duplicate key in JSON object")]
    DuplicateKey,
    /// Anything else: syntax, depth, non-finite or out-of-range numbers.
    #[error("invalid JSON: {0}")]
    Invalid(String),
}

/// Parses `bytes` as one JSON value under the strict rules above.
pub fn parse(bytes: &[u8]) -> Result<Value, JsonError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let v = Strict::deserialize(&mut de).map_err(classify)?;
    de.end().map_err(classify)?;
    Ok(v.0)
}

fn classify(e: serde_json::Error) -> JsonError {
    if e.to_string().starts_with("duplicate key") {
        JsonError::DuplicateKey
    } else {
        JsonError::Invalid(e.to_string())
    }
}

struct Strict(Value);
struct StrictVisitor(usize);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor(0)).map(Strict)
    }
}

struct Seeded(usize);

impl<'de> de::DeserializeSeed<'de> for Seeded {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        if self.0 > MAX_DEPTH {
            return Err(de::Error::custom("nesting too deep"));
        }
        d.deserialize_any(StrictVisitor(self.0))
    }
}

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // serde_json turns integers beyond u64 into f64: refuse them rather than round.
        match Number::from_f64(v) {
            Some(n) if v.fract() != 0.0 && v.abs() < 1e15 => Ok(Value::Number(n)),
            _ => Err(E::custom("number out of range")),
        }
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Seeded(self.0 + 1))? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let v = map.next_value_seed(Seeded(self.0 + 1))?;
            if out.insert(key, v).is_some() {
                return Err(de::Error::custom("duplicate key"));
            }
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_refused() {
        assert_eq!(parse(br#"{"iat":1,"iat":2}"#), Err(JsonError::DuplicateKey));
        assert_eq!(parse(br#"{"a":{"b":1,"b":1}}"#), Err(JsonError::DuplicateKey));
    }

    #[test]
    fn huge_numbers_and_trailing_garbage_are_refused() {
        assert!(matches!(parse(b"{\"iat\":1e400}"), Err(JsonError::Invalid(_))));
        assert!(matches!(parse(b"{\"iat\":123456789012345678901234}"), Err(JsonError::Invalid(_))));
        assert!(matches!(parse(b"{} x"), Err(JsonError::Invalid(_))));
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        assert!(matches!(parse(deep.as_bytes()), Err(JsonError::Invalid(_))));
        assert_eq!(parse(br#"{"iat":1700000000}"#).unwrap()["iat"], 1_700_000_000);
    }
}
