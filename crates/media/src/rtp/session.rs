//! One RTP/RTCP session on one 5-tuple: send, receive, protect, count, report.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use rtc_rtp::header::Header;
use rtc_rtp::packet::Packet;
use rtc_shared::marshal::{Marshal, Unmarshal};

use super::counters::DropCounters;
use super::rtcp::{self, SenderInfo};
use super::source::{SeqVerdict, SourceStats};
use crate::srtp::{SrtpSession, UnprotectError};

/// Largest datagram accepted: one Ethernet MTU; audio packets are far smaller.
pub const MAX_PACKET: usize = 1500;
/// Regular RTCP report interval (RFC 3550 §6.2 minimum).
const RTCP_INTERVAL: Duration = Duration::from_secs(5);

/// How packets are protected on the wire.
#[derive(Debug)]
pub enum Protection {
    /// SRTP/SRTCP.
    Srtp(SrtpSession),
    /// Plain RTP (only where policy allows; the call is marked unencrypted).
    Plain,
    /// DTLS-SRTP whose handshake has not finished: nothing is sent or accepted yet.
    AwaitingKeys,
}

/// A datagram to send. `Debug` leaves out the destination (personal data).
#[derive(Clone, PartialEq, Eq)]
pub struct Transmit {
    /// Destination.
    pub to: SocketAddr,
    /// Bytes on the wire.
    pub data: Vec<u8>,
}

/// An accepted RTP packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedRtp {
    /// Sender SSRC.
    pub ssrc: u32,
    /// Payload type.
    pub pt: u8,
    /// Sequence number.
    pub seq: u16,
    /// RTP timestamp.
    pub timestamp: u32,
    /// Marker bit.
    pub marker: bool,
    /// Decrypted payload.
    pub payload: Bytes,
    /// True if this packet starts a new source (SSRC switch or confirmed sequence jump).
    pub new_source: bool,
}

/// Live statistics.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct RtpStats {
    /// RTP packets sent.
    pub packets_sent: u64,
    /// RTP packets accepted.
    pub packets_received: u64,
    /// Packets the current source should have delivered.
    pub packets_expected: u64,
    /// Packets lost from the current source.
    pub packets_lost: u64,
    /// Interarrival jitter in milliseconds.
    pub jitter_ms: f64,
    /// Last RTCP round-trip time in milliseconds.
    pub rtt_ms: Option<f64>,
    /// SSRC changes seen.
    pub ssrc_switches: u64,
    /// Dropped input by reason.
    pub drops: DropCounters,
}

/// The RTP session state machine. It never reads the clock: every call takes `now`.
pub struct RtpSession {
    epoch: Instant,
    remote_rtp: SocketAddr,
    remote_rtcp: SocketAddr,
    protection: Protection,
    clock_rate: u32,
    payload_types: Vec<u8>,
    local_ssrc: u32,
    seq: u16,
    ts_offset: u32,
    packets_sent: u64,
    octets_sent: u64,
    last_sent: Option<(Instant, u32)>,
    sent_since_report: bool,
    source: Option<SourceStats>,
    stats: RtpStats,
    next_rtcp: Instant,
    cname: String,
}

impl RtpSession {
    /// A session with the negotiated peer addresses, protection, clock and payload types.
    pub fn new(
        now: Instant,
        remote: (SocketAddr, SocketAddr),
        protection: Protection,
        clock_rate: u32,
        payload_types: Vec<u8>,
    ) -> Self {
        let [a, b, c, d] = crate::random_u32s();
        Self {
            epoch: now,
            remote_rtp: remote.0,
            remote_rtcp: remote.1,
            protection,
            clock_rate,
            payload_types,
            local_ssrc: a,
            seq: b as u16,
            ts_offset: c,
            packets_sent: 0,
            octets_sent: 0,
            last_sent: None,
            sent_since_report: false,
            source: None,
            stats: RtpStats::default(),
            next_rtcp: now + RTCP_INTERVAL / 2,
            cname: format!("{d:08x}@callwarden"),
        }
    }

    /// Our SSRC.
    pub fn local_ssrc(&self) -> u32 {
        self.local_ssrc
    }

    /// Points the session at a new remote address (re-INVITE); statistics continue.
    pub fn set_remote(&mut self, remote: (SocketAddr, SocketAddr)) {
        (self.remote_rtp, self.remote_rtcp) = remote;
    }

    /// Builds, protects and addresses one RTP packet. `timestamp` counts from 0 at call start.
    pub fn send_rtp(
        &mut self,
        now: Instant,
        pt: u8,
        marker: bool,
        timestamp: u32,
        payload: &[u8],
    ) -> Option<Transmit> {
        let header = Header {
            version: 2,
            marker,
            payload_type: pt,
            sequence_number: self.seq,
            timestamp: self.ts_offset.wrapping_add(timestamp),
            ssrc: self.local_ssrc,
            ..Header::default()
        };
        let packet = Packet { header, payload: Bytes::copy_from_slice(payload) };
        let plain = packet.marshal().ok()?;
        let data = match &mut self.protection {
            Protection::Srtp(s) => s.protect_rtp(&plain).ok()?,
            Protection::Plain => plain.to_vec(),
            Protection::AwaitingKeys => return None,
        };
        self.seq = self.seq.wrapping_add(1);
        self.packets_sent += 1;
        self.octets_sent += payload.len() as u64;
        self.last_sent = Some((now, packet.header.timestamp));
        self.sent_since_report = true;
        self.stats.packets_sent = self.packets_sent;
        Some(Transmit { to: self.remote_rtp, data: data.to_vec() })
    }

    /// Handles a datagram from the media socket. Returns an RTP packet to play, or `None`
    /// when the datagram was RTCP or was dropped (then a counter says why).
    pub fn receive(&mut self, now: Instant, from: SocketAddr, data: &[u8]) -> Option<ReceivedRtp> {
        if data.len() > MAX_PACKET {
            self.stats.drops.oversized += 1;
            return None;
        }
        let is_rtcp = data.get(1).is_some_and(|b| (192..=223).contains(b));
        let expected_from =
            if is_rtcp { [self.remote_rtcp, self.remote_rtp] } else { [self.remote_rtp; 2] };
        if !expected_from.contains(&from) {
            self.stats.drops.unexpected_source += 1;
            return None;
        }
        if is_rtcp {
            self.receive_rtcp(now, data);
            return None;
        }
        self.receive_rtp(now, data)
    }

    fn unprotect(&mut self, data: &[u8], rtcp: bool) -> Option<Vec<u8>> {
        let result = match &mut self.protection {
            Protection::Srtp(s) if rtcp => s.unprotect_rtcp(data),
            Protection::Srtp(s) => s.unprotect_rtp(data),
            Protection::Plain => Ok(data.to_vec()),
            Protection::AwaitingKeys => {
                self.stats.drops.before_keys += 1;
                return None;
            }
        };
        match result {
            Ok(plain) => Some(plain),
            Err(e) => {
                let d = &mut self.stats.drops;
                match e {
                    UnprotectError::Replay => d.replays += 1,
                    UnprotectError::AuthFailed => d.auth_failures += 1,
                    _ => d.malformed += 1,
                }
                None
            }
        }
    }

    fn receive_rtp(&mut self, now: Instant, data: &[u8]) -> Option<ReceivedRtp> {
        if data.len() < 12 || data.first().is_none_or(|b| b >> 6 != 2) {
            self.stats.drops.malformed += 1;
            return None;
        }
        let plain = self.unprotect(data, false)?;
        let Ok(packet) = Packet::unmarshal(&mut plain.as_slice()) else {
            self.stats.drops.malformed += 1;
            return None;
        };
        let h = &packet.header;
        if !self.payload_types.contains(&h.payload_type) {
            self.stats.drops.unknown_payload_type += 1;
            return None;
        }
        let mut new_source = false;
        if self.source.as_ref().is_none_or(|s| s.ssrc() != h.ssrc) {
            if self.source.is_some() {
                self.stats.ssrc_switches += 1;
            }
            self.source =
                Some(SourceStats::new(h.ssrc, h.sequence_number, self.clock_rate, self.epoch));
            new_source = true;
        }
        let source = self.source.as_mut()?;
        match source.update_seq(h.sequence_number) {
            SeqVerdict::Jump => {
                self.stats.drops.sequence_jumps += 1;
                return None;
            }
            SeqVerdict::Resynced => new_source = true,
            SeqVerdict::Accept | SeqVerdict::Reordered => {}
        }
        source.update_jitter(now, h.timestamp);
        self.stats.packets_received += 1;
        Some(ReceivedRtp {
            ssrc: h.ssrc,
            pt: h.payload_type,
            seq: h.sequence_number,
            timestamp: h.timestamp,
            marker: h.marker,
            payload: packet.payload.clone(),
            new_source,
        })
    }

    fn receive_rtcp(&mut self, now: Instant, data: &[u8]) {
        let Some(plain) = self.unprotect(data, true) else { return };
        let Ok(packets) = rtc_rtcp::packet::unmarshal(&mut plain.as_slice()) else {
            self.stats.drops.malformed += 1;
            return;
        };
        let summary = rtcp::summarize(&packets);
        if let (Some((ssrc, lsr)), Some(source)) = (summary.sender_report, self.source.as_mut())
            && source.ssrc() == ssrc
        {
            source.last_sr = Some((lsr, now));
        }
        for block in summary.blocks.iter().filter(|b| b.ssrc == self.local_ssrc) {
            if let Some(rtt) = rtcp::rtt_from_block(self.epoch, now, block) {
                self.stats.rtt_ms = Some(rtt.as_secs_f64() * 1000.0);
            }
        }
    }

    /// An RTCP report when one is due.
    pub fn poll_rtcp(&mut self, now: Instant) -> Option<Transmit> {
        if now < self.next_rtcp {
            return None;
        }
        self.next_rtcp = now + RTCP_INTERVAL;
        let rtp_time = self.last_sent.map_or(self.ts_offset, |(at, ts)| {
            let elapsed =
                now.saturating_duration_since(at).as_secs_f64() * f64::from(self.clock_rate);
            ts.wrapping_add(elapsed as u32)
        });
        let me = SenderInfo {
            ssrc: self.local_ssrc,
            rtp_time,
            packets: self.packets_sent as u32,
            octets: self.octets_sent as u32,
            sent_recently: std::mem::take(&mut self.sent_since_report),
        };
        let packets = rtcp::build_report(self.epoch, now, me, self.source.as_mut(), &self.cname);
        let plain = rtc_rtcp::packet::marshal(&packets).ok()?;
        let data = match &mut self.protection {
            Protection::Srtp(s) => s.protect_rtcp(&plain).ok()?,
            Protection::Plain => plain.to_vec(),
            Protection::AwaitingKeys => return None,
        };
        Some(Transmit { to: self.remote_rtcp, data })
    }

    /// Installs SRTP keys (DTLS-SRTP finished).
    pub fn set_protection(&mut self, protection: Protection) {
        self.protection = protection;
    }

    /// Counts a datagram that is neither RTP/RTCP, STUN nor DTLS.
    pub fn count_malformed(&mut self) {
        self.stats.drops.malformed += 1;
    }

    /// Counts a packet dropped because the direction forbids receiving (hold).
    pub fn count_while_inactive(&mut self) {
        self.stats.drops.while_inactive += 1;
    }

    /// When [`Self::poll_rtcp`] next has something to send.
    pub fn next_timeout(&self) -> Instant {
        self.next_rtcp
    }

    /// Current statistics.
    pub fn stats(&self) -> RtpStats {
        let mut s = self.stats;
        if let Some(src) = &self.source {
            s.packets_expected = src.expected();
            s.packets_lost = src.lost();
            s.jitter_ms = src.jitter().as_secs_f64() * 1000.0;
        }
        s
    }
}

impl std::fmt::Debug for Transmit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transmit")
            .field("to", &"<redacted>")
            .field("len", &self.data.len())
            .finish()
    }
}

impl std::fmt::Debug for RtpSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RtpSession")
            .field("local_ssrc", &self.local_ssrc)
            .field("protection", &self.protection)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}
