//! [`Phone`]: the handle the shell and the CLI hold. Each method sends one command to the engine's
//! driver task and waits for its answer; what happens afterwards arrives as [`PhoneEvent`]s.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};
use trust::{E164, TrustContext};

use crate::api::{ApiError, CallKey, ErrorCode, PhoneEvent};
use crate::audio::{AudioSetup, DeviceChoice, DeviceName};

/// A command for the driver, with the channel its answer goes back on.
#[derive(Debug)]
pub(crate) enum Command {
    Dial { target: String, confirmed: bool, reply: oneshot::Sender<Result<CallKey, ApiError>> },
    Answer { call: CallKey, reply: Reply },
    Decline { call: CallKey, reply: Reply },
    Hangup { call: CallKey, reply: Reply },
    Hold { call: CallKey, reply: Reply },
    Resume { call: CallKey, reply: Reply },
    SetMuted { call: CallKey, muted: bool, reply: Reply },
    SendDtmf { call: CallKey, digits: String, reply: Reply },
    Transfer { call: CallKey, target: String, reply: Reply },
    CallbackVerify { call: CallKey, reply: oneshot::Sender<Result<CallKey, ApiError>> },
    SetAudio { setup: AudioSetup, reply: Reply },
    AudioTest { on: bool, reply: Reply },
    ChooseDevices { input: DeviceChoice, output: DeviceChoice, reply: Reply },
    Audio { reply: oneshot::Sender<Result<AudioSetup, ApiError>> },
    // The user's lists changed: screen against this context, decline a ringing call from `decline`.
    Screen { trust: Arc<TrustContext>, decline: Option<E164>, reply: Option<Reply> },
    Shutdown,
}

pub(crate) type Reply = oneshot::Sender<Result<(), ApiError>>;

/// The running phone. Cheap to clone; every clone talks to the same engine.
#[derive(Clone, Debug)]
pub struct Phone {
    commands: mpsc::UnboundedSender<Command>,
    /// The simulated line, when this phone runs on the built-in training line.
    pub(crate) training: Option<crate::training::TrainingLine>,
    /// The vault task, when the phone was started with storage.
    pub(crate) vault: Option<crate::phone_vault::VaultHandle>,
}

/// The events a running phone emits, in order.
#[derive(Debug)]
pub struct PhoneEvents {
    pub(crate) rx: mpsc::UnboundedReceiver<PhoneEvent>,
}

impl PhoneEvents {
    /// The next event, or `None` once the engine has stopped.
    pub async fn next(&mut self) -> Option<PhoneEvent> {
        self.rx.recv().await
    }
}

impl Phone {
    pub(crate) fn new(commands: mpsc::UnboundedSender<Command>) -> Self {
        Self { commands, training: None, vault: None }
    }

    /// Calls a number or SIP address. The outbound guard may refuse it (`DestinationRefused`:
    /// policy forbids it) or ask for confirmation first (`DestinationWarning`: a one-ring
    /// callback or a high-cost range; see [`Phone::dial_confirmed`]).
    pub async fn dial(&self, target: String) -> Result<CallKey, ApiError> {
        self.ask(|reply| Command::Dial { target, confirmed: false, reply }).await
    }

    /// Calls after the user confirmed the outbound guard's warning. Policy blocks still apply.
    pub async fn dial_confirmed(&self, target: String) -> Result<CallKey, ApiError> {
        self.ask(|reply| Command::Dial { target, confirmed: true, reply }).await
    }

    /// Answers a ringing incoming call.
    pub async fn answer(&self, call: CallKey) -> Result<(), ApiError> {
        self.ask(|reply| Command::Answer { call, reply }).await
    }

    /// Declines a ringing incoming call.
    pub async fn decline(&self, call: CallKey) -> Result<(), ApiError> {
        self.ask(|reply| Command::Decline { call, reply }).await
    }

    /// Ends a call in any state (cancels an outgoing call that is not answered yet).
    pub async fn hangup(&self, call: CallKey) -> Result<(), ApiError> {
        self.ask(|reply| Command::Hangup { call, reply }).await
    }

    /// Puts a connected call on hold.
    pub async fn hold(&self, call: CallKey) -> Result<(), ApiError> {
        self.ask(|reply| Command::Hold { call, reply }).await
    }

    /// Resumes a held call.
    pub async fn resume(&self, call: CallKey) -> Result<(), ApiError> {
        self.ask(|reply| Command::Resume { call, reply }).await
    }

    /// Mutes or unmutes the microphone on a call.
    pub async fn set_muted(&self, call: CallKey, muted: bool) -> Result<(), ApiError> {
        self.ask(|reply| Command::SetMuted { call, muted, reply }).await
    }

    /// Sends DTMF digits (0-9, *, #, A-D) on a connected call.
    pub async fn send_dtmf(&self, call: CallKey, digits: String) -> Result<(), ApiError> {
        self.ask(|reply| Command::SendDtmf { call, digits, reply }).await
    }

    /// Transfers a connected call to another number (blind transfer).
    pub async fn transfer(&self, call: CallKey, target: String) -> Result<(), ApiError> {
        self.ask(|reply| Command::Transfer { call, target, reply }).await
    }

    /// Ends a suspicious call and dials the directory number its verdict names. Returns the new
    /// outgoing call.
    pub async fn callback_verify(&self, call: CallKey) -> Result<CallKey, ApiError> {
        self.ask(|reply| Command::CallbackVerify { call, reply }).await
    }

    /// Chooses where audio comes from and goes to for calls that connect from now on (the
    /// default is the system's microphone and speaker).
    pub async fn set_audio(&self, setup: AudioSetup) -> Result<(), ApiError> {
        self.ask(|reply| Command::SetAudio { setup, reply }).await
    }

    /// Starts or stops the audio test: the microphone played back on the speaker half a second
    /// later, with both levels as `AudioLevels` events. Refused during a call; a call that
    /// starts stops it.
    pub async fn audio_test(&self, on: bool) -> Result<(), ApiError> {
        self.ask(|reply| Command::AudioTest { on, reply }).await
    }

    /// Chooses the microphone and speaker by name (`None`: follow the system default) for the
    /// calls that connect from now on and the audio test. A name the system does not list is
    /// refused (`InvalidTarget`).
    pub async fn choose_devices(
        &self,
        input: Option<String>,
        output: Option<String>,
    ) -> Result<(), ApiError> {
        // Listing devices talks to the sound server: off the async runtime.
        let listed =
            tokio::task::spawn_blocking(crate::settings_view::devices).await.unwrap_or_default();
        let input = choice(input, &listed.inputs, "microphone")?;
        let output = choice(output, &listed.outputs, "speaker")?;
        self.ask(|reply| Command::ChooseDevices { input, output, reply }).await
    }

    /// The audio source and sink calls use now.
    pub(crate) async fn audio(&self) -> Result<AudioSetup, ApiError> {
        self.ask(|reply| Command::Audio { reply }).await
    }

    /// Stops the engine: calls are hung up, registrations removed.
    pub fn shutdown(&self) {
        // A send error means the engine already stopped, which is what was asked.
        let _ = self.commands.send(Command::Shutdown);
    }

    async fn ask<T>(
        &self,
        command: impl FnOnce(oneshot::Sender<Result<T, ApiError>>) -> Command,
    ) -> Result<T, ApiError> {
        let (reply, answer) = oneshot::channel();
        self.commands.send(command(reply)).map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// A device choice by name, checked against the devices the system lists.
fn choice(name: Option<String>, listed: &[String], what: &str) -> Result<DeviceChoice, ApiError> {
    match name {
        None => Ok(DeviceChoice::Default),
        Some(name) if listed.contains(&name) => Ok(DeviceChoice::Named(DeviceName(name))),
        Some(_) => Err(ApiError::new(
            ErrorCode::InvalidTarget,
            format!("That {what} is not connected any more."),
        )),
    }
}

pub(crate) fn stopped() -> ApiError {
    ApiError::new(ErrorCode::EngineStopped, "The phone engine has stopped.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_chosen_only_by_a_name_the_system_lists() {
        let listed = vec!["Headset".to_owned()];
        assert_eq!(choice(None, &listed, "speaker").ok(), Some(DeviceChoice::Default));
        let named = choice(Some("Headset".into()), &listed, "speaker").ok();
        assert_eq!(named, Some(DeviceChoice::Named(DeviceName("Headset".into()))));
        let gone = choice(Some("USB".into()), &listed, "speaker").unwrap_err();
        assert_eq!(gone.code, ErrorCode::InvalidTarget);
    }
}
