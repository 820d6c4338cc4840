//! Client INVITE transaction (RFC 3261 §17.1.1 with RFC 6026): timers A, B, D and M.

use std::time::{Duration, Instant};

use super::{ResponseVerdict, TimerAction};
use crate::timers::{TimerConfig, earliest};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Calling,
    Proceeding,
    /// A non-2xx final arrived; absorb retransmissions (re-ACK) until timer D.
    Completed {
        timer_d: Instant,
    },
    /// RFC 6026: a 2xx arrived; further 2xx (from other forks too) pass up until timer M.
    Accepted {
        timer_m: Instant,
    },
    Terminated,
}

/// A client INVITE transaction. It ACKs non-2xx finals itself; 2xx responses go to the user
/// agent, which builds the ACK in the dialog.
#[derive(Debug, Clone)]
pub(crate) struct ClientInvite {
    state: State,
    timers: TimerConfig,
    reliable: bool,
    timer_a: Option<Instant>,
    interval: Duration,
    timer_b: Instant,
}

impl ClientInvite {
    /// Starts the transaction: the INVITE was just sent at `now`.
    pub(crate) fn new(now: Instant, reliable: bool, timers: TimerConfig) -> Self {
        Self {
            state: State::Calling,
            timers,
            reliable,
            timer_a: (!reliable).then(|| now + timers.t1),
            interval: timers.t1,
            timer_b: now + timers.t1x64(),
        }
    }

    /// Feeds a response with status `status`.
    pub(crate) fn on_response(&mut self, now: Instant, status: u16) -> ResponseVerdict {
        match self.state {
            State::Calling | State::Proceeding => {
                self.timer_a = None;
                if status < 200 {
                    self.state = State::Proceeding;
                    ResponseVerdict::PassUp
                } else if status < 300 {
                    self.state = State::Accepted { timer_m: now + self.timers.t1x64() };
                    ResponseVerdict::PassUp
                } else {
                    let d = now + self.timers.timer_d(self.reliable);
                    self.state = State::Completed { timer_d: d };
                    ResponseVerdict::PassUpAndAck
                }
            }
            State::Accepted { .. } if (200..300).contains(&status) => ResponseVerdict::PassUp,
            State::Completed { .. } if status >= 300 => ResponseVerdict::AckAgain,
            _ => ResponseVerdict::Absorb,
        }
    }

    /// Runs due timers; call until it returns `None`.
    pub(crate) fn on_timer(&mut self, now: Instant) -> Option<TimerAction> {
        match self.state {
            State::Calling => {
                if now >= self.timer_b {
                    self.state = State::Terminated;
                    return Some(TimerAction::TimedOut);
                }
                let due = self.timer_a.filter(|a| *a <= now)?;
                self.interval *= 2;
                self.timer_a = Some(due.max(now) + self.interval);
                Some(TimerAction::Retransmit)
            }
            State::Completed { timer_d: at } | State::Accepted { timer_m: at } if now >= at => {
                self.state = State::Terminated;
                Some(TimerAction::Terminated)
            }
            _ => None,
        }
    }

    /// The next instant at which `on_timer` has work.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        match self.state {
            State::Calling => earliest(self.timer_a, Some(self.timer_b)),
            State::Completed { timer_d: at } | State::Accepted { timer_m: at } => Some(at),
            State::Proceeding | State::Terminated => None,
        }
    }

    /// Whether a provisional response was received (CANCEL is allowed only then).
    #[cfg(test)]
    pub(crate) fn is_proceeding(&self) -> bool {
        self.state == State::Proceeding
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
    fn timer_a_doubles_without_cap_until_b() {
        let t0 = Instant::now();
        let mut tx = ClientInvite::new(t0, false, TimerConfig::default());
        let mut sends = vec![];
        while let Some(at) = tx.deadline() {
            match tx.on_timer(at) {
                Some(TimerAction::Retransmit) => sends.push((at - t0).as_millis()),
                Some(TimerAction::TimedOut) => break,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(sends, vec![500, 1500, 3500, 7500, 15_500, 31_500]);
        assert!(tx.is_terminated());
    }

    #[test]
    fn non_2xx_is_acked_and_retransmissions_reacked_until_d() {
        let t0 = Instant::now();
        let mut tx = ClientInvite::new(t0, false, TimerConfig::default());
        assert_eq!(tx.on_response(t0, 180), ResponseVerdict::PassUp);
        assert!(tx.is_proceeding());
        assert_eq!(tx.on_response(t0 + ms(10), 486), ResponseVerdict::PassUpAndAck);
        assert_eq!(tx.on_response(t0 + ms(20), 486), ResponseVerdict::AckAgain);
        assert_eq!(tx.deadline(), Some(t0 + ms(32_010)));
        assert_eq!(tx.on_timer(t0 + ms(32_010)), Some(TimerAction::Terminated));
    }

    #[test]
    fn accepted_passes_every_2xx_until_m() {
        let t0 = Instant::now();
        let mut tx = ClientInvite::new(t0, false, TimerConfig::default());
        assert_eq!(tx.on_response(t0, 200), ResponseVerdict::PassUp);
        assert_eq!(tx.on_response(t0 + ms(5), 200), ResponseVerdict::PassUp);
        assert_eq!(tx.on_response(t0 + ms(6), 180), ResponseVerdict::Absorb);
        assert_eq!(tx.on_timer(t0 + ms(32_000)), Some(TimerAction::Terminated));
    }
}
