//! `callwarden-cli register | call | answer`: the engine's `Phone` against a real server,
//! configured by an account file (docs/account-file.md). Every `PhoneEvent` is printed as one
//! JSON line on stdout, so scripts and tests can follow the call. Call audio uses the sound
//! devices, or WAV files with `--play` and `--record`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;
use engine::api::{PhoneEvent, RegistrationState};
use engine::audio::DeviceChoice;
use engine::{Account, AudioSetup, AudioSink, AudioSource, Phone, PhoneEvents};
use tokio::time::{Instant, timeout_at};

/// Options every phone command takes.
#[derive(Args)]
pub struct AccountArgs {
    /// The account file (TOML).
    #[arg(long)]
    account: PathBuf,
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
}

/// Where call audio comes from and goes to; the sound devices unless a file is named.
#[derive(Args)]
pub struct AudioArgs {
    /// Send this WAV file (16-bit PCM, mono or stereo, 8/16/24/48 kHz) instead of the
    /// microphone; silence follows its end.
    #[arg(long, value_name = "FILE.wav")]
    play: Option<PathBuf>,
    /// Write what the other side says to this WAV file (48 kHz mono) instead of the speaker.
    #[arg(long, value_name = "FILE.wav")]
    record: Option<PathBuf>,
    /// No echo cancellation, noise suppression or gain control on the sound devices (a
    /// headset needs none; benchmarks measure their cost with it).
    #[arg(long)]
    no_voice_processing: bool,
}

impl AudioArgs {
    fn setup(&self) -> anyhow::Result<AudioSetup> {
        let source = match &self.play {
            Some(path) if !path.is_file() => bail!("--play: no such file: {}", path.display()),
            Some(path) => AudioSource::Wav(path.clone()),
            None => AudioSource::Device(DeviceChoice::Default),
        };
        let sink = match &self.record {
            Some(path) => AudioSink::Wav(path.clone()),
            None => AudioSink::Device(DeviceChoice::Default),
        };
        Ok(AudioSetup { source, sink, voice_processing: !self.no_voice_processing })
    }
}

/// `register`: register, optionally hold the binding, then unregister.
#[derive(Args)]
pub struct RegisterArgs {
    #[command(flatten)]
    account: AccountArgs,
    /// Stay registered this many seconds (refreshes happen meanwhile) before unregistering.
    #[arg(long, default_value_t = 0)]
    hold: u64,
}

/// `call`: call a number or SIP address.
#[derive(Args)]
pub struct CallArgs {
    #[command(flatten)]
    account: AccountArgs,
    /// A number (dialled at the registrar's domain) or a sip: URI.
    target: String,
    /// Seconds to stay connected before hanging up.
    #[arg(long, default_value_t = 3)]
    duration: u64,
    /// Put the call on hold and resume it once while connected.
    #[arg(long)]
    hold_resume: bool,
    /// Hang up this many seconds after dialling, before any answer (CANCEL).
    #[arg(long)]
    cancel_after: Option<u64>,
    #[command(flatten)]
    audio: AudioArgs,
}

/// `answer`: wait for calls and answer (or reject) them.
#[derive(Args)]
pub struct AnswerArgs {
    #[command(flatten)]
    account: AccountArgs,
    /// How many calls to handle before exiting.
    #[arg(long, default_value_t = 1)]
    calls: u32,
    /// Decline instead of answering.
    #[arg(long)]
    decline: bool,
    /// Hang up after this many seconds connected; by default wait for the caller to hang up.
    #[arg(long)]
    hangup_after: Option<u64>,
    #[command(flatten)]
    audio: AudioArgs,
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the runtime")
}

async fn start(args: &AccountArgs) -> anyhow::Result<(Phone, PhoneEvents, Instant)> {
    let account = Account::load(&args.account)?;
    let (phone, events) = Phone::start(account).await?;
    Ok((phone, events, Instant::now() + Duration::from_secs(args.timeout)))
}

/// Starts the phone with the audio the command line chose.
async fn start_with_audio(
    args: &AccountArgs,
    audio: &AudioArgs,
) -> anyhow::Result<(Phone, PhoneEvents, Instant)> {
    let setup = audio.setup()?;
    let (phone, events, deadline) = start(args).await?;
    phone.set_audio(setup).await?;
    Ok((phone, events, deadline))
}

/// Prints one event as a JSON line and returns it.
async fn next(events: &mut PhoneEvents, deadline: Instant) -> anyhow::Result<PhoneEvent> {
    let event = timeout_at(deadline, events.next())
        .await
        .context("timed out waiting for the next event")?
        .context("the engine stopped")?;
    println!("{}", serde_json::to_string(&event)?);
    Ok(event)
}

async fn until<T>(
    events: &mut PhoneEvents,
    deadline: Instant,
    mut pick: impl FnMut(&PhoneEvent) -> Option<anyhow::Result<T>>,
) -> anyhow::Result<T> {
    loop {
        if let Some(result) = pick(&next(events, deadline).await?) {
            return result;
        }
    }
}

async fn registered(events: &mut PhoneEvents, deadline: Instant) -> anyhow::Result<()> {
    until(events, deadline, |e| match e {
        PhoneEvent::RegistrationChanged { state: RegistrationState::Registered { .. }, .. } => {
            Some(Ok(()))
        }
        PhoneEvent::RegistrationChanged { state: RegistrationState::Failed { reason }, .. } => {
            Some(Err(anyhow::anyhow!("registration failed: {reason}")))
        }
        _ => None,
    })
    .await
}

pub fn register(args: RegisterArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let (phone, mut events, deadline) = start(&args.account).await?;
        registered(&mut events, deadline).await?;
        let hold_until = Instant::now() + Duration::from_secs(args.hold);
        while Instant::now() < hold_until {
            // Refreshes show up as further RegistrationChanged events.
            if timeout_at(hold_until, next(&mut events, hold_until + Duration::from_secs(3600)))
                .await
                .is_err()
            {
                break;
            }
        }
        phone.shutdown();
        let deadline = Instant::now() + Duration::from_secs(10);
        until(&mut events, deadline, |e| match e {
            PhoneEvent::RegistrationChanged { state: RegistrationState::Unregistered, .. } => {
                Some(Ok(()))
            }
            _ => None,
        })
        .await
        .or_else(|e| if format!("{e:#}").contains("engine stopped") { Ok(()) } else { Err(e) })?;
        Ok(ExitCode::SUCCESS)
    })
}

pub fn call(args: CallArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let (phone, mut events, deadline) = start_with_audio(&args.account, &args.audio).await?;
        let account = Account::load(&args.account.account)?;
        if account.file.registrar.is_some() {
            registered(&mut events, deadline).await?;
        }
        let call = phone.dial(args.target.clone()).await?;
        if let Some(secs) = args.cancel_after {
            tokio::time::sleep(Duration::from_secs(secs)).await;
            phone.hangup(call.clone()).await?;
        }
        let answered = until(&mut events, deadline, |e| match e {
            PhoneEvent::Answered { call: c } if *c == call => Some(Ok(true)),
            PhoneEvent::Ended { call: c, .. } if *c == call => Some(Ok(false)),
            _ => None,
        })
        .await?;
        if !answered {
            phone.shutdown();
            return Ok(if args.cancel_after.is_some() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(3)
            });
        }
        if args.hold_resume {
            phone.hold(call.clone()).await?;
            until(&mut events, deadline, |e| {
                matches!(e, PhoneEvent::Held { by_remote: false, .. }).then_some(Ok(()))
            })
            .await?;
            phone.resume(call.clone()).await?;
            until(&mut events, deadline, |e| {
                matches!(e, PhoneEvent::Resumed { .. }).then_some(Ok(()))
            })
            .await?;
        }
        let talk_until = Instant::now() + Duration::from_secs(args.duration);
        let ended_by_peer = timeout_at(
            talk_until,
            until(&mut events, deadline, |e| {
                matches!(e, PhoneEvent::Ended { .. }).then_some(Ok(()))
            }),
        )
        .await
        .is_ok();
        if !ended_by_peer {
            phone.hangup(call.clone()).await?;
            until(&mut events, deadline, |e| {
                matches!(e, PhoneEvent::Ended { .. }).then_some(Ok(()))
            })
            .await?;
        }
        phone.shutdown();
        Ok(ExitCode::SUCCESS)
    })
}

pub fn answer(args: AnswerArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let (phone, mut events, deadline) = start_with_audio(&args.account, &args.audio).await?;
        let account = Account::load(&args.account.account)?;
        if account.file.registrar.is_some() {
            registered(&mut events, deadline).await?;
        }
        // Scripts and tests wait for this line before they dial.
        println!("{{\"type\":\"ready\"}}");
        for _ in 0..args.calls {
            let call = until(&mut events, deadline, |e| match e {
                PhoneEvent::IncomingCall { call, .. } => Some(Ok(call.clone())),
                _ => None,
            })
            .await?;
            if args.decline {
                phone.decline(call.clone()).await?;
            } else {
                phone.answer(call.clone()).await?;
            }
            let connected = until(&mut events, deadline, |e| match e {
                PhoneEvent::Answered { call: c } if *c == call => Some(Ok(true)),
                PhoneEvent::Ended { call: c, .. } if *c == call => Some(Ok(false)),
                _ => None,
            })
            .await?;
            if !connected {
                continue;
            }
            if let Some(secs) = args.hangup_after {
                let at = Instant::now() + Duration::from_secs(secs);
                let early = timeout_at(
                    at,
                    until(&mut events, deadline, |e| {
                        matches!(e, PhoneEvent::Ended { call: c, .. } if *c == call)
                            .then_some(Ok(()))
                    }),
                )
                .await;
                if early.is_ok() {
                    continue;
                }
                phone.hangup(call.clone()).await?;
            }
            until(&mut events, deadline, |e| {
                matches!(e, PhoneEvent::Ended { call: c, .. } if *c == call).then_some(Ok(()))
            })
            .await?;
        }
        phone.shutdown();
        if args.calls == 0 {
            bail!("nothing to do: --calls 0");
        }
        Ok(ExitCode::SUCCESS)
    })
}
