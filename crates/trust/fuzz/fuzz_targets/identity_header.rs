//! The SIP Identity header through the whole certificate-free STIR stage: header parameters,
//! JWS split, base64url, strict JSON, alg/crit/ppt checks, claims, iat and orig/dest matching.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trust::e164::Region;
use trust::stir::{IdentityHeader, StirPolicy, precheck};
use trust::{InboundCall, Party, UnixTime};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = IdentityHeader::parse(text);
    let call = InboundCall {
        from: Party { user: "+13105550101".into(), ..Party::default() },
        to: Party { user: "+12155550202".into(), ..Party::default() },
        request_uri_user: "+12155550202".into(),
        identity: text.split('\n').map(str::to_owned).collect(),
        date: Some(1_700_000_000),
        ..InboundCall::default()
    };
    let policy = StirPolicy { allow_http_x5u: true, region: Region::default(), max_iat_skew_secs: 60 };
    let _ = precheck(&call, &policy, UnixTime::from_secs(1_700_000_000));
});
