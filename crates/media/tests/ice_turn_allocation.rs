//! The ICE session (`media::ice`) on simulated time: TURN allocation with long-term
//! credentials against a scripted server (401, 438 Stale Nonce, loss, refresh before expiry), and two agents finding
//! each other, with media accepted from the selected pair only.

use std::time::{Duration, Instant};

use rtc_stun::attributes::{ATTR_MESSAGE_INTEGRITY, ATTR_NONCE, ATTR_USERNAME};
use rtc_stun::error_code::{CODE_STALE_NONCE, CODE_UNAUTHORIZED};
use rtc_stun::message::{CLASS_REQUEST, METHOD_ALLOCATE, METHOD_REFRESH, Message};
use rtc_stun::textattrs::TextAttribute;

mod turn_server;

use media::ice::*;
use turn_server::*;

/// The STUN request the session sent to the server last (decoded).
fn sent_request(ice: &mut IceSession) -> Option<Message> {
    let mut last = None;
    while let Some(t) = ice.poll_transmit() {
        assert_eq!(t.to, addr(SERVER));
        let mut m = Message::new();
        m.unmarshal_binary(&t.data).expect("STUN");
        assert_eq!(m.typ.class, CLASS_REQUEST);
        last = Some(m);
    }
    last
}

fn nonce(m: &Message) -> String {
    TextAttribute::get_from_as(m, ATTR_NONCE).map(|n| n.text).unwrap_or_default()
}

/// Runs the 401 challenge and a successful Allocate; returns the authenticated request.
fn allocate(ice: &mut IceSession, now: Instant, lifetime: Duration) -> Message {
    let first = sent_request(ice).expect("an Allocate");
    assert_eq!(first.typ.method, METHOD_ALLOCATE);
    assert!(!first.contains(ATTR_MESSAGE_INTEGRITY), "the first Allocate is anonymous");
    let challenge =
        error_answer(&first, METHOD_ALLOCATE, CODE_UNAUTHORIZED, "callwarden.test", "nonce-1");
    assert!(ice.handle_datagram(now, addr(SERVER), &challenge).is_none());
    let authed = sent_request(ice).expect("an authenticated Allocate");
    assert!(authed.contains(ATTR_MESSAGE_INTEGRITY) && authed.contains(ATTR_USERNAME));
    assert_eq!(nonce(&authed), "nonce-1");
    ice.handle_datagram(now, addr(SERVER), &allocate_success(&authed, lifetime));
    authed
}

#[test]
fn relay_only_gathers_exactly_the_relayed_candidate_after_the_401_challenge() {
    let now = origin();
    let mut ice = relay_only_over(now, TurnTransport::Udp);
    assert!(!ice.gathering_done());
    allocate(&mut ice, now, Duration::from_secs(600));
    assert!(ice.gathering_done());
    assert_eq!(ice.poll_event(), Some(IceEvent::GatheringDone));
    let params = ice.local_parameters();
    assert_eq!(params.candidates.len(), 1, "{:?}", params.candidates);
    assert!(params.candidates[0].contains("typ relay"), "{:?}", params.candidates);
    assert_eq!(ice.default_address(), Some(addr(RELAYED)));
}

#[test]
fn a_lost_allocate_is_retransmitted_with_the_same_transaction() {
    let now = origin();
    let mut ice = relay_only_over(now, TurnTransport::Udp);
    let first = sent_request(&mut ice).expect("an Allocate");
    let at = ice.poll_timeout().expect("a retransmission timer");
    assert!(at <= now + Duration::from_millis(500), "RTO starts small");
    ice.handle_timeout(at);
    let again = sent_request(&mut ice).expect("a retransmission");
    assert_eq!(again.transaction_id, first.transaction_id);
}

#[test]
fn a_silent_server_is_given_up_and_gathering_ends() {
    let mut now = origin();
    let mut ice = relay_only_over(now, TurnTransport::Udp);
    for _ in 0..20 {
        let Some(at) = ice.poll_timeout() else { break };
        now = at.max(now);
        ice.handle_timeout(now);
        if ice.gathering_done() {
            break;
        }
    }
    assert!(ice.gathering_done());
    let events: Vec<IceEvent> = std::iter::from_fn(|| ice.poll_event()).collect();
    assert!(
        events.contains(&IceEvent::ServerFailed("the TURN server did not answer")),
        "{events:?}"
    );
    assert_eq!(ice.default_address(), None, "relay-only without a relay has no address");
}

#[test]
fn wrong_credentials_fail_the_server() {
    let now = origin();
    let mut ice = relay_only_over(now, TurnTransport::Udp);
    let first = sent_request(&mut ice).expect("an Allocate");
    let challenge = error_answer(&first, METHOD_ALLOCATE, CODE_UNAUTHORIZED, "r", "n");
    ice.handle_datagram(now, addr(SERVER), &challenge);
    let authed = sent_request(&mut ice).expect("an authenticated Allocate");
    let refused = error_answer(&authed, METHOD_ALLOCATE, CODE_UNAUTHORIZED, "r", "n");
    ice.handle_datagram(now, addr(SERVER), &refused);
    assert!(ice.gathering_done());
    let events: Vec<IceEvent> = std::iter::from_fn(|| ice.poll_event()).collect();
    assert!(events.contains(&IceEvent::ServerFailed("the TURN server refused")), "{events:?}");
}

#[test]
fn the_allocation_is_refreshed_before_expiry_and_again_after_a_stale_nonce() {
    let now = origin();
    let mut ice = relay_only_over(now, TurnTransport::Udp);
    allocate(&mut ice, now, Duration::from_secs(600));
    let (mut due, mut refresh) = (now, None);
    while refresh.is_none() && due <= now + Duration::from_secs(600) {
        due = ice.poll_timeout().expect("a refresh timer");
        ice.handle_timeout(due);
        refresh = sent_request(&mut ice);
    }
    let refresh = refresh.expect("a Refresh before expiry");
    assert!(due <= now + Duration::from_secs(300), "refresh at half the lifetime at the latest");
    assert!(due > now + Duration::from_secs(60), "but not needlessly early");
    assert_eq!(refresh.typ.method, METHOD_REFRESH);
    assert_eq!(nonce(&refresh), "nonce-1");
    let stale =
        error_answer(&refresh, METHOD_REFRESH, CODE_STALE_NONCE, "callwarden.test", "nonce-2");
    ice.handle_datagram(due, addr(SERVER), &stale);
    let retry = sent_request(&mut ice).expect("the Refresh is sent again at once");
    assert_eq!(retry.typ.method, METHOD_REFRESH);
    assert_eq!(nonce(&retry), "nonce-2");
    assert!(retry.contains(ATTR_MESSAGE_INTEGRITY));
}

#[test]
fn a_stale_nonce_on_the_allocate_starts_it_over() {
    let now = origin();
    let mut ice = relay_only_over(now, TurnTransport::Udp);
    let first = sent_request(&mut ice).expect("an Allocate");
    let challenge = error_answer(&first, METHOD_ALLOCATE, CODE_UNAUTHORIZED, "r", "n1");
    ice.handle_datagram(now, addr(SERVER), &challenge);
    let authed = sent_request(&mut ice).expect("an authenticated Allocate");
    let stale = error_answer(&authed, METHOD_ALLOCATE, CODE_STALE_NONCE, "r", "n2");
    ice.handle_datagram(now, addr(SERVER), &stale);
    let again = sent_request(&mut ice).expect("a new Allocate");
    assert_eq!(again.typ.method, METHOD_ALLOCATE);
    assert!(!ice.gathering_done(), "still gathering, not failed");
}

/// Two host-only agents on a simulated network that drops every `drop_every`-th datagram.
struct Net {
    a: IceSession,
    b: IceSession,
    now: Instant,
    sent: usize,
    drop_every: usize,
}

impl Net {
    fn new(drop_every: usize) -> Self {
        let now = origin();
        let host = |base: &str| {
            let config =
                IceConfig { base: addr(base), servers: vec![], policy: CandidatePolicy::All };
            IceSession::new(now, config).expect("session")
        };
        let (mut a, mut b) = (host("127.0.0.1:4000"), host("127.0.0.1:5000"));
        let (pa, pb) = (a.local_parameters(), b.local_parameters());
        a.start(now, true, &pb).expect("a starts");
        b.start(now, false, &pa).expect("b starts");
        Self { a, b, now, sent: 0, drop_every }
    }

    /// Delivers what is queued (with loss) and advances time to the next timer.
    fn step(&mut self) -> Vec<Received> {
        let mut media = Vec::new();
        for (from_a, from) in [(true, addr("127.0.0.1:4000")), (false, addr("127.0.0.1:5000"))] {
            loop {
                let (src, dst) =
                    if from_a { (&mut self.a, &mut self.b) } else { (&mut self.b, &mut self.a) };
                let Some(t) = src.poll_transmit() else { break };
                self.sent += 1;
                if self.drop_every > 0 && self.sent % self.drop_every == 0 {
                    continue;
                }
                media.extend(dst.handle_datagram(self.now, from, &t.data));
            }
        }
        let next = [self.a.poll_timeout(), self.b.poll_timeout()].into_iter().flatten().min();
        self.now = next.unwrap_or(self.now).max(self.now) + Duration::from_millis(1);
        self.a.handle_timeout(self.now);
        self.b.handle_timeout(self.now);
        media
    }

    fn connect(&mut self) {
        for _ in 0..500 {
            self.step();
            if self.a.selected().is_some() && self.b.selected().is_some() {
                return;
            }
        }
        panic!("no pair selected: {:?} {:?}", self.a, self.b);
    }
}

#[test]
fn two_agents_select_the_host_pair_and_media_crosses() {
    let mut net = Net::new(0);
    net.connect();
    let pair = net.a.selected().expect("selected");
    assert_eq!((pair.local, pair.remote), (CandidateKind::Host, CandidateKind::Host));
    assert_eq!(pair.remote_addr, addr("127.0.0.1:5000"));
    assert!(net.a.send(net.now, &[0x80, 0, 0, 1]));
    let media = net.step();
    assert_eq!(media, vec![Received { from: addr("127.0.0.1:4000"), data: vec![0x80, 0, 0, 1] }]);
}

#[test]
fn checks_survive_a_third_of_the_datagrams_lost() {
    let mut net = Net::new(3);
    net.connect();
    assert!(net.b.selected().is_some());
}

#[test]
fn media_from_anywhere_but_the_selected_pair_is_refused() {
    let mut net = Net::new(0);
    net.connect();
    let now = net.now;
    assert_eq!(net.a.handle_datagram(now, addr("127.0.0.1:6666"), &[0x80, 0, 0, 1]), None);
    assert_eq!(net.a.stats().refused, 1);
    assert!(
        !relay_only_over(now, TurnTransport::Udp).send(now, &[0x80]),
        "nothing is sent before a pair is selected"
    );
}

#[test]
fn relay_only_ignores_direct_datagrams() {
    let now = origin();
    let mut ice = relay_only_over(now, TurnTransport::Udp);
    assert_eq!(ice.handle_datagram(now, addr("127.0.0.1:5000"), &[0, 1, 0, 0]), None);
    assert_eq!(ice.stats().refused, 1);
}
