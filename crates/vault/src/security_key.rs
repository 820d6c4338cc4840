//! Hardware security keys over CTAP2 through webauthn-authenticator-rs: USB HID (hidraw, found
//! through udev) and, with the `nfc` feature, NFC readers through PC/SC.
//!
//! Each ceremony runs on a thread of its own with a small tokio runtime: the CTAP2 client blocks
//! (it reads hidraw synchronously and waits on the key inside `block_on`), and the caller may
//! itself be an async task. The caller waits on a channel with a deadline, so a key nobody
//! touches gives [`PasskeyError::TouchTimeout`] instead of a hang. The time the user spends
//! typing the PIN is not counted. A panic inside the client (a misbehaving key) ends that thread
//! only. After a timeout the thread lingers until the key gives up on its own (CTAP2 keys stop
//! waiting for a touch after about 30 s); nothing reads its answer.
//!
//! The vault's relying party requires user verification, so a key without a PIN (or a
//! fingerprint) is refused with [`PasskeyError::PinNotSet`] before it is asked to sign anything.
//!
//! Hybrid ("use a phone") passkeys are not offered on Linux: webauthn-authenticator-rs's caBLE
//! client needs a Bluetooth LE radio reachable through BlueZ over D-Bus, a user in the
//! `bluetooth` group, and a websocket tunnel through the phone vendor's relay on the internet.
//! That is a hardware and network dependency many desktops lack, and a third party on the
//! unlock path; see docs/threat-model.md.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use webauthn_authenticator_rs::ctap2::CtapAuthenticator;
use webauthn_authenticator_rs::error::{CtapError, WebauthnCError};
use webauthn_authenticator_rs::transport::Transport;
use webauthn_authenticator_rs::types::{CableRequestType, CableState, EnrollSampleStatus};
use webauthn_authenticator_rs::ui::UiCallback;
use webauthn_authenticator_rs::{AuthenticatorBackend, WebauthnAuthenticator};

use webauthn_rs::prelude::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse,
};

use crate::{KeyPrompt, KeyTransport, PasskeyError, RelyingParty};

/// How long a key may take per ceremony, PIN entry not counted.
pub const DEFAULT_TOUCH_TIMEOUT: Duration = Duration::from_secs(30);

/// A FIDO2 security key, looked up afresh for every ceremony (it may be unplugged between).
pub struct SecurityKey {
    transport: KeyTransport,
    prompt: Arc<dyn KeyPrompt>,
}

/// A ceremony to run against the key the transport found.
type Job<R> = Box<dyn FnOnce(&mut dyn AuthenticatorBackend) -> Result<R, WebauthnCError> + Send>;

impl SecurityKey {
    /// Checks that a key is connected now; fails fast with [`PasskeyError::NoSecurityKey`].
    pub fn find(transport: KeyTransport, prompt: Arc<dyn KeyPrompt>) -> Result<Self, PasskeyError> {
        let key = Self { transport, prompt };
        let found = key.on_thread(None::<Job<()>>)?;
        debug_assert!(found.is_none(), "a probe runs no ceremony");
        Ok(key)
    }

    /// Answers an enrolment challenge: CTAP2 makeCredential with user verification.
    pub fn register(
        &self,
        challenge: CreationChallengeResponse,
    ) -> Result<RegisterPublicKeyCredential, PasskeyError> {
        self.run(Box::new(move |key| key.do_registration(RelyingParty::origin(), challenge)))
    }

    /// Answers an assertion challenge: CTAP2 getAssertion with user verification.
    pub fn authenticate(
        &self,
        challenge: RequestChallengeResponse,
    ) -> Result<PublicKeyCredential, PasskeyError> {
        self.run(Box::new(move |key| key.do_authentication(RelyingParty::origin(), challenge)))
    }

    fn run<R: Send + 'static>(&self, job: Job<R>) -> Result<R, PasskeyError> {
        self.on_thread(Some(job))?.ok_or(PasskeyError::NoSecurityKey { transport: self.transport })
    }

    fn on_thread<R: Send + 'static>(&self, job: Option<Job<R>>) -> Result<Option<R>, PasskeyError> {
        let (events, progress) = mpsc::channel();
        let ui = Ui { prompt: Arc::clone(&self.prompt), events, touched: AtomicBool::new(false) };
        let (transport, timeout) = (self.transport, DEFAULT_TOUCH_TIMEOUT);
        std::thread::Builder::new()
            .name("security-key".to_owned())
            .spawn(move || {
                let result = session::run(transport, timeout, &ui, job);
                // The waiter may have timed out and gone: nobody to tell then.
                let _ = ui.events.send(Progress::Done(result));
            })
            .map_err(|e| PasskeyError::TransportUnavailable(format!("no ceremony thread: {e}")))?;
        wait(&progress, timeout)
    }
}

/// What the ceremony thread reports to the waiting caller.
enum Progress<R> {
    PinAsked,
    PinAnswered,
    TouchAsked,
    Done(Result<Option<R>, PasskeyError>),
}

/// Waits for the ceremony's result; the clock stops while the user types the PIN.
fn wait<R>(
    progress: &mpsc::Receiver<Progress<R>>,
    timeout: Duration,
) -> Result<Option<R>, PasskeyError> {
    let mut deadline = Some(Instant::now() + timeout);
    let mut touch_asked = false;
    loop {
        let event = match deadline {
            Some(at) => progress.recv_timeout(at.saturating_duration_since(Instant::now())),
            None => progress.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
        };
        match event {
            Ok(Progress::Done(result)) => return result,
            Ok(Progress::PinAsked) => deadline = None,
            Ok(Progress::PinAnswered) => deadline = Some(Instant::now() + timeout),
            Ok(Progress::TouchAsked) => touch_asked = true,
            Err(mpsc::RecvTimeoutError::Timeout) if touch_asked => {
                return Err(PasskeyError::TouchTimeout { waited: timeout });
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                return Err(PasskeyError::KeyNotResponding { waited: timeout });
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(PasskeyError::Authenticator("the security key client crashed".into()));
            }
        }
    }
}

/// The library's UI callback: forwards PIN and touch requests to the app's [`KeyPrompt`] and
/// tells the waiter, so the deadline can pause for the PIN.
struct Ui<R> {
    prompt: Arc<dyn KeyPrompt>,
    events: mpsc::Sender<Progress<R>>,
    touched: AtomicBool,
}

impl<R> fmt::Debug for Ui<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Ui")
    }
}

impl<R: Send> UiCallback for Ui<R> {
    fn request_pin(&self) -> Option<String> {
        let _ = self.events.send(Progress::PinAsked);
        let pin = self.prompt.pin();
        let _ = self.events.send(Progress::PinAnswered);
        // The library takes a plain String; our copy is wiped when `pin` drops.
        pin.map(|pin| pin.expose().to_owned())
    }

    fn request_touch(&self) {
        // USB keys repeat "user presence needed" every keep-alive (100 ms): prompt once.
        if !self.touched.swap(true, Ordering::Relaxed) {
            let _ = self.events.send(Progress::TouchAsked);
            self.prompt.touch();
        }
    }

    fn processing(&self) {}

    fn fingerprint_enrollment_feedback(&self, _: u32, _: Option<EnrollSampleStatus>) {}

    fn cable_qr_code(&self, _: CableRequestType, _: String) {}

    fn dismiss_qr_code(&self) {}

    fn cable_status_update(&self, _: CableState) {}
}

/// The ceremony thread: open the transport, pick a key, run the job.
mod session {
    use super::*;

    type Outcome<R> = Result<Option<R>, PasskeyError>;

    pub(super) fn run<R: Send>(
        kind: KeyTransport,
        timeout: Duration,
        ui: &Ui<R>,
        job: Option<Job<R>>,
    ) -> Outcome<R> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_time()
            .build()
            .map_err(|e| PasskeyError::TransportUnavailable(format!("no runtime: {e}")))?;
        // The USB client sleeps between keep-alives on tokio's timer from inside `block_on`.
        let _entered = runtime.enter();
        match kind {
            #[cfg(feature = "usb")]
            KeyTransport::Usb => {
                use webauthn_authenticator_rs::usb::USBTransport;
                let transport = runtime.block_on(USBTransport::new()).map_err(unavailable)?;
                on_transport(&runtime, (kind, timeout), &transport, ui, job)
            }
            #[cfg(feature = "nfc")]
            KeyTransport::Nfc => {
                let any = runtime.block_on(any_transport())?;
                let nfc = any.nfc.ok_or_else(|| {
                    PasskeyError::TransportUnavailable(
                        "the PC/SC service (pcscd) is not running".into(),
                    )
                })?;
                on_transport(&runtime, (kind, timeout), &nfc, ui, job)
            }
            KeyTransport::Any => {
                let any = runtime.block_on(any_transport())?;
                on_transport(&runtime, (kind, timeout), &any, ui, job)
            }
        }
    }

    async fn any_transport()
    -> Result<webauthn_authenticator_rs::transport::AnyTransport, PasskeyError> {
        webauthn_authenticator_rs::transport::AnyTransport::new().await.map_err(unavailable)
    }

    /// Lists the keys; with one, uses it; with several, the first one the user touches.
    fn on_transport<'t, T: Transport<'t>, R: Send>(
        runtime: &tokio::runtime::Runtime,
        (kind, timeout): (KeyTransport, Duration),
        transport: &'t T,
        ui: &'t Ui<R>,
        job: Option<Job<R>>,
    ) -> Outcome<R> {
        let mut tokens = runtime.block_on(transport.tokens()).map_err(unavailable)?;
        if tokens.is_empty() {
            return Err(PasskeyError::NoSecurityKey { transport: kind });
        }
        let Some(job) = job else { return Ok(None) };
        let mut key = if tokens.len() == 1 {
            let token = tokens.pop().expect("one token listed");
            runtime.block_on(CtapAuthenticator::new(token, ui))
        } else {
            drop(tokens);
            runtime.block_on(pick_touched(transport, ui, timeout))?
        }
        .ok_or(PasskeyError::UnsupportedKey)?;
        job(&mut key).map(Some).map_err(|e| ceremony_error(e, timeout))
    }

    /// Several keys: the one the user touches first (CTAP 2.1 selection, or a blink and a
    /// dummy request on 2.0 keys). Bounded by `timeout`, so that the device watch (which never
    /// ends by itself) stops and this thread ends when nobody touches a key.
    async fn pick_touched<'t, T: Transport<'t>, U: UiCallback>(
        transport: &'t T,
        ui: &'t U,
        timeout: Duration,
    ) -> Result<Option<CtapAuthenticator<'t, T::Token, U>>, PasskeyError> {
        let events = transport.watch().await.map_err(unavailable)?;
        let selected = webauthn_authenticator_rs::ctap2::select_one_device(events, ui);
        tokio::time::timeout(timeout, selected)
            .await
            .map_err(|_| PasskeyError::TouchTimeout { waited: timeout })
    }

    fn unavailable(err: WebauthnCError) -> PasskeyError {
        PasskeyError::TransportUnavailable(err.to_string())
    }

    /// Names what went wrong on the key in the vault's terms.
    fn ceremony_error(err: WebauthnCError, timeout: Duration) -> PasskeyError {
        use CtapError as C;
        use WebauthnCError as W;
        match err {
            W::UserVerificationRequired | W::Ctap(C::Ctap2PinNotSet) => PasskeyError::PinNotSet,
            W::Ctap(C::Ctap2PinInvalid) | W::PinTooShort | W::PinTooLong | W::PinContainsNull => {
                PasskeyError::WrongPin
            }
            W::Ctap(C::Ctap2PinBlocked | C::Ctap2PinAuthBlocked) => PasskeyError::PinBlocked,
            W::Cancelled | W::Ctap(C::Ctap2KeepAliveCancel | C::Ctap2OperationDenied) => {
                PasskeyError::Cancelled
            }
            W::Ctap(C::Ctap2UserActionTimeout | C::Ctap2ActionTimeout | C::Ctap1Timeout) => {
                PasskeyError::TouchTimeout { waited: timeout }
            }
            W::Ctap(C::Ctap2CredentialExcluded) => PasskeyError::AlreadyEnrolled,
            W::Ctap(C::Ctap2NoCredentials) => PasskeyError::UnknownCredential,
            other => PasskeyError::Authenticator(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHORT: Duration = Duration::from_millis(50);

    #[test]
    fn a_key_waiting_for_a_touch_that_never_comes_times_out_as_untouched() {
        let (events, progress) = mpsc::channel::<Progress<()>>();
        events.send(Progress::TouchAsked).unwrap();
        let result = wait(&progress, SHORT);
        assert!(matches!(result, Err(PasskeyError::TouchTimeout { waited: SHORT })), "{result:?}");
    }

    #[test]
    fn a_silent_key_times_out_as_not_responding() {
        let (_events, progress) = mpsc::channel::<Progress<()>>();
        let result = wait(&progress, SHORT);
        assert!(matches!(result, Err(PasskeyError::KeyNotResponding { .. })), "{result:?}");
    }

    #[test]
    fn time_spent_typing_the_pin_does_not_count() {
        let (events, progress) = mpsc::channel();
        let user = std::thread::spawn(move || {
            events.send(Progress::PinAsked).unwrap();
            // A slow typist: three timeouts long.
            std::thread::sleep(SHORT * 3);
            events.send(Progress::PinAnswered).unwrap();
            events.send(Progress::Done(Ok(Some(7)))).unwrap();
        });
        assert!(matches!(wait(&progress, SHORT), Ok(Some(7))));
        user.join().unwrap();
    }

    #[test]
    fn a_crashed_client_is_reported_not_awaited() {
        let (events, progress) = mpsc::channel::<Progress<()>>();
        drop(events);
        let result = wait(&progress, DEFAULT_TOUCH_TIMEOUT);
        assert!(matches!(result, Err(PasskeyError::Authenticator(_))), "{result:?}");
    }
}
