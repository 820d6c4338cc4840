//! INVITEs Kamailio forwarded, read back from the dumps its `onsend_route` writes to the log:
//! `OUT-INVITE to IP:PORT proto=N`, the whole message, then `--END-INVITE--`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

const START: &str = "OUT-INVITE to ";
const END: &str = "--END-INVITE--";

/// One forwarded INVITE as it left Kamailio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardedInvite {
    /// `IP:PORT` it was sent to.
    pub destination: String,
    /// The whole SIP message text.
    pub message: String,
}

impl ForwardedInvite {
    /// The value of the first header named `name` (case-insensitive), trimmed.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.message.lines().take_while(|l| !l.trim().is_empty()).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then_some(v.trim())
        })
    }

    /// The `Identity` header (RFC 8224) value, if present.
    pub fn identity(&self) -> Option<&str> {
        self.header("Identity")
    }

    /// The PASSporT claims (the JWT payload of the Identity header) as JSON.
    pub fn passport_claims(&self) -> Option<serde_json::Value> {
        let jwt = self.identity()?.split(';').next()?;
        let payload = jwt.split('.').nth(1)?;
        let json = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
        serde_json::from_slice(&json).ok()
    }
}

/// All dumps in `log`, in order.
pub(super) fn parse_dumps(log: &str) -> Vec<ForwardedInvite> {
    let mut out = Vec::new();
    let mut rest = log;
    while let Some(start) = rest.find(START) {
        let after = &rest[start + START.len()..];
        let Some(end) = after.find(END) else { break };
        let block = &after[..end];
        let (first, message) = block.split_once('\n').unwrap_or((block, ""));
        let destination = first.split_whitespace().next().unwrap_or_default().to_owned();
        out.push(ForwardedInvite { destination, message: message.trim_end().to_owned() });
        rest = &after[end + END.len()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dumps_are_split_and_claims_decoded() {
        // {"attest":"B"} in base64url
        let log = "x\n0(1) NOTICE: {1 INVITE c} <script>: OUT-INVITE to 127.0.0.1:5080 proto=1\n\
                   INVITE sip:1002@127.0.0.1 SIP/2.0\nIdentity: e30.eyJhdHRlc3QiOiJCIn0.sig;info=<x>\n\n\
                   v=0\n--END-INVITE--\nmore";
        let dumps = parse_dumps(log);
        assert_eq!(dumps.len(), 1);
        assert_eq!(dumps[0].destination, "127.0.0.1:5080");
        assert_eq!(dumps[0].passport_claims().unwrap()["attest"], "B");
    }
}
