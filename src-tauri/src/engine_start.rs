//! Starting the phone engine beside the window, and forwarding its events to the UI.
//!
//! The engine starts in the background so the window is interactive at once; until it is up,
//! commands answer `engineStopped` ("starting") and the UI shows the registration as pending.
//! Without an account the engine runs the built-in training line; its first event says so
//! (`RegistrationChanged` for the account "Training line").

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock, PoisonError};

use engine::{Account, ApiError, ErrorCode, Phone, PhoneEvent, PhoneEvents, StartError, Storage};
use tauri::{AppHandle, Emitter, Manager};

use crate::{notice, tray};

/// The name of the one event channel the UI listens on.
pub const PHONE_EVENT: &str = "phone-event";

/// The running phone, once the engine has started.
#[derive(Default)]
pub struct Engine {
    phone: OnceLock<Phone>,
    /// The latest registration and lock events, sent again once the UI listens: the engine can
    /// be up (the training line is at once) before the webview has subscribed.
    registration: Mutex<Option<PhoneEvent>>,
    lock: Mutex<Option<PhoneEvent>>,
}

impl Engine {
    /// The phone, or `engineStopped` while the engine is still starting.
    pub fn phone(&self) -> Result<&Phone, ApiError> {
        self.phone
            .get()
            .ok_or_else(|| ApiError::new(ErrorCode::EngineStopped, "The phone is still starting."))
    }
}

/// Starts the engine in the background with the configured account: the file named by
/// `CALLWARDEN_ACCOUNT`, else `account.toml` in the app's config directory. With neither, the
/// phone runs on the built-in training line, so a new user sees every trust state at once.
pub fn start(app: &AppHandle) {
    let path = account_path(app);
    let storage = storage(app);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let started = match (path, storage) {
            (Some(path), storage) => match Account::load(&path) {
                Ok(account) => match storage {
                    Some(storage) => match Phone::start_with(account.clone(), storage).await {
                        // Calls matter more than the log: a vault that cannot open (no keyring,
                        // a damaged file) leaves the phone working without it.
                        Err(StartError::Vault(_)) => {
                            tracing::error!("the vault cannot open: running without call log");
                            Phone::start(account).await
                        }
                        started => started,
                    },
                    None => Phone::start(account).await,
                },
                Err(error) => return tracing::error!(%error, "the account file cannot be used"),
            },
            (None, Some(storage)) => {
                tracing::info!("no account is configured: starting the training line");
                match Phone::start_training_with(storage).await {
                    Err(StartError::Vault(_)) => {
                        tracing::error!("the vault cannot open: training without call log");
                        Phone::start_training().await
                    }
                    started => started,
                }
            }
            (None, None) => Phone::start_training().await,
        };
        match started {
            Ok((phone, events)) => forward(app, phone, events).await,
            Err(error) => tracing::error!(why = why(&error), "the phone engine could not start"),
        }
    });
}

/// The encrypted vault in the app's data directory, unlocked with a passkey: a security key by
/// default, or what `CALLWARDEN_AUTHENTICATOR` names (`usb`, `nfc`, `any`; `soft:PATH` only in
/// the `e2e` test build, whose engine has the software token). Without a data directory the phone
/// runs without call log or lock, and says so when asked.
fn storage(app: &AppHandle) -> Option<Storage> {
    let dir = match app.path().app_data_dir() {
        Ok(dir) => dir,
        Err(error) => {
            tracing::error!(%error, "no data directory: the call log and lock are off");
            return None;
        }
    };
    let authenticator = std::env::var("CALLWARDEN_AUTHENTICATOR").unwrap_or_else(|_| "usb".into());
    Some(Storage::new(dir, authenticator))
}

fn account_path(app: &AppHandle) -> Option<PathBuf> {
    let path = match std::env::var_os("CALLWARDEN_ACCOUNT") {
        Some(path) => PathBuf::from(path),
        None => app.path().app_config_dir().ok()?.join("account.toml"),
    };
    path.exists().then_some(path)
}

/// The failure's kind only: its text can name hosts and addresses, which stay out of logs.
fn why(error: &StartError) -> &'static str {
    match error {
        StartError::Bind(_) => "bind",
        StartError::BadRegistrar => "bad registrar",
        StartError::Resolve(_) => "registrar not found",
        StartError::Connect(_) => "registrar unreachable",
        StartError::Training(_) => "training line broken",
        _ => "other",
    }
}

/// Sends the latest registration and lock events again, for a UI that subscribed after they
/// were sent.
pub fn replay_state(app: &AppHandle) {
    let engine = app.state::<Engine>();
    for latest in [&engine.registration, &engine.lock] {
        let last = latest.lock().unwrap_or_else(PoisonError::into_inner).clone();
        if let Some(event) = last {
            emit(app, &event);
        }
    }
}

/// Stops the engine when the app exits.
pub fn stop(app: &AppHandle) {
    if let Ok(phone) = app.state::<Engine>().phone() {
        phone.shutdown();
    }
}

/// Forwards every engine event to the UI, after the desktop side effects (tray, notice).
async fn forward(app: AppHandle, phone: Phone, mut events: PhoneEvents) {
    if app.state::<Engine>().phone.set(phone).is_err() {
        tracing::error!("the phone engine was started twice");
        return;
    }
    while let Some(event) = events.next().await {
        match &event {
            PhoneEvent::RegistrationChanged { state, .. } => {
                tray::show_registration(&app, state);
                let engine = app.state::<Engine>();
                *engine.registration.lock().unwrap_or_else(PoisonError::into_inner) =
                    Some(event.clone());
            }
            PhoneEvent::LockChanged { .. } => {
                let engine = app.state::<Engine>();
                *engine.lock.lock().unwrap_or_else(PoisonError::into_inner) = Some(event.clone());
            }
            PhoneEvent::IncomingCall { caller, verdict, .. } => {
                notice::incoming(&app, caller, verdict)
            }
            _ => {}
        }
        emit(&app, &event);
    }
    tracing::info!("the phone engine stopped");
}

fn emit(app: &AppHandle, event: &PhoneEvent) {
    if let Err(error) = app.emit(PHONE_EVENT, event) {
        tracing::warn!(%error, "a phone event could not reach the UI");
    }
}
