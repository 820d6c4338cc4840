//! What a verbose coturn says each allocation relayed, read from its log when the allocation
//! ends: proof that media went through the relay rather than around it.

use super::Coturn;

/// One allocation's relayed traffic, from coturn's `peer usage:` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerUsage {
    /// The authenticated user.
    pub username: String,
    /// Packets the relay received from peers (and passed to the client).
    pub received_packets: u64,
    /// Packets the relay sent to peers (for the client).
    pub sent_packets: u64,
}

impl Coturn {
    /// Every ended allocation's relayed traffic so far (needs [`super::CoturnBuilder::verbose`]).
    pub fn peer_usage(&self) -> Vec<PeerUsage> {
        self.log().lines().filter_map(parse_peer_usage).collect()
    }
}

/// `... peer usage: realm=<r>, username=<u>, rp=20, rb=2400, sp=20, sb=2400`
fn parse_peer_usage(line: &str) -> Option<PeerUsage> {
    let (_, rest) = line.split_once("peer usage: ")?;
    let field = |key: &str| -> Option<&str> {
        rest.split(", ").find_map(|f| f.trim().strip_prefix(key)?.strip_prefix('='))
    };
    let number = |key: &str| field(key)?.parse().ok();
    Some(PeerUsage {
        username: field("username")?.trim_matches(['<', '>']).to_owned(),
        received_packets: number("rp")?,
        sent_packets: number("sp")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peer_usage_lines_are_read_and_session_usage_lines_are_not() {
        let line = "8: : session 001: peer usage: realm=<callwarden.test>, username=<turnuser>, \
                    rp=20, rb=2400, sp=21, sb=2400";
        assert_eq!(
            parse_peer_usage(line),
            Some(PeerUsage { username: "turnuser".into(), received_packets: 20, sent_packets: 21 })
        );
        assert_eq!(parse_peer_usage("8: : session 001: usage: realm=<r>, rp=1, sp=1"), None);
    }
}
