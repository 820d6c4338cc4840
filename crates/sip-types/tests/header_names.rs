//! Header name lookup: every known name in any letter case, every compact form, and
//! extension names kept as spelled.

use sip_types::HeaderName;

const KNOWN: [HeaderName; 8] = [
    HeaderName::Via,
    HeaderName::CallId,
    HeaderName::CSeq,
    HeaderName::WwwAuthenticate,
    HeaderName::PPreferredIdentity,
    HeaderName::MimeVersion,
    HeaderName::MinSe,
    HeaderName::ContentLength,
];

#[test]
fn known_names_match_in_any_case() {
    for name in KNOWN {
        let canon = name.as_str();
        assert_eq!(HeaderName::parse(canon), name, "{canon}");
        assert_eq!(HeaderName::parse(&canon.to_ascii_lowercase()), name, "{canon}");
        assert_eq!(HeaderName::parse(&canon.to_ascii_uppercase()), name, "{canon}");
        assert!(!matches!(HeaderName::parse(canon), HeaderName::Other(_)), "{canon}");
    }
}

#[test]
fn compact_forms_map_to_their_long_names() {
    let compact = [
        ("a", "Accept-Contact"),
        ("u", "Allow-Events"),
        ("i", "Call-ID"),
        ("m", "Contact"),
        ("e", "Content-Encoding"),
        ("l", "Content-Length"),
        ("c", "Content-Type"),
        ("o", "Event"),
        ("f", "From"),
        ("y", "Identity"),
        ("n", "Identity-Info"),
        ("r", "Refer-To"),
        ("b", "Referred-By"),
        ("j", "Reject-Contact"),
        ("d", "Request-Disposition"),
        ("x", "Session-Expires"),
        ("s", "Subject"),
        ("k", "Supported"),
        ("t", "To"),
        ("v", "Via"),
    ];
    for (short, long) in compact {
        assert_eq!(HeaderName::parse(short).as_str(), long, "{short}");
        assert_eq!(HeaderName::parse(&short.to_ascii_uppercase()).as_str(), long, "{short}");
    }
}

#[test]
fn unknown_and_overlong_names_stay_extensions() {
    for name in ["X-Custom", "z", "P-Preferred-Identity-X", "Via-", "Vi"] {
        let parsed = HeaderName::parse(name);
        assert!(matches!(parsed, HeaderName::Other(_)), "{name}");
        assert_eq!(parsed.as_str(), name);
        assert_eq!(parsed, HeaderName::parse(&name.to_ascii_lowercase()));
    }
}
