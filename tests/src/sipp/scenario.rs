//! The sipp scenarios kept in `tests/peers/sipp/`, embedded so the harness works from any
//! working directory.

use std::path::{Path, PathBuf};

use crate::error::PeerError;
use crate::workdir::write_file;

/// A sipp scenario: one of the project's, or any file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scenario {
    /// UAC: INVITE / 200 / ACK / pause / BYE. Set the callee user with `service`.
    UacBasic,
    /// UAC through Kamailio: answers the 407 with `auth`, sends `X-Attest: [attest]` with
    /// From user `[caller]` (set both with `key`), then ACK / pause / BYE.
    UacAuthIdentity,
    /// UAC from a foreign caller carrying a ready-made `Identity: [identity]` with From user
    /// `[caller]` (set both with `key`), e.g. through Kamailio to a registered callee.
    UacIdentity,
    /// UAC: INVITE / 180 / pause / CANCEL / 200 / 487 / ACK (the callee must ring, not answer).
    UacCancelAfterRinging,
    /// UAC: call, re-INVITE `a=sendonly` (expects `a=recvonly`), re-INVITE `a=sendrecv`, BYE.
    UacHoldReinvite,
    /// UAC flood: every call INVITEs, takes any final answer, ACKs, and BYEs a 200 at once.
    /// Bound it with `rate`, `calls` and `timeout`.
    InviteFlood,
    /// UAS: answers 180 / 200 and waits for the caller's BYE.
    UasAnswer,
    /// UAS: answers 486 Busy Here.
    UasBusy,
    /// UAS: 180, pause, then 200 retransmitted until a (possibly late) ACK; waits for BYE.
    UasRingingLateAck,
    /// UAS: answers, pauses, then sends BYE itself.
    UasAnswerThenBye,
    /// A scenario file of your own.
    File(PathBuf),
}

impl Scenario {
    /// The scenario file: a project scenario is written into `dir` first.
    pub(super) fn materialize(&self, dir: &Path) -> Result<PathBuf, PeerError> {
        macro_rules! xml {
            ($name:literal) => {
                ($name, include_str!(concat!("../../peers/sipp/", $name)))
            };
        }
        let (name, xml) = match self {
            Self::File(path) => return Ok(path.clone()),
            Self::UacBasic => xml!("uac_basic.xml"),
            Self::UacAuthIdentity => xml!("uac_auth_identity.xml"),
            Self::UacIdentity => xml!("uac_identity.xml"),
            Self::UacCancelAfterRinging => xml!("uac_cancel_after_ringing.xml"),
            Self::UacHoldReinvite => xml!("uac_hold_reinvite.xml"),
            Self::InviteFlood => xml!("invite_flood.xml"),
            Self::UasAnswer => xml!("uas_answer.xml"),
            Self::UasBusy => xml!("uas_busy.xml"),
            Self::UasRingingLateAck => xml!("uas_ringing_late_ack.xml"),
            Self::UasAnswerThenBye => xml!("uas_answer_then_bye.xml"),
        };
        let path = dir.join(name);
        write_file(&path, xml)?;
        Ok(path)
    }

    /// True for scenarios that wait for a call instead of placing one.
    pub(super) fn is_server(&self) -> bool {
        matches!(
            self,
            Self::UasAnswer | Self::UasBusy | Self::UasRingingLateAck | Self::UasAnswerThenBye
        )
    }
}
