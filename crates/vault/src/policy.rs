//! Lock policy: the idle timeout and which actions need a step-up.

use serde::{Deserialize, Serialize};

/// How the vault locks itself and re-checks presence. Set by managed policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockPolicy {
    /// Lock after this long without activity.
    pub idle_timeout_ms: i64,
    /// A step-up grant is usable for this long after the ceremony (and only once).
    pub step_up_validity_ms: i64,
    /// Accept passkeys that can be synced to other devices (backup-eligible).
    pub allow_synced_passkeys: bool,
}

impl Default for LockPolicy {
    fn default() -> Self {
        Self {
            idle_timeout_ms: 5 * 60_000,
            step_up_validity_ms: 60_000,
            allow_synced_passkeys: true,
        }
    }
}

/// The settings key under which the lock policy is stored.
pub(crate) const POLICY_KEY: &str = "security.lock_policy";

/// Actions that need a fresh passkey confirmation even while unlocked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskyAction {
    /// Export a date range of the call log.
    Export,
    /// Place a call the toll-fraud guard stopped.
    OverrideTollFraudGuard,
    /// Change security settings (lock policy, passkeys).
    ChangeSecuritySettings,
}
