//! The local WebAuthn relying party (webauthn-rs): enrolment and assertion ceremonies.
//!
//! The desktop app is its own relying party: there is no web server, so the origin is a fixed
//! local name, `https://callwarden.local` with RP id `callwarden.local`. Authenticators scope
//! credentials to the RP id, so a passkey made for Callwarden is useless to a phishing site, and
//! an assertion made for another origin is refused here.

use serde::{Deserialize, Serialize};
use webauthn_rs::prelude::{
    CreationChallengeResponse, Passkey, PasskeyAuthentication, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential, RequestChallengeResponse, Url, Uuid,
    Webauthn, WebauthnBuilder,
};

use crate::PasskeyError;

/// The relying party id: the name credentials are scoped to.
pub const RP_ID: &str = "callwarden.local";
/// The origin the client side puts into the client data.
pub const RP_ORIGIN: &str = "https://callwarden.local";

/// The user the passkeys belong to: a stable random id plus the name shown by authenticators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserHandle {
    /// Random, stable per vault (never the user's e-mail or number).
    pub id: Uuid,
    /// The account name shown on the authenticator ("alice@example.com").
    pub name: String,
}

/// An enrolment in progress. Consumed by [`RelyingParty::finish_enrolment`].
pub struct Enrolment(PasskeyRegistration);

/// An assertion (unlock or step-up) in progress. Consumed by [`RelyingParty::finish_assertion`],
/// so one challenge can be answered once.
pub struct Assertion(PasskeyAuthentication);

/// A verified assertion: which passkey answered and what the authenticator reported.
#[derive(Clone, Debug, PartialEq)]
pub struct Verified {
    /// The credential, updated with the new counter and backup flags.
    pub passkey: Passkey,
    /// The authenticator verified the user (always true: the RP requires it).
    pub user_verified: bool,
    /// The signature counter in this assertion.
    pub counter: u32,
    /// The credential may be synced.
    pub backup_eligible: bool,
    /// The credential is backed up now.
    pub backup_state: bool,
}

/// The relying party: checks origin, challenge, user verification, signature and counter.
pub struct RelyingParty {
    webauthn: Webauthn,
}

impl Default for RelyingParty {
    fn default() -> Self {
        Self::new()
    }
}

impl RelyingParty {
    /// The Callwarden relying party for [`RP_ID`] / [`RP_ORIGIN`].
    pub fn new() -> Self {
        let origin = Url::parse(RP_ORIGIN).expect("RP_ORIGIN is a valid URL");
        let webauthn = WebauthnBuilder::new(RP_ID, &origin)
            .and_then(|b| b.rp_name("Callwarden").build())
            .expect("RP_ID is a registrable suffix of RP_ORIGIN");
        Self { webauthn }
    }

    /// The origin clients must use.
    pub fn origin() -> Url {
        Url::parse(RP_ORIGIN).expect("RP_ORIGIN is a valid URL")
    }

    /// Starts enrolling a passkey for `user`; `existing` are excluded (no double enrolment).
    pub fn start_enrolment(
        &self,
        user: &UserHandle,
        existing: &[Passkey],
    ) -> Result<(CreationChallengeResponse, Enrolment), PasskeyError> {
        let exclude = existing.iter().map(|p| p.cred_id().clone()).collect::<Vec<_>>();
        let exclude = (!exclude.is_empty()).then_some(exclude);
        let (challenge, state) =
            self.webauthn.start_passkey_registration(user.id, &user.name, &user.name, exclude)?;
        Ok((challenge, Enrolment(state)))
    }

    /// Verifies the authenticator's answer to an enrolment (user verification is required).
    pub fn finish_enrolment(
        &self,
        enrolment: Enrolment,
        response: &RegisterPublicKeyCredential,
    ) -> Result<Passkey, PasskeyError> {
        Ok(self.webauthn.finish_passkey_registration(response, &enrolment.0)?)
    }

    /// Starts an assertion that any of `passkeys` may answer.
    pub fn start_assertion(
        &self,
        passkeys: &[Passkey],
    ) -> Result<(RequestChallengeResponse, Assertion), PasskeyError> {
        let (challenge, state) = self.webauthn.start_passkey_authentication(passkeys)?;
        Ok((challenge, Assertion(state)))
    }

    /// Verifies an assertion against its challenge. A counter that did not increase fails with
    /// [`PasskeyError::CounterRegression`].
    pub fn finish_assertion(
        &self,
        assertion: Assertion,
        response: &PublicKeyCredential,
        passkeys: &[Passkey],
    ) -> Result<Verified, PasskeyError> {
        let result = self.webauthn.finish_passkey_authentication(response, &assertion.0)?;
        let mut passkey = passkeys
            .iter()
            .find(|p| p.cred_id() == result.cred_id())
            .cloned()
            .ok_or(PasskeyError::UnknownCredential)?;
        passkey.update_credential(&result);
        Ok(Verified {
            passkey,
            user_verified: result.user_verified(),
            counter: result.counter(),
            backup_eligible: result.backup_eligible(),
            backup_state: result.backup_state(),
        })
    }
}

/// The backup flags recorded at enrolment, read from the credential record.
pub(crate) fn backup_flags(passkey: &Passkey) -> (bool, bool) {
    let json = serde_json::to_value(passkey).unwrap_or_default();
    let flag = |name: &str| json["cred"][name].as_bool().unwrap_or(false);
    (flag("backup_eligible"), flag("backup_state"))
}

/// A credential id as lowercase hex, the form the store keeps.
pub(crate) fn credential_id_text(raw: &[u8]) -> String {
    raw.iter().map(|b| format!("{b:02x}")).collect()
}
