//! Adaptive jitter buffer: orders packets, hides loss, follows network delay and clock drift.
//!
//! Sans-IO: `push` on arrival, `pop` once per playout frame, both with `now`. The target
//! delay follows the 95th percentile of recent packet delay variation plus one frame. When
//! more audio is queued than the target needs (sender clock fast, or a delay spike has
//! passed) a frame is dropped; when nothing is queued (sender clock slow, delay rising) a
//! concealment frame is inserted without advancing, so the buffer stretches. The number of
//! packets held is bounded either way.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use bytes::Bytes;

/// Packets kept at most (10 s of 20 ms frames); older ones are dropped.
const MAX_PACKETS: usize = 500;
/// Packets in the delay-variation window (2 s of 20 ms frames).
const WINDOW: usize = 100;
/// Packets in the arrival-margin window that steers latency (1 s: short enough to follow
/// ±1 % drift without lag, long enough for a stable 5th percentile).
const MARGIN_WINDOW: usize = 50;
/// Highest target delay.
const MAX_TARGET: Duration = Duration::from_millis(400);

/// What to play for one frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Playout {
    /// Decode this payload.
    Packet(Bytes),
    /// The frame is missing: conceal it; `next` is the following payload if buffered (FEC).
    Lost {
        /// The next packet's payload, for Opus FEC.
        next: Option<Bytes>,
    },
    /// Nothing received yet (before the first packet or after a reset): play silence.
    Idle,
}

/// Counters for the quality report and the simulation table.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct JitterStats {
    /// Frames played from packets.
    pub played: u64,
    /// Frames concealed (lost, late or underrun).
    pub concealed: u64,
    /// Frames dropped to cut latency (drift or a passed spike).
    pub dropped: u64,
    /// Packets arriving after their play time.
    pub late: u64,
    /// Current target delay in milliseconds.
    pub target_ms: f64,
    /// Mean time played packets spent in the buffer, in milliseconds.
    pub mean_delay_ms: f64,
    /// Largest number of packets held at once.
    pub max_held: usize,
}

impl JitterStats {
    /// Concealed frames over all frames played or concealed.
    pub fn concealment_ratio(&self) -> f64 {
        let total = self.played + self.concealed;
        if total == 0 { 0.0 } else { self.concealed as f64 / total as f64 }
    }
}

/// Latency adaptation decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Adapt {
    Hold,
    Shed,
    Stretch,
}

/// The jitter buffer for one source.
#[derive(Debug)]
pub struct JitterBuffer {
    clock_rate: u32,
    frame_ts: i64,
    packets: BTreeMap<i64, (Bytes, Instant)>,
    last_ts: Option<(u32, i64)>,
    play_ts: Option<i64>,
    epoch: Option<Instant>,
    transit: Vec<f64>,
    margins: std::collections::VecDeque<i64>,
    last_pop: Option<Instant>,
    stats: JitterStats,
    delay_sum_ms: f64,
}

impl JitterBuffer {
    /// A buffer for `clock_rate` with `frame` of audio per playout tick.
    pub fn new(clock_rate: u32, frame: Duration) -> Self {
        Self {
            clock_rate,
            frame_ts: ((frame.as_secs_f64() * f64::from(clock_rate)) as i64).max(1),
            packets: BTreeMap::new(),
            last_ts: None,
            play_ts: None,
            epoch: None,
            transit: Vec::with_capacity(WINDOW),
            margins: std::collections::VecDeque::with_capacity(MARGIN_WINDOW),
            last_pop: None,
            stats: JitterStats::default(),
            delay_sum_ms: 0.0,
        }
    }

    /// Forgets buffered audio (new SSRC or confirmed sequence jump); statistics continue.
    pub fn reset(&mut self) {
        self.packets.clear();
        self.last_ts = None;
        self.play_ts = None;
        self.epoch = None;
        self.transit.clear();
        self.margins.clear();
    }

    /// Adds a packet that arrived at `now`.
    pub fn push(&mut self, now: Instant, timestamp: u32, payload: Bytes) {
        let mut ext = self.extend(timestamp);
        if self.play_ts.is_some_and(|p| (ext - p).abs() > self.resync_span()) {
            // Far from the play point (a long pause, or a timestamp jump): start over.
            self.reset();
            ext = self.extend(timestamp);
        }
        if let Some(p) = self.play_ts {
            if self.margins.len() == MARGIN_WINDOW {
                self.margins.pop_front();
            }
            // Time until this packet plays: frames ahead of the play point, plus what is
            // left of the current frame period.
            let since_pop =
                self.last_pop.map_or(0.0, |t| now.saturating_duration_since(t).as_secs_f64());
            let left = self.frame_ts - (since_pop * f64::from(self.clock_rate)) as i64;
            self.margins.push_back(ext - p + left.max(0));
        }
        if self.play_ts.is_some_and(|p| ext < p) || self.packets.contains_key(&ext) {
            self.stats.late += u64::from(self.play_ts.is_some_and(|p| ext < p));
            return;
        }
        let epoch = *self.epoch.get_or_insert(now);
        let arrival =
            now.saturating_duration_since(epoch).as_secs_f64() * f64::from(self.clock_rate);
        if self.transit.len() == WINDOW {
            self.transit.remove(0);
        }
        self.transit.push(arrival - ext as f64);
        self.packets.insert(ext, (payload, now));
        while self.packets.len() > MAX_PACKETS {
            self.packets.pop_first();
        }
        self.stats.max_held = self.stats.max_held.max(self.packets.len());
    }

    fn extend(&mut self, ts: u32) -> i64 {
        let ext = match self.last_ts {
            Some((last, last_ext)) => last_ext + i64::from(ts.wrapping_sub(last) as i32),
            None => i64::from(ts),
        };
        if self.last_ts.is_none_or(|(_, e)| ext > e) {
            self.last_ts = Some((ts, ext));
        }
        ext
    }

    /// Distance from the play point beyond which the stream is restarted (2 s).
    fn resync_span(&self) -> i64 {
        2 * i64::from(self.clock_rate)
    }

    /// Target delay in timestamp units: p95 of delay variation plus one frame.
    fn target(&self) -> i64 {
        let mut v = self.transit.clone();
        v.sort_by(f64::total_cmp);
        let (Some(min), Some(p95)) = (v.first(), v.get(v.len() * 95 / 100)) else {
            return self.frame_ts;
        };
        let max = MAX_TARGET.as_secs_f64() * f64::from(self.clock_rate);
        ((p95 - min).min(max) as i64) + self.frame_ts
    }

    /// The audio queued from the play point to the end of the newest packet.
    fn queued(&self, play_ts: i64) -> i64 {
        self.packets.last_key_value().map_or(0, |(k, _)| k + self.frame_ts - play_ts)
    }

    /// What to play for the next frame.
    pub fn pop(&mut self, now: Instant) -> Playout {
        self.last_pop = Some(now);
        let target = self.target();
        self.stats.target_ms = target as f64 * 1000.0 / f64::from(self.clock_rate);
        let play_ts = match self.play_ts {
            Some(p) => p,
            None => match self.packets.first_key_value() {
                Some((first, _)) if self.queued(*first) >= target => *first,
                _ => return Playout::Idle,
            },
        };
        let play_ts = match self.play_ts.map(|_| self.adapt()) {
            Some(Adapt::Shed) => self.shed(play_ts),
            Some(Adapt::Stretch) => {
                // Too many packets would arrive after their play time (delay rising or the
                // sender's clock slow): stretch by one concealed frame.
                self.stats.concealed += 1;
                self.shift_margins(self.frame_ts);
                self.play_ts = Some(play_ts);
                return Playout::Lost { next: None };
            }
            _ => play_ts,
        };
        let current = self.packets.range(play_ts..play_ts + self.frame_ts).next().map(|(k, _)| *k);
        if let Some(k) = current.and_then(|k| self.packets.remove(&k).map(|p| (k, p))) {
            let (key, (payload, arrived)) = k;
            self.play_ts = Some(key + self.frame_ts);
            self.stats.played += 1;
            self.delay_sum_ms += now.saturating_duration_since(arrived).as_secs_f64() * 1000.0;
            self.stats.mean_delay_ms = self.delay_sum_ms / self.stats.played as f64;
            return Playout::Packet(payload);
        }
        // Missing at its play time: lost (or so late it will count as late). Advance and
        // offer the next packet for FEC; the margin controller stretches if this recurs.
        self.stats.concealed += 1;
        self.play_ts = Some(play_ts + self.frame_ts);
        let next = self.packets.range(play_ts + self.frame_ts..play_ts + 2 * self.frame_ts).next();
        Playout::Lost { next: next.map(|(_, (p, _))| p.clone()) }
    }

    /// Decides from the 5th percentile of arrival margins (how early packets arrive
    /// before their play time): below zero means more than 5 % would be late.
    fn adapt(&self) -> Adapt {
        if self.margins.len() < MARGIN_WINDOW / 10 {
            return Adapt::Hold;
        }
        let mut m: Vec<i64> = self.margins.iter().copied().collect();
        m.sort_unstable();
        match m.get(m.len() / 20) {
            Some(p5) if *p5 < self.frame_ts / 2 => Adapt::Stretch,
            Some(p5) if *p5 > self.frame_ts * 3 / 2 => Adapt::Shed,
            _ => Adapt::Hold,
        }
    }

    fn shift_margins(&mut self, by: i64) {
        self.margins.iter_mut().for_each(|m| *m += by);
    }

    /// Drops the frame at the play point to cut latency.
    fn shed(&mut self, play_ts: i64) -> i64 {
        self.stats.dropped += 1;
        self.shift_margins(-self.frame_ts);
        let stale: Vec<i64> =
            self.packets.range(..play_ts + self.frame_ts).map(|(k, _)| *k).collect();
        stale.iter().for_each(|k| {
            self.packets.remove(k);
        });
        play_ts + self.frame_ts
    }

    /// Packets currently held.
    pub fn len(&self) -> usize {
        self.packets.len()
    }

    /// True if no packet is held.
    pub fn is_empty(&self) -> bool {
        self.packets.is_empty()
    }

    /// Counters so far.
    pub fn stats(&self) -> JitterStats {
        self.stats
    }
}
