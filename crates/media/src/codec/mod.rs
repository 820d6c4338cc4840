//! Audio codecs behind one encoder and one decoder type: Opus (libopus through `opus`),
//! G.711 (here) and G.722 (the SpanDSP port in `ezk-g722`).

mod g711;
mod g722;
mod opus_codec;

pub use g711::{alaw_decode, alaw_encode, ulaw_decode, ulaw_encode};

use crate::sdp::{Codec, NegotiatedCodec};

/// Why a codec could not be created or used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CodecError {
    /// libopus refused a setting or a packet.
    #[error("opus: {0}")]
    Opus(String),
    /// A PCM frame of the wrong length was given.
    #[error("frame has {got} samples, expected {expected}")]
    FrameLength {
        /// Samples given.
        got: usize,
        /// Samples expected.
        expected: usize,
    },
}

/// Encodes mono PCM frames at the codec's sample rate.
#[derive(Debug)]
pub enum AudioEncoder {
    /// Opus.
    Opus(opus_codec::OpusEncoder),
    /// G.711 µ-law.
    Pcmu,
    /// G.711 A-law.
    Pcma,
    /// G.722.
    G722(g722::G722Encoder),
}

impl AudioEncoder {
    /// An encoder for the negotiated codec (FEC and DTX as the peer asked).
    pub fn new(neg: &NegotiatedCodec) -> Result<Self, CodecError> {
        Ok(match neg.codec {
            Codec::Opus => Self::Opus(opus_codec::OpusEncoder::new(neg.send_fec, neg.send_dtx)?),
            Codec::Pcmu => Self::Pcmu,
            Codec::Pcma => Self::Pcma,
            Codec::G722 => Self::G722(g722::G722Encoder::new()),
        })
    }

    /// Encodes one frame. An empty result means "nothing to send" (Opus DTX silence).
    pub fn encode(&mut self, pcm: &[i16]) -> Result<Vec<u8>, CodecError> {
        Ok(match self {
            Self::Opus(e) => e.encode(pcm)?,
            Self::Pcmu => pcm.iter().map(|s| ulaw_encode(*s)).collect(),
            Self::Pcma => pcm.iter().map(|s| alaw_encode(*s)).collect(),
            Self::G722(e) => e.encode(pcm),
        })
    }
}

/// Decodes payloads to mono PCM at the codec's sample rate, and conceals losses.
#[derive(Debug)]
pub enum AudioDecoder {
    /// Opus (PLC and in-band FEC from libopus).
    Opus(opus_codec::OpusDecoder),
    /// G.711 / G.722 with the simple fade-out PLC.
    Waveform(WaveformDecoder),
}

impl AudioDecoder {
    /// A decoder for `codec`.
    pub fn new(codec: Codec) -> Result<Self, CodecError> {
        Ok(match codec {
            Codec::Opus => Self::Opus(opus_codec::OpusDecoder::new()?),
            other => Self::Waveform(WaveformDecoder::new(other)),
        })
    }

    /// Decodes a payload; a corrupt payload yields a concealed frame of `samples`.
    pub fn decode(&mut self, payload: &[u8], samples: usize) -> Vec<i16> {
        match self {
            Self::Opus(d) => d.decode(payload, samples),
            Self::Waveform(d) => d.decode(payload, samples),
        }
    }

    /// Conceals one lost frame; `next` is the following packet if already buffered
    /// (Opus then recovers the lost frame from its in-band FEC).
    pub fn conceal(&mut self, next: Option<&[u8]>, samples: usize) -> Vec<i16> {
        match self {
            Self::Opus(d) => d.conceal(next, samples),
            Self::Waveform(d) => d.conceal(samples),
        }
    }
}

/// Sample-based codecs (G.711, G.722) plus a simple PLC: repeat the last frame with a fade
/// of 6 dB per frame (enough for isolated losses; long gaps fade to silence).
#[derive(Debug)]
pub struct WaveformDecoder {
    codec: Codec,
    g722: Option<g722::G722Decoder>,
    last: Vec<i16>,
    gain: f32,
}

impl WaveformDecoder {
    fn new(codec: Codec) -> Self {
        Self {
            codec,
            g722: (codec == Codec::G722).then(g722::G722Decoder::new),
            last: Vec::new(),
            gain: 1.0,
        }
    }

    fn decode(&mut self, payload: &[u8], samples: usize) -> Vec<i16> {
        let mut pcm: Vec<i16> = match (&mut self.g722, self.codec) {
            (Some(d), _) => d.decode(payload),
            (None, Codec::Pcma) => payload.iter().map(|b| alaw_decode(*b)).collect(),
            (None, _) => payload.iter().map(|b| ulaw_decode(*b)).collect(),
        };
        pcm.resize(samples, 0);
        self.last.clone_from(&pcm);
        self.gain = 1.0;
        pcm
    }

    fn conceal(&mut self, samples: usize) -> Vec<i16> {
        self.gain *= 0.5;
        let mut out: Vec<i16> =
            self.last.iter().map(|s| (f32::from(*s) * self.gain) as i16).collect();
        out.resize(samples, 0);
        out
    }
}
