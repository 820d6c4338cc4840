//! G.711 µ-law and A-law (ITU-T G.711).
//!
//! Written here because it is a few lines of table-free bit arithmetic, and the crates that
//! offer it are unmaintained single-purpose packages; the round-trip tests below pin it to
//! the G.711 segment boundaries.

const BIAS: i32 = 0x84;
const CLIP: i32 = 32635;

/// Encodes one linear sample to µ-law.
pub fn ulaw_encode(sample: i16) -> u8 {
    let mut s = i32::from(sample);
    let sign = if s < 0 { 0x80 } else { 0 };
    if s < 0 {
        s = -s;
    }
    s = s.min(CLIP) + BIAS;
    let exponent = (7 - (s.leading_zeros() as i32 - 17)).clamp(0, 7);
    let mantissa = (s >> (exponent + 3)) & 0x0F;
    !(sign | (exponent << 4) as u8 | mantissa as u8)
}

/// Decodes one µ-law byte.
pub fn ulaw_decode(byte: u8) -> i16 {
    let b = !byte;
    let sign = b & 0x80;
    let exponent = i32::from((b >> 4) & 0x07);
    let mantissa = i32::from(b & 0x0F);
    let magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
    (if sign != 0 { -magnitude } else { magnitude }) as i16
}

/// Encodes one linear sample to A-law.
pub fn alaw_encode(sample: i16) -> u8 {
    let pcm = i32::from(sample) >> 3;
    let (mask, mag) = if pcm >= 0 { (0xD5u8, pcm) } else { (0x55u8, -pcm - 1) };
    // Segment: number of significant bits above the 5-bit first segment.
    let seg = (32 - (mag >> 5).leading_zeros()) as i32;
    if seg >= 8 {
        return 0x7F ^ mask;
    }
    let shift = if seg < 2 { 1 } else { seg };
    let aval = ((seg << 4) | ((mag >> shift) & 0x0F)) as u8;
    aval ^ mask
}

/// Decodes one A-law byte.
pub fn alaw_decode(byte: u8) -> i16 {
    let b = byte ^ 0x55;
    let exponent = i32::from((b >> 4) & 0x07);
    let mantissa = i32::from(b & 0x0F);
    let magnitude = match exponent {
        0 => (mantissa << 4) + 8,
        e => ((mantissa << 4) + 0x108) << (e - 1),
    };
    (if b & 0x80 != 0 { magnitude } else { -magnitude }) as i16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ulaw_round_trip_error_stays_within_the_segment_step() {
        for s in (-32000i32..32000).step_by(7) {
            let d = i32::from(ulaw_decode(ulaw_encode(s as i16)));
            let step = (s.abs() >> 4).max(8);
            assert!((d - s).abs() <= step, "{s} -> {d}");
        }
        assert_eq!(ulaw_encode(0), 0xFF);
    }

    #[test]
    fn alaw_round_trip_error_stays_within_the_segment_step() {
        for s in (-32000i32..32000).step_by(7) {
            let d = i32::from(alaw_decode(alaw_encode(s as i16)));
            let step = (s.abs() >> 4).max(16);
            assert!((d - s).abs() <= step, "{s} -> {d}");
        }
        assert_eq!(alaw_encode(0), 0xD5);
    }
}
