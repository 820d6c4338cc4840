//! The certificate path: x5u documents (PEM or DER) parsed into a chain, path building against
//! anchors taken from the same input, CRLs, and the hand-decoded TNAuthList and JWT claim
//! constraints.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trust::cert::{Anchors, Chain, ClaimConstraints, Crl, CrlSet, TnAuthList};

fuzz_target!(|data: &[u8]| {
    let _ = TnAuthList::decode(data);
    let _ = ClaimConstraints::decode(data);
    let split = data.first().map_or(0, |b| usize::from(*b)).min(data.len());
    let (anchor_bytes, chain_bytes) = data.split_at(split);
    let mut anchors = Anchors::default();
    let _ = anchors.add_pem(anchor_bytes);
    let mut crls = CrlSet::default();
    if let Ok(list) = Crl::parse(anchor_bytes) {
        crls.extend(list);
    }
    if let Ok(chain) = Chain::parse(chain_bytes) {
        if let Ok(path) = chain.build_path(&anchors) {
            let _ = path.check(&chain, &anchors, &crls, 1_700_000_000);
        }
    }
});
