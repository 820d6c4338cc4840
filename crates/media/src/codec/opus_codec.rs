//! Opus through the `opus` crate (bundled libopus): VoIP mode, mono, 48 kHz.

use opus::{Application, Bitrate, Channels, Decoder, Encoder};

use super::CodecError;

/// Largest Opus packet we produce.
const MAX_PACKET: usize = 1275;
/// Voice bitrate: transparent wideband speech with room for FEC.
const BITRATE: i32 = 32_000;

fn err(e: opus::Error) -> CodecError {
    CodecError::Opus(e.to_string())
}

/// An Opus encoder.
pub struct OpusEncoder {
    inner: Encoder,
    dtx: bool,
}

impl std::fmt::Debug for OpusEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpusEncoder").field("dtx", &self.dtx).finish_non_exhaustive()
    }
}

impl OpusEncoder {
    /// A VoIP encoder; FEC adds redundancy tuned for 10 % loss, DTX stops sending in silence.
    pub fn new(fec: bool, dtx: bool) -> Result<Self, CodecError> {
        let mut inner = Encoder::new(48_000, Channels::Mono, Application::Voip).map_err(err)?;
        inner.set_bitrate(Bitrate::Bits(BITRATE)).map_err(err)?;
        // Complexity stays at libopus's default 10: at 5 the DTX detector takes steady
        // tones (and test signals) for background noise and stops sending them.
        inner.set_inband_fec(fec).map_err(err)?;
        if fec {
            inner.set_packet_loss_perc(10).map_err(err)?;
        }
        inner.set_dtx(dtx).map_err(err)?;
        Ok(Self { inner, dtx })
    }

    /// Encodes one frame; returns an empty payload for DTX frames (1-2 bytes need not be sent).
    pub fn encode(&mut self, pcm: &[i16]) -> Result<Vec<u8>, CodecError> {
        let mut out = vec![0u8; MAX_PACKET];
        let n = self.inner.encode(pcm, &mut out).map_err(err)?;
        out.truncate(n);
        if self.dtx && n <= 2 {
            out.clear();
        }
        Ok(out)
    }
}

/// An Opus decoder with PLC and FEC recovery.
pub struct OpusDecoder {
    inner: Decoder,
}

impl std::fmt::Debug for OpusDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OpusDecoder")
    }
}

impl OpusDecoder {
    /// A mono 48 kHz decoder (stereo streams are downmixed by libopus).
    pub fn new() -> Result<Self, CodecError> {
        Ok(Self { inner: Decoder::new(48_000, Channels::Mono).map_err(err)? })
    }

    /// Decodes a packet into `samples` samples; garbage is concealed instead.
    pub fn decode(&mut self, payload: &[u8], samples: usize) -> Vec<i16> {
        let mut out = vec![0i16; samples.max(1)];
        match self.inner.decode(payload, &mut out, false) {
            Ok(n) => {
                out.resize(n.min(5760), 0);
                out.resize(samples, 0);
                out
            }
            Err(_) => self.conceal(None, samples),
        }
    }

    /// Recovers from `next`'s FEC if present, else runs libopus PLC.
    pub fn conceal(&mut self, next: Option<&[u8]>, samples: usize) -> Vec<i16> {
        let mut out = vec![0i16; samples];
        let ok = match next {
            Some(p) => self.inner.decode(p, &mut out, true).is_ok(),
            None => false,
        };
        if !ok {
            let _ = self.inner.decode(&[], &mut out, false).map_err(|_| out.fill(0));
        }
        out
    }
}
