//! A set of numbers and prefix ranges (block and allow lists, high-risk and premium ranges).

use std::collections::HashSet;

use crate::e164::E164;

/// Exact numbers plus digit prefixes (`+1900`, `44909`).
#[derive(Debug, Clone, Default)]
pub struct NumberSet {
    exact: HashSet<E164>,
    prefixes: Vec<String>,
}

impl NumberSet {
    /// Builds a set from entries: a number, or digits ending in `*` for a prefix range.
    pub fn from_entries<'a>(entries: impl IntoIterator<Item = &'a str>) -> Self {
        let mut set = NumberSet::default();
        for e in entries {
            set.insert(e);
        }
        set
    }

    /// Adds one entry (`+12025550100` or `+1900*`); entries that are neither are ignored.
    pub fn insert(&mut self, entry: &str) {
        let e = entry.trim();
        if let Some(prefix) = e.strip_suffix('*') {
            let digits = prefix.trim_start_matches('+');
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                self.prefixes.push(digits.to_owned());
            }
        } else if let Ok(n) = E164::from_digits(e) {
            self.exact.insert(n);
        }
    }

    /// True when `n` is listed or falls in a listed prefix.
    pub fn contains(&self, n: E164) -> bool {
        self.exact.contains(&n) || self.prefixes.iter().any(|p| n.has_prefix(p))
    }

    /// True when nothing is listed.
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.prefixes.is_empty()
    }
}
