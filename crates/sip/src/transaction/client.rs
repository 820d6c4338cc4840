//! Client non-INVITE transaction (RFC 3261 §17.1.2): timers E, F and K.

use std::time::{Duration, Instant};

use super::{ResponseVerdict, TimerAction};
use crate::timers::{TimerConfig, earliest};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Trying,
    Proceeding,
    Completed { timer_k: Instant },
    Terminated,
}

/// A client non-INVITE transaction: retransmits the request (timer E) until a final response or
/// timer F; then absorbs retransmitted responses until timer K.
#[derive(Debug, Clone)]
pub(crate) struct ClientNonInvite {
    state: State,
    timers: TimerConfig,
    reliable: bool,
    timer_e: Option<Instant>,
    interval: Duration,
    timer_f: Instant,
}

impl ClientNonInvite {
    /// Starts the transaction: the request was just sent at `now`.
    pub(crate) fn new(now: Instant, reliable: bool, timers: TimerConfig) -> Self {
        Self {
            state: State::Trying,
            timers,
            reliable,
            timer_e: (!reliable).then(|| now + timers.t1),
            interval: timers.t1,
            timer_f: now + timers.t1x64(),
        }
    }

    /// Feeds a response with status `status`.
    pub(crate) fn on_response(&mut self, now: Instant, status: u16) -> ResponseVerdict {
        match self.state {
            State::Trying | State::Proceeding if status < 200 => {
                self.state = State::Proceeding;
                ResponseVerdict::PassUp
            }
            State::Trying | State::Proceeding => {
                let k = now + self.timers.t4_unless_reliable(self.reliable);
                self.state = State::Completed { timer_k: k };
                self.timer_e = None;
                ResponseVerdict::PassUp
            }
            State::Completed { .. } | State::Terminated => ResponseVerdict::Absorb,
        }
    }

    /// Runs due timers; call until it returns `None`.
    pub(crate) fn on_timer(&mut self, now: Instant) -> Option<TimerAction> {
        match self.state {
            State::Trying | State::Proceeding => {
                if now >= self.timer_f {
                    self.state = State::Terminated;
                    return Some(TimerAction::TimedOut);
                }
                let due = self.timer_e.filter(|e| *e <= now)?;
                // In Proceeding the request is resent every T2 (§17.1.2.2).
                self.interval = if self.state == State::Proceeding {
                    self.timers.t2
                } else {
                    (self.interval * 2).min(self.timers.t2)
                };
                self.timer_e = Some(due.max(now) + self.interval);
                Some(TimerAction::Retransmit)
            }
            State::Completed { timer_k } if now >= timer_k => {
                self.state = State::Terminated;
                Some(TimerAction::Terminated)
            }
            State::Completed { .. } | State::Terminated => None,
        }
    }

    /// The next instant at which `on_timer` has work.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        match self.state {
            State::Trying | State::Proceeding => earliest(self.timer_e, Some(self.timer_f)),
            State::Completed { timer_k } => Some(timer_k),
            State::Terminated => None,
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

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn timer_e_doubles_up_to_t2_then_f_fires_at_64_t1() {
        let t0 = Instant::now();
        let mut tx = ClientNonInvite::new(t0, false, TimerConfig::default());
        let mut sends = vec![];
        while let Some(at) = tx.deadline() {
            match tx.on_timer(at) {
                Some(TimerAction::Retransmit) => sends.push(at - t0),
                Some(TimerAction::TimedOut) => {
                    assert_eq!(at - t0, ms(32_000));
                    break;
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(&sends[..5], &[ms(500), ms(1500), ms(3500), ms(7500), ms(11_500)]);
        assert_eq!(sends.len(), 10);
        assert!(tx.is_terminated());
    }

    #[test]
    fn final_response_completes_and_k_terminates() {
        let t0 = Instant::now();
        let mut tx = ClientNonInvite::new(t0, false, TimerConfig::default());
        assert_eq!(tx.on_response(t0 + ms(100), 100), ResponseVerdict::PassUp);
        assert_eq!(tx.on_response(t0 + ms(200), 200), ResponseVerdict::PassUp);
        assert_eq!(tx.on_response(t0 + ms(300), 200), ResponseVerdict::Absorb);
        assert_eq!(tx.deadline(), Some(t0 + ms(5200)));
        assert_eq!(tx.on_timer(t0 + ms(5200)), Some(TimerAction::Terminated));
    }

    #[test]
    fn reliable_transport_never_retransmits() {
        let t0 = Instant::now();
        let mut tx = ClientNonInvite::new(t0, true, TimerConfig::default());
        assert_eq!(tx.deadline(), Some(t0 + ms(32_000)));
        assert_eq!(tx.on_timer(t0 + ms(32_000)), Some(TimerAction::TimedOut));
    }
}
