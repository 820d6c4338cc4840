//! Parse arbitrary bytes; whatever parses must print, re-parse to an equal message, print the
//! same bytes again, and answer every typed accessor without panicking.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sip_types::Message;

fuzz_target!(|data: &[u8]| {
    let Ok(msg) = Message::parse(data) else {
        return;
    };
    let printed = msg.to_bytes();
    let again = match Message::parse(&printed) {
        Ok(m) => m,
        Err(e) => panic!("printed message does not parse: {e}\n{}", String::from_utf8_lossy(&printed)),
    };
    assert_eq!(again, msg, "re-parse differs");
    assert_eq!(again.to_bytes(), printed, "printing not stable");
    let h = msg.headers();
    let _ = (h.via(), h.from(), h.to(), h.call_id(), h.cseq(), h.contact());
    let _ = (h.route(), h.record_route(), h.max_forwards(), h.content_length());
    let _ = (h.content_type(), h.expires(), h.www_authenticate(), h.authorization());
    let _ = (h.require(), h.supported(), h.allow(), h.rseq(), h.rack());
    let _ = (h.refer_to(), h.replaces(), h.identity(), h.p_asserted_identity());
    if let Ok(Some(ct)) = h.content_type() {
        if let Some(b) = ct.boundary() {
            let _ = sip_types::multipart::parse_multipart(msg.body(), &b);
        }
    }
    if let Ok(vias) = h.via() {
        for v in vias {
            let _ = (v.branch(), v.received(), v.rport(), v.host().to_string());
        }
    }
});
