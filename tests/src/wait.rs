//! Waiting for conditions with a deadline (never a bare sleep).

use std::time::{Duration, Instant};

/// How often conditions are re-checked.
const POLL_INTERVAL: Duration = Duration::from_millis(25);

/// Calls `check` until it returns `Some`, or `timeout` passes (then `None`). The condition is
/// checked once more at the deadline, so a zero timeout still checks once.
pub fn poll_until<T>(timeout: Duration, mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(found) = check() {
            return Some(found);
        }
        let now = Instant::now();
        if now >= deadline {
            return None;
        }
        std::thread::sleep(POLL_INTERVAL.min(deadline - now));
    }
}
