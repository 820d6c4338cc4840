//! SRTP/SRTCP protection through `rtc-srtp` (RFC 3711, 6188, 7714): never hand-written ciphers.

use rtc_shared::error::Error as SrtpError;
use rtc_srtp::context::Context;
use rtc_srtp::option::{srtcp_replay_protection, srtp_replay_protection};
use rtc_srtp::protection_profile::ProtectionProfile;

use crate::sdp::{SrtpKeyMaterial, SrtpSuite};

/// Replay window in packets (RFC 3711 §3.3.2 minimum is 64; 128 tolerates jitter reordering).
const REPLAY_WINDOW: usize = 128;

/// Why a protected packet was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnprotectError {
    /// The packet was seen before (replay protection).
    #[error("replayed packet")]
    Replay,
    /// The authentication tag did not verify (forged, corrupted or wrong key).
    #[error("authentication failed")]
    AuthFailed,
    /// Too short or otherwise malformed for SRTP.
    #[error("malformed SRTP packet")]
    Malformed,
}

/// Why SRTP contexts could not be set up or a packet could not be protected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProtectError {
    /// Key or salt length does not fit the suite.
    #[error("SRTP key or salt has the wrong length for the suite")]
    BadKeyLength,
    /// The crypto provider is unavailable.
    #[error("crypto provider unavailable")]
    NoCrypto,
    /// The packet could not be protected (malformed or the key is exhausted).
    #[error("packet could not be protected")]
    Failed,
}

/// Both directions of an SRTP session: our sending context and the peer's.
pub struct SrtpSession {
    outbound: Context,
    inbound: Context,
    suite: SrtpSuite,
}

impl std::fmt::Debug for SrtpSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SrtpSession").field("suite", &self.suite).finish_non_exhaustive()
    }
}

impl SrtpSession {
    /// Contexts for SDES keys: `local` protects what we send, `remote` what we receive.
    pub fn new(
        suite: SrtpSuite,
        local: &SrtpKeyMaterial,
        remote: &SrtpKeyMaterial,
    ) -> Result<Self, ProtectError> {
        let provider = rtc_srtp::crypto::default_provider().map_err(|_| ProtectError::NoCrypto)?;
        let crypto = provider.crypto();
        let profile: ProtectionProfile = suite.profile();
        let outbound = Context::new(&local.key, &local.salt, profile, None, None, crypto)
            .map_err(|_| ProtectError::BadKeyLength)?;
        let inbound = Context::new(
            &remote.key,
            &remote.salt,
            profile,
            Some(srtp_replay_protection(REPLAY_WINDOW)),
            Some(srtcp_replay_protection(REPLAY_WINDOW)),
            crypto,
        )
        .map_err(|_| ProtectError::BadKeyLength)?;
        Ok(Self { outbound, inbound, suite })
    }

    /// The suite in use.
    pub fn suite(&self) -> SrtpSuite {
        self.suite
    }

    /// Protects a marshalled RTP packet.
    pub fn protect_rtp(&mut self, packet: &[u8]) -> Result<Vec<u8>, ProtectError> {
        self.outbound.encrypt_rtp(packet).map(|b| b.to_vec()).map_err(|_| ProtectError::Failed)
    }

    /// Protects a marshalled compound RTCP packet.
    pub fn protect_rtcp(&mut self, packet: &[u8]) -> Result<Vec<u8>, ProtectError> {
        self.outbound.encrypt_rtcp(packet).map(|b| b.to_vec()).map_err(|_| ProtectError::Failed)
    }

    /// Verifies and decrypts an SRTP packet.
    pub fn unprotect_rtp(&mut self, packet: &[u8]) -> Result<Vec<u8>, UnprotectError> {
        self.inbound.decrypt_rtp(packet).map(|b| b.to_vec()).map_err(classify)
    }

    /// Verifies and decrypts an SRTCP packet.
    pub fn unprotect_rtcp(&mut self, packet: &[u8]) -> Result<Vec<u8>, UnprotectError> {
        self.inbound.decrypt_rtcp(packet).map(|b| b.to_vec()).map_err(classify)
    }
}

fn classify(e: SrtpError) -> UnprotectError {
    match e {
        SrtpError::SrtpSsrcDuplicated(..) | SrtpError::SrtcpSsrcDuplicated(..) => {
            UnprotectError::Replay
        }
        SrtpError::ErrFailedToVerifyAuthTag
        | SrtpError::RtpFailedToVerifyAuthTag
        | SrtpError::RtcpFailedToVerifyAuthTag => UnprotectError::AuthFailed,
        _ => UnprotectError::Malformed,
    }
}
