//! Matching an SDES answer to our offer (RFC 4568 §5.1.2, §5.1.3).
//!
//! The answerer accepts one of the offered `a=crypto` lines by echoing its tag and its crypto
//! suite with its own key; the offerer must find that (tag, suite) pair among the lines it
//! offered, and must treat any other pair as a failed negotiation for the stream. Tags are not
//! positions and suites are not interchangeable: a tag that we offered with another suite
//! names keys of another length and another cipher, so guessing would only produce noise.
//!
//! Seen in the wild: baresip 1.0.0 answering with ICE (`medianat=ice`) prints its own default
//! line (`a=crypto:1 AES_CM_128_HMAC_SHA1_80 ...`) before it has applied the offer's lines, so
//! the answer echoes our tag 1 with a suite we offered under tag 4. That answer is refused
//! here with [`SdpError::CryptoNotOffered`] (the call then ends), never half-keyed.

use super::SdpError;
use super::crypto::{CryptoAttribute, SrtpKeyMaterial, SrtpSuite};

/// The keys an SDES answer agreed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct AcceptedCrypto {
    /// The suite both sides use.
    pub suite: SrtpSuite,
    /// Our key, from the offered line the answer names.
    pub local: SrtpKeyMaterial,
    /// The answerer's key.
    pub remote: SrtpKeyMaterial,
}

/// The offered line the answer accepted, or `None` if the answer has no usable crypto line.
///
/// An answer line counts only if its tag and suite are exactly those of one offered line; the
/// first such line wins (an answer carries one per stream, but a lenient reading costs
/// nothing). If the answer has lines and none matches, the error names the first of them.
pub(super) fn accepted_crypto(
    offered: &[CryptoAttribute],
    answered: impl IntoIterator<Item = CryptoAttribute>,
) -> Result<Option<AcceptedCrypto>, SdpError> {
    let mut first_unmatched = None;
    for theirs in answered {
        let ours = offered.iter().find(|c| c.tag == theirs.tag && c.suite == theirs.suite);
        match ours {
            Some(ours) => {
                return Ok(Some(AcceptedCrypto {
                    suite: theirs.suite,
                    local: ours.keys.clone(),
                    remote: theirs.keys,
                }));
            }
            None => first_unmatched = first_unmatched.or(Some((theirs.tag, theirs.suite))),
        }
    }
    match first_unmatched {
        Some((tag, suite)) => Err(SdpError::CryptoNotOffered { tag, suite: suite.name() }),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What we offer: every suite in preference order, tags 1..=5.
    fn offer() -> Vec<CryptoAttribute> {
        SrtpSuite::PREFERENCE
            .into_iter()
            .zip(1u32..)
            .map(|(suite, tag)| CryptoAttribute {
                tag,
                suite,
                keys: SrtpKeyMaterial::random(suite).expect("the CSPRNG works in tests"),
            })
            .collect()
    }

    fn line(value: &str) -> CryptoAttribute {
        CryptoAttribute::parse(value).expect("a well-formed a=crypto value")
    }

    #[test]
    fn an_answer_echoing_an_offered_tag_and_suite_keys_both_directions() {
        let offered = offer();
        // Tag 4 is AES_CM_128_HMAC_SHA1_80 in our offer: 30 bytes of key and salt.
        let theirs =
            line("4 AES_CM_128_HMAC_SHA1_80 inline:gW8MOM9jq034oyRasGf+JrjWEXF/zo2eyOVXBaTL");
        let accepted = accepted_crypto(&offered, [theirs.clone()]).unwrap().unwrap();
        assert_eq!(accepted.suite, SrtpSuite::Aes128CmHmacSha1_80);
        assert_eq!(accepted.local, offered[3].keys);
        assert_eq!(accepted.remote, theirs.keys);
    }

    #[test]
    fn baresip_with_ice_answering_tag_1_with_another_suite_is_refused_by_name() {
        // Captured from baresip 1.0.0 (medianat=ice) answering our offer, whose tag 1 is
        // AEAD_AES_256_GCM.
        let theirs =
            line("1 AES_CM_128_HMAC_SHA1_80 inline:gW8MOM9jq034oyRasGf+JrjWEXF/zo2eyOVXBaTL");
        let refused = accepted_crypto(&offer(), [theirs]).unwrap_err();
        assert_eq!(
            refused,
            SdpError::CryptoNotOffered { tag: 1, suite: "AES_CM_128_HMAC_SHA1_80" }
        );
    }

    #[test]
    fn a_tag_we_never_offered_is_refused() {
        let theirs =
            line("9 AES_CM_128_HMAC_SHA1_80 inline:gW8MOM9jq034oyRasGf+JrjWEXF/zo2eyOVXBaTL");
        assert!(matches!(
            accepted_crypto(&offer(), [theirs]),
            Err(SdpError::CryptoNotOffered { tag: 9, .. })
        ));
    }

    #[test]
    fn a_matching_line_after_a_stray_one_is_accepted() {
        let stray =
            line("1 AES_CM_128_HMAC_SHA1_80 inline:gW8MOM9jq034oyRasGf+JrjWEXF/zo2eyOVXBaTL");
        let good =
            line("5 AES_CM_128_HMAC_SHA1_32 inline:gW8MOM9jq034oyRasGf+JrjWEXF/zo2eyOVXBaTL");
        let accepted = accepted_crypto(&offer(), [stray, good]).unwrap().unwrap();
        assert_eq!(accepted.suite, SrtpSuite::Aes128CmHmacSha1_32);
    }

    #[test]
    fn an_answer_without_crypto_lines_is_for_the_policy_to_judge() {
        assert_eq!(accepted_crypto(&offer(), []), Ok(None));
    }
}
