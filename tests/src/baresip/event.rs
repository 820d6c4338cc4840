//! Events baresip reports over `ctrl_tcp` (its `bevent` list).

use serde_json::Value;

/// The `type` of a baresip event.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventKind {
    /// Registration succeeded.
    RegisterOk,
    /// Registration failed.
    RegisterFail,
    /// An incoming call is ringing here.
    CallIncoming,
    /// The called party is ringing (180).
    CallRinging,
    /// Early media (183).
    CallProgress,
    /// The call is answered.
    CallEstablished,
    /// The call ended; `param` holds the reason.
    CallClosed,
    /// Media encryption is up; `param` names the suite.
    CallMenc,
    /// A DTMF digit started; `param` holds it.
    CallDtmfStart,
    /// A DTMF digit ended.
    CallDtmfEnd,
    /// An SDP offer or answer arrived (`param`: "offer"/"answer"), also on re-INVITE.
    CallRemoteSdp,
    /// Any other event type, verbatim.
    Other(String),
}

impl EventKind {
    /// The kind named by baresip's `type` string.
    pub fn from_type(name: &str) -> Self {
        match name {
            "REGISTER_OK" => Self::RegisterOk,
            "REGISTER_FAIL" => Self::RegisterFail,
            "CALL_INCOMING" => Self::CallIncoming,
            "CALL_RINGING" => Self::CallRinging,
            "CALL_PROGRESS" => Self::CallProgress,
            "CALL_ESTABLISHED" => Self::CallEstablished,
            "CALL_CLOSED" => Self::CallClosed,
            "CALL_MENC" => Self::CallMenc,
            "CALL_DTMF_START" => Self::CallDtmfStart,
            "CALL_DTMF_END" => Self::CallDtmfEnd,
            "CALL_REMOTE_SDP" => Self::CallRemoteSdp,
            other => Self::Other(other.to_owned()),
        }
    }
}

/// One event as reported.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// What happened.
    pub kind: EventKind,
    /// The free-form `param` (reason, digit, SDP direction, ...), empty if absent.
    pub param: String,
    /// The peer's URI for call events, empty otherwise.
    pub peer_uri: String,
    /// The whole JSON object.
    pub raw: Value,
}

impl Event {
    /// Reads an event object; `None` if `value` is not an event.
    pub fn from_json(value: Value) -> Option<Self> {
        if value.get("event").and_then(Value::as_bool) != Some(true) {
            return None;
        }
        let text =
            |key: &str| value.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
        Some(Self {
            kind: EventKind::from_type(&text("type")),
            param: text("param"),
            peer_uri: text("peeruri"),
            raw: value,
        })
    }
}
