//! Locating SIP servers (RFC 3263): NAPTR picks the transport, SRV the hosts and ports, A/AAAA
//! the addresses. The ordering rules are pure functions over record data, so they are unit-tested
//! without a DNS server; [`Resolver`] only performs the lookups.

use std::net::{IpAddr, SocketAddr};

use hickory_resolver::TokioResolver;
use hickory_resolver::proto::rr::{RData, RecordType};
use rand::Rng;

use crate::transport::{Target, Transport};

/// A NAPTR record, reduced to what RFC 3263 reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Naptr {
    /// Lower is tried first.
    pub order: u16,
    /// Lower is preferred among equal orders.
    pub preference: u16,
    /// `s` for an SRV replacement.
    pub flags: String,
    /// e.g. `SIPS+D2T`.
    pub service: String,
    /// The SRV name to query next.
    pub replacement: String,
}

/// An SRV record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Srv {
    /// Lower is tried first.
    pub priority: u16,
    /// Relative share among equal priorities.
    pub weight: u16,
    /// The port.
    pub port: u16,
    /// The host name to resolve.
    pub target: String,
}

/// The transports a NAPTR service names (RFC 3263 §4.1, RFC 7118 §5 for WebSocket).
fn service_transport(service: &str) -> Option<Transport> {
    match service.to_ascii_uppercase().as_str() {
        "SIP+D2U" => Some(Transport::Udp),
        "SIP+D2T" => Some(Transport::Tcp),
        "SIPS+D2T" => Some(Transport::Tls),
        "SIP+D2W" => Some(Transport::Ws),
        "SIPS+D2W" => Some(Transport::Wss),
        _ => None,
    }
}

/// Orders NAPTR records into (transport, SRV name) choices. A `sips:` URI keeps only secure
/// transports (RFC 3263 §4.1).
pub fn naptr_choices(records: &[Naptr], secure_only: bool) -> Vec<(Transport, String)> {
    let mut usable: Vec<&Naptr> = records
        .iter()
        .filter(|r| r.flags.eq_ignore_ascii_case("s"))
        .filter(|r| {
            service_transport(&r.service)
                .is_some_and(|t| !secure_only || crate::transport::is_secure(t))
        })
        .collect();
    usable.sort_by_key(|r| (r.order, r.preference));
    usable
        .into_iter()
        .filter_map(|r| {
            Some((service_transport(&r.service)?, r.replacement.trim_end_matches('.').to_owned()))
        })
        .collect()
}

/// The SRV name for a transport when there is no NAPTR (RFC 3263 §4.1).
pub fn srv_name(kind: Transport, domain: &str) -> String {
    let prefix = match kind {
        Transport::Udp => "_sip._udp",
        Transport::Tcp => "_sip._tcp",
        Transport::Tls => "_sips._tcp",
        Transport::Ws => "_sip._ws",
        // A transport added to the UA later has no SRV name yet; TCP is the generic stream.
        Transport::Wss => "_sips._ws",
        _ => "_sip._tcp",
    };
    format!("{prefix}.{domain}")
}

/// Orders SRV records (RFC 2782): by priority, and within a priority by weighted random choice.
pub fn srv_order(mut records: Vec<Srv>, rng: &mut impl Rng) -> Vec<Srv> {
    records.sort_by_key(|r| r.priority);
    let mut ordered = Vec::with_capacity(records.len());
    while !records.is_empty() {
        let priority = records[0].priority;
        let end = records.iter().position(|r| r.priority != priority).unwrap_or(records.len());
        let mut group: Vec<Srv> = records.drain(..end).collect();
        while !group.is_empty() {
            let total: u32 = group.iter().map(|r| u32::from(r.weight)).sum();
            let mut pick = if total == 0 { 0 } else { rng.random_range(0..=total) };
            let index = group
                .iter()
                .position(|r| {
                    let w = u32::from(r.weight);
                    if pick <= w {
                        return true;
                    }
                    pick -= w;
                    false
                })
                .unwrap_or(0);
            ordered.push(group.remove(index));
        }
    }
    ordered
}

/// The default port of a transport when neither the URI nor SRV gives one.
pub fn default_port(kind: Transport) -> u16 {
    match kind {
        Transport::Udp | Transport::Tcp => 5060,
        Transport::Tls => 5061,
        Transport::Ws => 80,
        Transport::Wss => 443,
        _ => 5060,
    }
}

/// Why a server could not be located.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// DNS answered, but with nothing usable.
    #[error("no address found for the SIP server")]
    NotFound,
    /// The resolver itself failed (no configuration, network down).
    #[error("DNS lookup failed: {0}")]
    Lookup(String),
}

/// Performs RFC 3263 lookups with the system's DNS configuration.
pub struct Resolver {
    dns: TokioResolver,
}

impl Resolver {
    /// A resolver reading the system configuration (`/etc/resolv.conf`).
    pub fn system() -> Result<Self, ResolveError> {
        let dns = TokioResolver::builder_tokio()
            .map_err(|e| ResolveError::Lookup(e.to_string()))?
            .build();
        Ok(Self { dns })
    }

    /// Resolves a host with an optional explicit port and transport into ordered targets.
    /// IP literals and explicit ports skip NAPTR and SRV, as RFC 3263 §4.2 says.
    pub async fn locate(
        &self,
        host: &str,
        port: Option<u16>,
        transport: Option<Transport>,
        secure_only: bool,
    ) -> Result<Vec<Target>, ResolveError> {
        let fallback = if secure_only { Transport::Tls } else { Transport::Udp };
        if let Ok(ip) = host.parse::<IpAddr>() {
            let kind = transport.unwrap_or(fallback);
            let addr = SocketAddr::new(ip, port.unwrap_or_else(|| default_port(kind)));
            return Ok(vec![Target { kind, addr, server_name: None }]);
        }
        if let Some(port) = port {
            let kind = transport.unwrap_or(fallback);
            return self.addresses(host, port, kind).await;
        }
        let choices = match transport {
            Some(kind) => vec![(kind, srv_name(kind, host))],
            None => self.naptr(host, secure_only).await,
        };
        for (kind, name) in &choices {
            let targets = self.srv_targets(name, *kind, host).await;
            if !targets.is_empty() {
                return Ok(targets);
            }
        }
        let kind = transport.or(choices.first().map(|c| c.0)).unwrap_or(fallback);
        self.addresses(host, default_port(kind), kind).await
    }

    async fn naptr(&self, domain: &str, secure_only: bool) -> Vec<(Transport, String)> {
        let Ok(lookup) = self.dns.lookup(domain, RecordType::NAPTR).await else {
            return Vec::new();
        };
        let records: Vec<Naptr> = lookup
            .iter()
            .filter_map(|rdata| match rdata {
                RData::NAPTR(n) => Some(Naptr {
                    order: n.order(),
                    preference: n.preference(),
                    flags: String::from_utf8_lossy(n.flags()).into_owned(),
                    service: String::from_utf8_lossy(n.services()).into_owned(),
                    replacement: n.replacement().to_ascii(),
                }),
                _ => None,
            })
            .collect();
        naptr_choices(&records, secure_only)
    }

    async fn srv_targets(&self, name: &str, kind: Transport, domain: &str) -> Vec<Target> {
        let Ok(lookup) = self.dns.srv_lookup(name).await else { return Vec::new() };
        let records: Vec<Srv> = lookup
            .iter()
            .map(|s| Srv {
                priority: s.priority(),
                weight: s.weight(),
                port: s.port(),
                target: s.target().to_ascii().trim_end_matches('.').to_owned(),
            })
            .collect();
        let ordered = srv_order(records, &mut rand::rng());
        let mut targets = Vec::new();
        for srv in ordered {
            if let Ok(found) = self.addresses(&srv.target, srv.port, kind).await {
                // TLS verifies the SIP domain, not the SRV target (RFC 5922 §4).
                targets.extend(
                    found.into_iter().map(|t| Target { server_name: Some(domain.to_owned()), ..t }),
                );
            }
        }
        targets
    }

    async fn addresses(
        &self,
        host: &str,
        port: u16,
        kind: Transport,
    ) -> Result<Vec<Target>, ResolveError> {
        let ips =
            self.dns.lookup_ip(host).await.map_err(|e| ResolveError::Lookup(e.to_string()))?;
        let targets: Vec<Target> = ips
            .iter()
            .map(|ip| Target {
                kind,
                addr: SocketAddr::new(ip, port),
                server_name: Some(host.to_owned()),
            })
            .collect();
        if targets.is_empty() { Err(ResolveError::NotFound) } else { Ok(targets) }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    fn naptr(order: u16, preference: u16, service: &str, replacement: &str) -> Naptr {
        Naptr {
            order,
            preference,
            flags: "s".into(),
            service: service.into(),
            replacement: replacement.into(),
        }
    }

    #[test]
    fn naptr_orders_by_order_then_preference_and_skips_unknown_services() {
        let records = vec![
            naptr(20, 10, "SIP+D2U", "_sip._udp.example.com."),
            naptr(10, 20, "SIP+D2T", "_sip._tcp.example.com."),
            naptr(10, 10, "SIPS+D2T", "_sips._tcp.example.com."),
            naptr(5, 10, "E2U+sip", "ignored.example.com."),
        ];
        let choices = naptr_choices(&records, false);
        let kinds: Vec<Transport> = choices.iter().map(|c| c.0).collect();
        assert_eq!(kinds, [Transport::Tls, Transport::Tcp, Transport::Udp]);
        assert_eq!(choices[0].1, "_sips._tcp.example.com");
    }

    #[test]
    fn sips_keeps_only_secure_naptr_services() {
        let records = vec![naptr(10, 10, "SIP+D2U", "u."), naptr(20, 10, "SIPS+D2W", "w.")];
        let choices = naptr_choices(&records, true);
        assert_eq!(choices, vec![(Transport::Wss, "w".to_owned())]);
    }

    #[test]
    fn srv_orders_by_priority_and_never_loses_a_record() {
        let srv = |priority, weight, target: &str| Srv {
            priority,
            weight,
            port: 5060,
            target: target.into(),
        };
        let records = vec![srv(20, 0, "c"), srv(10, 60, "a"), srv(10, 40, "b"), srv(10, 0, "z")];
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..50 {
            let ordered = srv_order(records.clone(), &mut rng);
            assert_eq!(ordered.len(), 4);
            assert_eq!(ordered.last().map(|s| s.target.as_str()), Some("c"));
            assert!(ordered[..3].iter().all(|s| s.priority == 10));
        }
    }

    #[test]
    fn srv_weights_shape_the_first_choice() {
        let srv =
            |weight, target: &str| Srv { priority: 1, weight, port: 5060, target: target.into() };
        let mut rng = StdRng::seed_from_u64(1);
        let heavy_first = (0..1000)
            .filter(|_| {
                srv_order(vec![srv(90, "heavy"), srv(10, "light")], &mut rng)[0].target == "heavy"
            })
            .count();
        assert!((820..=980).contains(&heavy_first), "heavy first {heavy_first} times of 1000");
    }

    #[test]
    fn srv_names_follow_rfc_3263_and_7118() {
        assert_eq!(srv_name(Transport::Tls, "example.com"), "_sips._tcp.example.com");
        assert_eq!(srv_name(Transport::Udp, "example.com"), "_sip._udp.example.com");
        assert_eq!(srv_name(Transport::Wss, "example.com"), "_sips._ws.example.com");
    }

    #[tokio::test]
    async fn ip_literals_skip_dns_and_take_default_ports() {
        let resolver = Resolver::system().expect("resolver");
        let targets =
            resolver.locate("127.0.0.1", None, Some(Transport::Tls), false).await.expect("literal");
        assert_eq!(
            targets,
            vec![Target {
                kind: Transport::Tls,
                addr: "127.0.0.1:5061".parse::<SocketAddr>().unwrap(),
                server_name: None
            }]
        );
        let v6 = resolver.locate("::1", Some(5070), None, false).await.expect("v6 literal");
        assert_eq!(v6[0].addr, "[::1]:5070".parse::<SocketAddr>().unwrap());
        assert_eq!(v6[0].kind, Transport::Udp);
    }
}
