//! Real SIP and media peers on loopback for Callwarden's interop tests.
//!
//! Every peer instance gets its own temporary working directory and free ports chosen at run
//! time (bind `127.0.0.1:0`, release, use; a start that loses the race retries with new ports),
//! so tests run in parallel processes (`cargo nextest`) next to other programs. Everything binds
//! to 127.0.0.1. A peer is spawned in its own process group under coreutils `timeout` (a
//! ten-minute ceiling even if the test process dies) and stopped by PID on drop: SIGTERM, a
//! deadline, then SIGKILL, also when the test panics. Readiness is a condition with a deadline
//! (a SIP OPTIONS answered, a STUN binding answered, a control port accepting); errors carry the
//! tail of the peer's log. Set [`workdir::KEEP_DIRS_ENV`] (`INTEROP_KEEP_DIRS=1`) to keep the
//! working directories for reading logs and recordings.
//!
//! # Kamailio: registrar, proxy, STIR/SHAKEN signer
//!
//! Users 1001–1003 (passwords pw1001–pw1003, realm `127.0.0.1`; attestation A, B, C), listeners
//! UDP+TCP, TLS, WS and WSS, a self-signed TLS certificate, an ES256 STI PKI whose x5u document a
//! tiny HTTP server serves. Every initial INVITE from an authenticated user leaves signed; a
//! request header `X-Attest: A|B|C` overrides the level.
//!
//! ```no_run
//! use std::time::Duration;
//! use interop::{Kamailio, Transport};
//!
//! let mut kam = Kamailio::start()?;
//! let account = kam.account("1001", Transport::Tls).expect("default user");
//! // Configure the phone under test with account.proxy, account.user, account.password and
//! // trust account.ca_cert; configure its STIR verifier with kam.stir().root_ca.
//! kam.wait_registered("1001", Duration::from_secs(10))?;
//! let invites = kam.wait_forwarded_invites(1, Duration::from_secs(10))?;
//! let claims = invites[0].passport_claims().expect("signed");
//! assert_eq!(claims["attest"], "A");
//! # Ok::<(), interop::PeerError>(())
//! ```
//!
//! # baresip: the far-end phone
//!
//! Direct (`sip:USER@127.0.0.1:PORT`) or registered; SDES-SRTP or DTLS-SRTP; Opus, PCMU or G.722;
//! a sine or WAV source; auto or manual answer; received audio recorded per call. Driven over
//! `ctrl_tcp` (dial, accept, hangup, DTMF, quit) and its console (hold, resume), with an event
//! stream.
//!
//! ```no_run
//! use std::time::Duration;
//! use interop::Baresip;
//! use interop::baresip::{AudioSource, Codec, EventKind, MediaEnc};
//! use interop::tone::analyse_wav;
//!
//! let t = Duration::from_secs(10);
//! let mut bob = Baresip::direct("bob")
//!     .media_enc(MediaEnc::SrtpMand)
//!     .codec(Codec::Opus)
//!     .source(AudioSource::Sine(1000))
//!     .start()?;
//! // ... the phone under test calls bob.uri() ...
//! bob.wait_for_event(EventKind::CallEstablished, t)?;
//! bob.wait_received_audio(Duration::from_secs(3), t)?;
//! bob.hangup()?; // or hold()/resume(), send_dtmf('5'), ...
//! bob.wait_for_event(EventKind::CallClosed, t)?;
//! let heard = analyse_wav(&bob.received_audio()?, 440.0, Duration::from_millis(300))?;
//! assert!(heard.fraction() >= 0.95);
//! # Ok::<(), interop::PeerError>(())
//! ```
//!
//! # sipp: scripted SIP edge cases
//!
//! Project scenarios ([`Scenario`]) or your own file, as client or server, on free local ports;
//! the outcome is sipp's exit code plus its call counters.
//!
//! ```no_run
//! use interop::{Scenario, Sipp};
//!
//! let busy = Sipp::uas(Scenario::UasBusy).spawn()?;
//! // ... the phone under test calls busy.uri("callee") and must report "busy" ...
//! assert!(busy.wait()?.all_succeeded());
//! # Ok::<(), interop::PeerError>(())
//! ```
//!
//! # coturn: STUN and TURN
//!
//! ```no_run
//! use interop::Coturn;
//!
//! let turn = Coturn::start()?;
//! let (user, password) = turn.credentials();
//! // Give the phone under test turn.turn_uri(), user and password.
//! assert!(turn.stun_binding()?.starts_with("127.0.0.1:"));
//! # Ok::<(), interop::PeerError>(())
//! ```
//!
//! # PulseAudio: a private null sink
//!
//! ```no_run
//! use interop::Baresip;
//! use interop::baresip::AudioPlayer;
//! use interop::pulse::PulseAudio;
//!
//! let pulse = PulseAudio::start()?;
//! let phone = Baresip::direct("carol").player(AudioPlayer::Pulse(pulse.server())).start()?;
//! // cpal tests: run with PULSE_SERVER=pulse.server() in the environment.
//! # Ok::<(), interop::PeerError>(())
//! ```
#![forbid(unsafe_code)]

pub mod account;
pub mod baresip;
mod command;
pub mod coturn;
pub mod error;
pub mod http;
pub mod kamailio;
pub mod net;
pub mod pki;
pub mod process;
pub mod pulse;
pub mod sipp;
pub mod tone;
pub mod wait;
#[cfg(feature = "e2e")]
pub mod webview;
pub mod workdir;

pub use account::{SipAccount, Transport};
pub use baresip::Baresip;
pub use coturn::Coturn;
pub use error::PeerError;
pub use kamailio::{Attestation, Kamailio};
pub use sipp::{Scenario, Sipp};
