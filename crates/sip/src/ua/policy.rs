//! Abuse bounds helpers: a per-source token bucket the engine applies before the core sees a
//! message (ghost-call floods), with a bounded key table.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// A token bucket per source key (an IP address, a flow), holding at most `max_keys` keys.
#[derive(Debug, Clone)]
pub struct RateLimiter<K: Ord + Clone> {
    burst: u32,
    refill_every: Duration,
    max_keys: usize,
    buckets: BTreeMap<K, (u32, Instant)>,
}

impl<K: Ord + Clone> RateLimiter<K> {
    /// Allows `burst` messages at once and one more every `refill_every` per key.
    pub fn new(burst: u32, refill_every: Duration, max_keys: usize) -> Self {
        Self { burst, refill_every, max_keys: max_keys.max(1), buckets: BTreeMap::new() }
    }

    /// Whether a message from `key` at `now` is within its budget (and takes one token).
    pub fn allow(&mut self, now: Instant, key: &K) -> bool {
        if !self.buckets.contains_key(key) && self.buckets.len() >= self.max_keys {
            self.evict_stalest();
        }
        let burst = self.burst;
        let (tokens, last) = self.buckets.entry(key.clone()).or_insert((burst, now));
        if !self.refill_every.is_zero() {
            let gained =
                now.saturating_duration_since(*last).as_nanos() / self.refill_every.as_nanos();
            if gained > 0 {
                *tokens =
                    u32::try_from(gained).unwrap_or(u32::MAX).saturating_add(*tokens).min(burst);
                *last = now;
            }
        }
        if *tokens == 0 {
            return false;
        }
        *tokens -= 1;
        true
    }

    /// Keys currently tracked (bounded by `max_keys`).
    pub fn len(&self) -> usize {
        self.buckets.len()
    }

    /// Whether no key is tracked.
    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }

    fn evict_stalest(&mut self) {
        let stalest =
            self.buckets.iter().min_by_key(|(_, (_, last))| *last).map(|(k, _)| k.clone());
        if let Some(k) = stalest {
            self.buckets.remove(&k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_limits_and_refills() {
        let t0 = Instant::now();
        let mut rl = RateLimiter::new(2, Duration::from_millis(100), 2);
        assert!(rl.allow(t0, &1) && rl.allow(t0, &1));
        assert!(!rl.allow(t0, &1));
        assert!(rl.allow(t0 + Duration::from_millis(100), &1));
        assert!(rl.allow(t0, &2) && rl.allow(t0, &3));
        assert_eq!(rl.len(), 2);
    }
}
