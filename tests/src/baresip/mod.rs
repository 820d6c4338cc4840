//! baresip as a scriptable far-end phone: direct or registered, with SRTP/DTLS-SRTP, a chosen
//! codec and tone, auto or manual answer, recording of received audio.

mod config;
mod cons;
mod ctrl;
mod event;
mod instance;
mod options;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

pub use config::{BaresipPorts, Identity};
pub use ctrl::{Ctrl, Response};
pub use event::{Event, EventKind};
pub use instance::Baresip;
pub use options::{AnswerMode, AudioPlayer, AudioSource, Codec, MediaEnc};

use crate::account::Transport;
use crate::error::PeerError;
use crate::net::{
    free_tcp_port, free_udp_range, free_udp_tcp_port, loopback, start_with_retries, tcp_accepting,
};
use crate::pki::TlsCert;
use crate::process::PeerProcess;
use crate::workdir::{create_dir, workdir, write_file};

const PEER: &str = "baresip";
const READY_TIMEOUT: Duration = Duration::from_secs(15);

/// Configures a [`Baresip`] before start.
#[derive(Debug, Clone)]
pub struct BaresipBuilder {
    identity: Identity,
    media_enc: MediaEnc,
    codecs: Vec<Codec>,
    source: AudioSource,
    player: AudioPlayer,
    answer_mode: AnswerMode,
    record: bool,
    extra: String,
    max_calls: u32,
    sip_trace: bool,
}

impl BaresipBuilder {
    fn new(identity: Identity) -> Self {
        Self {
            identity,
            media_enc: MediaEnc::None,
            codecs: Vec::new(),
            source: AudioSource::Sine(440),
            player: AudioPlayer::Silent,
            answer_mode: AnswerMode::Auto,
            record: true,
            extra: String::new(),
            max_calls: 4,
            sip_trace: false,
        }
    }

    /// Sets media encryption (default none).
    pub fn media_enc(mut self, enc: MediaEnc) -> Self {
        self.media_enc = enc;
        self
    }

    /// Offers only `codec` (default: baresip's own list).
    pub fn codec(mut self, codec: Codec) -> Self {
        self.codecs = vec![codec];
        self
    }

    /// Offers `codecs` in this order.
    pub fn codecs(mut self, codecs: &[Codec]) -> Self {
        self.codecs = codecs.to_vec();
        self
    }

    /// Sets what is sent (default: a 440 Hz sine).
    pub fn source(mut self, source: AudioSource) -> Self {
        self.source = source;
        self
    }

    /// Sets where received audio plays (default: [`AudioPlayer::Silent`]).
    pub fn player(mut self, player: AudioPlayer) -> Self {
        self.player = player;
        self
    }

    /// Sets how calls are answered (default: auto).
    pub fn answer_mode(mut self, mode: AnswerMode) -> Self {
        self.answer_mode = mode;
        self
    }

    /// Records received and sent audio per call with `sndfile` (default on).
    pub fn record(mut self, record: bool) -> Self {
        self.record = record;
        self
    }

    /// Appends raw account parameters, e.g. `";ptime=30"` (each starts with `;`).
    pub fn account_params(mut self, params: &str) -> Self {
        self.extra.push_str(params);
        self
    }

    /// Limits concurrent calls (`call_max_calls`, default 4); more are rejected with 486.
    pub fn max_calls(mut self, max: u32) -> Self {
        self.max_calls = max;
        self
    }

    /// Logs every SIP message (`-s`) into the log.
    pub fn sip_trace(mut self, on: bool) -> Self {
        self.sip_trace = on;
        self
    }

    /// Writes the configuration, starts baresip and connects to its control port.
    pub fn start(self) -> Result<Baresip, PeerError> {
        if let Identity::Registered(a) = &self.identity
            && matches!(a.transport, Transport::Ws | Transport::Wss)
        {
            let what =
                format!("SIP over {} (baresip 1.0.0 has no WebSocket transport)", a.transport);
            return Err(PeerError::Unsupported { peer: PEER, what });
        }
        let dir = workdir("baresip-")?;
        let rec = config::record_dir(dir.path());
        create_dir(&rec)?;
        let tls = self.needs_tls().then(|| TlsCert::generate(dir.path())).transpose()?;
        let (process, ctrl, ports) =
            start_with_retries(|attempt| self.launch(dir.path(), tls.as_ref(), &rec, attempt))?;
        Ok(Baresip::new(process, ctrl, ports, self.identity, rec, dir))
    }

    /// Writes the files for new free ports, spawns baresip and connects to `ctrl_tcp`.
    fn launch(
        &self,
        dir: &Path,
        tls: Option<&TlsCert>,
        rec: &Path,
        attempt: usize,
    ) -> Result<(PeerProcess, Ctrl, BaresipPorts), PeerError> {
        let ports = free_ports()?;
        self.write_files(dir, ports, tls, rec)?;
        let log = dir.join(format!("baresip-{attempt}.log"));
        let mut process = PeerProcess::spawn(PEER, &self.command(dir), &log)?;
        let ctrl = connect(&mut process, ports)?;
        Ok((process, ctrl, ports))
    }

    fn needs_tls(&self) -> bool {
        matches!(&self.identity, Identity::Registered(a) if a.transport == Transport::Tls)
    }

    fn write_files(
        &self,
        dir: &Path,
        ports: BaresipPorts,
        tls: Option<&TlsCert>,
        rec: &Path,
    ) -> Result<(), PeerError> {
        let ca = match &self.identity {
            Identity::Registered(a) => a.ca_cert.as_deref(),
            Identity::Direct { .. } => None,
        };
        let cfg = config::render(&config::ConfigInput {
            ports,
            player: &self.player,
            source: &self.source,
            record_dir: self.record.then_some(rec),
            tls_certificate: tls.map(|t| t.combined.as_path()),
            ca_file: ca,
            max_calls: self.max_calls,
        });
        write_file(&dir.join("config"), &cfg)?;
        let line = config::account_line(&config::AccountInput {
            identity: &self.identity,
            sip_port: ports.sip,
            media_enc: self.media_enc,
            codecs: &self.codecs,
            answer_mode: self.answer_mode,
            extra: &self.extra,
        });
        write_file(&dir.join("accounts"), &format!("{line}\n"))?;
        write_file(&dir.join("contacts"), "")
    }

    fn command(&self, dir: &Path) -> Command {
        let mut cmd = Command::new("baresip");
        cmd.arg("-f").arg(dir);
        if self.sip_trace {
            cmd.arg("-s");
        }
        if let (AudioPlayer::Pulse(server), _) | (_, AudioSource::Pulse(server)) =
            (&self.player, &self.source)
        {
            cmd.env("PULSE_SERVER", server);
        }
        cmd
    }
}

/// SIP port `p` free for UDP and TCP with `p + 1` free for TCP (baresip's TLS listener).
fn free_ports() -> Result<BaresipPorts, PeerError> {
    let sip = loop {
        let p = free_udp_tcp_port()?;
        if p < u16::MAX && std::net::TcpListener::bind(loopback(p + 1)).is_ok() {
            break p;
        }
    };
    Ok(BaresipPorts {
        sip,
        ctrl: free_tcp_port()?,
        cons: free_udp_tcp_port()?,
        rtp_base: free_udp_range(config::RTP_RANGE)?,
    })
}

fn connect(process: &mut PeerProcess, ports: BaresipPorts) -> Result<Ctrl, PeerError> {
    // baresip keeps running when a module cannot bind its port (then someone else owns it), so
    // readiness is "all modules loaded" and no bind error, before trusting the control port.
    process.wait_for_log("baresip is ready.", READY_TIMEOUT)?;
    if process.log().contains("in use") {
        return Err(PeerError::PortTaken { peer: PEER, log_tail: process.log_tail() });
    }
    let addr = loopback(ports.ctrl);
    process.wait_for("ctrl_tcp listener", READY_TIMEOUT, |_| tcp_accepting(addr).then_some(()))?;
    Ctrl::connect(addr)
}
