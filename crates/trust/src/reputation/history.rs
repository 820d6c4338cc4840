//! Local call history: first seen, counts, durations, answered/ignored, reports, and recent
//! calls for burst detection.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::e164::E164;

/// One past incoming call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
    /// The caller.
    pub number: E164,
    /// When it rang, seconds since the epoch.
    pub at: i64,
    /// How long it rang before it was answered or gave up, in seconds.
    #[serde(default)]
    pub ring_secs: u32,
    /// True when answered.
    #[serde(default)]
    pub answered: bool,
    /// Talk time in seconds.
    #[serde(default)]
    pub duration_secs: u32,
    /// True when the user reported it as suspicious.
    #[serde(default)]
    pub reported: bool,
}

/// What history says about one number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NumberStats {
    /// First call, seconds since the epoch.
    pub first_seen: i64,
    /// Calls seen.
    pub calls: u32,
    /// Calls answered.
    pub answered: u32,
    /// Total talk time.
    pub talk_secs: u64,
    /// Times reported.
    pub reports: u32,
    /// Unanswered calls that rang at most `short_ring_secs`.
    pub short_missed: u32,
}

/// The history, indexed by number.
#[derive(Debug, Clone, Default)]
pub struct History {
    records: Vec<CallRecord>,
    by_number: HashMap<E164, NumberStats>,
}

impl History {
    /// Indexes `records`; a ring of `short_ring_secs` or less that was not answered is "short".
    pub fn new(mut records: Vec<CallRecord>, short_ring_secs: u32) -> Self {
        records.sort_by_key(|r| r.at);
        let mut by_number: HashMap<E164, NumberStats> = HashMap::new();
        for r in &records {
            let s = by_number
                .entry(r.number)
                .or_insert(NumberStats { first_seen: r.at, ..NumberStats::default() });
            s.calls += 1;
            s.answered += u32::from(r.answered);
            s.talk_secs += u64::from(r.duration_secs);
            s.reports += u32::from(r.reported);
            s.short_missed += u32::from(!r.answered && r.ring_secs <= short_ring_secs);
        }
        History { records, by_number }
    }

    /// Stats for `n`, if it called before.
    pub fn stats(&self, n: E164) -> Option<&NumberStats> {
        self.by_number.get(&n)
    }

    /// Calls at or after `since` (seconds), oldest first.
    pub fn since(&self, since: i64) -> &[CallRecord] {
        let start = self.records.partition_point(|r| r.at < since);
        self.records.get(start..).unwrap_or_default()
    }
}
