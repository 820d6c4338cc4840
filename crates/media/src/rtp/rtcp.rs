//! RTCP sender/receiver reports and round-trip time from LSR/DLSR (RFC 3550 §6.4).

use std::time::{Duration, Instant};

use bytes::Bytes;
use rtc_rtcp::packet::Packet as RtcpPacket;
use rtc_rtcp::receiver_report::ReceiverReport;
use rtc_rtcp::reception_report::ReceptionReport;
use rtc_rtcp::sender_report::SenderReport;
use rtc_rtcp::source_description::{
    SdesType, SourceDescription, SourceDescriptionChunk, SourceDescriptionItem,
};

use super::source::SourceStats;

/// NTP time is derived from `now` with an arbitrary origin: peers only echo the middle
/// 32 bits (LSR) back to us, so RTT needs consistency, not wall-clock truth.
const NTP_ORIGIN_SECS: u64 = 0xE000_0000;

/// 64-bit NTP timestamp for `now`.
pub fn ntp_time(epoch: Instant, now: Instant) -> u64 {
    let d = now.saturating_duration_since(epoch);
    let secs = NTP_ORIGIN_SECS + d.as_secs();
    let frac = (u64::from(d.subsec_nanos()) << 32) / 1_000_000_000;
    (secs << 32) | frac
}

/// The middle 32 bits of an NTP timestamp (the LSR/DLSR unit is 1/65536 s).
pub fn ntp_middle(ntp: u64) -> u32 {
    (ntp >> 16) as u32
}

/// What we put into a report about what we sent.
#[derive(Debug, Clone, Copy)]
pub struct SenderInfo {
    /// Our SSRC.
    pub ssrc: u32,
    /// RTP timestamp corresponding to `now`.
    pub rtp_time: u32,
    /// Packets sent.
    pub packets: u32,
    /// Payload octets sent.
    pub octets: u32,
    /// True if we sent since the last report (then an SR, else an RR).
    pub sent_recently: bool,
}

/// Builds a compound SR or RR plus SDES CNAME (RFC 3550 §6.1 requires the CNAME).
pub fn build_report(
    epoch: Instant,
    now: Instant,
    me: SenderInfo,
    source: Option<&mut SourceStats>,
    cname: &str,
) -> Vec<Box<dyn RtcpPacket>> {
    let reports: Vec<ReceptionReport> =
        source.map(|s| vec![reception_report(now, s)]).unwrap_or_default();
    let first: Box<dyn RtcpPacket> = if me.sent_recently {
        Box::new(SenderReport {
            ssrc: me.ssrc,
            ntp_time: ntp_time(epoch, now),
            rtp_time: me.rtp_time,
            packet_count: me.packets,
            octet_count: me.octets,
            reports,
            profile_extensions: Bytes::new(),
        })
    } else {
        Box::new(ReceiverReport { ssrc: me.ssrc, reports, profile_extensions: Bytes::new() })
    };
    let sdes = SourceDescription {
        chunks: vec![SourceDescriptionChunk {
            source: me.ssrc,
            items: vec![SourceDescriptionItem {
                sdes_type: SdesType::SdesCname,
                text: Bytes::copy_from_slice(cname.as_bytes()),
            }],
        }],
    };
    vec![first, Box::new(sdes)]
}

fn reception_report(now: Instant, s: &mut SourceStats) -> ReceptionReport {
    let (lsr, dlsr) = match s.last_sr {
        Some((lsr, at)) => (lsr, to_ntp_short(now.saturating_duration_since(at))),
        None => (0, 0),
    };
    ReceptionReport {
        ssrc: s.ssrc(),
        fraction_lost: s.take_fraction_lost(),
        total_lost: s.lost().min(0x7F_FFFF) as u32,
        last_sequence_number: s.extended_max(),
        jitter: s.jitter_units(),
        last_sender_report: lsr,
        delay: dlsr,
    }
}

fn to_ntp_short(d: Duration) -> u32 {
    ((d.as_secs_f64() * 65536.0) as u64).min(u64::from(u32::MAX)) as u32
}

/// Round-trip time from a report block about us (RFC 3550 §6.4.1: A - LSR - DLSR).
pub fn rtt_from_block(epoch: Instant, now: Instant, block: &ReceptionReport) -> Option<Duration> {
    if block.last_sender_report == 0 {
        return None;
    }
    let a = ntp_middle(ntp_time(epoch, now));
    let rtt = a.checked_sub(block.last_sender_report)?.checked_sub(block.delay)?;
    Some(Duration::from_secs_f64(f64::from(rtt) / 65536.0))
}

/// What an incoming compound packet told us.
#[derive(Debug, Default)]
pub struct RtcpSummary {
    /// The peer's SR (its SSRC and middle NTP bits), if any.
    pub sender_report: Option<(u32, u32)>,
    /// Report blocks about any SSRC.
    pub blocks: Vec<ReceptionReport>,
    /// A BYE was received.
    pub bye: bool,
}

/// Reads the parts of a compound RTCP packet we act on.
pub fn summarize(packets: &[Box<dyn RtcpPacket>]) -> RtcpSummary {
    let mut out = RtcpSummary::default();
    for p in packets {
        let any = p.as_any();
        if let Some(sr) = any.downcast_ref::<SenderReport>() {
            out.sender_report = Some((sr.ssrc, ntp_middle(sr.ntp_time)));
            out.blocks.extend(sr.reports.iter().cloned());
        } else if let Some(rr) = any.downcast_ref::<ReceiverReport>() {
            out.blocks.extend(rr.reports.iter().cloned());
        } else if any.is::<rtc_rtcp::goodbye::Goodbye>() {
            out.bye = true;
        }
    }
    out
}
