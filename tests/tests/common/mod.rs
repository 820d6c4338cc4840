//! The phone under test: Callwarden's engine, in process, configured for a harness peer.

#![allow(dead_code)] // Each test file uses a different part of this module.

use std::path::Path;
use std::time::Duration;

use engine::api::{CallKey, PhoneEvent, RegistrationState};
use engine::config::AccountFile;
use engine::{Account, Phone, PhoneEvents, SrtpPolicy};
use interop::SipAccount;

pub mod trust_lab;

/// How long any single step may take on a loaded 2-core machine.
pub const STEP: Duration = Duration::from_secs(15);

/// An account file for a harness account (registrar = the harness proxy, its CA trusted).
pub fn account_for(sip: &SipAccount, srtp: SrtpPolicy) -> Account {
    Account::from_file(account_file(sip, srtp), Path::new(".")).expect("valid account")
}

/// The account file behind [`account_for`], for tests that add to it (display name, trust).
pub fn account_file(sip: &SipAccount, srtp: SrtpPolicy) -> AccountFile {
    AccountFile {
        aor: sip.aor(),
        username: Some(sip.user.clone()),
        password: Some(sip.password.clone()),
        registrar: Some(format!("sip:{};transport={}", sip.proxy, sip.transport)),
        transport: sip.transport.uri_param().to_owned(),
        register_expires: 60,
        ca_file: sip.ca_cert.clone(),
        system_roots: false,
        local_addr: Some("127.0.0.1:0".parse().expect("literal")),
        srtp,
        ..AccountFile::default()
    }
}

/// An account with no registrar that accepts requests only from `peers` (direct calls).
pub fn direct_account(user: &str, peers: &[std::net::SocketAddr], srtp: SrtpPolicy) -> Account {
    let file = AccountFile {
        aor: format!("sip:{user}@127.0.0.1"),
        transport: "udp".into(),
        register_expires: 60,
        system_roots: false,
        local_addr: Some("127.0.0.1:0".parse().expect("literal")),
        trusted_peers: peers.to_vec(),
        srtp,
        ..AccountFile::default()
    };
    Account::from_file(file, Path::new(".")).expect("valid account")
}

/// A started phone and everything it has said so far.
pub struct TestPhone {
    pub phone: Phone,
    events: PhoneEvents,
    pub seen: Vec<PhoneEvent>,
}

impl TestPhone {
    pub async fn start(account: Account) -> Self {
        let (phone, events) = Phone::start(account).await.expect("phone starts");
        Self { phone, events, seen: Vec::new() }
    }

    /// Waits for the first event `pick` accepts, failing the test after `STEP`.
    pub async fn wait_for<T>(
        &mut self,
        what: &str,
        pick: impl FnMut(&PhoneEvent) -> Option<T>,
    ) -> T {
        self.wait_within(STEP, what, pick).await
    }

    /// Waits for the first event `pick` accepts, failing the test after `limit`.
    pub async fn wait_within<T>(
        &mut self,
        limit: Duration,
        what: &str,
        mut pick: impl FnMut(&PhoneEvent) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let event = tokio::time::timeout_at(deadline, self.events.next())
                .await
                .unwrap_or_else(|_| panic!("timed out waiting for {what}; saw {:#?}", self.seen))
                .unwrap_or_else(|| panic!("engine stopped while waiting for {what}"));
            let picked = pick(&event);
            self.seen.push(event);
            if let Some(value) = picked {
                return value;
            }
        }
    }

    pub async fn registered(&mut self) -> u32 {
        self.registered_within(STEP).await
    }

    /// Waits for a Registered event (a first registration or a refresh) for up to `limit`.
    pub async fn registered_within(&mut self, limit: Duration) -> u32 {
        self.wait_within(limit, "registration", |e| match e {
            PhoneEvent::RegistrationChanged {
                state: RegistrationState::Registered { expires_secs },
                ..
            } => Some(*expires_secs),
            PhoneEvent::RegistrationChanged {
                state: RegistrationState::Failed { reason }, ..
            } => {
                panic!("registration failed: {reason}")
            }
            _ => None,
        })
        .await
    }

    pub async fn incoming(&mut self) -> (CallKey, engine::api::Party) {
        self.wait_for("an incoming call", |e| match e {
            PhoneEvent::IncomingCall { call, caller, .. } => Some((call.clone(), caller.clone())),
            _ => None,
        })
        .await
    }

    pub async fn answered(&mut self, call: &CallKey) {
        self.wait_for("answer", |e| match e {
            PhoneEvent::Answered { call: c } if c == call => Some(()),
            PhoneEvent::Ended { call: c, reason } if c == call => {
                panic!("call ended before answer: {reason:?}")
            }
            _ => None,
        })
        .await
    }

    pub async fn ended(&mut self, call: &CallKey) -> engine::api::EndReason {
        self.wait_for("the end of the call", |e| match e {
            PhoneEvent::Ended { call: c, reason } if c == call => Some(reason.clone()),
            _ => None,
        })
        .await
    }
}
