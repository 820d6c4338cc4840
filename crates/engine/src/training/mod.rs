//! The built-in training line: with no account configured, the phone runs the real engine on a
//! loopback account whose only peer is a simulated line in the same process. The line places
//! scripted vishing calls (a verified colleague, a fake helpdesk, a neighbour-spoofed number, a
//! one-ring, a blocked number, an unverified stranger, the bank's number without proof); each is
//! screened by the trust core exactly like a real call, against a built-in trust context, and
//! comes with a lesson. The line also answers whatever the phone dials, so "verify by callback"
//! completes. Described in `docs/training-line.md`.

mod context;
mod legs;
mod line;
mod passport;
mod scenarios;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use crate::api::{ApiError, ErrorCode, PhoneEvent, RegistrationState, TrainingScenario};
use crate::config::{Account, AccountFile, SrtpKeying, SrtpPolicy};
use crate::phone::{Phone, PhoneEvents, stopped};
use crate::screening::unix_now;
use crate::start::StartError;
use crate::transport::{BindError, TlsSettings, Transport};

pub use context::ContextError;
use line::{Line, LineCommand};
pub use passport::KeyError;
use scenarios::{OWN_NUMBER, SCENARIOS, Scenario};

/// The account label the training line shows where a real account shows its address.
pub const TRAINING_ACCOUNT: &str = "Training line";

/// Why the training line cannot start: what is built in does not load (a packaging bug).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TrainingError {
    /// The built-in trust context does not build.
    #[error(transparent)]
    Context(#[from] ContextError),
    /// The built-in signing key does not parse.
    #[error(transparent)]
    Key(#[from] KeyError),
}

/// The phone's handle on its simulated line.
#[derive(Clone, Debug)]
pub(crate) struct TrainingLine {
    commands: mpsc::UnboundedSender<LineCommand>,
}

impl Phone {
    /// Starts a phone on the built-in training line: the real engine on a loopback account (no
    /// registrar, SRTP required) and the simulated line that calls it. The first event says the
    /// line is ready; every incoming call is marked `training`.
    pub async fn start_training() -> Result<(Phone, PhoneEvents), StartError> {
        Self::start_training_at(None).await
    }

    /// [`Phone::start_training`] with the encrypted vault in `storage`: the lock screen, call
    /// log (training calls marked), reports and blocking work as on a real line.
    pub async fn start_training_with(
        storage: crate::Storage,
    ) -> Result<(Phone, PhoneEvents), StartError> {
        Self::start_training_at(Some(storage)).await
    }

    async fn start_training_at(
        storage: Option<crate::Storage>,
    ) -> Result<(Phone, PhoneEvents), StartError> {
        let carrier = passport::Carrier::training().map_err(TrainingError::from)?;
        let trust = context::training_context(unix_now()).map_err(TrainingError::from)?;
        let line = Line::bind(carrier).await.map_err(|e| StartError::Bind(BindError::Udp(e)))?;
        let (mut phone, events, phone_addr) =
            Phone::start_at(training_account(line.local_addr(), trust), storage, true).await?;
        let (commands, line_commands) = mpsc::unbounded_channel();
        tokio::spawn(line.run(phone_addr, line_commands));
        phone.training = Some(TrainingLine { commands });
        Ok((phone, marked_as_training(events)))
    }

    /// The training line's scripted calls, in order. Only a phone on the training line has them.
    pub fn training_scenarios(&self) -> Result<Vec<TrainingScenario>, ApiError> {
        self.training.as_ref().ok_or_else(no_training_line)?;
        Ok(SCENARIOS.iter().map(Scenario::view).collect())
    }

    /// Has the training line place the scenario's call. Returns once the call went out; the
    /// phone then rings (or blocks it) like any call.
    pub async fn training_call(&self, scenario: &str) -> Result<(), ApiError> {
        let line = self.training.as_ref().ok_or_else(no_training_line)?;
        let scenario = scenarios::find(scenario).ok_or_else(|| {
            ApiError::new(ErrorCode::InvalidTarget, "There is no such training call.")
        })?;
        let (reply, answer) = oneshot::channel();
        line.commands.send(LineCommand::Place { scenario, reply }).map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

fn no_training_line() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidState,
        "Training calls come from the training line, which runs when no account is set up.",
    )
}

/// The training phone's account: the user's training number at the line's address (so that
/// whatever the phone dials reaches the line), the line as the only trusted peer.
fn training_account(line: SocketAddr, trust: trust::TrustContext) -> Account {
    let file = AccountFile {
        aor: format!("sip:{OWN_NUMBER}@{line}"),
        display_name: Some("Training phone".into()),
        transport: "udp".into(),
        system_roots: false,
        local_addr: Some(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))),
        trusted_peers: vec![line],
        srtp: SrtpPolicy::Required,
        srtp_keying: SrtpKeying::Sdes,
        ..AccountFile::default()
    };
    let tls = TlsSettings { system_roots: false, extra_ca_files: Vec::new() };
    Account { file, transport: Transport::Udp, password: None, tls, trust: Arc::new(trust) }
}

/// The engine's events with the training line's marks: the line is ready at once (it needs no
/// registrar), and every incoming call comes from the line.
fn marked_as_training(mut inner: PhoneEvents) -> PhoneEvents {
    let (tx, rx) = mpsc::unbounded_channel();
    let ready = RegistrationState::Registered { expires_secs: u32::MAX };
    let _ =
        tx.send(PhoneEvent::RegistrationChanged { account: TRAINING_ACCOUNT.into(), state: ready });
    tokio::spawn(async move {
        while let Some(event) = inner.next().await {
            let event = match event {
                PhoneEvent::IncomingCall { call, caller, verdict, .. } => {
                    PhoneEvent::IncomingCall { call, caller, verdict, training: true }
                }
                other => other,
            };
            if tx.send(event).is_err() {
                break;
            }
        }
    });
    PhoneEvents { rx }
}
