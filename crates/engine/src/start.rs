//! Starting a phone: bind the transports, locate the registrar, open its flow, build the UA core
//! and hand everything to the driver task.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Instant;

use sip::{Config, UserAgent, auth::Credentials};
use sip_types::{Host, SipUri};
use tokio::sync::mpsc;

use crate::config::Account;
use crate::driver::{Driver, KEEPALIVE};
use crate::flows::{Flows, Route};
use crate::phone::{Phone, PhoneEvents};
use crate::resolve::{ResolveError, Resolver};
use crate::storage::Storage;
use crate::transport::{BindError, Target, Transport, TransportError, Transports};
use crate::vault_link::VaultLink;

/// Why a phone could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The local SIP socket could not be bound, or TLS could not be configured.
    #[error(transparent)]
    Bind(#[from] BindError),
    /// The registrar URI is not a SIP URI.
    #[error("the registrar is not a valid sip: URI")]
    BadRegistrar,
    /// The registrar could not be located.
    #[error("the registrar could not be located: {0}")]
    Resolve(#[from] ResolveError),
    /// The registrar's flow could not be opened.
    #[error("the registrar could not be reached: {0}")]
    Connect(#[from] TransportError),
    /// The built-in training line's context or signing key is broken (a packaging bug).
    #[error(transparent)]
    Training(#[from] crate::training::TrainingError),
    /// The vault could not be opened: the OS keyring is unreachable or has no key for an
    /// existing vault, or the vault file is damaged.
    #[error("the vault could not be opened: {0}")]
    Vault(#[from] vault::VaultError),
}

/// The registrar's resolved target and the UA's idea of where it is.
struct Registrar {
    uri: String,
    target: Target,
    sip_target: sip::Target,
}

impl Phone {
    /// Starts a phone for `account` on the current tokio runtime: binds the transports, opens the
    /// registrar's flow and registers. Events arrive on the returned [`PhoneEvents`].
    /// Without storage there is no call log, block list or lock: see [`Phone::start_with`].
    pub async fn start(account: Account) -> Result<(Phone, PhoneEvents), StartError> {
        let (phone, events, _) = Self::start_at(account, None, false).await?;
        Ok((phone, events))
    }

    /// [`Phone::start`] with the encrypted vault in `storage` (created on first run; the first
    /// event after the driver's is `LockChanged`). Screening uses the vault's block list and
    /// call history from the first call, locked or not.
    pub async fn start_with(
        account: Account,
        storage: Storage,
    ) -> Result<(Phone, PhoneEvents), StartError> {
        let (phone, events, _) = Self::start_at(account, Some(storage), false).await?;
        Ok((phone, events))
    }

    /// [`Phone::start`], also saying where the phone's SIP socket listens (for a peer that must
    /// call it, like the training line). `training` marks every logged call.
    pub(crate) async fn start_at(
        mut account: Account,
        storage: Option<Storage>,
        training: bool,
    ) -> Result<(Phone, PhoneEvents, SocketAddr), StartError> {
        let link = match storage {
            Some(storage) => Some(VaultLink::open(storage, &account, training).await?),
            None => None,
        };
        if let Some(link) = &link {
            account.trust = link.trust();
        }
        let (event_tx, event_rx) = mpsc::unbounded_channel();
        let (transport_tx, transport_rx) = mpsc::unbounded_channel();
        let bind = account.file.local_addr.unwrap_or(SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)));
        let mut transports = Transports::bind(bind, &account.tls, KEEPALIVE, transport_tx).await?;
        let resolver = Resolver::system()?;
        let mut flows = Flows::default();
        account.file.trusted_peers.iter().for_each(|peer| flows.trust(*peer));

        let registrar = match &account.file.registrar {
            Some(uri) => Some(locate_registrar(&resolver, uri, account.transport).await?),
            None => None,
        };
        let mut registrar_flow = None;
        let (local, transport) = match &registrar {
            Some(r) if r.target.kind != Transport::Udp => {
                let flow = transports.flow_for(&r.target).await?;
                flows.trust(r.target.addr);
                flows.id_for(Route { flow, remote: r.target.addr });
                registrar_flow = Some((flow, r.target.clone()));
                (transports.local_addr(flow).unwrap_or(transports.udp_local_addr()), r.target.kind)
            }
            Some(r) => {
                flows.trust(r.target.addr);
                (concrete(transports.udp_local_addr(), r.target.addr), Transport::Udp)
            }
            None => (transports.udp_local_addr(), Transport::Udp),
        };

        let mut cfg = Config::new(account.file.aor.clone(), local.to_string(), transport);
        cfg.display_name = account.file.display_name.clone();
        cfg.credentials = match (account.username(), &account.password) {
            (Some(username), Some(password)) => {
                Some(Credentials { username, password: password.clone() })
            }
            _ => None,
        };
        cfg.register_expires = account.file.register_expires;
        cfg.rng_seed = rand::random();
        if let Some(r) = &registrar {
            cfg.registrar = Some(r.uri.clone());
            cfg.outbound_proxy = Some(r.sip_target.clone());
        }
        let mut ua = UserAgent::new(cfg);
        if registrar.is_some() {
            // Only fails without a registrar, which was just checked.
            let _ = ua.register(Instant::now());
        }

        let (command_tx, command_rx) = mpsc::unbounded_channel();
        let mut driver = Driver::new(
            ua,
            transports,
            transport_rx,
            resolver,
            flows,
            account,
            event_tx,
            local.ip(),
        );
        driver.registrar_flow = registrar_flow;
        driver.calls.keying = driver.account.file.srtp_keying;
        driver.calls.ice =
            crate::calls::ice_socket::IceSetup::from_settings(&driver.account.file.media);
        driver.calls.commands = Some(command_tx.downgrade());
        tokio::spawn(driver.run(command_rx));
        let mut phone = Phone::new(command_tx.clone());
        let events = match link {
            Some(link) => {
                let (vault, events) = link.spawn(event_rx, command_tx.downgrade());
                phone.vault = Some(vault);
                events
            }
            None => PhoneEvents { rx: event_rx },
        };
        Ok((phone, events, local))
    }
}

async fn locate_registrar(
    resolver: &Resolver,
    uri: &str,
    default: Transport,
) -> Result<Registrar, StartError> {
    let parsed = SipUri::parse(uri).map_err(|_| StartError::BadRegistrar)?;
    let transport = parsed.transport().and_then(Transport::from_param).unwrap_or(default);
    let host = match parsed.host() {
        Host::Domain(d) => d.to_owned(),
        Host::Ipv4(a) => a.to_string(),
        Host::Ipv6(a) => a.to_string(),
    };
    let targets =
        resolver.locate(&host, parsed.port(), Some(transport), parsed.is_secure()).await?;
    let target = targets.into_iter().next().ok_or(ResolveError::NotFound)?;
    let sip_target = sip::Target { transport, host, port: Some(target.addr.port()) };
    Ok(Registrar { uri: uri.to_owned(), target, sip_target })
}

/// A bound wildcard address is no address for Via and Contact: use the interface that routes to
/// `peer` (a connected UDP socket learns it without sending anything).
fn concrete(bound: SocketAddr, peer: SocketAddr) -> SocketAddr {
    if !bound.ip().is_unspecified() {
        return bound;
    }
    let any =
        if peer.is_ipv4() { IpAddr::from(Ipv4Addr::UNSPECIFIED) } else { IpAddr::from([0u16; 8]) };
    let ip = std::net::UdpSocket::bind(SocketAddr::new(any, 0))
        .and_then(|s| s.connect(peer).and_then(|()| s.local_addr()))
        .map_or(bound.ip(), |a| a.ip());
    SocketAddr::new(ip, bound.port())
}
