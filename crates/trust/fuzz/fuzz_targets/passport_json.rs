//! PASSporT JSON: the strict parser (duplicate keys, huge numbers, depth) and claim typing for
//! every `ppt`, plus RCD claim-constraint evaluation on whatever object comes out.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trust::stir::{Claims, strict_json};

fuzz_target!(|data: &[u8]| {
    let Ok(value) = strict_json::parse(data) else { return };
    for ppt in [None, Some("shaken"), Some("div"), Some("rcd")] {
        let _ = Claims::from_payload(&value, ppt);
    }
});
