//! webauthn-authenticator-rs's software token as an [`crate::Authenticator`], persisted to a
//! file. Compiled only with the `test-authenticator` feature: test builds, never a release.

use std::fs;
use std::path::{Path, PathBuf};

use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_authenticator_rs::softtoken::SoftToken;
use webauthn_rs::prelude::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse,
};

use crate::{PasskeyError, RelyingParty, VaultError};

/// webauthn-authenticator-rs's software token, persisted to a file after every ceremony
/// (its signature counter lives there). It claims user verification, like a key with a PIN.
pub struct SoftAuthenticator {
    token: SoftToken,
    path: Option<PathBuf>,
}

impl SoftAuthenticator {
    /// A token that lives only in memory.
    pub fn in_memory() -> Result<Self, VaultError> {
        let (token, _ca) = SoftToken::new(true).map_err(client_error)?;
        Ok(Self { token, path: None })
    }

    /// Loads the token at `path`, or creates and saves a new one.
    pub fn open_or_create(path: &Path) -> Result<Self, VaultError> {
        let token = match fs::read(path) {
            Ok(bytes) => SoftToken::from_cbor(&bytes).map_err(client_error)?,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                SoftToken::new(true).map_err(client_error)?.0
            }
            Err(err) => return Err(err.into()),
        };
        let soft = Self { token, path: Some(path.to_owned()) };
        soft.save()?;
        Ok(soft)
    }

    /// A copy of the token's whole state (keys and counter), as a cloned key would have.
    pub fn snapshot(&self) -> Result<Vec<u8>, VaultError> {
        self.token.to_cbor().map_err(client_error)
    }

    /// Rolls the token back to a snapshot (simulates a cloned authenticator).
    pub fn restore(&mut self, snapshot: &[u8]) -> Result<(), VaultError> {
        self.token = SoftToken::from_cbor(snapshot).map_err(client_error)?;
        Ok(())
    }

    /// Answers an enrolment challenge at the Callwarden origin.
    pub fn register(
        &mut self,
        challenge: CreationChallengeResponse,
    ) -> Result<RegisterPublicKeyCredential, PasskeyError> {
        let response = self
            .token
            .do_registration(RelyingParty::origin(), challenge)
            .map_err(|e| PasskeyError::Authenticator(format!("{e:?}")))?;
        self.save().map_err(|e| PasskeyError::Authenticator(e.to_string()))?;
        Ok(response)
    }

    /// Answers an assertion challenge at the Callwarden origin.
    pub fn authenticate(
        &mut self,
        challenge: RequestChallengeResponse,
    ) -> Result<PublicKeyCredential, PasskeyError> {
        self.authenticate_at(RelyingParty::origin(), challenge)
    }

    /// Answers an assertion as a client at `origin` would, without the client's own origin
    /// check: what a hostile client relaying a ceremony would send.
    pub fn authenticate_at(
        &mut self,
        origin: url::Url,
        challenge: RequestChallengeResponse,
    ) -> Result<PublicKeyCredential, PasskeyError> {
        use webauthn_authenticator_rs::AuthenticatorBackend;
        let response = AuthenticatorBackend::perform_auth(
            &mut self.token,
            origin,
            challenge.public_key,
            60_000,
        )
        .map_err(|e| PasskeyError::Authenticator(format!("{e:?}")))?;
        self.save().map_err(|e| PasskeyError::Authenticator(e.to_string()))?;
        Ok(response)
    }

    fn save(&self) -> Result<(), VaultError> {
        let Some(path) = &self.path else { return Ok(()) };
        let tmp = path.with_extension("tmp");
        fs::write(&tmp, self.snapshot()?)?;
        fs::rename(&tmp, path)?;
        Ok(())
    }
}

fn client_error(err: webauthn_authenticator_rs::error::WebauthnCError) -> VaultError {
    VaultError::Passkey(PasskeyError::Authenticator(format!("{err:?}")))
}
