//! Cutting the byte stream of a TCP or TLS connection to a TURN server into messages.
//!
//! Over a stream, STUN messages and ChannelData follow each other with no length prefix of
//! their own (RFC 8656 §12.5, the RFC 4571 idea without its header): each says its length in
//! its own header. The first two bits tell them apart (RFC 8656 §12: `0b00` STUN, `0b01`
//! ChannelData); a STUN message is its 20-byte header plus the length field, always a
//! multiple of 4, and ChannelData is its 4-byte header plus the length field, padded to a
//! multiple of 4 over a stream. Anything else means the stream lost its framing for good, so
//! the connection has to go. `rtc-turn` parses messages but has no stream framing, hence
//! this small decoder.

/// STUN header: type, length, magic cookie, transaction id (RFC 8489 §5).
const STUN_HEADER: usize = 20;
/// ChannelData header: channel number, length (RFC 8656 §12.4).
const CHANNEL_DATA_HEADER: usize = 4;

/// The stream cannot be cut into messages any more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FramingError {
    /// A message starts with bits that are neither STUN (`0b00`) nor ChannelData (`0b01`).
    #[error("the TURN stream carries a message that is neither STUN nor ChannelData")]
    UnknownMessage,
}

/// Collects stream bytes and yields whole messages (ChannelData with its padding).
///
/// Messages are taken from a read offset and the buffer is compacted once per `push`, so a
/// backlog of many small messages costs linear work, not a copy of the rest per message.
#[derive(Debug, Default)]
pub struct StreamDecoder {
    buf: Vec<u8>,
    /// Where the next message starts in `buf`.
    start: usize,
}

impl StreamDecoder {
    /// Appends bytes read from the stream.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.drain(..self.start);
        self.start = 0;
        self.buf.extend_from_slice(bytes);
    }

    /// The next whole message, `Ok(None)` until enough bytes arrived.
    pub fn next_message(&mut self) -> Result<Option<Vec<u8>>, FramingError> {
        let held = self.buf.get(self.start..).unwrap_or_default();
        let Some(len) = message_len(held)? else { return Ok(None) };
        let Some(message) = held.get(..len) else { return Ok(None) };
        let message = message.to_vec();
        self.start += len;
        Ok(Some(message))
    }

    /// Bytes held that do not yet make a whole message.
    pub fn pending(&self) -> usize {
        self.buf.len() - self.start
    }
}

/// The length on the wire of the message that `buf` starts with, once its header is there.
fn message_len(buf: &[u8]) -> Result<Option<usize>, FramingError> {
    let [first, _, hi, lo, ..] = *buf else { return Ok(None) };
    let declared = usize::from(u16::from_be_bytes([hi, lo]));
    match first >> 6 {
        0b00 if buf.len() < STUN_HEADER => Ok(None),
        0b00 => Ok(Some(STUN_HEADER + declared)),
        0b01 => Ok(Some(CHANNEL_DATA_HEADER + declared.next_multiple_of(4))),
        _ => Err(FramingError::UnknownMessage),
    }
}

/// What to write on the stream for `message`: ChannelData padded to a multiple of 4 (RFC 8656
/// §12.5 makes the padding mandatory over TCP); STUN messages are already.
pub fn frame_for_stream(mut message: Vec<u8>) -> Vec<u8> {
    message.resize(message.len().next_multiple_of(4), 0);
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Binding success header with a 4-byte body.
    const STUN: [u8; 24] = [
        0x01, 0x01, 0x00, 0x04, 0x21, 0x12, 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
        0xaa, 0xbb, 0xcc, 0xdd,
    ];
    /// ChannelData on channel 0x4000 with 5 bytes, padded to 8.
    const CHANNEL_DATA: [u8; 12] = [0x40, 0x00, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0, 0];

    #[test]
    fn a_backlog_of_many_messages_comes_out_whole_and_in_order() {
        let backlog: Vec<u8> = STUN.iter().copied().cycle().take(STUN.len() * 1000).collect();
        let mut decoder = StreamDecoder::default();
        decoder.push(&backlog);
        decoder.push(&STUN[..5]);
        let mut taken = 0;
        while let Some(message) = decoder.next_message().unwrap() {
            assert_eq!(message, STUN);
            taken += 1;
        }
        assert_eq!((taken, decoder.pending()), (1000, 5));
        decoder.push(&STUN[5..]);
        assert_eq!(decoder.next_message().unwrap().as_deref(), Some(&STUN[..]));
    }

    #[test]
    fn messages_split_across_reads_come_out_whole_and_in_order() {
        let stream: Vec<u8> = STUN.iter().chain(&CHANNEL_DATA).copied().collect();
        for cut in 0..stream.len() {
            let mut decoder = StreamDecoder::default();
            let (a, b) = stream.split_at(cut);
            let mut out = Vec::new();
            for part in [a, b] {
                decoder.push(part);
                while let Some(m) = decoder.next_message().unwrap() {
                    out.push(m);
                }
            }
            assert_eq!(out, vec![STUN.to_vec(), CHANNEL_DATA.to_vec()], "cut at {cut}");
            assert_eq!(decoder.pending(), 0);
        }
    }

    #[test]
    fn a_partial_header_waits_for_more() {
        let mut decoder = StreamDecoder::default();
        decoder.push(&STUN[..3]);
        assert_eq!(decoder.next_message(), Ok(None));
        decoder.push(&STUN[3..19]);
        assert_eq!(decoder.next_message(), Ok(None));
        assert_eq!(decoder.pending(), 19);
    }

    #[test]
    fn bytes_that_are_neither_stun_nor_channel_data_break_the_stream() {
        for first in [0x80, 0xc0, 0xff] {
            let mut decoder = StreamDecoder::default();
            decoder.push(&[first, 0, 0, 0]);
            assert_eq!(decoder.next_message(), Err(FramingError::UnknownMessage), "{first:#x}");
        }
    }

    #[test]
    fn the_largest_declared_lengths_are_waited_for_not_trusted() {
        let mut decoder = StreamDecoder::default();
        decoder.push(&[0x7f, 0xff, 0xff, 0xff, 1, 2]);
        assert_eq!(decoder.next_message(), Ok(None));
        assert_eq!(message_len(&[0x7f, 0xff, 0xff, 0xff]), Ok(Some(4 + 65536)));
    }

    #[test]
    fn channel_data_is_padded_for_the_stream_and_stun_is_left_alone() {
        assert_eq!(frame_for_stream(CHANNEL_DATA[..9].to_vec()), CHANNEL_DATA.to_vec());
        assert_eq!(frame_for_stream(STUN.to_vec()), STUN.to_vec());
    }
}
