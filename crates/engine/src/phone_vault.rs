//! The vault-backed half of [`Phone`]: lock screen, call log, reports, blocking, search and
//! settings. Each method asks the phone's vault task (see `vault_link.rs`) and waits for its
//! answer.
//!
//! While locked, calls are still screened, ring and are logged; everything here except
//! [`Phone::lock_state`], [`Phone::enrol_passkey`], [`Phone::unlock`] and [`Phone::lock`] answers
//! [`ErrorCode::Locked`] until the user unlocks. A phone started without [`crate::Storage`]
//! answers [`ErrorCode::VaultUnavailable`].

use tokio::sync::{mpsc, oneshot};

use crate::api::{
    AccountView, ApiError, CallKey, CallLogEntry, CallLogFilter, DirectoryEntry, ErrorCode,
    LockState, PolicyItem, Report, ReportId, SettingsView,
};
use crate::lock::LockReply;
use crate::phone::{Phone, Reply, stopped};

type Answer<T> = oneshot::Sender<Result<T, ApiError>>;

/// A command for the vault task.
#[derive(Debug)]
pub(crate) enum VaultCommand {
    LockState { reply: LockReply },
    Enrol { label: String, reply: LockReply },
    Unlock { reply: LockReply },
    Lock { reply: LockReply },
    CallLog { filter: CallLogFilter, reply: Answer<Vec<CallLogEntry>> },
    Report { call: CallKey, report: Report, reply: Answer<ReportId> },
    Block { number: String, block: bool, reply: Reply },
    Search { query: String, reply: Answer<Vec<DirectoryEntry>> },
    Settings { reply: Answer<(Vec<AccountView>, Vec<PolicyItem>)> },
}

/// The phone's line to its vault task.
#[derive(Clone, Debug)]
pub(crate) struct VaultHandle {
    pub(crate) commands: mpsc::UnboundedSender<VaultCommand>,
}

impl Phone {
    /// Whether a passkey is enrolled and whether the vault is locked.
    pub async fn lock_state(&self) -> Result<LockState, ApiError> {
        self.ask_vault(|reply| VaultCommand::LockState { reply }).await
    }

    /// First run: enrols a passkey on the configured authenticator under `label` (e.g. "YubiKey
    /// 5C"), which unlocks the vault. Returns once the user has touched the key (or it failed).
    pub async fn enrol_passkey(&self, label: String) -> Result<LockState, ApiError> {
        self.ask_vault(|reply| VaultCommand::Enrol { label, reply }).await
    }

    /// Unlocks with the enrolled passkey (the native WebAuthn ceremony: WebKitGTK has none).
    pub async fn unlock(&self) -> Result<LockState, ApiError> {
        self.ask_vault(|reply| VaultCommand::Unlock { reply }).await
    }

    /// Locks the vault now.
    pub async fn lock(&self) -> Result<LockState, ApiError> {
        self.ask_vault(|reply| VaultCommand::Lock { reply }).await
    }

    /// The call log, newest first.
    pub async fn call_log(&self, filter: CallLogFilter) -> Result<Vec<CallLogEntry>, ApiError> {
        self.ask_vault(|reply| VaultCommand::CallLog { filter, reply }).await
    }

    /// Reports a suspicious call: queued in the vault's outbox with the call's evidence
    /// (presented identity, verdict and reasons). `call` is a log entry's key, or the key of a
    /// call of this session once it has ended.
    pub async fn report(&self, call: CallKey, report: Report) -> Result<ReportId, ApiError> {
        self.ask_vault(|reply| VaultCommand::Report { call, report, reply }).await
    }

    /// Blocks a number: calls from it are refused without ringing from now on (and a call from
    /// it that is ringing now is declined). Returns once screening uses the new list.
    pub async fn block(&self, number: String) -> Result<(), ApiError> {
        self.ask_vault(|reply| VaultCommand::Block { number, block: true, reply }).await
    }

    /// Takes a number off the block list.
    pub async fn unblock(&self, number: String) -> Result<(), ApiError> {
        self.ask_vault(|reply| VaultCommand::Block { number, block: false, reply }).await
    }

    /// Contacts and directory entries whose name or number contains `query`.
    pub async fn search(&self, query: String) -> Result<Vec<DirectoryEntry>, ApiError> {
        self.ask_vault(|reply| VaultCommand::Search { query, reply }).await
    }

    /// The settings screen: accounts, audio devices and policy.
    pub async fn settings(&self) -> Result<SettingsView, ApiError> {
        let (accounts, policy) = self.ask_vault(|reply| VaultCommand::Settings { reply }).await?;
        let audio = self.audio().await?;
        // Listing devices talks to the sound server: off the async runtime.
        let devices =
            tokio::task::spawn_blocking(crate::settings_view::devices).await.unwrap_or_default();
        let devices = crate::settings_view::in_use(devices, &audio);
        Ok(SettingsView { accounts, devices, policy })
    }

    async fn ask_vault<T>(
        &self,
        command: impl FnOnce(Answer<T>) -> VaultCommand,
    ) -> Result<T, ApiError> {
        let vault = self.vault.as_ref().ok_or_else(|| {
            ApiError::new(
                ErrorCode::VaultUnavailable,
                "This phone runs without its encrypted storage: no call log or lists.",
            )
        })?;
        let (reply, answer) = oneshot::channel();
        vault.commands.send(command(reply)).map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}
