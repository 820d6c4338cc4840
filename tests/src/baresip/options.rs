//! The knobs of a baresip instance.

use std::path::PathBuf;

/// Media encryption of the account (`mediaenc=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MediaEnc {
    /// Plain RTP.
    #[default]
    None,
    /// SDES-SRTP offered, plain RTP accepted (RTP/AVP with a=crypto).
    Srtp,
    /// SDES-SRTP required (RTP/SAVP).
    SrtpMand,
    /// DTLS-SRTP (UDP/TLS/RTP/SAVP).
    DtlsSrtp,
}

impl MediaEnc {
    pub(super) fn param(self) -> Option<&'static str> {
        match self {
            Self::None => None,
            Self::Srtp => Some("srtp"),
            Self::SrtpMand => Some("srtp-mand"),
            Self::DtlsSrtp => Some("dtls_srtp"),
        }
    }
}

/// An audio codec to offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// Opus 48 kHz stereo.
    Opus,
    /// G.711 µ-law.
    Pcmu,
    /// G.722.
    G722,
}

impl Codec {
    pub(super) fn rtpmap(self) -> &'static str {
        match self {
            Self::Opus => "opus/48000/2",
            Self::Pcmu => "PCMU",
            // baresip registers G.722 at its real 16 kHz rate; a bare "G722" looks for
            // G722/8000 (the RTP clock rate), finds nothing and falls back to every codec.
            Self::G722 => "G722/16000/1",
        }
    }
}

/// What the instance sends as its microphone.
#[derive(Debug, Clone, PartialEq)]
pub enum AudioSource {
    /// A sine tone at this frequency in Hz (`ausine`).
    Sine(u32),
    /// A 48 kHz stereo WAV file (`aufile`), e.g. from [`crate::tone::write_tone_wav`].
    Wav(PathBuf),
    /// ALSA's default capture device through the PulseAudio at this server address (a private
    /// null sink's monitor): a paced device like the one Callwarden captures from.
    Pulse(String),
}

/// Where received audio is played.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AudioPlayer {
    /// Nowhere, at no CPU cost (an unconnected `aubridge` device). Recording still works.
    #[default]
    Silent,
    /// ALSA's `null` device: works everywhere but spins a core per call.
    AlsaNull,
    /// ALSA's default device through the PulseAudio at this server address
    /// (see [`crate::pulse::PulseAudio::server`]), e.g. a private null sink.
    Pulse(String),
}

/// How incoming calls are answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AnswerMode {
    /// Answer at once.
    #[default]
    Auto,
    /// Ring until [`super::Baresip::accept`].
    Manual,
}
