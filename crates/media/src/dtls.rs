//! DTLS-SRTP (RFC 5763/5764) through `rtc-dtls`'s sans-IO endpoint: the handshake runs on
//! the media port, the peer's certificate must match the `a=fingerprint` from SDP, and the
//! SRTP keys are exported from the finished handshake.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use bytes::BytesMut;
use rtc_crypto::{HashAlgorithm, RTCCryptoProvider};
use rtc_dtls::config::{ClientAuthType, ConfigBuilder, ExtendedMasterSecretType, HandshakeConfig};
use rtc_dtls::crypto::Certificate;
use rtc_dtls::endpoint::{Endpoint, EndpointEvent};
use rtc_dtls::extension::extension_use_srtp::SrtpProtectionProfile;
use rtc_shared::TransportProtocol;
use rtc_srtp::config::{Config as SrtpConfig, LABEL_EXTRACTOR_DTLS_SRTP};
use rtc_srtp::protection_profile::ProtectionProfile;

use crate::sdp::{Fingerprint, SrtpKeyMaterial, SrtpSuite};
use crate::srtp::SrtpSession;

/// Why DTLS-SRTP failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DtlsError {
    /// The crypto provider or certificate generation failed.
    #[error("DTLS setup failed: {0}")]
    Setup(String),
    /// The handshake failed (including a certificate that does not match the fingerprint).
    #[error("DTLS handshake failed: {0}")]
    Handshake(String),
    /// The peer negotiated no SRTP profile we support.
    #[error("no common SRTP protection profile")]
    NoSrtpProfile,
    /// Keying material could not be exported or installed.
    #[error("SRTP key export failed")]
    KeyExport,
}

fn setup(e: impl std::fmt::Display) -> DtlsError {
    DtlsError::Setup(e.to_string())
}

/// Our DTLS certificate and its SHA-256 fingerprint for `a=fingerprint`.
pub struct DtlsIdentity {
    certificate: Certificate,
    fingerprint: Fingerprint,
    provider: Arc<dyn RTCCryptoProvider>,
}

impl std::fmt::Debug for DtlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DtlsIdentity")
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

impl DtlsIdentity {
    /// A fresh self-signed certificate (one per call or per app run).
    pub fn generate() -> Result<Self, DtlsError> {
        let provider = rtc_crypto::default_provider().map_err(setup)?;
        let certificate =
            Certificate::generate_self_signed(vec!["callwarden".to_owned()], provider.crypto())
                .map_err(setup)?;
        let der =
            certificate.certificate.first().ok_or_else(|| setup("empty certificate chain"))?;
        let digest = provider.crypto().hash(HashAlgorithm::Sha256, der.as_ref()).map_err(setup)?;
        Ok(Self {
            certificate,
            fingerprint: Fingerprint { algorithm: "sha-256".into(), digest },
            provider,
        })
    }

    /// The fingerprint to put in SDP.
    pub fn fingerprint(&self) -> &Fingerprint {
        &self.fingerprint
    }
}

/// One DTLS-SRTP handshake on a media 5-tuple.
pub struct DtlsSrtp {
    endpoint: Endpoint,
    remote: SocketAddr,
    client: bool,
    done: bool,
}

impl std::fmt::Debug for DtlsSrtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DtlsSrtp")
            .field("client", &self.client)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

fn config(
    identity: &DtlsIdentity,
    client: bool,
    remote: SocketAddr,
    expected: Fingerprint,
) -> Result<HandshakeConfig, DtlsError> {
    let provider = Arc::clone(&identity.provider);
    let verify = Arc::new(move |chain: &[Vec<u8>], _: &[_]| {
        let der = chain.first().ok_or(rtc_shared::error::Error::ErrNoCertificates)?;
        let digest = provider
            .crypto()
            .hash(HashAlgorithm::Sha256, der)
            .map_err(|e| rtc_shared::error::Error::Other(e.to_string()))?;
        if digest == expected.digest {
            Ok(())
        } else {
            Err(rtc_shared::error::Error::Other("certificate does not match a=fingerprint".into()))
        }
    });
    ConfigBuilder::default()
        .with_crypto_provider(Arc::clone(&identity.provider))
        .with_certificates(vec![identity.certificate.clone()])
        .with_srtp_protection_profiles(vec![
            SrtpProtectionProfile::Srtp_Aead_Aes_256_Gcm,
            SrtpProtectionProfile::Srtp_Aead_Aes_128_Gcm,
            SrtpProtectionProfile::Srtp_Aes128_Cm_Hmac_Sha1_80,
        ])
        .with_extended_master_secret(ExtendedMasterSecretType::Require)
        .with_client_auth(ClientAuthType::RequireAnyClientCert)
        // Self-signed certificates: trust comes from the fingerprint check, not a CA.
        .with_insecure_skip_verify(true)
        .with_verify_peer_certificate(Some(verify))
        .build(client, Some(remote))
        .map_err(setup)
}

impl DtlsSrtp {
    /// Starts a handshake; the client (`a=setup:active`) sends its first flight at once.
    pub fn new(
        now: Instant,
        identity: &DtlsIdentity,
        client: bool,
        local: SocketAddr,
        remote: SocketAddr,
        remote_fingerprint: Fingerprint,
    ) -> Result<Self, DtlsError> {
        let cfg = Arc::new(config(identity, client, remote, remote_fingerprint)?);
        let server_cfg = (!client).then(|| Arc::clone(&cfg));
        let mut endpoint = Endpoint::new(local, TransportProtocol::UDP, server_cfg);
        if client {
            endpoint
                .connect(now, remote, cfg, None)
                .map_err(|e| DtlsError::Handshake(e.to_string()))?;
        }
        Ok(Self { endpoint, remote, client, done: false })
    }

    /// Feeds a DTLS datagram; returns the SRTP session once the handshake completes.
    pub fn handle_datagram(
        &mut self,
        now: Instant,
        data: &[u8],
    ) -> Result<Option<SrtpSession>, DtlsError> {
        let events = self
            .endpoint
            .read(now, self.remote, None, BytesMut::from(data))
            .map_err(|e| DtlsError::Handshake(e.to_string()))?;
        if self.done || !events.iter().any(|e| matches!(e, EndpointEvent::HandshakeComplete)) {
            return Ok(None);
        }
        self.done = true;
        self.export().map(Some)
    }

    fn export(&self) -> Result<SrtpSession, DtlsError> {
        let state = self.endpoint.get_connection_state(self.remote).ok_or(DtlsError::KeyExport)?;
        let profile = match state.srtp_protection_profile() {
            SrtpProtectionProfile::Srtp_Aead_Aes_256_Gcm => ProtectionProfile::AeadAes256Gcm,
            SrtpProtectionProfile::Srtp_Aead_Aes_128_Gcm => ProtectionProfile::AeadAes128Gcm,
            SrtpProtectionProfile::Srtp_Aes128_Cm_Hmac_Sha1_80 => {
                ProtectionProfile::Aes128CmHmacSha1_80
            }
            SrtpProtectionProfile::Srtp_Aes128_Cm_Hmac_Sha1_32 => {
                ProtectionProfile::Aes128CmHmacSha1_32
            }
            _ => return Err(DtlsError::NoSrtpProfile),
        };
        let suite = SrtpSuite::from_profile(profile).ok_or(DtlsError::NoSrtpProfile)?;
        let mut cfg = SrtpConfig { profile, ..SrtpConfig::default() };
        let material = state
            .export_keying_material(LABEL_EXTRACTOR_DTLS_SRTP, &[], cfg.keying_material_len())
            .map_err(|_| DtlsError::KeyExport)?;
        cfg.set_session_keys_from_keying_material(material.as_ref(), self.client)
            .map_err(|_| DtlsError::KeyExport)?;
        let k = cfg.keys;
        let local = SrtpKeyMaterial { key: k.local_master_key, salt: k.local_master_salt };
        let remote = SrtpKeyMaterial { key: k.remote_master_key, salt: k.remote_master_salt };
        SrtpSession::new(suite, &local, &remote).map_err(|_| DtlsError::KeyExport)
    }

    /// The next datagram to send to the peer.
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.endpoint.poll_transmit().map(|m| m.message.to_vec())
    }

    /// When the handshake next needs a retransmission timer.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.endpoint.poll_timeout(&self.remote)
    }

    /// Drives retransmissions. A server has no connection before the client's first flight
    /// arrives, so there is nothing to time out yet.
    pub fn handle_timeout(&mut self, now: Instant) -> Result<(), DtlsError> {
        if self.endpoint.poll_timeout(&self.remote).is_none() {
            return Ok(());
        }
        self.endpoint
            .handle_timeout(self.remote, now)
            .map_err(|e| DtlsError::Handshake(e.to_string()))
    }

    /// True once keys were exported.
    pub fn is_established(&self) -> bool {
        self.done
    }
}
