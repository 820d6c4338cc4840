//! The passkey lock: first-run enrolment, unlock, lock and idle lock, with each ceremony's
//! authenticator on a blocking thread so the vault task keeps forwarding call events.

use std::sync::Arc;

use store::{CallId, NewCall, Store, Timestamp};
use tokio::sync::oneshot;
use vault::proto::{PublicKeyCredential, RegisterPublicKeyCredential};
use vault::{
    Assertion, Authenticator, Enrolment, LockedVault, PasskeyError, ScreeningInputs, UnlockedVault,
    VaultError,
};

use crate::api::{ApiError, ErrorCode, LockState};
use crate::storage::{locked, now, vault_error};
use crate::vault_link::VaultLink;

/// The answer to a lock command: the state afterwards.
pub(crate) type LockReply = oneshot::Sender<Result<LockState, ApiError>>;

/// The vault's lock state.
pub(crate) enum Lock {
    /// Locked; `enrolled` is false on first run.
    Locked { vault: LockedVault, enrolled: bool },
    /// Unlocked until the idle timeout.
    Unlocked(UnlockedVault),
    /// Locking failed (the audit write) and the store is gone until the app restarts.
    Broken,
}

/// A ceremony whose authenticator step finished.
pub(crate) enum Ceremony {
    /// First-run enrolment.
    Enrolled {
        enrolment: Enrolment,
        label: String,
        response: Result<RegisterPublicKeyCredential, VaultError>,
        reply: LockReply,
    },
    /// Unlock.
    Unlocked {
        assertion: Assertion,
        response: Result<PublicKeyCredential, VaultError>,
        reply: LockReply,
    },
}

fn storage_gone() -> ApiError {
    ApiError::new(ErrorCode::StorageFailed, "The phone's storage is unavailable: restart the app.")
}

impl Lock {
    pub(crate) fn screening_inputs(&self, since: Timestamp) -> Result<ScreeningInputs, VaultError> {
        match self {
            Lock::Locked { vault, .. } => vault.screening_inputs(since),
            Lock::Unlocked(vault) => vault.screening_inputs(since),
            Lock::Broken => Ok(ScreeningInputs::default()),
        }
    }

    /// Logs a call, locked or not.
    pub(crate) fn record(&mut self, call: &NewCall) -> Result<CallId, VaultError> {
        match self {
            Lock::Locked { vault, .. } => vault.record_call(call),
            Lock::Unlocked(vault) => vault.record_call(call),
            Lock::Broken => Err(VaultError::Keyring("the vault is closed".into())),
        }
    }

    /// When an unlocked vault locks itself.
    pub(crate) fn locks_at(&self) -> Option<Timestamp> {
        match self {
            Lock::Unlocked(vault) => Some(vault.locks_at()),
            _ => None,
        }
    }

    pub(crate) fn is_idle(&self, now: Timestamp) -> bool {
        matches!(self, Lock::Unlocked(vault) if vault.is_idle(now))
    }

    /// Locks an unlocked vault; true when the state changed.
    pub(crate) fn lock(&mut self, now: Timestamp) -> bool {
        match std::mem::replace(self, Lock::Broken) {
            Lock::Unlocked(vault) => {
                *self = match vault.lock(now) {
                    Ok(vault) => Lock::Locked { vault, enrolled: true },
                    Err(error) => {
                        tracing::warn!(error = %error, "the vault could not record its lock");
                        Lock::Broken
                    }
                };
                true
            }
            other => {
                *self = other;
                false
            }
        }
    }

    /// The unlocked vault, or why there is none.
    pub(crate) fn unlocked(&mut self) -> Result<&mut UnlockedVault, ApiError> {
        match self {
            Lock::Unlocked(vault) => Ok(vault),
            Lock::Locked { .. } => Err(locked()),
            Lock::Broken => Err(storage_gone()),
        }
    }
}

impl VaultLink {
    /// Runs `f` on the store of the unlocked vault (user activity: the idle timer restarts). A
    /// vault found idle is locked at once.
    pub(crate) fn with_store<T>(
        &mut self,
        f: impl FnOnce(&mut Store) -> Result<T, VaultError>,
    ) -> Result<T, ApiError> {
        let result = self.lock.unlocked()?.store(now()).and_then(f);
        if matches!(result, Err(VaultError::IdleTimeout)) {
            self.lock_now();
        }
        result.map_err(|error| vault_error(&error))
    }

    /// First run: enrols the first passkey, which unlocks.
    pub(crate) fn enrol(&mut self, label: String, reply: LockReply) {
        let started = match (&mut self.lock, self.ceremony_running) {
            (_, true) => Err(busy()),
            (Lock::Locked { vault, enrolled: false }, _) => {
                vault.start_first_enrolment(now()).map_err(|e| vault_error(&e))
            }
            (Lock::Broken, _) => Err(storage_gone()),
            _ => Err(ApiError::new(
                ErrorCode::AlreadyEnrolled,
                "A passkey is already set up: unlock with it.",
            )),
        };
        match started {
            Ok((challenge, enrolment)) => {
                let finish =
                    move |response| Ceremony::Enrolled { enrolment, label, response, reply };
                self.run_ceremony(move |key| key.register(challenge), finish);
            }
            Err(error) => drop(reply.send(Err(error))),
        }
    }

    /// Unlocks with an enrolled passkey.
    pub(crate) fn unlock(&mut self, reply: LockReply) {
        let started = match (&self.lock, self.ceremony_running) {
            (Lock::Unlocked(_), _) => return drop(reply.send(Ok(self.lock.state()))),
            (_, true) => Err(busy()),
            (Lock::Locked { vault, enrolled: true }, _) => {
                vault.start_unlock().map_err(|e| vault_error(&e))
            }
            (Lock::Locked { .. }, _) => {
                Err(ApiError::new(ErrorCode::NotEnrolled, "Set up a passkey first."))
            }
            (Lock::Broken, _) => Err(storage_gone()),
        };
        match started {
            Ok((challenge, assertion)) => {
                let finish = move |response| Ceremony::Unlocked { assertion, response, reply };
                self.run_ceremony(move |key| key.authenticate(challenge), finish);
            }
            Err(error) => drop(reply.send(Err(error))),
        }
    }

    /// Runs the authenticator's half of a ceremony on a blocking thread; the outcome comes back
    /// to the vault task as a [`Ceremony`].
    fn run_ceremony<R: Send + 'static>(
        &mut self,
        job: impl FnOnce(&mut Authenticator) -> Result<R, PasskeyError> + Send + 'static,
        finish: impl FnOnce(Result<R, VaultError>) -> Ceremony + Send + 'static,
    ) {
        self.ceremony_running = true;
        let spec = self.storage.authenticator.clone();
        let prompt = Arc::clone(&self.storage.key_prompt);
        let done = self.ceremonies.clone();
        tokio::spawn(async move {
            let blocking = tokio::task::spawn_blocking(move || {
                let mut key = Authenticator::from_spec(&spec, prompt)?;
                Ok(job(&mut key)?)
            });
            let result =
                blocking.await.unwrap_or(Err(VaultError::Passkey(PasskeyError::Cancelled)));
            let _ = done.send(finish(result));
        });
    }

    /// The relying party's half of a finished ceremony.
    pub(crate) async fn ceremony_done(&mut self, done: Ceremony) {
        self.ceremony_running = false;
        let (result, reply) = match done {
            Ceremony::Enrolled { enrolment, label, response, reply } => {
                let result = match response {
                    Ok(response) => self.finish_enrolment(enrolment, &response, &label).await,
                    Err(error) => Err(vault_error(&error)),
                };
                (result, reply)
            }
            Ceremony::Unlocked { assertion, response, reply } => {
                let result = match response {
                    Ok(response) => self.finish_unlock(assertion, &response),
                    Err(error) => Err(vault_error(&error)),
                };
                (result, reply)
            }
        };
        if result.is_ok() {
            self.lock_changed();
        }
        let _ = reply.send(result);
    }

    async fn finish_enrolment(
        &mut self,
        enrolment: Enrolment,
        response: &RegisterPublicKeyCredential,
        label: &str,
    ) -> Result<LockState, ApiError> {
        let vault = self.take_locked()?;
        match vault.finish_first_enrolment(enrolment, response, label, now()) {
            Ok(vault) => {
                self.lock = Lock::Unlocked(vault);
                Ok(self.lock.state())
            }
            Err(error) => {
                // Finishing consumed the open vault: open the file again, still unenrolled.
                self.reopen().await;
                Err(vault_error(&error))
            }
        }
    }

    /// The locked vault, taken out to finish a ceremony (which consumes it); `busy` when the
    /// lock is not in the locked state, which stays as it was.
    fn take_locked(&mut self) -> Result<LockedVault, ApiError> {
        match std::mem::replace(&mut self.lock, Lock::Broken) {
            Lock::Locked { vault, .. } => Ok(vault),
            other => {
                self.lock = other;
                Err(busy())
            }
        }
    }

    fn finish_unlock(
        &mut self,
        assertion: Assertion,
        response: &PublicKeyCredential,
    ) -> Result<LockState, ApiError> {
        let vault = self.take_locked()?;
        match vault.finish_unlock(assertion, response, now()) {
            Ok(vault) => {
                self.lock = Lock::Unlocked(vault);
                Ok(self.lock.state())
            }
            Err(refused) => {
                self.lock = Lock::Locked { vault: *refused.vault, enrolled: true };
                Err(vault_error(&refused.error))
            }
        }
    }
}

fn busy() -> ApiError {
    ApiError::new(ErrorCode::InvalidState, "A passkey check is already running.")
}
