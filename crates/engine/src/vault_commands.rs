//! What the vault task does for each command: the lock, the call log, reports, the block list,
//! search and the settings screen's vault half. Everything but the lock state needs the vault
//! unlocked and counts as user activity.

use serde_json::json;
use store::{ListEntry, ListKind, PhoneNumber, UserAction};

use crate::api::{
    AccountView, ApiError, CallKey, CallLogEntry, CallLogFilter, DirectoryEntry, ErrorCode,
    PolicyItem, Report, ReportId,
};
use crate::logged_calls::{direction_filter, entry, logged_id, risk};
use crate::phone::Reply;
use crate::phone_vault::VaultCommand;
use crate::screening_lists::normalise;
use crate::storage::{now, vault_error};
use crate::vault_link::VaultLink;

/// Calls read from the store per round while filtering the log.
const LOG_PAGE: u32 = 100;
/// The most calls one log request returns.
const LOG_MAX: u32 = 500;
/// The longest report note kept, in characters.
const NOTE_MAX: usize = 2000;

fn no_logged_call() -> ApiError {
    ApiError::new(ErrorCode::NoSuchCall, "That call is not in the call log.")
}

impl VaultLink {
    pub(crate) fn command(&mut self, command: VaultCommand) {
        match command {
            VaultCommand::LockState { reply } => drop(reply.send(Ok(self.lock.state()))),
            VaultCommand::Enrol { label, reply } => self.enrol(label, reply),
            VaultCommand::Unlock { reply } => self.unlock(reply),
            VaultCommand::Lock { reply } => {
                self.lock_now();
                let _ = reply.send(Ok(self.lock.state()));
            }
            VaultCommand::CallLog { filter, reply } => drop(reply.send(self.call_log(filter))),
            VaultCommand::Report { call, report, reply } => {
                let _ = reply.send(self.report(&call, report));
            }
            VaultCommand::Block { number, block, reply } => self.set_blocked(&number, block, reply),
            VaultCommand::Search { query, reply } => drop(reply.send(self.search(&query))),
            VaultCommand::Settings { reply } => drop(reply.send(self.settings())),
        }
    }

    /// The newest calls that pass `filter`, newest first.
    fn call_log(&mut self, filter: CallLogFilter) -> Result<Vec<CallLogEntry>, ApiError> {
        let limit = filter.limit.min(LOG_MAX) as usize;
        let direction = direction_filter(filter.direction);
        let blocked = self.lists.blocked.clone();
        let passes = |e: &CallLogEntry| {
            filter.min_level.is_none_or(|min| risk(e.verdict.level) >= risk(min))
        };
        self.with_store(|store| {
            let mut found = Vec::new();
            let mut offset = 0;
            while found.len() < limit {
                let page = store.calls().page(direction, offset, LOG_PAGE)?;
                let last = page.len() < LOG_PAGE as usize;
                found.extend(page.iter().filter_map(|r| entry(r, &blocked)).filter(|e| passes(e)));
                if last {
                    break;
                }
                offset += LOG_PAGE;
            }
            found.truncate(limit);
            Ok(found)
        })
    }

    /// Queues a report with the call's evidence as the log holds it; the call shows as reported.
    fn report(&mut self, call: &CallKey, report: Report) -> Result<ReportId, ApiError> {
        let id = logged_id(call)
            .or_else(|| self.logged.get(call).copied())
            .ok_or_else(no_logged_call)?;
        let blocked = self.lists.blocked.clone();
        let record = self.with_store(|store| Ok(store.calls().by_id(id)?))?;
        let evidence =
            record.as_ref().and_then(|r| entry(r, &blocked)).ok_or_else(no_logged_call)?;
        let note = report.note.map(|n| n.chars().take(NOTE_MAX).collect::<String>());
        let payload = json!({ "tags": report.tags, "note": note, "call": evidence });
        let vault = self.lock.unlocked()?;
        let queued = vault.report_call(Some(id), &payload, now()).map_err(|e| vault_error(&e))?;
        self.with_store(|store| Ok(store.calls_mut().add_action(id, UserAction::Reported)?))?;
        self.learn_report(&evidence);
        Ok(ReportId(queued.0))
    }

    /// A reported incoming call counts against its number in screening's history from now on.
    fn learn_report(&mut self, reported: &CallLogEntry) {
        let Some(number) = reported.party.number.as_deref().and_then(|n| normalise(n, &self.base))
        else {
            return;
        };
        let at = i64::try_from(reported.started_at_ms / 1000).unwrap_or(i64::MAX);
        let past = self.lists.history.iter_mut().find(|r| r.number == number && r.at == at);
        if let Some(past) = past.filter(|r| !r.reported) {
            past.reported = true;
            self.rescreen(None, None);
        }
    }

    /// Puts a number on the block list (or takes it off), then hands the driver the new context;
    /// the driver answers `reply` once calls are screened against it.
    fn set_blocked(&mut self, number: &str, block: bool, reply: Reply) {
        let number = match self.listed_number(number) {
            Ok(number) => number,
            Err(error) => return drop(reply.send(Err(error))),
        };
        let listed = PhoneNumber::new(number.plus());
        let stored = self.with_store(|store| {
            if block {
                let entry = ListEntry {
                    number: listed,
                    kind: ListKind::Block,
                    reason: None,
                    added_at: now(),
                };
                store.lists_mut().put(&entry)?;
            } else {
                store.lists_mut().remove(&listed)?;
            }
            Ok(())
        });
        if let Err(error) = stored {
            return drop(reply.send(Err(error)));
        }
        if block {
            self.lists.blocked.insert(number.plus());
        } else {
            self.lists.blocked.remove(&number.plus());
        }
        self.rescreen(block.then_some(number), Some(reply));
    }

    /// Contacts and directory entries whose name or number contains `query`.
    fn search(&mut self, query: &str) -> Result<Vec<DirectoryEntry>, ApiError> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let limit = crate::search::LIMIT;
        let (contacts, cached) = self.with_store(|store| {
            Ok((store.contacts().search(query, limit)?, store.directory().search(query, limit)?))
        })?;
        Ok(crate::search::merge(query, &self.base, &contacts, &cached))
    }

    /// The accounts and the policy, for the settings screen.
    fn settings(&mut self) -> Result<(Vec<AccountView>, Vec<PolicyItem>), ApiError> {
        let lock_policy = self.lock.unlocked()?.policy();
        self.with_store(|_| Ok(()))?;
        let accounts = self
            .registrations
            .iter()
            .map(|(label, state)| AccountView { label: label.clone(), registration: state.clone() })
            .collect();
        let mut policy = self.managed.clone();
        policy.extend(crate::settings_view::lock_policy(lock_policy));
        Ok((accounts, policy))
    }
}
