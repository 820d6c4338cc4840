//! Server non-INVITE transaction (RFC 3261 §17.2.2): timer J.

use std::time::Instant;

use super::TimerAction;
use crate::timers::TimerConfig;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Trying,
    Proceeding,
    Completed { timer_j: Instant },
    Terminated,
}

/// A server non-INVITE transaction: answers request retransmissions with the last response
/// until timer J.
#[derive(Debug, Clone)]
pub(crate) struct ServerNonInvite {
    state: State,
    timers: TimerConfig,
    reliable: bool,
}

impl ServerNonInvite {
    /// Starts the transaction for a request received at `now`.
    pub(crate) fn new(reliable: bool, timers: TimerConfig) -> Self {
        Self { state: State::Trying, timers, reliable }
    }

    /// The transaction user sends a response with `status`.
    pub(crate) fn on_send(&mut self, now: Instant, status: u16) {
        self.state = match self.state {
            State::Trying | State::Proceeding if status < 200 => State::Proceeding,
            State::Trying | State::Proceeding => {
                State::Completed { timer_j: now + self.timers.t1x64_unless_reliable(self.reliable) }
            }
            other => other,
        };
    }

    /// A retransmission of the request arrived: whether to resend the last response.
    pub(crate) fn on_retransmission(&self) -> bool {
        matches!(self.state, State::Proceeding | State::Completed { .. })
    }

    /// Runs due timers.
    pub(crate) fn on_timer(&mut self, now: Instant) -> Option<TimerAction> {
        match self.state {
            State::Completed { timer_j } if now >= timer_j => {
                self.state = State::Terminated;
                Some(TimerAction::Terminated)
            }
            _ => None,
        }
    }

    /// The next instant at which `on_timer` has work.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        match self.state {
            State::Completed { timer_j } => Some(timer_j),
            _ => None,
        }
    }

    /// Whether the transaction is over.
    #[cfg(test)]
    pub(crate) fn is_terminated(&self) -> bool {
        self.state == State::Terminated
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn absorbs_until_answered_then_replays_until_j() {
        let t0 = Instant::now();
        let mut tx = ServerNonInvite::new(false, TimerConfig::default());
        assert!(!tx.on_retransmission());
        tx.on_send(t0, 200);
        assert!(tx.on_retransmission());
        assert_eq!(tx.deadline(), Some(t0 + Duration::from_secs(32)));
        assert_eq!(tx.on_timer(t0 + Duration::from_secs(32)), Some(TimerAction::Terminated));
        assert!(tx.is_terminated());
    }
}
