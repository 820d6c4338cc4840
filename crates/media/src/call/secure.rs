//! Driving the DTLS-SRTP handshake inside the call and switching media on when it ends.

use std::time::Instant;

use super::{CallMedia, MediaEvent, Output};
use crate::rtp::{Protection, Transmit};

impl CallMedia {
    /// Feeds a DTLS datagram to the handshake.
    pub(super) fn receive_dtls(&mut self, now: Instant, data: &[u8]) {
        let Some(dtls) = self.dtls.as_mut() else {
            self.rtp.count_malformed();
            return;
        };
        match dtls.handle_datagram(now, data) {
            Ok(Some(srtp)) => {
                let suite = srtp.suite();
                self.rtp.set_protection(Protection::Srtp(srtp));
                self.outputs.push_back(Output::Event(MediaEvent::Secured(suite)));
            }
            Ok(None) => {}
            Err(e) => {
                self.outputs.push_back(Output::Event(MediaEvent::SecurityFailed(e.to_string())))
            }
        }
        self.drain_dtls();
    }

    pub(super) fn dtls_timeout(&mut self, now: Instant) {
        if let Some(dtls) = self.dtls.as_mut().filter(|d| !d.is_established()) {
            if let Err(e) = dtls.handle_timeout(now) {
                self.outputs.push_back(Output::Event(MediaEvent::SecurityFailed(e.to_string())));
            }
        }
        self.drain_dtls();
    }

    /// Queues the handshake's datagrams (they go to the peer's RTP address).
    pub(super) fn drain_dtls(&mut self) {
        let Some(dtls) = self.dtls.as_mut() else { return };
        while let Some(data) = dtls.poll_transmit() {
            self.outputs.push_back(Output::Transmit(Transmit { to: self.neg.remote_rtp, data }));
        }
    }

    /// True while a DTLS-SRTP handshake is still running.
    pub fn awaiting_keys(&self) -> bool {
        self.dtls.as_ref().is_some_and(|d| !d.is_established())
    }
}
