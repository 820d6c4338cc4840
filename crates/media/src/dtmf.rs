//! RFC 4733 telephone-event DTMF: sending digits as event packets and receiving them.

/// A DTMF digit (event codes 0-15 of RFC 4733 §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DtmfDigit(u8);

impl DtmfDigit {
    /// The digit for a key (`0-9`, `*`, `#`, `A-D`).
    pub fn from_char(c: char) -> Option<Self> {
        let code = match c.to_ascii_uppercase() {
            d @ '0'..='9' => d as u8 - b'0',
            '*' => 10,
            '#' => 11,
            d @ 'A'..='D' => d as u8 - b'A' + 12,
            _ => return None,
        };
        Some(Self(code))
    }

    /// The key character.
    pub fn as_char(self) -> char {
        match self.0 {
            d @ 0..=9 => char::from(b'0' + d),
            10 => '*',
            11 => '#',
            d => char::from(b'A' + d.saturating_sub(12)),
        }
    }

    /// The event code.
    pub fn code(self) -> u8 {
        self.0
    }
}

/// One telephone-event payload (4 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventPayload {
    /// Event code.
    pub event: u8,
    /// End bit.
    pub end: bool,
    /// Volume in -dBm0 (0-63).
    pub volume: u8,
    /// Duration in timestamp units.
    pub duration: u16,
}

impl EventPayload {
    /// Parses a payload; `None` if shorter than 4 bytes.
    pub fn parse(p: &[u8]) -> Option<Self> {
        let [event, flags, d0, d1, ..] = *p else { return None };
        Some(Self {
            event,
            end: flags & 0x80 != 0,
            volume: flags & 0x3F,
            duration: u16::from_be_bytes([d0, d1]),
        })
    }

    /// The wire form.
    pub fn to_bytes(self) -> [u8; 4] {
        let [d0, d1] = self.duration.to_be_bytes();
        [self.event, (u8::from(self.end) << 7) | (self.volume & 0x3F), d0, d1]
    }
}

/// Packets of one digit: `(marker, payload)` in send order, all with the event's start
/// timestamp. One packet per frame while the tone lasts, then the end packet three times
/// (RFC 4733 §2.5.1.4).
pub fn digit_packets(digit: DtmfDigit, frame_units: u16, frames: u16) -> Vec<(bool, [u8; 4])> {
    let mut out = Vec::new();
    for i in 1..=frames {
        let p = EventPayload {
            event: digit.code(),
            end: false,
            volume: 10,
            duration: frame_units.saturating_mul(i),
        };
        out.push((i == 1, p.to_bytes()));
    }
    let end = EventPayload {
        event: digit.code(),
        end: true,
        volume: 10,
        duration: frame_units.saturating_mul(frames),
    };
    out.extend(std::iter::repeat_n((false, end.to_bytes()), 3));
    out
}

/// Turns received event packets into digits, one per event (keyed by RTP timestamp).
#[derive(Debug, Default)]
pub struct DtmfReceiver {
    last_event_ts: Option<u32>,
}

impl DtmfReceiver {
    /// Handles a telephone-event packet; returns the digit when an event starts.
    pub fn receive(&mut self, timestamp: u32, payload: &[u8]) -> Option<DtmfDigit> {
        let ev = EventPayload::parse(payload)?;
        if ev.event > 15 || self.last_event_ts == Some(timestamp) {
            return None;
        }
        self.last_event_ts = Some(timestamp);
        Some(DtmfDigit(ev.event))
    }
}
