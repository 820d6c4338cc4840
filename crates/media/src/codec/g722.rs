//! G.722 at 64 kbit/s through `ezk-g722`'s `libg722` (a Rust translation of SpanDSP's
//! ITU-T G.722 codec, the one sippy/libg722 and many PBXes use). Chosen over porting the
//! ITU reference ourselves: it is maintained with the ezk SIP stack and tested there.

use ezk_g722::libg722::{Bitrate, decoder::Decoder, encoder::Encoder};

/// A G.722 encoder (16 kHz in, 8 bits per sample pair out).
pub struct G722Encoder(Encoder);

impl std::fmt::Debug for G722Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("G722Encoder")
    }
}

impl G722Encoder {
    /// A 64 kbit/s wideband encoder.
    pub fn new() -> Self {
        Self(Encoder::new(Bitrate::Mode1_64000, false, false))
    }

    /// Encodes 16 kHz mono samples.
    pub fn encode(&mut self, pcm: &[i16]) -> Vec<u8> {
        self.0.encode(pcm)
    }
}

/// A G.722 decoder.
pub struct G722Decoder(Decoder);

impl std::fmt::Debug for G722Decoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("G722Decoder")
    }
}

impl G722Decoder {
    /// A 64 kbit/s wideband decoder.
    pub fn new() -> Self {
        Self(Decoder::new(Bitrate::Mode1_64000, false, false))
    }

    /// Decodes to 16 kHz mono samples.
    pub fn decode(&mut self, payload: &[u8]) -> Vec<i16> {
        self.0.decode(payload)
    }
}
