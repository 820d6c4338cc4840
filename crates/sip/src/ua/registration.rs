//! Registration (RFC 3261 §10): register, refresh before expiry, unregister, re-register
//! after a network change.

use std::time::{Duration, Instant};

use super::api::Registration;
use super::transactions::Purpose;
use super::{Error, Event, UserAgent};
use crate::ids::FlowId;
use crate::inbound::{Inbound, StartLine};
use crate::outbound::OutRequest;

/// A failed or timed-out registration is retried after this long while it is wanted.
const RETRY_AFTER: Duration = Duration::from_secs(30);

/// Registration bookkeeping: one Call-ID and From-tag for the account's lifetime (§10.2.4).
#[derive(Debug)]
pub(crate) struct RegistrationCtl {
    call_id: String,
    tag: String,
    pub cseq: u32,
    wanted: bool,
    requested: u32,
    refresh_at: Option<Instant>,
}

impl RegistrationCtl {
    pub(crate) fn new(call_id: String, tag: String) -> Self {
        Self { call_id, tag, cseq: 0, wanted: false, requested: 0, refresh_at: None }
    }

    pub(crate) fn deadline(&self) -> Option<Instant> {
        self.refresh_at.filter(|_| self.wanted)
    }
}

/// When to refresh a binding granted for `expires` seconds: a minute early for long
/// bindings, at half-time for short ones.
fn refresh_delay(expires: u32) -> Duration {
    let secs = if expires > 120 { expires - 60 } else { expires / 2 };
    Duration::from_secs(u64::from(secs.max(1)))
}

impl UserAgent {
    /// Registers the account's Contact at the registrar; refreshed automatically.
    pub fn register(&mut self, now: Instant) -> Result<(), Error> {
        self.reg.wanted = true;
        let expires = self.cfg.register_expires;
        self.send_register(now, expires)
    }

    /// Removes our binding (`Expires: 0`) and stops refreshing.
    pub fn unregister(&mut self, now: Instant) -> Result<(), Error> {
        self.reg.wanted = false;
        self.reg.refresh_at = None;
        self.send_register(now, 0)
    }

    fn send_register(&mut self, now: Instant, expires: u32) -> Result<(), Error> {
        let registrar = self.cfg.registrar.clone().ok_or(Error::NoRegistrar)?;
        let destination = self.next_hop(&registrar).ok_or(Error::Unroutable)?;
        self.reg.cseq = self.reg.cseq.wrapping_add(1);
        self.reg.requested = expires;
        let identity = self.local_identity();
        let mut request = OutRequest {
            method: "REGISTER",
            uri: registrar,
            via_transport: self.cfg.transport.via_token(),
            via_sent_by: self.cfg.local_addr.clone(),
            branch: self.branch(),
            routes: Vec::new(),
            from: format!("{identity};tag={}", self.reg.tag),
            to: identity,
            call_id: self.reg.call_id.clone(),
            cseq: self.reg.cseq,
            headers: vec![
                ("Contact", self.contact()),
                ("Expires", expires.to_string()),
                ("Allow", super::ALLOW.to_owned()),
                ("User-Agent", self.cfg.user_agent.clone()),
            ],
            body: None,
        };
        self.authorize(&mut request);
        // Drop the previous REGISTER if it is still running: only the newest one counts.
        self.tx.clients.retain(|_, t| t.purpose != Purpose::Register);
        self.send_request(now, request, destination, Purpose::Register);
        Ok(())
    }

    pub(crate) fn on_register_response(&mut self, now: Instant, flow: FlowId, msg: &Inbound) {
        let Some(status) = msg.status().filter(|s| *s >= 200) else { return };
        if let (423, Some(min)) = (status, msg.min_expires)
            && min > self.reg.requested
            && self.reg.wanted
        {
            // Interval Too Brief: ask again with the registrar's minimum (§10.2.8).
            self.cfg.register_expires = min;
            let _ = self.send_register(now, min);
            return;
        }
        if status >= 300 {
            let reason = match &msg.start {
                Some(StartLine::Response { reason, .. }) => reason.clone(),
                _ => String::new(),
            };
            self.reg.refresh_at = self.reg.wanted.then(|| now + RETRY_AFTER);
            self.emit(Event::Registration(Registration::Failed { status, reason }));
        } else if self.reg.requested == 0 {
            self.emit(Event::Registration(Registration::Unregistered));
        } else {
            let granted = self.granted_expiry(msg);
            if granted == 0 {
                self.reg.refresh_at = None;
                self.emit(Event::Registration(Registration::Unregistered));
                return;
            }
            self.reg.refresh_at = Some(now + refresh_delay(granted));
            self.emit(Event::Registration(Registration::Registered {
                expires: granted,
                flow: Some(flow),
            }));
        }
    }

    /// The lifetime of our binding: our Contact's `expires` among all the bindings listed,
    /// else the `Expires` header, else what we asked for.
    fn granted_expiry(&self, msg: &Inbound) -> u32 {
        let contact = self.contact();
        let ours = crate::uri::addr_spec(&contact);
        let matching = msg.contacts.iter().find(|(uri, _)| uri.eq_ignore_ascii_case(ours));
        let listed = match matching {
            Some((_, expires)) => *expires,
            None => msg.contact_expires,
        };
        listed.or(msg.expires).unwrap_or(self.reg.requested)
    }

    pub(crate) fn on_register_timeout(&mut self, now: Instant) {
        self.reg.refresh_at = self.reg.wanted.then(|| now + RETRY_AFTER);
        let reason = "no response from registrar".to_owned();
        self.emit(Event::Registration(Registration::Failed { status: 0, reason }));
    }

    pub(crate) fn run_registration_timer(&mut self, now: Instant) {
        if self.reg.deadline().is_some_and(|at| at <= now) {
            self.reg.refresh_at = None;
            let expires = self.cfg.register_expires;
            let _ = self.send_register(now, expires);
        }
    }

    pub(crate) fn on_network_changed(&mut self, now: Instant, local_addr: String) {
        self.cfg.local_addr = local_addr;
        if self.reg.wanted {
            let expires = self.cfg.register_expires;
            let _ = self.send_register(now, expires);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_before_expiry() {
        assert_eq!(refresh_delay(3600), Duration::from_secs(3540));
        assert_eq!(refresh_delay(60), Duration::from_secs(30));
        assert_eq!(refresh_delay(0), Duration::from_secs(1));
    }
}
