//! Renders the Kamailio configuration template for one instance.

use std::fmt::Write;
use std::path::Path;

use super::{KamailioPorts, User};

/// The configuration template, kept in `tests/peers/kamailio/`.
const TEMPLATE: &str = include_str!("../../peers/kamailio/kamailio.cfg.in");

/// Everything an instance's configuration depends on.
pub(super) struct ConfigInput<'a> {
    pub ports: KamailioPorts,
    pub users: &'a [User],
    pub ctl_socket: &'a Path,
    pub tls_cfg: &'a Path,
    pub stir_key: &'a Path,
    pub x5u_url: &'a str,
}

/// The `kamailio.cfg` text for `input`.
pub(super) fn render(input: &ConfigInput<'_>) -> String {
    let p = input.ports;
    [
        ("@SIP_PORT@", p.sip.to_string()),
        ("@TLS_PORT@", p.tls.to_string()),
        ("@WS_PORT@", p.ws.to_string()),
        ("@WSS_PORT@", p.wss.to_string()),
        ("@CTL_SOCKET@", input.ctl_socket.display().to_string()),
        ("@TLS_CFG@", input.tls_cfg.display().to_string()),
        ("@STIR_KEY@", input.stir_key.display().to_string()),
        ("@X5U@", input.x5u_url.to_owned()),
        ("@USERS@", user_table(input.users)),
    ]
    .iter()
    .fold(TEMPLATE.to_owned(), |cfg, (key, value)| cfg.replace(key, value))
}

/// The `tls.cfg` text: server certificate, no client certificate required.
pub(super) fn render_tls(cert: &Path, key: &Path) -> String {
    format!(
        "[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\n\
         private_key = {}\ncertificate = {}\n\n\
         [client:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\n",
        key.display(),
        cert.display()
    )
}

fn user_table(users: &[User]) -> String {
    users.iter().fold(String::new(), |mut out, u| {
        let level = u.attestation.letter();
        let _ = writeln!(out, "\t$sht(users=>{}) = \"{}\";", u.name, u.password);
        let _ = writeln!(out, "\t$sht(attest=>{}) = \"{level}\";", u.name);
        out
    })
}
