//! PASSporT claims (RFC 8225 §5, SHAKEN RFC 8588, div RFC 8946), typed from the strict JSON.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::StirError;

/// SHAKEN attestation level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Attest {
    /// Full: the signer knows the customer and that they may use the number.
    A,
    /// Partial: the signer knows the customer, not their right to the number.
    B,
    /// Gateway: the signer only knows where the call entered.
    C,
}

/// The claims the verifier uses. `payload` keeps the whole object for RCD and constraints.
#[derive(Debug, Clone, PartialEq)]
pub struct Claims {
    /// Issued-at, seconds since the epoch.
    pub iat: i64,
    /// `orig.tn` as signed.
    pub orig_tn: String,
    /// `dest.tn` values as signed (empty when only `dest.uri` is given).
    pub dest_tns: Vec<String>,
    /// `attest` (SHAKEN only).
    pub attest: Option<Attest>,
    /// `origid` (SHAKEN only).
    pub origid: Option<String>,
    /// `div.tn` (div PASSporTs only).
    pub div_tn: Option<String>,
    /// The whole payload object.
    pub payload: Map<String, Value>,
}

impl Claims {
    /// Types the claims of a payload; `ppt` says which extension claims are required.
    pub fn from_payload(payload: &Value, ppt: Option<&str>) -> Result<Self, StirError> {
        let obj = payload.as_object().ok_or(StirError::ClaimInvalid("payload"))?;
        let iat = obj.get("iat").and_then(Value::as_i64).ok_or(StirError::ClaimInvalid("iat"))?;
        let orig_tn = obj
            .get("orig")
            .and_then(|o| o.get("tn"))
            .and_then(Value::as_str)
            .ok_or(StirError::ClaimInvalid("orig.tn"))?
            .to_owned();
        let dest =
            obj.get("dest").and_then(Value::as_object).ok_or(StirError::ClaimInvalid("dest"))?;
        let dest_tns = strings(dest.get("tn")).ok_or(StirError::ClaimInvalid("dest.tn"))?;
        let mut claims = Claims {
            iat,
            orig_tn,
            dest_tns,
            attest: None,
            origid: None,
            div_tn: None,
            payload: obj.clone(),
        };
        match ppt {
            Some("shaken") => claims.shaken(obj)?,
            Some("div") => claims.div(obj)?,
            None | Some("rcd") => {}
            Some(_) => return Err(StirError::PptUnsupported),
        }
        Ok(claims)
    }

    fn shaken(&mut self, obj: &Map<String, Value>) -> Result<(), StirError> {
        self.attest = Some(match obj.get("attest").and_then(Value::as_str) {
            Some("A") => Attest::A,
            Some("B") => Attest::B,
            Some("C") => Attest::C,
            _ => return Err(StirError::ClaimInvalid("attest")),
        });
        let origid = obj.get("origid").and_then(Value::as_str).filter(|s| !s.is_empty());
        self.origid = Some(origid.ok_or(StirError::ClaimInvalid("origid"))?.to_owned());
        Ok(())
    }

    fn div(&mut self, obj: &Map<String, Value>) -> Result<(), StirError> {
        let tn = obj.get("div").and_then(|d| d.get("tn")).and_then(Value::as_str);
        self.div_tn = Some(tn.ok_or(StirError::ClaimInvalid("div.tn"))?.to_owned());
        Ok(())
    }
}

/// `dest.tn` is an array of strings; absent means "no TNs" (a `dest.uri`-only PASSporT).
fn strings(v: Option<&Value>) -> Option<Vec<String>> {
    match v {
        None => Some(Vec::new()),
        Some(Value::Array(items)) => items.iter().map(|i| i.as_str().map(str::to_owned)).collect(),
        Some(_) => None,
    }
}
