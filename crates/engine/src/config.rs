//! The account file: one SIP account, in TOML. Documented in `docs/account-file.md`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::transport::{TlsSettings, Transport};

mod media_settings;
pub use media_settings::{ConfiguredServer, IceCandidates, MediaSettings, MediaSettingsError};

/// Whether media must be encrypted. Policy decides; SRTP is required unless it says otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SrtpPolicy {
    /// Offer and accept only SRTP; a peer without it gets 488.
    #[default]
    Required,
    /// Offer SRTP, accept plain RTP (the call is then marked unencrypted).
    Optional,
    /// Plain RTP only (labs).
    Off,
}

/// How SRTP keys are exchanged when we make the offer. Answers follow the peer's offer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SrtpKeying {
    /// Keys in SDP (`a=crypto`, RFC 4568): only as private as the signalling, so use TLS.
    #[default]
    Sdes,
    /// A DTLS handshake on the media path (RFC 5763/5764), checked against `a=fingerprint`.
    Dtls,
}

/// One account as written in the account file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountFile {
    /// Address of record, e.g. `sip:1001@example.com`.
    pub aor: String,
    /// Display name in `From`.
    pub display_name: Option<String>,
    /// Digest user name; defaults to the AOR's user part.
    pub username: Option<String>,
    /// Digest password. Prefer `password_env` outside tests.
    pub password: Option<String>,
    /// Name of an environment variable holding the digest password.
    pub password_env: Option<String>,
    /// Registrar URI, e.g. `sip:example.com;transport=tls`. Without it the account does not
    /// register and only direct calls with `trusted_peers` work.
    pub registrar: Option<String>,
    /// Outbound proxy URI; defaults to the registrar's host.
    pub outbound_proxy: Option<String>,
    /// Transport for the registrar flow: udp, tcp, tls (default), ws or wss.
    #[serde(default = "default_transport")]
    pub transport: String,
    /// Requested registration lifetime, seconds.
    #[serde(default = "default_expires")]
    pub register_expires: u32,
    /// Extra CA certificate (PEM) for TLS, relative to the account file.
    pub ca_file: Option<PathBuf>,
    /// Also trust the system's roots (default true).
    #[serde(default = "yes")]
    pub system_roots: bool,
    /// Local UDP address to bind (default `0.0.0.0:0`).
    pub local_addr: Option<SocketAddr>,
    /// Peers (`ip:port`) allowed to send requests without going through the registrar.
    #[serde(default)]
    pub trusted_peers: Vec<SocketAddr>,
    /// Media encryption policy.
    #[serde(default)]
    pub srtp: SrtpPolicy,
    /// The caller-trust context (JSON, `docs/trust-context.md`): own numbers, directory, trust
    /// anchors, policy. Relative to the account file. Without it calls are screened with no
    /// directory and no STI-CA anchors, so no number can show as verified.
    pub trust_context: Option<PathBuf>,
    /// How our offers key SRTP.
    #[serde(default)]
    pub srtp_keying: SrtpKeying,
    /// ICE, STUN and TURN (`[media]` table).
    #[serde(default)]
    pub media: MediaSettings,
}

/// The values an account file gets for every key it leaves out (`aor` has none: it is required).
/// Code that builds an account in memory starts from here, so it cannot drift from the file.
impl Default for AccountFile {
    fn default() -> Self {
        Self {
            aor: String::new(),
            display_name: None,
            username: None,
            password: None,
            password_env: None,
            registrar: None,
            outbound_proxy: None,
            transport: default_transport(),
            register_expires: default_expires(),
            ca_file: None,
            system_roots: yes(),
            local_addr: None,
            trusted_peers: Vec::new(),
            srtp: SrtpPolicy::default(),
            trust_context: None,
            srtp_keying: SrtpKeying::default(),
            media: MediaSettings::default(),
        }
    }
}

fn default_transport() -> String {
    "tls".into()
}

fn default_expires() -> u32 {
    600
}

fn yes() -> bool {
    true
}

/// Why an account file cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read account file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid TOML for an account.
    #[error("account file {path}: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The parser's diagnosis (line and column included).
        message: String,
    },
    /// A field holds a value the engine cannot use.
    #[error("account file: {field}: {problem}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// What is wrong.
        problem: String,
    },
}

/// A validated account, ready for the engine.
#[derive(Clone, Debug)]
pub struct Account {
    /// As read.
    pub file: AccountFile,
    /// The registrar flow's transport.
    pub transport: Transport,
    /// The digest password, if any.
    pub password: Option<String>,
    /// TLS trust.
    pub tls: TlsSettings,
    /// What incoming calls are judged against.
    pub trust: Arc<trust::TrustContext>,
}

impl Account {
    /// Reads and validates an account file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
        let file: AccountFile = toml::from_str(&text)
            .map_err(|e| ConfigError::Syntax { path: path.to_owned(), message: e.to_string() })?;
        let base = path.parent().unwrap_or(Path::new("."));
        Self::from_file(file, base)
    }

    /// Validates an already parsed account; relative paths resolve against `base`.
    pub fn from_file(mut file: AccountFile, base: &Path) -> Result<Self, ConfigError> {
        let transport =
            Transport::from_param(&file.transport).ok_or_else(|| ConfigError::Invalid {
                field: "transport",
                problem: "must be udp, tcp, tls, ws or wss".into(),
            })?;
        if !file.aor.starts_with("sip:") && !file.aor.starts_with("sips:") {
            return Err(ConfigError::Invalid {
                field: "aor",
                problem: "must be a sip: or sips: URI".into(),
            });
        }
        let password = match (&file.password, &file.password_env) {
            (Some(p), _) => Some(p.clone()),
            (None, Some(var)) => Some(std::env::var(var).map_err(|_| ConfigError::Invalid {
                field: "password_env",
                problem: "the environment variable is not set".into(),
            })?),
            (None, None) => None,
        };
        file.ca_file = file.ca_file.map(|p| if p.is_relative() { base.join(p) } else { p });
        let tls = TlsSettings {
            system_roots: file.system_roots,
            extra_ca_files: file.ca_file.iter().cloned().collect(),
        };
        file.trust_context =
            file.trust_context.map(|p| if p.is_relative() { base.join(p) } else { p });
        file.media.turn_ca_file =
            file.media.turn_ca_file.map(|p| if p.is_relative() { base.join(p) } else { p });
        if file.media.ice_enabled() {
            file.media
                .servers()
                .map_err(|e| ConfigError::Invalid { field: "media", problem: e.to_string() })?;
        }
        if let Some(ca) = &file.media.turn_ca_file {
            // Refused at load rather than found missing at the first turns: call.
            let trust = TlsSettings { system_roots: false, extra_ca_files: vec![ca.clone()] };
            trust.client_config().map_err(|e| ConfigError::Invalid {
                field: "media.turn_ca_file",
                problem: e.to_string(),
            })?;
        }
        let trust = Arc::new(load_trust_context(file.trust_context.as_deref())?);
        Ok(Self { file, transport, password, tls, trust })
    }

    /// The digest user name: explicit, or the AOR's user part.
    pub fn username(&self) -> Option<String> {
        if let Some(user) = &self.file.username {
            return Some(user.clone());
        }
        let rest = self.file.aor.split_once(':')?.1;
        rest.split_once('@').map(|(user, _)| user.to_owned())
    }
}

/// Reads and builds the trust context; files it names resolve against its own directory.
fn load_trust_context(path: Option<&Path>) -> Result<trust::TrustContext, ConfigError> {
    let invalid = |problem: String| ConfigError::Invalid { field: "trust_context", problem };
    let file = match path {
        Some(path) => {
            let bytes = std::fs::read(path)
                .map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
            trust::ContextFile::from_json(&bytes).map_err(|e| invalid(e.to_string()))?
        }
        None => trust::ContextFile::default(),
    };
    let base = path.and_then(Path::parent).unwrap_or(Path::new(".")).to_owned();
    let read = move |name: &str| std::fs::read(base.join(name));
    file.build(&read).map_err(|e| invalid(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Account, ConfigError> {
        let file: AccountFile = toml::from_str(text).map_err(|e| ConfigError::Syntax {
            path: "test.toml".into(),
            message: e.to_string(),
        })?;
        Account::from_file(file, Path::new("/etc/callwarden"))
    }

    #[test]
    fn minimal_account_defaults_to_tls_and_required_srtp() {
        let account =
            parse("aor = \"sip:1001@example.com\"\nregistrar = \"sip:example.com\"").unwrap();
        assert_eq!(account.transport, Transport::Tls);
        assert_eq!(account.file.srtp, SrtpPolicy::Required);
        assert_eq!(account.username().as_deref(), Some("1001"));
        assert!(account.tls.system_roots);
    }

    #[test]
    fn an_unreadable_turn_ca_file_is_refused_at_load() {
        let text = "aor = \"sip:a@b\"\n[media]\nturn = [\"turns:127.0.0.1\"]\n\
                    turn_username = \"u\"\nturn_password = \"p\"\nturn_ca_file = \"none.pem\"";
        let refused = parse(text).expect_err("a missing CA file");
        assert!(
            matches!(refused, ConfigError::Invalid { field: "media.turn_ca_file", .. }),
            "{refused:?}"
        );
    }

    #[test]
    fn relative_ca_file_resolves_against_the_account_file() {
        let account = parse("aor = \"sip:a@b\"\nca_file = \"ca.pem\"").unwrap();
        assert_eq!(account.tls.extra_ca_files, vec![PathBuf::from("/etc/callwarden/ca.pem")]);
    }

    #[test]
    fn unknown_fields_and_bad_transports_are_named() {
        let err = parse("aor = \"sip:a@b\"\npasword = \"typo\"").unwrap_err();
        assert!(err.to_string().contains("pasword"), "{err}");
        let err = parse("aor = \"sip:a@b\"\ntransport = \"sctp\"").unwrap_err();
        assert!(matches!(err, ConfigError::Invalid { field: "transport", .. }), "{err}");
        let err = parse("aor = \"tel:+1555\"").unwrap_err();
        assert!(matches!(err, ConfigError::Invalid { field: "aor", .. }), "{err}");
    }

    #[test]
    fn a_trust_context_that_does_not_parse_is_named() {
        let dir = std::env::temp_dir().join(format!("cw-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("ctx.json"), br#"{"own_numbers": ["not a number"]}"#).unwrap();
        let file: AccountFile =
            toml::from_str("aor = \"sip:a@b\"\ntrust_context = \"ctx.json\"").unwrap();
        let err = Account::from_file(file, &dir).unwrap_err();
        assert!(matches!(err, ConfigError::Invalid { field: "trust_context", .. }), "{err}");
        let file: AccountFile =
            toml::from_str("aor = \"sip:a@b\"\ntrust_context = \"missing.json\"").unwrap();
        let err = Account::from_file(file, &dir).unwrap_err();
        assert!(matches!(err, ConfigError::Read { .. }), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
