//! Re-registration after a network change: the phone's TCP flow to Kamailio runs through a
//! relay on loopback; cutting every relayed connection (what a Wi-Fi switch or a sleeping laptop
//! does to a TCP flow) makes the engine reopen the registrar flow and register again over it,
//! without any user action.

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use common::{STEP, TestPhone, account_file};
use engine::api::{PhoneEvent, RegistrationState};
use engine::{Account, SrtpPolicy};
use interop::{Kamailio, Transport};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A TCP relay to `upstream` whose live connections the test can cut.
struct Relay {
    addr: SocketAddr,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
    accepted: Arc<Mutex<usize>>,
}

impl Relay {
    async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("relay binds");
        let addr = listener.local_addr().expect("relay address");
        let connections = Arc::new(Mutex::new(Vec::new()));
        let accepted = Arc::new(Mutex::new(0));
        let (conns, count) = (Arc::clone(&connections), Arc::clone(&accepted));
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                *count.lock().expect("lock") += 1;
                let relay = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                conns.lock().expect("lock").push(relay);
            }
        });
        Self { addr, connections, accepted }
    }

    /// Drops every relayed connection: both sockets close, as on a network change.
    fn cut(&self) {
        for connection in self.connections.lock().expect("lock").drain(..) {
            connection.abort();
        }
    }

    fn accepted(&self) -> usize {
        *self.accepted.lock().expect("lock")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_registrar_flow_is_reopened_and_the_phone_registers_again() {
    let mut kamailio = Kamailio::start().expect("kamailio");
    let mut sip = kamailio.account("1001", Transport::Tcp).expect("1001");
    let relay = Relay::start(sip.proxy).await;
    sip.proxy = relay.addr;
    let account = Account::from_file(account_file(&sip, SrtpPolicy::Required), ".".as_ref())
        .expect("account");
    let mut phone = TestPhone::start(account).await;
    phone.registered().await;
    kamailio.wait_registered("1001", STEP).expect("bound through the relay");
    assert_eq!(relay.accepted(), 1);

    relay.cut();

    phone
        .wait_for("registration over a new flow", |e| match e {
            PhoneEvent::RegistrationChanged {
                state: RegistrationState::Registered { .. }, ..
            } => Some(()),
            _ => None,
        })
        .await;
    // The refresh timer (expires 60 s) is far away: this registration is the reconnect's.
    assert_eq!(relay.accepted(), 2, "the engine opened exactly one new flow");
}
