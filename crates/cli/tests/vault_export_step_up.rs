//! Export goes through a passkey step-up and lands in the audit trail; the admin recovery
//! procedure removes passkeys and lets a new one be enrolled.

mod vault_support;

use vault_support::Harness;

#[test]
fn export_writes_the_range_and_is_audited() {
    let h = Harness::initialised();
    for (number, at) in
        [("+14155550001", "1000"), ("+14155550002", "2000"), ("+14155550003", "3000")]
    {
        h.ok(&["add-call", "--number", number, "--at", at]);
    }
    let out = h.session.scratch().join("export.csv");
    h.ok(&[
        "export",
        "--from",
        "1500",
        "--to",
        "3500",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    let csv = std::fs::read_to_string(&out).unwrap();
    assert_eq!(csv.lines().count(), 3, "header and two calls: {csv}");
    assert!(csv.contains("+14155550002") && csv.contains("+14155550003"));
    assert!(!csv.contains("+14155550001"));

    let audit = h.ok(&["audit"]);
    let kinds: Vec<String> = audit
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let tail = &kinds[kinds.len() - 3..];
    assert_eq!(tail, ["unlocked", "stepped_up", "exported"], "{kinds:?}");
}

#[test]
fn admin_recovery_removes_passkeys_and_allows_re_enrolment() {
    let h = Harness::initialised();
    h.ok(&["add-call", "--number", "+14155550100"]);
    assert!(!h.run(&["reset-passkeys"]).status.success(), "needs --confirm");
    h.ok(&["reset-passkeys", "--confirm"]);
    let out = h.run(&["list"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no passkey enrolled"));
    // A new authenticator is enrolled; the call log is intact.
    std::fs::remove_file(&h.token).unwrap();
    h.ok(&["init", "--label", "replacement key"]);
    assert!(h.ok(&["list"]).contains("+14155550100"));
    assert!(h.ok(&["audit"]).contains("passkeys_reset"));
}
