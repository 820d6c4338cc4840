//! The engine's view of each call: the UA handle, the key the UI knows, the SDP session and the
//! RTP socket. Maps between `sip::CallHandle` and [`CallKey`].

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr, UdpSocket};

use tokio::sync::mpsc::WeakUnboundedSender;

use crate::api::{CallKey, Direction, EndReason, MediaSecurity, Party};
use crate::audio::AudioSetup;
use crate::config::{SrtpKeying, SrtpPolicy};
use crate::media_runtime::MediaTask;
use crate::phone::Command;
use crate::session::Session;

pub(crate) mod ice_link;
pub(crate) mod ice_socket;
mod turn_stream;

use ice_socket::IceSetup;

/// Where a call stands, as far as the engine's commands care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Outgoing, no final answer yet.
    Dialling,
    /// Incoming and ringing here.
    Ringing,
    /// Connected.
    Connected,
    /// Connected and put on hold by us.
    Held,
}

/// One call.
#[derive(Debug)]
pub struct Call {
    pub key: CallKey,
    pub handle: sip::CallHandle,
    pub direction: Direction,
    /// Who the call is with, as presented (blocking a number declines its ringing call).
    pub party: Party,
    pub phase: Phase,
    pub session: Session,
    /// The call's media socket: held so the port advertised in our SDP stays ours; the media
    /// thread gets a clone.
    pub rtp: UdpSocket,
    pub muted: bool,
    /// The directory number the trust verdict says to call back instead, if any.
    pub callback: Option<String>,
    /// Set when the user ended the call to verify by callback (the end reason says so).
    pub ended_for_callback: bool,
    /// The running media thread, once the call connected.
    pub media: Option<MediaTask>,
    /// The call's ICE agent with its gathered candidates, until the media thread takes it.
    pub ice: Option<ice_link::IceLink>,
}

/// Every live call.
#[derive(Debug, Default)]
pub struct Calls {
    next: u64,
    by_key: HashMap<CallKey, Call>,
    keys: HashMap<sip::CallHandle, CallKey>,
    /// How our offers key SRTP (from the account).
    pub keying: SrtpKeying,
    /// Audio source and sink for calls that connect from now on.
    pub audio: AudioSetup,
    /// The driver's own command channel, for media threads that must end their call.
    pub commands: Option<WeakUnboundedSender<Command>>,
    /// ICE servers and policy (from the account), when calls use ICE.
    pub ice: Option<IceSetup>,
    /// The running audio test; a new call stops it, as the devices are the call's.
    pub(crate) audio_check: Option<crate::audio_check::AudioCheck>,
}

impl Calls {
    /// Registers a new call and returns its key.
    pub async fn open(
        &mut self,
        handle: sip::CallHandle,
        direction: Direction,
        party: Party,
        rtp_ip: IpAddr,
        policy: SrtpPolicy,
    ) -> std::io::Result<&mut Call> {
        self.audio_check = None;
        let rtp = UdpSocket::bind(SocketAddr::new(rtp_ip, 0))?;
        let ice = match &self.ice {
            Some(setup) => Some(ice_socket::gather(&rtp, setup).await?),
            None => None,
        };
        let media_addr = match &ice {
            Some(ice) => ice.session.default_address().unwrap_or(rtp.local_addr()?),
            None => rtp.local_addr()?,
        };
        self.next += 1;
        let key = CallKey(format!("call-{}", self.next));
        let mut session = Session::new(media_addr, policy, self.keying, self.next);
        if let Some(ice) = &ice {
            session.set_ice(ice.session.local_parameters());
        }
        let call = Call {
            key: key.clone(),
            handle,
            direction,
            party,
            phase: Phase::Dialling,
            session,
            rtp,
            muted: false,
            callback: None,
            ended_for_callback: false,
            media: None,
            ice,
        };
        self.keys.insert(handle, key.clone());
        Ok(self.by_key.entry(key).or_insert(call))
    }

    /// Re-points a call at a new UA handle (an outgoing call is opened before the UA names it).
    pub fn rebind(&mut self, key: &CallKey, handle: sip::CallHandle) {
        if let Some(call) = self.by_key.get_mut(key) {
            self.keys.remove(&call.handle);
            call.handle = handle;
            self.keys.insert(handle, key.clone());
        }
    }

    /// The call with this key.
    pub fn get_mut(&mut self, key: &CallKey) -> Option<&mut Call> {
        self.by_key.get_mut(key)
    }

    /// The call the UA names `handle`.
    pub fn by_handle(&mut self, handle: sip::CallHandle) -> Option<&mut Call> {
        let key = self.keys.get(&handle)?;
        self.by_key.get_mut(key)
    }

    /// Removes a call that ended. A call that ended before its media started still holds its
    /// TURN allocations: they are released here rather than left to expire on the server.
    pub fn close(&mut self, handle: sip::CallHandle) -> Option<Call> {
        let key = self.keys.remove(&handle)?;
        let mut call = self.by_key.remove(&key)?;
        if let Some(ice) = call.ice.as_mut() {
            ice.session.close(std::time::Instant::now());
            ice.flush(&call.rtp);
        }
        Some(call)
    }

    /// Every live call.
    pub fn iter(&self) -> impl Iterator<Item = &Call> {
        self.by_key.values()
    }
}

/// The UI's end reason for the UA's.
pub fn end_reason(reason: &sip::EndReason, direction: Direction, answered: bool) -> EndReason {
    match reason {
        sip::EndReason::LocalHangup => EndReason::LocalHangup,
        sip::EndReason::RemoteHangup => EndReason::RemoteHangup,
        sip::EndReason::RemoteCancel => EndReason::Cancelled,
        sip::EndReason::Cancelled => EndReason::LocalHangup,
        sip::EndReason::LocalReject => EndReason::Declined,
        sip::EndReason::Rejected { status: 486 | 600, .. } => EndReason::Busy,
        sip::EndReason::Rejected { status, reason }
            if direction == Direction::Outgoing && !answered =>
        {
            EndReason::Failed {
                status: Some(*status),
                text: format!("The call was refused: {reason}."),
            }
        }
        sip::EndReason::Rejected { status, .. } => {
            EndReason::Failed { status: Some(*status), text: "The call was refused.".into() }
        }
        sip::EndReason::Timeout => {
            EndReason::Failed { status: None, text: "The other side stopped responding.".into() }
        }
        sip::EndReason::Replaced => EndReason::Transferred,
        _ => EndReason::Failed { status: None, text: "The call ended unexpectedly.".into() },
    }
}

/// How the negotiated session protects media, for the UI.
pub fn media_security(negotiated: &media::sdp::NegotiatedSession) -> MediaSecurity {
    match &negotiated.security {
        media::sdp::Security::Sdes { suite, .. } => {
            MediaSecurity::Sdes { suite: suite.name().to_owned() }
        }
        media::sdp::Security::Dtls { .. } => MediaSecurity::DtlsSrtp { suite: "DTLS-SRTP".into() },
        media::sdp::Security::Unencrypted => MediaSecurity::Unencrypted,
    }
}
