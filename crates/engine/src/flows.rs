//! The user agent's flows mapped onto transport routes, and which of them may reach the user.
//!
//! The UA names flows with [`sip::FlowId`]; the transports have one UDP socket and one flow per
//! connection. A UA flow is a transport flow plus the remote address (several UDP peers share the
//! socket). Ghost-call protection lives here: a flow is trusted only when its remote is the
//! registrar or outbound proxy, a configured trusted peer, or a peer we sent a request to.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;

use crate::transport::FlowId as TransportFlow;

/// A transport flow and the remote address on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Route {
    /// The transport flow.
    pub flow: TransportFlow,
    /// The remote address.
    pub remote: SocketAddr,
}

/// The two-way map between UA flows and routes, plus the trusted remotes.
#[derive(Debug, Default)]
pub struct Flows {
    next: u64,
    by_id: HashMap<sip::FlowId, Route>,
    by_route: HashMap<Route, sip::FlowId>,
    trusted: HashSet<SocketAddr>,
}

impl Flows {
    /// The UA flow for a route, allocated on first sight.
    pub fn id_for(&mut self, route: Route) -> sip::FlowId {
        if let Some(id) = self.by_route.get(&route) {
            return *id;
        }
        self.next += 1;
        let id = sip::FlowId(self.next);
        self.by_id.insert(id, route);
        self.by_route.insert(route, id);
        id
    }

    /// The route of a UA flow, if it still exists.
    pub fn route(&self, id: sip::FlowId) -> Option<Route> {
        self.by_id.get(&id).copied()
    }

    /// Forgets every UA flow on a closed transport flow.
    pub fn close(&mut self, flow: TransportFlow) {
        self.by_route.retain(|route, _| route.flow != flow);
        self.by_id.retain(|_, route| route.flow != flow);
    }

    /// Lets requests from `remote` reach the user (registrar, proxy, configured or dialled peer).
    pub fn trust(&mut self, remote: SocketAddr) {
        self.trusted.insert(remote);
    }

    /// Whether requests from `remote` may reach the user.
    pub fn is_trusted(&self, remote: SocketAddr) -> bool {
        self.trusted.contains(&remote)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(flow: u64, port: u16) -> Route {
        Route { flow: TransportFlow(flow), remote: SocketAddr::from(([127, 0, 0, 1], port)) }
    }

    #[test]
    fn one_ua_flow_per_route_and_back() {
        let mut flows = Flows::default();
        let a = flows.id_for(route(0, 5060));
        let b = flows.id_for(route(0, 5080));
        assert_ne!(a, b, "two UDP peers on one socket are two flows");
        assert_eq!(flows.id_for(route(0, 5060)), a);
        assert_eq!(flows.route(b), Some(route(0, 5080)));
    }

    #[test]
    fn closing_a_transport_flow_forgets_its_routes() {
        let mut flows = Flows::default();
        let tcp = flows.id_for(route(3, 5060));
        let udp = flows.id_for(route(0, 5060));
        flows.close(TransportFlow(3));
        assert_eq!(flows.route(tcp), None);
        assert_eq!(flows.route(udp), Some(route(0, 5060)));
        assert_ne!(flows.id_for(route(3, 5060)), tcp, "a new connection is a new flow");
    }

    #[test]
    fn only_named_remotes_are_trusted() {
        let mut flows = Flows::default();
        let registrar = SocketAddr::from(([127, 0, 0, 1], 5060));
        flows.trust(registrar);
        assert!(flows.is_trusted(registrar));
        assert!(!flows.is_trusted(SocketAddr::from(([127, 0, 0, 1], 5061))));
        assert!(!flows.is_trusted(SocketAddr::from(([127, 0, 0, 2], 5060))));
    }
}
