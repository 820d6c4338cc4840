//! Renders a baresip instance's `config` and `accounts` files.

use std::path::{Path, PathBuf};

use super::{AnswerMode, AudioPlayer, AudioSource, Codec, MediaEnc};
use crate::account::SipAccount;

/// The configuration template, kept in `tests/peers/baresip/`.
const TEMPLATE: &str = include_str!("../../peers/baresip/config.in");

/// How many RTP ports each instance may pick from.
pub(super) const RTP_RANGE: u16 = 40;

/// The ports of one instance (all on 127.0.0.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BaresipPorts {
    /// SIP over UDP and TCP (TLS listens on `sip + 1`).
    pub sip: u16,
    /// `ctrl_tcp` JSON control.
    pub ctrl: u16,
    /// `cons` single-key console (UDP and TCP).
    pub cons: u16,
    /// First RTP port of the range the instance picks from.
    pub rtp_base: u16,
}

/// Everything the `config` file depends on.
pub(super) struct ConfigInput<'a> {
    pub ports: BaresipPorts,
    pub player: &'a AudioPlayer,
    pub source: &'a AudioSource,
    pub record_dir: Option<&'a Path>,
    pub tls_certificate: Option<&'a Path>,
    pub ca_file: Option<&'a Path>,
    pub max_calls: u32,
}

/// The `config` text.
pub(super) fn render(input: &ConfigInput<'_>) -> String {
    let p = input.ports;
    let mut tls = String::new();
    if let Some(cert) = input.tls_certificate {
        tls.push_str(&format!("sip_certificate\t\t{}\n", cert.display()));
    }
    if let Some(ca) = input.ca_file {
        tls.push_str(&format!("sip_cafile\t\t{}\n", ca.display()));
    }
    let (player_module, player) = match input.player {
        // aubridge only runs when a source and a player share a device name: a lone player on a
        // private name is a sink that costs no CPU (alsa,null spins a core).
        AudioPlayer::Silent => ("aubridge.so", "aubridge,nowhere".to_owned()),
        AudioPlayer::AlsaNull => ("alsa.so", "alsa,null".to_owned()),
        AudioPlayer::Pulse(_) => ("alsa.so", "alsa,default".to_owned()),
    };
    // The alsa module serves capture too; it is loaded once, with the player's if it has one.
    let source_module = match (&input.source, player_module) {
        (AudioSource::Pulse(_), module) if module != "alsa.so" => "module\t\t\talsa.so",
        _ => "",
    };
    let source = match input.source {
        AudioSource::Sine(hz) => format!("ausine,{hz}"),
        AudioSource::Wav(path) => format!("aufile,{}", path.display()),
        AudioSource::Pulse(_) => "alsa,default".to_owned(),
    };
    let sndfile = if input.record_dir.is_some() { "module\t\t\tsndfile.so" } else { "" };
    let rec = input.record_dir.map(|d| d.display().to_string()).unwrap_or_default();
    [
        ("@SIP_PORT@", p.sip.to_string()),
        ("@CTRL_PORT@", p.ctrl.to_string()),
        ("@CONS_PORT@", p.cons.to_string()),
        ("@RTP_MIN@", p.rtp_base.to_string()),
        ("@RTP_MAX@", (p.rtp_base + RTP_RANGE - 1).to_string()),
        ("@TLS_LINES@", tls),
        ("@MAX_CALLS@", input.max_calls.to_string()),
        ("@PLAYER_MODULE@", player_module.to_owned()),
        ("@SOURCE_MODULE@", source_module.to_owned()),
        ("@PLAYER@", player),
        ("@SOURCE@", source),
        ("@SNDFILE@", sndfile.to_owned()),
        ("@REC_DIR@", rec),
    ]
    .iter()
    .fold(TEMPLATE.to_owned(), |cfg, (key, value)| cfg.replace(key, value))
}

/// Who the instance is: a peer-to-peer identity on its own port, or a registered account.
#[derive(Debug, Clone)]
pub enum Identity {
    /// `sip:USER@127.0.0.1:PORT`, no registration.
    Direct {
        /// User part.
        user: String,
    },
    /// Registers `account` through its proxy.
    Registered(Box<SipAccount>),
}

/// Account-line media settings.
pub(super) struct AccountInput<'a> {
    pub identity: &'a Identity,
    pub sip_port: u16,
    pub media_enc: MediaEnc,
    pub codecs: &'a [Codec],
    pub answer_mode: AnswerMode,
    pub extra: &'a str,
}

/// The one line of the `accounts` file.
pub(super) fn account_line(input: &AccountInput<'_>) -> String {
    let mut line = match input.identity {
        Identity::Direct { user } => format!("<sip:{user}@127.0.0.1:{}>;regint=0", input.sip_port),
        Identity::Registered(a) => format!(
            "<sip:{user}@{domain};transport={t}>;auth_pass={pw};outbound=\"sip:{proxy};transport={t}\";regint=60",
            user = a.user,
            domain = a.domain,
            t = a.transport,
            pw = a.password,
            proxy = a.proxy,
        ),
    };
    let answer = match input.answer_mode {
        AnswerMode::Auto => "auto",
        AnswerMode::Manual => "manual",
    };
    line.push_str(&format!(";answermode={answer}"));
    if !input.codecs.is_empty() {
        let names: Vec<&str> = input.codecs.iter().map(|c| c.rtpmap()).collect();
        line.push_str(&format!(";audio_codecs={}", names.join(",")));
    }
    if let Some(enc) = input.media_enc.param() {
        line.push_str(&format!(";mediaenc={enc}"));
    }
    line.push_str(input.extra);
    line
}

/// Where the `sndfile` module writes `dump-<time>-dec.wav` (received) and `-enc.wav` (sent).
pub(super) fn record_dir(dir: &Path) -> PathBuf {
    dir.join("rec")
}
