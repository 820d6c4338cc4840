//! Certificates made with the `openssl` CLI for a test run: a TLS server certificate for
//! 127.0.0.1 and a tiny STIR/SHAKEN PKI (ES256 root CA + service-provider certificate carrying a
//! TNAuthList extension), like an STI-CA would issue.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::command::run;
use crate::error::PeerError;

/// STIR/SHAKEN attestation level (RFC 8588).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attestation {
    /// Full attestation.
    A,
    /// Partial attestation.
    B,
    /// Gateway attestation.
    C,
}

impl Attestation {
    /// The level as written in a PASSporT (`"A"`, `"B"`, `"C"`).
    pub fn letter(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::B => "B",
            Self::C => "C",
        }
    }
}

/// The claims of a PASSporT to sign with [`StirPki::sign_identity`].
#[derive(Debug, Clone)]
pub struct PassportClaims {
    /// Calling number (`orig.tn`).
    pub orig_tn: String,
    /// Called number (`dest.tn`).
    pub dest_tn: String,
    /// Attestation level.
    pub attestation: Attestation,
    /// Where verifiers fetch the certificate, e.g. [`crate::Kamailio::x5u_url`].
    pub x5u: String,
    /// Issued-at time in Unix seconds; `None` for now. An old value makes a stale PASSporT.
    pub iat: Option<u64>,
}

/// A self-signed TLS certificate for `127.0.0.1` (SAN `IP:127.0.0.1`, `IP:::1`, `DNS:localhost`).
#[derive(Debug, Clone)]
pub struct TlsCert {
    /// PEM certificate; also the trust anchor clients should use.
    pub cert: PathBuf,
    /// PEM private key (P-256).
    pub key: PathBuf,
    /// Key followed by certificate in one PEM file (baresip's `sip_certificate` format).
    pub combined: PathBuf,
}

impl TlsCert {
    /// Generates a new certificate in `dir`.
    pub fn generate(dir: &Path) -> Result<Self, PeerError> {
        let cert = dir.join("tls.crt");
        let key = dir.join("tls.key");
        run(Command::new("openssl")
            .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"])
            .args(["-nodes", "-days", "3650", "-subj", "/CN=127.0.0.1"])
            .args(["-addext", "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost"])
            // A server certificate, not a CA: strict verifiers (rustls/webpki) refuse a CA
            // certificate presented as the server's own, even when it is the trusted root.
            .args(["-addext", "basicConstraints=critical,CA:FALSE"])
            .args(["-addext", "keyUsage=critical,digitalSignature,keyEncipherment"])
            .args(["-addext", "extendedKeyUsage=serverAuth,clientAuth"])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert))?;
        let combined = dir.join("tls-combined.pem");
        let mut pem = std::fs::read(&key).map_err(PeerError::file(&key))?;
        pem.extend(std::fs::read(&cert).map_err(PeerError::file(&cert))?);
        std::fs::write(&combined, pem).map_err(PeerError::file(&combined))?;
        Ok(Self { cert, key, combined })
    }
}

/// The DER of the TNAuthList extension (OID 1.3.6.1.5.5.7.1.26) for service provider code
/// "1234": `SEQUENCE { [0] { IA5String "1234" } }`.
const TN_AUTH_LIST_SPC_1234: &str = "DER:30:08:a0:06:16:04:31:32:33:34";

/// A STIR/SHAKEN PKI: root CA and one service-provider (SP) signing certificate.
#[derive(Debug, Clone)]
pub struct StirPki {
    /// Root CA certificate (PEM): the trust anchor a verifier is configured with.
    pub root_ca: PathBuf,
    /// SP signing certificate (PEM) with TNAuthList, issued by the root.
    pub sp_cert: PathBuf,
    /// SP private key (PEM, P-256) used to sign PASSporTs.
    pub sp_key: PathBuf,
    /// Directory served over HTTP: `cert.pem` (leaf then root, the x5u document) and `leaf.pem`.
    pub www: PathBuf,
}

impl StirPki {
    /// Generates a new PKI under `dir` (subfolders `stir/` and `www/`).
    pub fn generate(dir: &Path) -> Result<Self, PeerError> {
        let stir = dir.join("stir");
        let www = dir.join("www");
        for d in [&stir, &www] {
            std::fs::create_dir_all(d).map_err(PeerError::file(d))?;
        }
        let ca_key = stir.join("ca.key");
        let root_ca = stir.join("ca.pem");
        root_certificate(&ca_key, &root_ca)?;
        let sp_key = stir.join("key.pem");
        let sp_cert = stir.join("cert.pem");
        sp_certificate(&stir, &sp_key, &sp_cert, (&root_ca, &ca_key))?;
        // The x5u document: leaf followed by its chain.
        let mut chain = std::fs::read(&sp_cert).map_err(PeerError::file(&sp_cert))?;
        chain.extend(std::fs::read(&root_ca).map_err(PeerError::file(&root_ca))?);
        let doc = www.join("cert.pem");
        std::fs::write(&doc, chain).map_err(PeerError::file(&doc))?;
        let leaf = www.join("leaf.pem");
        std::fs::copy(&sp_cert, &leaf).map_err(PeerError::file(&leaf))?;
        Ok(Self { root_ca, sp_cert, sp_key, www })
    }
}

/// A self-signed ES256 STI root CA: key to `key`, certificate to `cert`.
fn root_certificate(key: &Path, cert: &Path) -> Result<(), PeerError> {
    ec_key(key)?;
    run(Command::new("openssl")
        .args(["req", "-x509", "-new", "-sha256", "-days", "3650", "-key"])
        .arg(key)
        .args(["-subj", "/C=US/O=Test STI-CA/CN=Test STI Root"])
        .args(["-addext", "basicConstraints=critical,CA:TRUE"])
        .args(["-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out"])
        .arg(cert))
    .map(drop)
}

/// An SP signing key and certificate with TNAuthList, issued by `issuer` (certificate, key);
/// scratch files go to `dir`.
fn sp_certificate(
    dir: &Path,
    key: &Path,
    cert: &Path,
    issuer: (&Path, &Path),
) -> Result<(), PeerError> {
    ec_key(key)?;
    let csr = dir.join("sp.csr");
    run(Command::new("openssl")
        .args(["req", "-new", "-key"])
        .arg(key)
        .args(["-subj", "/C=US/O=Test SP/CN=SHAKEN 1234", "-out"])
        .arg(&csr))?;
    let ext = dir.join("sp.ext");
    let ext_text = format!(
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n\
         1.3.6.1.5.5.7.1.26={TN_AUTH_LIST_SPC_1234}\n"
    );
    std::fs::write(&ext, ext_text).map_err(PeerError::file(&ext))?;
    run(Command::new("openssl")
        .args(["x509", "-req", "-sha256", "-days", "3650", "-CAcreateserial", "-in"])
        .arg(&csr)
        .arg("-CA")
        .arg(issuer.0)
        .arg("-CAkey")
        .arg(issuer.1)
        .arg("-extfile")
        .arg(&ext)
        .arg("-out")
        .arg(cert))
    .map(drop)
}

impl StirPki {
    /// Signs `claims` with the SP key (`secsipidx -sign-full`) and returns a complete `Identity`
    /// header value (`JWT;info=<x5u>;alg=ES256;ppt=shaken`), e.g. to send with sipp's
    /// [`crate::Scenario::UacIdentity`].
    pub fn sign_identity(&self, claims: &PassportClaims) -> Result<String, PeerError> {
        let mut cmd = Command::new("secsipidx");
        cmd.arg("-sign-full").arg("-k").arg(&self.sp_key);
        cmd.args(["-attest", claims.attestation.letter(), "-orig-tn", &claims.orig_tn]);
        cmd.args(["-dest-tn", &claims.dest_tn, "-x5u", &claims.x5u]);
        if let Some(iat) = claims.iat {
            cmd.args(["-iat", &iat.to_string()]);
        }
        let out = run(&mut cmd)?;
        let text = String::from_utf8_lossy(&out.stdout);
        let identity = text.lines().map(str::trim).find(|l| l.contains(";info=<"));
        identity.map(str::to_owned).ok_or_else(|| PeerError::Command {
            program: "secsipidx".to_owned(),
            status: "0".to_owned(),
            output: format!("no Identity value in {text:?}"),
        })
    }
}

fn ec_key(path: &Path) -> Result<(), PeerError> {
    run(Command::new("openssl")
        .args(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out"])
        .arg(path))
    .map(drop)
}
