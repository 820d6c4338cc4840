//! What call screening reads and writes while the vault is locked.
//!
//! The passkey lock gates what the *user* can see; it must never switch protection off. Incoming
//! calls are judged against the user's block list and call history even before anyone unlocks,
//! and every call that ends is logged. So a [`LockedVault`] allows exactly two things beyond the
//! passkeys: reading the screening inputs (which the engine hands only to the trust core, never
//! to the UI) and appending a call to the log (which reveals nothing). Neither counts as user
//! activity on an [`UnlockedVault`], so a ringing phone does not keep the vault open.

use store::{CallId, CallRecord, ListKind, NewCall, PhoneNumber, Store, Timestamp};

use crate::{LockedVault, UnlockedVault, VaultError};

/// How many calls of history screening reads at most (a year of heavy use).
const HISTORY_LIMIT: usize = 20_000;

/// The user's data the trust core judges incoming calls against.
#[derive(Debug, Default)]
pub struct ScreeningInputs {
    /// Numbers on the user's block list.
    pub blocked: Vec<PhoneNumber>,
    /// Calls since the history window's start, oldest first.
    pub calls: Vec<CallRecord>,
}

fn read(store: &Store, since: Timestamp) -> Result<ScreeningInputs, VaultError> {
    let blocked = store.lists().all(ListKind::Block)?.into_iter().map(|e| e.number).collect();
    let mut calls = store.calls().between(since, Timestamp::from_unix_millis(i64::MAX))?;
    if calls.len() > HISTORY_LIMIT {
        calls.drain(..calls.len() - HISTORY_LIMIT);
    }
    Ok(ScreeningInputs { blocked, calls })
}

impl LockedVault {
    /// The screening inputs, readable while locked (for the trust core only).
    pub fn screening_inputs(&self, since: Timestamp) -> Result<ScreeningInputs, VaultError> {
        read(&self.store, since)
    }

    /// Appends a call that ended while the vault was locked.
    pub fn record_call(&mut self, call: &NewCall) -> Result<CallId, VaultError> {
        Ok(self.store.calls_mut().insert(call)?)
    }
}

impl UnlockedVault {
    /// The screening inputs; not user activity.
    pub fn screening_inputs(&self, since: Timestamp) -> Result<ScreeningInputs, VaultError> {
        read(&self.inner.store, since)
    }

    /// Appends a call that ended; not user activity (a missed call does not keep the vault
    /// open), and allowed after the idle timeout passed but before the engine locked.
    pub fn record_call(&mut self, call: &NewCall) -> Result<CallId, VaultError> {
        Ok(self.inner.store.calls_mut().insert(call)?)
    }
}
