//! Moving datagrams between the call's socket, the ICE agent and the TURN relays: what comes
//! from a server goes to its link (and what that relays on, to the agent or to media); what
//! the agent sends from a relayed candidate goes through that relay; media goes on the
//! selected pair only, and is accepted from it only.

use std::net::SocketAddr;
use std::time::Instant;

use bytes::BytesMut;
use rtc_ice::Event;
use rtc_ice::candidate::CandidateConfig;
use rtc_ice::candidate::candidate_relay::CandidateRelayConfig;
use rtc_ice::candidate::candidate_server_reflexive::CandidateServerReflexiveConfig;
use rtc_ice::state::ConnectionState;
use rtc_shared::{TaggedBytesMut, TransportContext, TransportProtocol};
use rtc_stun::message::is_stun_message;
use sansio::Protocol;

use super::turn::{LinkEvent, ServerLink};
use super::{
    CandidateKind, CandidatePolicy, IceEvent, IceSession, Received, SelectedPair, Transmit,
    TurnTransport,
};

impl IceSession {
    /// A datagram from the call's socket. Returns it if it is media from the selected pair;
    /// STUN and TURN traffic is consumed, anything else is counted and dropped.
    pub fn handle_datagram(
        &mut self,
        now: Instant,
        from: SocketAddr,
        data: &[u8],
    ) -> Option<Received> {
        let from_server = |l: &ServerLink| l.server() == from && !l.transport().is_stream();
        if let Some(i) = self.links.iter().position(from_server) {
            let link = self.links.get_mut(i)?;
            if !link.handle(now, data) {
                self.stats.refused += 1;
            }
            let media = self.link_events(now, i).pop();
            self.pump(now);
            return media;
        }
        if self.policy == CandidatePolicy::RelayOnly {
            // Nothing of ours is reachable directly: this did not come the way we allow.
            self.stats.refused += 1;
            return None;
        }
        let media = self.peer_datagram(now, self.base, from, data);
        self.pump(now);
        media
    }

    /// Sends media on the selected pair; `false` (dropped) before one is selected.
    pub fn send(&mut self, now: Instant, data: &[u8]) -> bool {
        let Some(pair) = self.selected else { return false };
        if pair.local_base == self.base {
            self.transmits.push_back(Transmit { to: pair.remote_addr, data: data.to_vec() });
            return true;
        }
        let Some(link) = self.links.iter_mut().find(|l| l.relayed() == Some(pair.local_base))
        else {
            return false;
        };
        link.send_to(now, pair.remote_addr, data);
        self.stats.relayed_sent += 1;
        self.pump(now);
        true
    }

    /// Runs the timers due at `now`: checks, keepalives, retransmissions, refreshes.
    pub fn handle_timeout(&mut self, now: Instant) {
        let _ = self.agent.handle_timeout(now);
        self.links.iter_mut().for_each(|l| l.handle_timeout(now));
        for i in 0..self.links.len() {
            self.link_events(now, i);
        }
        self.pump(now);
    }

    /// Handles what a datagram from the peer (directly, or relayed to `local`) is.
    fn peer_datagram(
        &mut self,
        now: Instant,
        local: SocketAddr,
        from: SocketAddr,
        data: &[u8],
    ) -> Option<Received> {
        let transport = context(local, from);
        if is_stun_message(data) {
            let message = TaggedBytesMut { now, transport, message: BytesMut::from(data) };
            // Checks that fail integrity or name another session are the agent's to drop.
            let _ = self.agent.handle_read(message);
            return None;
        }
        let selected =
            self.selected.is_some_and(|p| p.local_base == local && p.remote_addr == from);
        if !selected {
            self.stats.refused += 1;
            return None;
        }
        // Marks the peer as alive for the consent timer.
        self.agent.is_valid_non_stun_traffic(now, transport);
        Some(Received { from, data: data.to_vec() })
    }

    /// Applies link `i`'s events; returns media that arrived through its relay (a datagram
    /// holds one message, a stream read any number).
    pub(super) fn link_events(&mut self, now: Instant, i: usize) -> Vec<Received> {
        let mut media = Vec::new();
        while let Some(event) = self.links.get_mut(i).and_then(|l| l.poll_event()) {
            match event {
                LinkEvent::Reflexive(addr) => self.add_reflexive(addr),
                LinkEvent::Relayed(addr) => {
                    let transport = self.links.get(i).map(ServerLink::transport);
                    self.add_relayed(addr, transport.unwrap_or_default());
                }
                LinkEvent::Failed(why) => self.events.push_back(IceEvent::ServerFailed(why)),
                LinkEvent::Data { peer, data } => {
                    let Some(relayed) = self.links.get(i).and_then(|l| l.relayed()) else {
                        continue;
                    };
                    if let Some(received) = self.peer_datagram(now, relayed, peer, &data) {
                        self.stats.relayed_received += 1;
                        media.push(received);
                    }
                }
            }
        }
        media
    }

    fn add_reflexive(&mut self, mapped: SocketAddr) {
        if mapped == self.base {
            // Redundant with the host candidate (RFC 8445 §5.1.3): no NAT on this path.
            return;
        }
        let candidate = CandidateServerReflexiveConfig {
            base_config: candidate_config(mapped),
            rel_addr: self.base.ip().to_string(),
            rel_port: self.base.port(),
            ..CandidateServerReflexiveConfig::default()
        }
        .new_candidate_server_reflexive();
        if let Ok(c) = candidate {
            let _ = self.agent.add_local_candidate(c);
        }
    }

    fn add_relayed(&mut self, relayed: SocketAddr, transport: TurnTransport) {
        // RFC 8445 §5.1.2.1 with the relay type preference 0: only the local preference, by
        // how we reach the server, and the component (1) count.
        let priority = (u32::from(transport.local_preference()) << 8) + (256 - 1);
        let candidate = CandidateRelayConfig {
            base_config: CandidateConfig { priority, ..candidate_config(relayed) },
            rel_addr: self.base.ip().to_string(),
            rel_port: self.base.port(),
            ..CandidateRelayConfig::default()
        }
        .new_candidate_relay();
        if let Ok(c) = candidate {
            let _ = self.agent.add_local_candidate(c);
        }
    }

    /// Routes the agent's datagrams, collects the links' datagrams and the agent's events.
    pub(super) fn pump(&mut self, now: Instant) {
        while let Some(out) = self.agent.poll_write() {
            let (local, peer) = (out.transport.local_addr, out.transport.peer_addr);
            if local == self.base {
                self.transmits.push_back(Transmit { to: peer, data: out.message.to_vec() });
            } else if let Some(link) = self.links.iter_mut().find(|l| l.relayed() == Some(local)) {
                link.send_to(now, peer, &out.message);
            }
        }
        for i in 0..self.links.len() {
            while let Some(link) = self.links.get_mut(i) {
                let Some((to, data)) = link.poll_transmit() else { break };
                if link.transport().is_stream() {
                    self.queue_stream_write(i, data);
                } else {
                    self.transmits.push_back(Transmit { to, data });
                }
            }
        }
        while let Some(tagged) = self.agent.poll_event() {
            self.agent_event(tagged.event);
        }
        if !self.gathered && !self.links.iter().any(ServerLink::gathering) {
            self.gathered = true;
            self.events.push_back(IceEvent::GatheringDone);
        }
    }

    fn agent_event(&mut self, event: Event) {
        match event {
            Event::SelectedCandidatePairChange(_, remote)
                if self.rtcp_only.contains(&remote.addr()) =>
            {
                // A pair on the peer's RTCP port never carries our RTP.
            }
            Event::SelectedCandidatePairChange(local, remote) => {
                let relay = self
                    .links
                    .iter()
                    .find(|l| l.relayed() == Some(local.base_addr()))
                    .map(ServerLink::transport);
                let pair = SelectedPair {
                    local: CandidateKind::of(local.candidate_type()),
                    relay,
                    remote: CandidateKind::of(remote.candidate_type()),
                    remote_addr: remote.addr(),
                    local_base: local.base_addr(),
                };
                self.selected = Some(pair);
                self.events.push_back(IceEvent::Connected(pair));
            }
            Event::ConnectionStateChange(ConnectionState::Disconnected) => {
                self.events.push_back(IceEvent::Disconnected);
            }
            Event::ConnectionStateChange(ConnectionState::Failed) => {
                self.selected = None;
                self.events.push_back(IceEvent::Failed);
            }
            _ => {}
        }
    }
}

fn context(local: SocketAddr, peer: SocketAddr) -> TransportContext {
    TransportContext {
        local_addr: local,
        peer_addr: peer,
        ecn: None,
        transport_protocol: TransportProtocol::UDP,
    }
}

fn candidate_config(addr: SocketAddr) -> CandidateConfig {
    CandidateConfig {
        network: "udp".into(),
        address: addr.ip().to_string(),
        port: addr.port(),
        component: 1,
        ..CandidateConfig::default()
    }
}
