//! Server INVITE transaction (RFC 3261 §17.2.1 with RFC 6026): timers G, H, I and L, plus the
//! 2xx retransmission of §13.3.1.4 and the 100 Trying sent when the TU is slower than 200 ms.

use std::time::{Duration, Instant};

use super::TimerAction;
use crate::timers::TimerConfig;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Proceeding {
        trying_at: Option<Instant>,
    },
    /// A non-2xx final was sent: retransmit it (G) until ACK or timer H.
    Completed {
        timer_g: Option<Instant>,
        timer_h: Instant,
    },
    Confirmed {
        timer_i: Instant,
    },
    /// RFC 6026: a 2xx was sent. It is retransmitted until ACK; the state absorbs INVITE
    /// retransmissions until timer L.
    Accepted {
        retransmit_at: Option<Instant>,
        timer_l: Instant,
        acked: bool,
    },
    Terminated,
}

/// What an incoming ACK means to the server INVITE transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AckVerdict {
    /// The ACK for our non-2xx final: absorbed.
    Absorbed,
    /// The first ACK for our 2xx: the dialog is confirmed.
    Confirms2xx,
    /// Anything else (duplicate ACK): ignore.
    Ignore,
}

/// A server INVITE transaction.
#[derive(Debug, Clone)]
pub(crate) struct ServerInvite {
    state: State,
    timers: TimerConfig,
    reliable: bool,
    interval: Duration,
}

impl ServerInvite {
    /// Starts the transaction for an INVITE received at `now`.
    pub(crate) fn new(now: Instant, reliable: bool, timers: TimerConfig) -> Self {
        let trying_at = Some(now + Duration::from_millis(200));
        Self { state: State::Proceeding { trying_at }, timers, reliable, interval: timers.t1 }
    }

    /// The TU sends a response with `status` at `now`.
    pub(crate) fn on_send(&mut self, now: Instant, status: u16) {
        let State::Proceeding { .. } = self.state else { return };
        let first_retransmit = (!self.reliable).then(|| now + self.timers.t1);
        self.interval = self.timers.t1;
        self.state = if status < 200 {
            State::Proceeding { trying_at: None }
        } else if status < 300 {
            // A 2xx is retransmitted even over reliable transports (§13.3.1.4 is end-to-end).
            let at = now + self.timers.t1;
            let timer_l = now + self.timers.t1x64();
            State::Accepted { retransmit_at: Some(at), timer_l, acked: false }
        } else {
            State::Completed { timer_g: first_retransmit, timer_h: now + self.timers.t1x64() }
        };
    }

    /// An INVITE retransmission arrived: whether to resend the last response.
    pub(crate) fn on_retransmission(&self) -> bool {
        matches!(self.state, State::Proceeding { trying_at: None } | State::Completed { .. })
    }

    /// An ACK matching this transaction arrived.
    pub(crate) fn on_ack(&mut self, now: Instant) -> AckVerdict {
        match &mut self.state {
            State::Completed { .. } => {
                let timer_i = now + self.timers.t4_unless_reliable(self.reliable);
                self.state = State::Confirmed { timer_i };
                AckVerdict::Absorbed
            }
            State::Accepted { acked, retransmit_at, .. } if !*acked => {
                *acked = true;
                *retransmit_at = None;
                AckVerdict::Confirms2xx
            }
            _ => AckVerdict::Ignore,
        }
    }

    /// Runs due timers; call until it returns `None`.
    pub(crate) fn on_timer(&mut self, now: Instant) -> Option<TimerAction> {
        match &mut self.state {
            State::Proceeding { trying_at } if trying_at.is_some_and(|t| t <= now) => {
                *trying_at = None;
                Some(TimerAction::SendTrying)
            }
            State::Completed { timer_h, .. } if now >= *timer_h => {
                self.state = State::Terminated;
                Some(TimerAction::TimedOut)
            }
            State::Completed { timer_g, .. } | State::Accepted { retransmit_at: timer_g, .. }
                if timer_g.is_some_and(|g| g <= now) =>
            {
                self.interval = (self.interval * 2).min(self.timers.t2);
                *timer_g = Some(now + self.interval);
                Some(TimerAction::Retransmit)
            }
            State::Accepted { timer_l, acked, .. } if now >= *timer_l => {
                let acked = *acked;
                self.state = State::Terminated;
                Some(if acked { TimerAction::Terminated } else { TimerAction::TimedOut })
            }
            State::Confirmed { timer_i } if now >= *timer_i => {
                self.state = State::Terminated;
                Some(TimerAction::Terminated)
            }
            _ => None,
        }
    }

    /// The next instant at which `on_timer` has work.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        match self.state {
            State::Proceeding { trying_at } => trying_at,
            State::Completed { timer_g, timer_h } => {
                Some(timer_g.map_or(timer_h, |g| g.min(timer_h)))
            }
            State::Accepted { retransmit_at, timer_l, .. } => {
                Some(retransmit_at.map_or(timer_l, |r| r.min(timer_l)))
            }
            State::Confirmed { timer_i } => Some(timer_i),
            State::Terminated => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn drain(tx: &mut ServerInvite, t0: Instant) -> Vec<(u128, TimerAction)> {
        let mut out = vec![];
        while let Some(at) = tx.deadline() {
            let Some(action) = tx.on_timer(at) else { break };
            out.push(((at - t0).as_millis(), action));
        }
        out
    }

    #[test]
    fn trying_is_sent_after_200ms_without_provisional() {
        let t0 = Instant::now();
        let mut tx = ServerInvite::new(t0, false, TimerConfig::default());
        assert_eq!(tx.on_timer(t0 + ms(199)), None);
        assert_eq!(tx.on_timer(t0 + ms(200)), Some(TimerAction::SendTrying));
        assert!(tx.on_retransmission());
    }

    #[test]
    fn non_2xx_retransmitted_g_until_h() {
        let t0 = Instant::now();
        let mut tx = ServerInvite::new(t0, false, TimerConfig::default());
        tx.on_send(t0, 486);
        let events = drain(&mut tx, t0);
        let sends: Vec<_> = events.iter().filter(|e| e.1 == TimerAction::Retransmit).collect();
        assert_eq!(sends[..4].iter().map(|e| e.0).collect::<Vec<_>>(), [500, 1500, 3500, 7500]);
        assert_eq!(events.last(), Some(&(32_000, TimerAction::TimedOut)));
    }

    #[test]
    fn ack_confirms_and_i_terminates() {
        let t0 = Instant::now();
        let mut tx = ServerInvite::new(t0, false, TimerConfig::default());
        tx.on_send(t0, 486);
        assert_eq!(tx.on_ack(t0 + ms(10)), AckVerdict::Absorbed);
        assert_eq!(drain(&mut tx, t0), vec![(5010, TimerAction::Terminated)]);
    }

    #[test]
    fn two_xx_retransmitted_until_ack() {
        let t0 = Instant::now();
        let mut tx = ServerInvite::new(t0, true, TimerConfig::default());
        tx.on_send(t0, 200);
        assert_eq!(tx.on_timer(t0 + ms(500)), Some(TimerAction::Retransmit));
        assert_eq!(tx.on_ack(t0 + ms(600)), AckVerdict::Confirms2xx);
        assert_eq!(tx.on_ack(t0 + ms(700)), AckVerdict::Ignore);
        assert_eq!(drain(&mut tx, t0), vec![(32_000, TimerAction::Terminated)]);
    }

    #[test]
    fn two_xx_without_ack_times_out_at_l() {
        let t0 = Instant::now();
        let mut tx = ServerInvite::new(t0, false, TimerConfig::default());
        tx.on_send(t0, 200);
        let events = drain(&mut tx, t0);
        assert_eq!(events.last(), Some(&(32_000, TimerAction::TimedOut)));
        assert!(events.len() > 8);
    }
}
