//! The label-by-label host scan against the per-byte state machine it replaced, on every short
//! string over an alphabet of letters, digits, `.`, `-` and a delimiter.

use super::*;

/// The previous scan: one state update per byte, kept as the reference.
fn reference(b: &[u8]) -> HostScan {
    let (mut prev, mut labels_ok, mut top_first) = (b'.', true, 0);
    let mut end = b.len();
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'.' => labels_ok &= prev != b'.' && prev != b'-',
            b'-' => labels_ok &= prev != b'.',
            _ if c.is_ascii_alphanumeric() => {}
            _ => {
                end = i;
                break;
            }
        }
        if prev == b'.' && c != b'.' {
            top_first = c;
        }
        prev = c;
    }
    HostScan { end, labels_ok: labels_ok && end > 0 && prev != b'-', top_first }
}

/// What `parse_hostport_until` makes of a scan: the host kind and where it ends, or an error.
/// `ends` says which bytes may follow the host: `;` in a URI, anything in a Via.
fn outcome(
    s: &str,
    scan: &HostScan,
    ends: fn(u8) -> bool,
) -> Result<(HostKind, usize), ValueError> {
    let host = s.get(..scan.end).ok_or(ValueError::BadHost)?;
    let kind = scan.kind(host)?;
    match s.as_bytes().get(scan.end) {
        None => Ok((kind, scan.end)),
        Some(&c) if ends(c) => Ok((kind, scan.end)),
        Some(_) => Err(ValueError::BadHost),
    }
}

#[test]
fn label_scan_agrees_with_the_per_byte_scan() {
    let alphabet = [b'a', b'1', b'.', b'-', b';'];
    let mut strings: Vec<Vec<u8>> = vec![Vec::new()];
    let mut last = strings.clone();
    for _ in 0..7 {
        last = last
            .iter()
            .flat_map(|s| alphabet.iter().map(move |&c| [s.as_slice(), &[c]].concat()))
            .collect();
        strings.extend(last.iter().cloned());
    }
    for extra in ["1.2.3.4", "192.0.2.1.", "10.0.0.1;x", "a-b-c.example.com", "x.1y"] {
        strings.push(extra.as_bytes().to_vec());
    }
    for s in strings {
        let text = std::str::from_utf8(&s).expect("ASCII");
        for ends in [|c| c == b';', |_| true] as [fn(u8) -> bool; 2] {
            let new = outcome(text, &HostScan::run(&s), ends);
            assert_eq!(new, outcome(text, &reference(&s), ends), "{text:?}");
        }
    }
}
