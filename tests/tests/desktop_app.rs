//! Issue 6 end to end: the real desktop app (Tauri shell, WebKitGTK webview, the engine inside)
//! under Xvfb, driven through tauri-driver and WebKitWebDriver, against real peers on loopback:
//! Kamailio as registrar, proxy and STIR/SHAKEN signer (`secsipid`), in-process engine phones as
//! the helpdesk and the impostor, baresip as the colleague we call, a private gnome-keyring for
//! the vault's key and a private PulseAudio for the sound devices. Each state the user reaches is
//! saved as a screenshot and checked with axe-core inside the webview.
//!
//! Needs the app built with its `e2e` feature: `scripts/test.d/e2e.sh` builds it and runs this
//! file (`cargo nextest run -p interop --features e2e --test desktop_app`).

mod common;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::trust_lab::{COLLEAGUE, HELPDESK, STRANGER, US, kamailio, phone, trust_context};
use engine::api::EndReason;
use interop::baresip::{EventKind, MediaEnc};
use interop::pulse::{NULL_SINK, PulseAudio};
use interop::webview::{DesktopApp, app_binary, button};
use interop::{Baresip, Kamailio, Transport};
use tempfile::TempDir;
use vault::testkit::KeyringSession;

const T: Duration = Duration::from_secs(20);

/// Everything the app leans on, kept alive for the test's length.
struct Desk {
    kam: Kamailio,
    _dir: TempDir,
    keyring: KeyringSession,
    pulse: PulseAudio,
    app: DesktopApp,
}

/// Starts the lab and the app, registered as `US` over TLS with the lab's trust context.
async fn desk(test: &str) -> Desk {
    let kam = kamailio();
    let dir = tempfile::tempdir().expect("tempdir");
    let keyring = KeyringSession::start().expect("private keyring");
    let pulse = PulseAudio::start().expect("private PulseAudio");
    let account = app_account(&kam, dir.path());
    let mut env = keyring_env(&keyring);
    env.push(("CALLWARDEN_ACCOUNT", account.into()));
    env.push(("PULSE_SERVER", pulse.server().into()));
    env.push((
        "CALLWARDEN_AUTHENTICATOR",
        format!("soft:{}", dir.path().join("passkey.bin").display()).into(),
    ));
    env.push(("RUST_LOG", "info".into()));
    let binary = app_binary().expect("the e2e build of the app");
    let app = DesktopApp::launch(&binary, &env, &shots(test)).await.expect("app under WebDriver");
    Desk { kam, _dir: dir, keyring, pulse, app }
}

/// The app's account file: the harness account plus the trust context.
fn app_account(kam: &Kamailio, dir: &Path) -> PathBuf {
    let sip = kam.account(US, Transport::Tls).expect("harness user");
    let path = sip.write_account_file(dir).expect("account file");
    let context = trust_context(dir, &kam.stir().root_ca);
    let mut text = std::fs::read_to_string(&path).expect("read account file");
    text.push_str(&format!("trust_context = {:?}\n", context.display().to_string()));
    std::fs::write(&path, text).expect("write account file");
    path
}

/// The reports waiting in the app's outbox, read from its vault with the key from the keyring.
fn outbox(desk: &Desk) -> Vec<store::Report> {
    let hex = desk
        .keyring
        .secret_tool_lookup(vault::KeyringEntry::SERVICE, engine::Storage::DEFAULT_PROFILE)
        .expect("the app stored its vault key in the keyring");
    let bytes: Vec<u8> = (0..hex.trim().len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex.trim()[i..i + 2], 16).expect("hex key"))
        .collect();
    let key = store::DbKey::from_slice(&bytes).expect("a 256-bit key");
    let file = desk.app.home().join(".local/share/org.callwarden.desktop/vault.db");
    let db = store::Store::open(&file, &key).expect("the app's vault opens with its key");
    db.outbox().pending(10).expect("outbox")
}

/// The variables that put a process on the keyring's private session bus.
fn keyring_env(keyring: &KeyringSession) -> Vec<(&'static str, OsString)> {
    let mut probe = Command::new("true");
    keyring.apply(&mut probe);
    probe
        .get_envs()
        .filter_map(|(key, value)| {
            let key = key.to_str()?;
            let key =
                ["DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR"].into_iter().find(|k| *k == key)?;
            Some((key, value?.to_owned()))
        })
        .collect()
}

/// Screenshots land in `target/<profile>/e2e-screenshots/<test>/` (or `$CALLWARDEN_E2E_SHOTS`).
fn shots(test: &str) -> PathBuf {
    let base = std::env::var_os("CALLWARDEN_E2E_SHOTS").map(PathBuf::from).unwrap_or_else(|| {
        let exe = std::env::current_exe().expect("test binary path");
        exe.parent().and_then(Path::parent).expect("target dir").join("e2e-screenshots")
    });
    let dir = base.join(test);
    // Only this run's pictures: a state the test no longer reaches leaves no stale picture.
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Saves the screen and fails on serious or critical accessibility violations.
async fn accessible(app: &DesktopApp, name: &str) {
    let violations = app.check(name).await.expect("screenshot and axe");
    let blocking: Vec<_> = violations.iter().filter(|v| v.is_blocking()).collect();
    assert!(blocking.is_empty(), "{name}: serious or critical axe violations: {blocking:#?}");
}

/// First run: a passkey (the e2e build's software token), the account step, the passkey step
/// (a second key is optional), the audio test on the private PulseAudio (a sine played into the
/// null sink reaches the microphone meter, and its echo half a second later the speaker meter);
/// then the dialer, registered. Then the lock: locked by hand and unlocked with the passkey.
async fn first_run(desk: &Desk) {
    let app = &desk.app;
    app.find("//h1[.='Welcome to Callwarden']").await.expect("first-run lock screen");
    accessible(app, "00-create-passkey").await;
    app.click_button("Create a passkey").await.expect("enrol");
    app.find("//h2[.='Your phone account']").await.expect("onboarding");
    accessible(app, "01-onboarding-account").await;
    app.click_button("Continue").await.expect("continue");
    app.find("//h2[contains(., 'passkey')]").await.expect("passkey step");
    accessible(app, "02-onboarding-passkey").await;
    app.click_button("Continue").await.expect("continue");
    let sine = desk
        .pulse
        .pactl(&["load-module", "module-sine", &format!("sink={NULL_SINK}"), "frequency=440"])
        .expect("a sine into the null sink");
    app.click_button("Start the test").await.expect("audio test");
    for meter in ["Microphone", "Speaker"] {
        let moving =
            format!("//label[.='{meter}']/following-sibling::span[not(starts-with(., '0 '))]");
        app.find(&moving).await.unwrap_or_else(|e| panic!("the {meter} meter moves: {e}"));
    }
    accessible(app, "03-onboarding-audio").await;
    app.click_button("Stop the test").await.expect("stop the audio test");
    desk.pulse.pactl(&["unload-module", sine.trim()]).expect("the sine stops");
    app.click_button("Start using Callwarden").await.expect("done");
    app.find("#dial-target").await.expect("the dialer");
    app.find("//p[@role='status'][contains(., 'Ready for calls')]").await.expect("registered");
    accessible(app, "04-dialer-registered").await;

    app.click_button("Lock").await.expect("lock");
    app.find("//h1[.='Callwarden is locked']").await.expect("the lock screen");
    accessible(app, "04-locked").await;
    app.click_button("Unlock with passkey").await.expect("unlock");
    app.find("#dial-target").await.expect("unlocked: the dialer");
}

/// The incoming-call card, once its text contains `words` (the verdict may update while the
/// certificate is fetched).
async fn incoming_saying(app: &DesktopApp, words: &str) -> String {
    let card = format!("//section[@data-testid='incoming-call'][contains(., {words:?})]");
    app.text(&card).await.expect("the incoming call card")
}

async fn hang_up_and_dismiss(app: &DesktopApp) {
    app.click(&button("Hang up")).await.expect("hang up");
    app.click_button("Done").await.expect("dismiss the ended call");
    app.find("#dial-target").await.expect("back at the dialer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_colleague_shows_verified_and_a_fake_helpdesk_becomes_a_callback() {
    let desk = desk("trust").await;
    let app = &desk.app;
    first_run(&desk).await;
    let mut helpdesk = phone(&desk.kam, HELPDESK, Some("IT Helpdesk"), None).await;
    let mut impostor = phone(&desk.kam, STRANGER, Some("IT Helpdesk"), None).await;

    // Kamailio signs the helpdesk's INVITE with attestation A; the app shows it verified.
    let outgoing = helpdesk.phone.dial(US.into()).await.expect("helpdesk dials us");
    let card = incoming_saying(app, "Number verified").await;
    assert!(card.contains("IT Helpdesk"), "the verified directory name is shown: {card}");
    accessible(app, "05-incoming-verified").await;
    app.click_button("Decline").await.expect("decline");
    let refused = helpdesk.ended(&outgoing).await;
    assert!(
        matches!(refused, EndReason::Failed { status: Some(603), .. }),
        "the caller hears our decline: {refused:?}"
    );
    app.click_button("Done").await.expect("dismiss");

    // The helpdesk's name from an unknown number: caution and a callback to the directory.
    let scam = impostor.phone.dial(US.into()).await.expect("impostor dials us");
    let card = incoming_saying(app, "Verify by calling back").await;
    assert!(card.contains(HELPDESK), "the directory number is offered, not the caller's: {card}");
    accessible(app, "06-incoming-callback-prompt").await;
    app.click_button("Hang up and call IT Helpdesk").await.expect("callback");
    impostor.ended(&scam).await;
    let (at_helpdesk, caller) = helpdesk.incoming().await;
    assert_eq!(caller.number.as_deref(), Some(US), "the real helpdesk sees our number");
    helpdesk.phone.answer(at_helpdesk.clone()).await.expect("helpdesk answers");
    app.find("[data-testid='active-call'] .controls").await.expect("the callback is connected");
    app.find("//h2[@id='call-title'][.='IT Helpdesk']").await.expect("named from the directory");
    accessible(app, "07-callback-connected").await;
    app.click(&button("Hang up")).await.expect("hang up");
    assert_eq!(helpdesk.ended(&at_helpdesk).await, EndReason::RemoteHangup);
    app.click_button("Done").await.expect("dismiss the callback");

    // Under it, the scam call's end: report it with one tag, and it waits in the outbox.
    app.click_button("Report this call").await.expect("the scam call's end");
    app.find("[role='dialog']").await.expect("the report dialog");
    app.click_button("Claimed to be IT").await.expect("tag");
    accessible(app, "08-report-dialog").await;
    app.click_button("Send report").await.expect("send");
    app.find("//p[@role='status'][contains(., 'Sent to your security team')]").await.expect("sent");
    app.click_button("Close").await.expect("close the dialog");
    let reports = outbox(&desk);
    assert_eq!(reports.len(), 1, "one report queued: {reports:#?}");
    let payload = reports[0].payload.to_string();
    assert!(payload.contains("claimedToBeIt"), "the tag travels: {payload}");
    assert!(payload.contains(STRANGER), "the presented number is evidence: {payload}");
    app.click_button("Done").await.expect("dismiss the scam call");
    app.find("#dial-target").await.expect("back at the dialer");

    app.click_button("History").await.expect("history");
    let log = app.text("//li[@data-testid='log-entry'][1]").await.expect("the newest call");
    assert!(log.contains(HELPDESK), "the callback is logged: {log}");
    assert!(log.contains("IT Helpdesk"), "under the directory's name: {log}");
    accessible(app, "09-history").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calling_baresip_from_the_dialer_connects_and_hangs_up() {
    let desk = desk("call").await;
    let app = &desk.app;
    let colleague = desk.kam.account(COLLEAGUE, Transport::Tls).expect("colleague account");
    let mut bob =
        Baresip::registered(colleague).media_enc(MediaEnc::SrtpMand).start().expect("baresip");
    bob.wait_registered(T).expect("baresip registered");
    first_run(&desk).await;

    app.type_into("#dial-target", COLLEAGUE).await.expect("type the number");
    app.click("//button[@type='submit']").await.expect("call");
    bob.wait_for_event(EventKind::CallEstablished, T).expect("baresip answered");
    app.find("[data-testid='active-call'] .controls").await.expect("the call is connected");
    accessible(app, "05-active-call").await;
    hang_up_and_dismiss(app).await;
    bob.wait_for_event(EventKind::CallClosed, T).expect("baresip saw our BYE");

    // The remaining screens: settings (the account, devices and policy from the engine) and
    // training, in both themes.
    app.click_button("Settings").await.expect("settings");
    let account = app.text("//h3[.='Accounts']/following-sibling::ul[1]").await.expect("accounts");
    assert!(account.contains(US), "the account is listed: {account}");
    app.find("//h3[.='Policy']").await.expect("the policy");
    accessible(app, "06-settings").await;
    app.click("//input[@value='dark']").await.expect("dark theme");
    app.find("//html[@data-theme='dark']").await.expect("dark applied");
    accessible(app, "07-settings-dark").await;
    app.click_button("Training").await.expect("training");
    app.find("//h2[.='Training']").await.expect("the training screen");
    accessible(app, "08-training-dark").await;
}
