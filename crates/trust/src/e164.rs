//! E.164 numbers: normalisation of SIP user parts and PASSporT `tn` values with `phonenumber`.

use std::fmt;
use std::str::FromStr;

use phonenumber::country::Id;
use phonenumber::{Mode, PhoneNumber, Type};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a string is not an E.164 number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NumberError {
    /// Nothing that looks like a telephone number (letters, empty, anonymous).
    #[error("not a telephone number")]
    NotANumber,
    /// Digits that libphonenumber cannot place in any numbering plan.
    #[error("the number cannot be placed in a numbering plan")]
    Unparseable,
}

/// The region used for numbers written without a country code (policy `default_region`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region(pub Id);

impl Region {
    /// Parses an ISO 3166 alpha-2 code such as `US` or `GB`.
    pub fn parse(code: &str) -> Option<Self> {
        Id::from_str(&code.to_ascii_uppercase()).ok().map(Region)
    }
}

impl Default for Region {
    fn default() -> Self {
        Region(Id::US)
    }
}

/// An E.164 number held as its digits (country code first, no `+`). `Debug`/`Display` redact.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct E164(u64);

impl E164 {
    /// Normalises a dialable string (`+1 215-555-0101`, `2155550101`, `tel:+1...`) in `region`.
    pub fn parse(raw: &str, region: Region) -> Result<Self, NumberError> {
        let cleaned = clean(raw)?;
        if let Some(digits) = cleaned.strip_prefix('+') {
            // Already international: the digits are the E.164 form (validity is `plan()`'s job;
            // libphonenumber would rewrite numbers it cannot place, such as +882 networks).
            return Self::from_digits(digits).map_err(|_| NumberError::Unparseable);
        }
        let number =
            phonenumber::parse(Some(region.0), &cleaned).map_err(|_| NumberError::Unparseable)?;
        Self::from_phonenumber(&number)
    }

    /// Normalises a PASSporT `tn` (RFC 8224 canonical form: digits with the country code).
    pub fn from_tn(tn: &str) -> Result<Self, NumberError> {
        let cleaned = clean(tn)?;
        Self::from_digits(cleaned.trim_start_matches('+')).map_err(|_| NumberError::Unparseable)
    }

    /// Builds a number from already-canonical digits (feeds, tests); no plan check.
    pub fn from_digits(digits: &str) -> Result<Self, NumberError> {
        let d = digits.trim_start_matches('+');
        if d.is_empty()
            || d.len() > 15
            || d.starts_with('0')
            || !d.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(NumberError::NotANumber);
        }
        d.parse().map(E164).map_err(|_| NumberError::NotANumber)
    }

    fn from_phonenumber(number: &PhoneNumber) -> Result<Self, NumberError> {
        let formatted = number.format().mode(Mode::E164).to_string();
        Self::from_digits(&formatted)
    }

    /// The digits as a number (country code first).
    pub fn value(self) -> u64 {
        self.0
    }

    /// The digits as a string, without `+` (PASSporT `tn` form).
    pub fn digits(self) -> String {
        self.0.to_string()
    }

    /// `+` and the digits, for display to the user (never for logs).
    pub fn plus(self) -> String {
        format!("+{}", self.0)
    }

    /// The NANP area code when this is a +1 number.
    pub fn nanp_area_code(self) -> Option<u16> {
        let d = self.digits();
        (d.len() == 11 && d.starts_with('1')).then(|| d[1..4].parse().ok()).flatten()
    }

    /// True when the digits start with `prefix` (a digit string, optional `+`).
    pub fn has_prefix(self, prefix: &str) -> bool {
        let p = prefix.trim_start_matches('+');
        !p.is_empty() && self.digits().starts_with(p)
    }

    /// What libphonenumber knows about this number.
    pub fn plan(self) -> PlanFacts {
        match phonenumber::parse(None, self.plus()) {
            Ok(n) => PlanFacts {
                valid: n.is_valid(),
                premium: matches!(
                    n.number_type(&phonenumber::metadata::DATABASE),
                    Type::PremiumRate
                ),
            },
            Err(_) => PlanFacts { valid: false, premium: false },
        }
    }
}

/// Numbering-plan facts used by the invalid-number and premium-rate detectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanFacts {
    /// libphonenumber considers the number valid (allocated pattern).
    pub valid: bool,
    /// libphonenumber classifies it as premium rate.
    pub premium: bool,
}

fn clean(raw: &str) -> Result<String, NumberError> {
    let raw = raw.trim();
    let raw = raw.strip_prefix("tel:").unwrap_or(raw);
    let raw = raw.split(';').next().unwrap_or_default();
    let cleaned: String =
        raw.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')')).collect();
    let (plus, digits) = match cleaned.strip_prefix('+') {
        Some(rest) => ("+", rest),
        None => ("", cleaned.as_str()),
    };
    if digits.is_empty() || digits.len() > 17 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumberError::NotANumber);
    }
    Ok(format!("{plus}{digits}"))
}

impl fmt::Debug for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("E164(<redacted>)")
    }
}

impl fmt::Display for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted number>")
    }
}

impl Serialize for E164 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.plus())
    }
}

impl<'de> Deserialize<'de> for E164 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        E164::from_tn(&s).or_else(|_| E164::from_digits(&s)).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_and_international_forms_normalise_to_the_same_number() {
        let us = Region::default();
        let a = E164::parse("+1 (215) 555-0101", us).unwrap();
        let b = E164::parse("2155550101", us).unwrap();
        let c = E164::from_tn("12155550101").unwrap();
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(a.digits(), "12155550101");
        assert_eq!(a.nanp_area_code(), Some(215));
    }

    #[test]
    fn letters_are_not_numbers() {
        assert_eq!(E164::parse("anonymous", Region::default()), Err(NumberError::NotANumber));
        assert_eq!(format!("{:?}", E164::from_digits("4930123456").unwrap()), "E164(<redacted>)");
    }
}
