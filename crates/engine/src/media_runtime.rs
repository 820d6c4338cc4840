//! One thread per connected call that runs its media: it owns the call's UDP socket, its
//! [`CallMedia`] state machine and its [`AudioPort`], and loops over three things: a datagram
//! in (fed to the machine), the 20 ms frame clock (a microphone frame in, a speaker frame out)
//! and the machine's own timer (RTCP, DTLS retransmits, quality samples). Outputs go to the
//! socket or, as [`PhoneEvent`]s, to the shell.
//!
//! A thread rather than a tokio task: device streams are not `Send`, the frame clock must not
//! wait behind signalling work, and a blocking receive with a deadline is the cheapest way to
//! sleep until the next of those three things.

use std::io::ErrorKind;
use std::net::UdpSocket;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use media::call::{CallMedia, CallSummary, Input, MediaEvent, Output};
use media::dtmf::DtmfDigit;
use media::ice::IceEvent;
use media::quality::QualityAlert as MediaAlert;
use media::sdp::NegotiatedSession;
use tokio::sync::mpsc::{UnboundedSender, WeakUnboundedSender};

use crate::api::{CallKey, MediaSecurity, PhoneEvent, Quality, QualityAlert};
use crate::audio::AudioSetup;
use crate::audio_io::AudioPort;
use crate::calls::ice_link::{IceLink, STREAM_POLL};
use crate::phone::Command;

/// If the thread falls this far behind the frame clock (a loaded machine), it skips ahead
/// instead of sending a burst of frames.
const MAX_LAG: Duration = Duration::from_millis(100);
/// How often unplugged devices are looked for.
const DEVICE_CHECK: Duration = Duration::from_secs(1);
/// Larger than any datagram a peer may send us (DTLS flights included).
const DATAGRAM_MAX: usize = 4096;

/// What the driver tells a call's media thread.
#[derive(Debug)]
pub(crate) enum MediaCommand {
    /// A new offer/answer finished (hold, resume, new address or keys).
    Renegotiate(NegotiatedSession),
    /// Send a DTMF digit.
    Dtmf(DtmfDigit),
    /// Mute or unmute the microphone.
    Mute(bool),
}

/// Everything a media thread needs to run one call.
pub(crate) struct MediaStart {
    pub key: CallKey,
    pub socket: UdpSocket,
    pub media: CallMedia,
    /// The call's ICE agent, checks started, when the call uses ICE: every datagram then goes
    /// through it, and media only on (and from) the pair it selects.
    pub ice: Option<IceLink>,
    pub audio: AudioSetup,
    pub muted: bool,
    pub events: UnboundedSender<PhoneEvent>,
    /// To hang the call up when DTLS-SRTP fails (weak: it must not keep the engine alive).
    pub commands: Option<WeakUnboundedSender<Command>>,
}

/// The driver's handle on a running media thread; stops it when dropped.
#[derive(Debug)]
pub(crate) struct MediaTask {
    commands: Sender<MediaCommand>,
    thread: Option<JoinHandle<CallSummary>>,
}

impl MediaTask {
    /// Starts the thread.
    pub(crate) fn spawn(start: MediaStart) -> std::io::Result<Self> {
        let (commands, rx) = channel();
        let thread = std::thread::Builder::new()
            .name(format!("media-{}", start.key.0))
            .spawn(move || MediaLoop::new(start, rx).run())?;
        Ok(Self { commands, thread: Some(thread) })
    }

    /// Passes a command on; a stopped thread has nothing left to do with it.
    pub(crate) fn send(&self, command: MediaCommand) {
        let _ = self.commands.send(command);
    }

    /// Stops the thread (within one frame period) and returns the call's media summary.
    pub(crate) fn stop(mut self) -> Option<CallSummary> {
        self.stop_thread()
    }

    fn stop_thread(&mut self) -> Option<CallSummary> {
        // Closing the channel is the stop signal.
        let (closed, _) = channel();
        self.commands = closed;
        self.thread.take().and_then(|t| t.join().ok())
    }
}

impl Drop for MediaTask {
    fn drop(&mut self) {
        self.stop_thread();
    }
}

struct MediaLoop {
    key: CallKey,
    socket: UdpSocket,
    media: CallMedia,
    ice: Option<IceLink>,
    port: AudioPort,
    commands: Receiver<MediaCommand>,
    events: UnboundedSender<PhoneEvent>,
    hangup: Option<WeakUnboundedSender<Command>>,
    mic: Vec<i16>,
    timeout: Instant,
}

impl MediaLoop {
    fn new(start: MediaStart, commands: Receiver<MediaCommand>) -> Self {
        let mut media = start.media;
        media.handle_input(Instant::now(), Input::SetMute(start.muted));
        Self {
            key: start.key,
            socket: start.socket,
            port: AudioPort::open(&start.audio),
            mic: vec![0; media.frame_samples()],
            media,
            ice: start.ice,
            commands,
            events: start.events,
            hangup: start.commands,
            timeout: Instant::now(),
        }
    }

    fn run(mut self) -> CallSummary {
        let frame = Duration::from_millis(u64::from(self.media.negotiated().codec.ptime_ms));
        let mut next_frame = Instant::now();
        let mut next_check = Instant::now() + DEVICE_CHECK;
        let mut buf = vec![0u8; DATAGRAM_MAX];
        while self.commands() {
            let now = Instant::now();
            if now >= next_frame {
                self.frame(now);
                next_frame =
                    if now > next_frame + MAX_LAG { now + frame } else { next_frame + frame };
            }
            if now >= self.timeout {
                self.media.handle_input(now, Input::Tick);
            }
            if let Some(ice) = self.ice.as_mut() {
                if ice.session.poll_timeout().is_some_and(|t| t <= now) {
                    ice.session.handle_timeout(now);
                }
            }
            if now >= next_check {
                next_check = now + DEVICE_CHECK;
                self.port.check_devices();
            }
            self.drain();
            let ice_due = self.ice.as_mut().and_then(|i| i.session.poll_timeout());
            let mut until = next_frame.min(self.timeout);
            if self.ice.as_ref().is_some_and(IceLink::has_streams) {
                until = until.min(Instant::now() + STREAM_POLL);
            }
            self.receive(ice_due.map_or(until, |t| t.min(until)), &mut buf);
            self.read_streams();
        }
        if let Some(ice) = self.ice.as_mut() {
            // Frees our relay on the TURN server now rather than at its expiry.
            ice.session.close(Instant::now());
            ice.flush(&self.socket);
        }
        let summary = self.media.summary(Instant::now());
        if let Err(e) = self.port.finish() {
            let text = format!("The recording is incomplete: {e}");
            let _ = self.events.send(PhoneEvent::DeviceFailed { text });
        }
        summary
    }

    /// Applies waiting commands; false once the driver has let go of the call.
    fn commands(&mut self) -> bool {
        loop {
            let command = match self.commands.try_recv() {
                Ok(command) => command,
                Err(TryRecvError::Empty) => return true,
                Err(TryRecvError::Disconnected) => return false,
            };
            let now = Instant::now();
            match command {
                MediaCommand::Renegotiate(neg) => self.renegotiate(neg),
                MediaCommand::Dtmf(digit) => self.media.handle_input(now, Input::SendDtmf(digit)),
                MediaCommand::Mute(muted) => self.media.handle_input(now, Input::SetMute(muted)),
            }
        }
    }

    /// One frame period: a microphone frame to the machine, a speaker frame to the sink.
    fn frame(&mut self, now: Instant) {
        self.port.capture(&mut self.mic);
        self.media.handle_input(now, Input::Capture(&self.mic));
        let speaker = self.media.playout(now);
        self.port.play(&speaker);
    }

    /// Waits for one datagram until `until` (at least a millisecond) and feeds it.
    fn receive(&mut self, until: Instant, buf: &mut [u8]) {
        let wait = until.saturating_duration_since(Instant::now()).max(Duration::from_millis(1));
        if self.socket.set_read_timeout(Some(wait)).is_err() {
            return;
        }
        match self.socket.recv_from(buf) {
            Ok((n, from)) => {
                let data = buf.get(..n).unwrap_or_default();
                let now = Instant::now();
                match self.ice.as_mut() {
                    Some(ice) => {
                        if let Some(media) = ice.session.handle_datagram(now, from, data) {
                            let datagram = Input::Datagram { from: media.from, data: &media.data };
                            self.media.handle_input(now, datagram);
                        }
                    }
                    None => self.media.handle_input(now, Input::Datagram { from, data }),
                }
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            // ICMP errors from a peer that went away; the call's signalling ends it.
            Err(e) => tracing::debug!(error = %e, "media socket"),
        }
    }

    /// Feeds media that arrived over TCP/TLS connections to TURN servers.
    fn read_streams(&mut self) {
        let Some(ice) = self.ice.as_mut().filter(|i| i.has_streams()) else { return };
        let now = Instant::now();
        for m in ice.read_streams(now) {
            self.media.handle_input(now, Input::Datagram { from: m.from, data: &m.data });
        }
    }

    /// Performs every output the machine has ready and notes its next timer.
    fn drain(&mut self) {
        loop {
            match self.media.poll_output() {
                Output::Transmit(t) => match self.ice.as_mut() {
                    // Before a pair is selected there is nowhere to send: dropped.
                    Some(ice) => _ = ice.session.send(Instant::now(), &t.data),
                    None => {
                        if let Err(e) = self.socket.send_to(&t.data, t.to) {
                            tracing::debug!(error = %e, "media send failed");
                        }
                    }
                },
                Output::Event(event) => self.media_event(event),
                Output::Timeout(at) => {
                    self.timeout = at;
                    break;
                }
            }
        }
        while let Some(text) = self.port.poll_problem() {
            self.emit(PhoneEvent::DeviceFailed { text });
        }
        self.drain_ice();
    }

    /// Sends what ICE has ready and acts on its events.
    fn drain_ice(&mut self) {
        let Some(ice) = self.ice.as_mut() else { return };
        ice.flush(&self.socket);
        let mut events = Vec::new();
        while let Some(event) = ice.session.poll_event() {
            events.push(event);
        }
        for event in events {
            match event {
                IceEvent::Connected(pair) => {
                    let (local, remote, relay) = (pair.local, pair.remote, pair.relay);
                    tracing::info!(?local, ?remote, ?relay, "ICE selected a pair");
                    let neg = self.media.negotiated().clone();
                    self.renegotiate(neg);
                }
                IceEvent::Failed => {
                    tracing::warn!("ICE failed or consent expired; ending the call");
                    self.hang_up();
                }
                other => tracing::debug!(?other, "ICE"),
            }
        }
    }

    /// Applies a negotiation; with ICE, media goes to (and must come from) the selected pair,
    /// whatever address the SDP's default candidate names.
    fn renegotiate(&mut self, mut neg: NegotiatedSession) {
        if let Some(pair) = self.ice.as_ref().and_then(|i| i.session.selected()) {
            neg.remote_rtp = pair.remote_addr;
            neg.remote_rtcp = pair.remote_addr;
        }
        self.media.renegotiate(neg);
    }

    fn media_event(&mut self, event: MediaEvent) {
        let call = self.key.clone();
        let event = match event {
            MediaEvent::Dtmf(digit) => {
                PhoneEvent::DtmfReceived { call, digit: digit.as_char().to_string() }
            }
            MediaEvent::Quality(s) => PhoneEvent::QualityUpdated {
                call,
                quality: Quality {
                    loss_percent: (s.loss_ratio * 100.0) as f32,
                    jitter_ms: s.jitter_ms as f32,
                    rtt_ms: s.rtt_ms.map(|r| r as f32),
                    mos: s.mos as f32,
                },
            },
            MediaEvent::Alert(change) if change.active => {
                PhoneEvent::QualityAlerted { call, alert: alert(change.alert) }
            }
            MediaEvent::Alert(_) => return,
            MediaEvent::Secured(suite) => PhoneEvent::MediaSecured {
                call,
                security: MediaSecurity::DtlsSrtp { suite: suite.name().to_owned() },
            },
            MediaEvent::SecurityFailed(_) => {
                // The reason may name the peer's address: it stays out of the log.
                tracing::warn!("DTLS-SRTP failed; ending the call");
                return self.hang_up();
            }
        };
        self.emit(event);
    }

    /// Asks the driver to end a call whose media cannot be secured.
    fn hang_up(&self) {
        if let Some(commands) = self.hangup.as_ref().and_then(WeakUnboundedSender::upgrade) {
            let (reply, _) = tokio::sync::oneshot::channel();
            let _ = commands.send(Command::Hangup { call: self.key.clone(), reply });
        }
    }

    fn emit(&self, event: PhoneEvent) {
        let _ = self.events.send(event);
    }
}

fn alert(alert: MediaAlert) -> QualityAlert {
    match alert {
        MediaAlert::HighLoss => QualityAlert::Loss,
        MediaAlert::HighJitter => QualityAlert::Jitter,
        MediaAlert::HighLatency => QualityAlert::Latency,
        MediaAlert::LowMos => QualityAlert::Mos,
    }
}
