//! Hosts in SIP URIs: domain names by RFC 3261 `hostname`, IPv4, bracketed IPv6.

use sip_types::{Host, SipUri, ValueError};

#[test]
fn hostnames_follow_the_label_grammar() {
    for ok in ["a", "example.com", "example.com.", "a-b.c", "1a.example", "x--y.z9"] {
        let uri = SipUri::parse(&format!("sip:{ok}")).unwrap_or_else(|e| panic!("{ok}: {e}"));
        assert_eq!(uri.host(), Host::Domain(ok));
    }
    for bad in ["-a.com", "a-.com", "a..com", ".com", "a.com..", "a_b.com", ".", "a.-b"] {
        let err = SipUri::parse(&format!("sip:{bad}")).expect_err(bad);
        assert_eq!(err, ValueError::BadHost, "{bad}");
    }
}

#[test]
fn numeric_top_labels_are_ipv4_addresses() {
    let uri = SipUri::parse("sip:alice@192.0.2.1:5060").expect("ipv4");
    assert_eq!(uri.host(), Host::Ipv4("192.0.2.1".parse().expect("addr")));
    assert_eq!(uri.port(), Some(5060));
    assert_eq!(SipUri::parse("sip:192.0.2.300"), Err(ValueError::BadHost));
    let v6 = SipUri::parse("sip:[2001:db8::1]:5070;transport=tcp").expect("ipv6");
    assert_eq!(v6.host(), Host::Ipv6("2001:db8::1".parse().expect("addr")));
    assert_eq!(v6.transport(), Some("tcp"));
}

#[test]
fn ports_and_what_follows_the_host_are_checked() {
    for (uri, err) in [
        ("sip:a.com:50x", ValueError::BadPort),
        ("sip:a.com:", ValueError::BadPort),
        ("sip:a.com:99999;lr", ValueError::BadPort),
        ("sip:a.com:5060 ;lr", ValueError::BadPort),
        ("sip:a_b.com;lr", ValueError::BadHost),
        ("sip:[::1]x;lr", ValueError::BadHost),
        ("sip:[::1;lr]", ValueError::BadHost),
        ("sip::5060", ValueError::BadHost),
        ("sip:;lr", ValueError::BadHost),
    ] {
        assert_eq!(SipUri::parse(uri), Err(err), "{uri}");
    }
    let uri = SipUri::parse("sip:[::1]:5061?h=v").expect("port then headers");
    assert_eq!(uri.port(), Some(5061));
    assert_eq!(SipUri::parse("sip:a.com:5060;lr").expect("port then params").port(), Some(5060));
}

#[test]
fn uri_parameters_and_headers_are_checked() {
    assert_eq!(SipUri::parse("sip:a.com;=x"), Err(ValueError::BadParam));
    assert_eq!(SipUri::parse("sip:a.com;x="), Err(ValueError::BadParam));
    assert_eq!(SipUri::parse("sip:a.com;lr;;"), Err(ValueError::BadParam));
    assert_eq!(SipUri::parse("sip:a.com;a=b=c"), Err(ValueError::BadUriChar('=')));
    assert_eq!(SipUri::parse("sip:a.com;a%2=x"), Err(ValueError::BadEscape));
    assert_eq!(SipUri::parse("sip:a.com;a b="), Err(ValueError::BadParam));
    assert_eq!(SipUri::parse("sip:a.com;a b=c"), Err(ValueError::BadUriChar(' ')));
    let escaped = SipUri::parse("sip:a.com;x%41y=%7e;lr").expect("escapes");
    assert_eq!(escaped.params().value("x%41y"), Some("%7e"));
    assert_eq!(SipUri::parse("sip:a.com?subject"), Err(ValueError::Expected('=')));
    assert_eq!(SipUri::parse("sip:a.com?=x"), Err(ValueError::BadParam));
    let uri = SipUri::parse("sip:a.com;lr;maddr=%41?h=v&i=").expect("valid");
    assert!(uri.lr());
    assert_eq!(uri.headers().collect::<Vec<_>>(), [("h", "v"), ("i", "")]);
}

/// A Via accepts anything after its host (the port may follow white space), so a malformed
/// host must be rejected as a host there too, not read as a shorter host.
#[test]
fn a_via_host_with_empty_or_dashed_labels_is_a_bad_host() {
    for bad in ["a..b", "a.-b", "a.b..", "a-.b"] {
        let err =
            sip_types::Via::parse(&format!("SIP/2.0/UDP {bad};branch=z9hG4bK1")).expect_err(bad);
        assert_eq!(err, ValueError::BadHost, "{bad}");
    }
}
