//! The STIR/SHAKEN lab the trust tests share: Kamailio signing INVITEs for a handful of numbers
//! (its `secsipid` module, ES256, x5u over loopback HTTP), and the trust context an administrator
//! would push to the phone under test.

use std::path::{Path, PathBuf};

use engine::{Account, SrtpPolicy};
use interop::{Attestation as Signed, Kamailio, Transport};

use super::{TestPhone, account_file};

/// The IT helpdesk, in the directory; Kamailio signs its calls with attestation A.
pub const HELPDESK: &str = "+12155550100";
/// The phone under test (our own number).
pub const US: &str = "12155550202";
/// A colleague's desk phone (attestation A), not in the directory.
pub const COLLEAGUE: &str = "12155550303";
/// An unknown caller Kamailio signs with B.
pub const STRANGER: &str = "14155550999";
/// A gateway Kamailio signs with C.
pub const GATEWAY: &str = "13125550123";

/// Kamailio with the lab's users, each signed at its attestation level.
pub fn kamailio() -> Kamailio {
    Kamailio::builder()
        .user(HELPDESK, "pw-helpdesk", Signed::A)
        .user(US, "pw-us", Signed::A)
        .user(COLLEAGUE, "pw-colleague", Signed::A)
        .user(STRANGER, "pw-stranger", Signed::B)
        .user(GATEWAY, "pw-gateway", Signed::C)
        .start()
        .expect("kamailio")
}

/// The trust context an administrator would push: our number, the directory with the helpdesk,
/// the test STI-CA as the only anchor, and a lab policy that allows the loopback http x5u.
pub fn trust_context(dir: &Path, root_ca: &Path) -> PathBuf {
    write_context(dir, root_ca, serde_json::json!({}), 2000)
}

/// The context with `x5u` offline answers and a fetch deadline of `fetch_ms`.
pub fn write_context(dir: &Path, root_ca: &Path, x5u: serde_json::Value, fetch_ms: u64) -> PathBuf {
    let ctx = serde_json::json!({
        "own_numbers": [format!("+{US}")],
        "directory": [
            { "name": "IT Helpdesk", "aliases": ["Helpdesk"], "numbers": [HELPDESK] }
        ],
        "trust_anchors": [{ "path": root_ca }],
        "x5u": x5u,
        "policy": {
            "allow_http_x5u": true,
            "default_region": "US",
            "fetch": { "timeout_ms": fetch_ms }
        }
    });
    let path = dir.join("trust-context.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&ctx).expect("json")).expect("write context");
    path
}

/// An in-process phone registered as `user` over TLS, presenting `name`, screening with `ctx`.
pub async fn phone(
    kam: &Kamailio,
    user: &str,
    name: Option<&str>,
    ctx: Option<&Path>,
) -> TestPhone {
    let sip = kam.account(user, Transport::Tls).expect("harness user");
    let mut file = account_file(&sip, SrtpPolicy::Required);
    file.display_name = name.map(str::to_owned);
    file.trust_context = ctx.map(Path::to_path_buf);
    let mut phone =
        TestPhone::start(Account::from_file(file, Path::new(".")).expect("account")).await;
    phone.registered().await;
    phone
}
