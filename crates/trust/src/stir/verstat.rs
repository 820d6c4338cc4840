//! The network's verification result (`verstat`, 3GPP TS 24.229 §7.2A.20) and the variants
//! carriers send in practice (`TN-Validation-Passed-A`, lower case, ...).

use super::Attest;

/// A `verstat` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verstat {
    /// The network verified the number, with the attestation when the variant names it.
    Passed(Option<Attest>),
    /// The network's verification failed.
    Failed,
    /// The network did not verify.
    NoValidation,
    /// Something else.
    Unknown,
}

impl Verstat {
    /// Parses a `verstat` parameter value.
    pub fn parse(value: &str) -> Self {
        let v = value.trim().trim_matches('"').to_ascii_lowercase();
        if let Some(rest) = v.strip_prefix("tn-validation-passed") {
            return Verstat::Passed(match rest.trim_start_matches(['-', '_']) {
                "a" => Some(Attest::A),
                "b" => Some(Attest::B),
                "c" => Some(Attest::C),
                _ => None,
            });
        }
        if v.starts_with("tn-validation-failed") {
            return Verstat::Failed;
        }
        if v == "no-tn-validation" {
            return Verstat::NoValidation;
        }
        Verstat::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_and_carrier_variants_parse() {
        assert_eq!(Verstat::parse("TN-Validation-Passed"), Verstat::Passed(None));
        assert_eq!(Verstat::parse("TN-Validation-Passed-A"), Verstat::Passed(Some(Attest::A)));
        assert_eq!(Verstat::parse("tn-validation-passed-b"), Verstat::Passed(Some(Attest::B)));
        assert_eq!(Verstat::parse("TN-Validation-Failed-C"), Verstat::Failed);
        assert_eq!(Verstat::parse("No-TN-Validation"), Verstat::NoValidation);
        assert_eq!(Verstat::parse("maybe"), Verstat::Unknown);
    }
}
