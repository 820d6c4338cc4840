//! RFC 3261 §17 timer base values.

use std::time::Duration;

/// The timer base values of RFC 3261 §17 (Table 4). Every transaction timer is derived from these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimerConfig {
    /// Round-trip estimate (T1, default 500 ms).
    pub t1: Duration,
    /// Maximum retransmit interval for non-INVITE requests and INVITE responses (T2, default 4 s).
    pub t2: Duration,
    /// Maximum time a message stays in the network (T4, default 5 s).
    pub t4: Duration,
}

impl Default for TimerConfig {
    fn default() -> Self {
        Self {
            t1: Duration::from_millis(500),
            t2: Duration::from_secs(4),
            t4: Duration::from_secs(5),
        }
    }
}

impl TimerConfig {
    /// 64*T1: timers B, F, H, J, L and M.
    pub fn t1x64(&self) -> Duration {
        self.t1 * 64
    }

    /// Timer D (wait for response retransmissions): at least 32 s on unreliable transports.
    pub fn timer_d(&self, reliable: bool) -> Duration {
        if reliable { Duration::ZERO } else { Duration::from_secs(32).max(self.t1x64() / 2) }
    }

    /// Timer K / I: T4 on unreliable transports, zero on reliable ones.
    pub fn t4_unless_reliable(&self, reliable: bool) -> Duration {
        if reliable { Duration::ZERO } else { self.t4 }
    }

    /// Timer J: 64*T1 on unreliable transports, zero on reliable ones.
    pub fn t1x64_unless_reliable(&self, reliable: bool) -> Duration {
        if reliable { Duration::ZERO } else { self.t1x64() }
    }
}

/// The earliest of two optional deadlines.
pub(crate) fn earliest(
    a: Option<std::time::Instant>,
    b: Option<std::time::Instant>,
) -> Option<std::time::Instant> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}
