//! TLS for SIP and WSS flows: rustls with the system's roots plus an optional configured CA.

use std::path::PathBuf;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

use super::{Target, TransportError};

/// Which certificate authorities a TLS flow trusts.
#[derive(Clone, Debug, Default)]
pub struct TlsSettings {
    /// Also trust the system's root certificates (the default for real accounts).
    pub system_roots: bool,
    /// Extra CA certificates (PEM files), e.g. a company CA or a lab server's own certificate.
    pub extra_ca_files: Vec<PathBuf>,
}

/// Why the TLS trust store could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// A configured CA file could not be read or holds no certificate.
    #[error("CA file {path}: {reason}")]
    CaFile {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// rustls refused the configuration.
    #[error("TLS configuration: {0}")]
    Config(#[from] rustls::Error),
}

impl TlsSettings {
    /// Builds the client configuration: TLS 1.2+ with rustls' safe defaults, no client auth.
    pub fn client_config(&self) -> Result<rustls::ClientConfig, TlsError> {
        let mut roots = rustls::RootCertStore::empty();
        if self.system_roots {
            // Unreadable individual system certificates are skipped, as every TLS client does.
            for cert in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(cert);
            }
        }
        for path in &self.extra_ca_files {
            add_ca_file(&mut roots, path)?;
        }
        // With no roots at all (a UDP-only lab account) every TLS server is refused at handshake
        // time with an unknown-issuer error, which is the safe outcome.
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        Ok(rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_no_client_auth())
    }
}

fn add_ca_file(roots: &mut rustls::RootCertStore, path: &PathBuf) -> Result<(), TlsError> {
    let bad = |reason: String| TlsError::CaFile { path: path.clone(), reason };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
        .map_err(|e| bad(e.to_string()))?
        .collect::<Result<_, _>>()
        .map_err(|e| bad(e.to_string()))?;
    if certs.is_empty() {
        return Err(bad("no certificate in file".into()));
    }
    for cert in certs {
        roots.add(cert).map_err(|e| bad(e.to_string()))?;
    }
    Ok(())
}

/// Runs the TLS handshake on a connected TCP stream, verifying the server against `target`'s
/// name (SNI is sent for DNS names; IP addresses are verified against the certificate's IP SANs).
pub(super) async fn connect(
    config: &Arc<rustls::ClientConfig>,
    target: &Target,
    tcp: TcpStream,
) -> Result<TlsStream<TcpStream>, TransportError> {
    let name = match &target.server_name {
        Some(host) => {
            ServerName::try_from(host.clone()).map_err(|_| TransportError::InvalidServerName)?
        }
        None => ServerName::IpAddress(target.addr.ip().into()),
    };
    tokio_rustls::TlsConnector::from(config.clone())
        .connect(name, tcp)
        .await
        .map_err(TransportError::Tls)
}
