//! The vault beside the driver: one task per phone that owns the passkey lock and the store.
//!
//! It sits on the event path between the driver and the shell, so every call that ends is in
//! the log before the shell hears `Ended` (a report right after finds it). It answers the
//! vault-backed commands (lock, call log, report, block, search, settings), locks itself after
//! the policy's idle time, and keeps the trust context's block list and history in step with the
//! store. Passkey ceremonies run on a blocking thread (a security key waits for a touch), so
//! events keep flowing while the user looks for their key.
//!
//! While locked, calls are still screened against the block list and history and still logged:
//! the lock hides the user's data from the screen, it never switches protection off.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use store::{CallId, CallRecord};
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender, WeakUnboundedSender};
use trust::TrustContext;
use vault::{Opened, VaultError};

use crate::api::{CallKey, LockState, PhoneEvent, PolicyItem, RegistrationState};
use crate::call_log::Tracker;
use crate::config::Account;
use crate::lock::{Ceremony, Lock};
use crate::logged_calls::history_record;
use crate::phone::{Command, PhoneEvents};
use crate::phone_vault::{VaultCommand, VaultHandle};
use crate::screening_lists::{HISTORY_DAYS, UserLists, normalise, with_user_lists};
use crate::storage::{Storage, now};

/// The longest the task sleeps before looking at the idle time again: tokio's clock stops while
/// a laptop is suspended, the vault's wall clock does not.
const IDLE_RECHECK: Duration = Duration::from_secs(15);

/// The vault task's state.
pub(crate) struct VaultLink {
    pub(crate) lock: Lock,
    pub(crate) storage: Storage,
    /// A passkey ceremony is running (one at a time).
    pub(crate) ceremony_running: bool,
    pub(crate) ceremonies: UnboundedSender<Ceremony>,
    ceremonies_rx: Option<UnboundedReceiver<Ceremony>>,
    tracker: Tracker,
    /// Live calls of this run that are in the log now, for reports right after a call.
    pub(crate) logged: HashMap<CallKey, CallId>,
    /// The account's own trust context, before the user's lists.
    pub(crate) base: Arc<TrustContext>,
    pub(crate) lists: UserLists,
    /// The driver's command channel (weak: the driver stops when the last `Phone` is dropped).
    pub(crate) driver: Option<WeakUnboundedSender<Command>>,
    pub(crate) registrations: BTreeMap<String, RegistrationState>,
    /// Policy the organisation set (account file, trust context), for the settings screen.
    pub(crate) managed: Vec<PolicyItem>,
    events: Option<UnboundedSender<PhoneEvent>>,
}

impl VaultLink {
    /// Opens the vault for a phone about to start on `account`, and reads what screening needs.
    pub(crate) async fn open(
        storage: Storage,
        account: &Account,
        training: bool,
    ) -> Result<Self, VaultError> {
        let lock = Lock::from(storage.open().await?);
        let base = Arc::clone(&account.trust);
        let lists = lock.user_lists(&base)?;
        let (ceremonies, ceremonies_rx) = mpsc::unbounded_channel();
        let mut registrations = BTreeMap::new();
        if training {
            let ready = RegistrationState::Registered { expires_secs: u32::MAX };
            registrations.insert(crate::training::TRAINING_ACCOUNT.to_owned(), ready);
        } else {
            registrations.insert(account.file.aor.clone(), RegistrationState::Unregistered);
        }
        Ok(Self {
            lock,
            managed: crate::settings_view::managed_policy(account),
            storage,
            ceremony_running: false,
            ceremonies,
            ceremonies_rx: Some(ceremonies_rx),
            tracker: Tracker::new(training),
            logged: HashMap::new(),
            base,
            lists,
            driver: None,
            registrations,
            events: None,
        })
    }

    /// The trust context with the user's block list and history.
    pub(crate) fn trust(&self) -> Arc<TrustContext> {
        Arc::new(with_user_lists(&self.base, &self.lists))
    }

    /// Starts the task between the driver's events and the shell.
    pub(crate) fn spawn(
        mut self,
        driver_events: UnboundedReceiver<PhoneEvent>,
        driver: WeakUnboundedSender<Command>,
    ) -> (VaultHandle, PhoneEvents) {
        let (events, rx) = mpsc::unbounded_channel();
        let (commands, commands_rx) = mpsc::unbounded_channel();
        let _ = events.send(PhoneEvent::LockChanged { state: self.lock.state() });
        self.events = Some(events);
        self.driver = Some(driver);
        tokio::spawn(self.run(driver_events, commands_rx));
        (VaultHandle { commands }, PhoneEvents { rx })
    }

    async fn run(
        mut self,
        mut driver_events: UnboundedReceiver<PhoneEvent>,
        mut commands: UnboundedReceiver<VaultCommand>,
    ) {
        let Some(mut ceremonies) = self.ceremonies_rx.take() else { return };
        loop {
            let idle = self.idle_wait();
            tokio::select! {
                event = driver_events.recv() => match event {
                    Some(event) => {
                        self.observe(&event);
                        self.emit(event);
                    }
                    // The driver stopped: so does the phone.
                    None => break,
                },
                Some(command) = commands.recv() => self.command(command),
                Some(done) = ceremonies.recv() => self.ceremony_done(done).await,
                () = tokio::time::sleep(idle.unwrap_or(IDLE_RECHECK)), if idle.is_some() => {
                    self.check_idle();
                }
            }
        }
    }

    /// Sends an event on to the shell; nobody listening is not an error.
    pub(crate) fn emit(&self, event: PhoneEvent) {
        if let Some(events) = &self.events {
            let _ = events.send(event);
        }
    }

    /// Tells the shell the lock changed.
    pub(crate) fn lock_changed(&self) {
        self.emit(PhoneEvent::LockChanged { state: self.lock.state() });
    }

    fn idle_wait(&self) -> Option<Duration> {
        let locks_at = self.lock.locks_at()?;
        let left = locks_at.unix_millis().saturating_sub(now().unix_millis()).max(0);
        Some(Duration::from_millis(u64::try_from(left).unwrap_or(0)).min(IDLE_RECHECK))
    }

    fn check_idle(&mut self) {
        if self.lock.is_idle(now()) {
            self.lock_now();
        }
    }

    /// Locks now (user asked, or idle) and says so.
    pub(crate) fn lock_now(&mut self) {
        if self.lock.lock(now()) {
            self.lock_changed();
        }
    }

    /// Follows calls through the events and logs each one that ends.
    fn observe(&mut self, event: &PhoneEvent) {
        if let PhoneEvent::RegistrationChanged { account, state } = event {
            self.registrations.insert(account.clone(), state.clone());
        }
        let Some(finished) = self.tracker.observe(event, now()) else { return };
        let id = match self.lock.record(&finished.call) {
            Ok(id) => id,
            Err(error) => {
                tracing::warn!(error = %error, "a call could not be logged");
                return;
            }
        };
        if let Some(key) = finished.key {
            self.logged.insert(key, id);
        }
        let record = CallRecord { id, call: finished.call };
        if let Some(past) = history_record(&record, &self.base) {
            self.lists.history.push(past);
            self.rescreen(None, None);
        }
    }

    /// Hands the driver the context with the current lists; `decline` refuses a ringing call
    /// from a number just blocked, and `reply` answers once the driver has it.
    pub(crate) fn rescreen(
        &self,
        decline: Option<trust::E164>,
        reply: Option<crate::phone::Reply>,
    ) {
        // Without a driver the reply is dropped, which the waiting `Phone` reads as "stopped".
        if let Some(driver) = self.driver.as_ref().and_then(WeakUnboundedSender::upgrade) {
            let _ = driver.send(Command::Screen { trust: self.trust(), decline, reply });
        }
    }

    /// The number as the lists hold it, or an error for the UI.
    pub(crate) fn listed_number(&self, number: &str) -> Result<trust::E164, crate::api::ApiError> {
        normalise(number, &self.base).ok_or_else(|| {
            crate::api::ApiError::new(
                crate::api::ErrorCode::InvalidTarget,
                "That is not a phone number.",
            )
        })
    }

    /// Opens the vault file again (after a failed first enrolment consumed the open vault).
    pub(crate) async fn reopen(&mut self) {
        self.lock = match self.storage.open().await {
            Ok(opened) => Lock::from(opened),
            Err(error) => {
                tracing::warn!(error = %error, "the vault could not be opened again");
                Lock::Broken
            }
        };
    }
}

impl From<Opened> for Lock {
    fn from(opened: Opened) -> Self {
        match opened {
            Opened::FirstRun(vault) => Lock::Locked { vault, enrolled: false },
            Opened::Locked(vault) => Lock::Locked { vault, enrolled: true },
        }
    }
}

/// Where the lock stands, for the shell.
impl Lock {
    pub(crate) fn state(&self) -> LockState {
        match self {
            Lock::Locked { enrolled, .. } => LockState { enrolled: *enrolled, locked: true },
            Lock::Unlocked(_) => LockState { enrolled: true, locked: false },
            Lock::Broken => LockState { enrolled: true, locked: true },
        }
    }

    /// The user's lists as screening needs them.
    fn user_lists(&self, base: &TrustContext) -> Result<UserLists, VaultError> {
        let inputs = self.screening_inputs(now().minus_days(HISTORY_DAYS))?;
        let blocked = inputs.blocked.iter().map(|n| n.expose().to_owned()).collect();
        let history = inputs.calls.iter().filter_map(|c| history_record(c, base)).collect();
        Ok(UserLists { blocked, history })
    }
}
