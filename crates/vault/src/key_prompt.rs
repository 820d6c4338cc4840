//! What a hardware security key needs from the person holding it: a PIN and a touch.
//!
//! The vault does no terminal or window IO itself. The app (a dialog) and the CLI (a terminal
//! prompt without echo, or an environment variable for scripts) implement [`KeyPrompt`].

use std::fmt;

use zeroize::Zeroizing;

/// A security key PIN: wiped from memory when dropped, never printed.
pub struct Pin(Zeroizing<String>);

impl Pin {
    /// Wraps a PIN the user typed.
    pub fn new(pin: String) -> Self {
        Self(Zeroizing::new(pin))
    }

    /// The PIN itself, for the CTAP2 client.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(<redacted>)")
    }
}

/// Asks the user for what a security key needs during a ceremony.
///
/// Called from the ceremony's own thread, so an implementation may block (a terminal read, a
/// dialog waiting for the user). The time spent in [`KeyPrompt::pin`] does not count against
/// the touch timeout.
pub trait KeyPrompt: Send + Sync {
    /// The key's PIN, or `None` to cancel the ceremony.
    fn pin(&self) -> Option<Pin>;

    /// The key waits for a touch (its light blinks). Called once per ceremony; must not block.
    fn touch(&self);
}

/// A prompt for keys that need neither: a PIN request cancels the ceremony.
///
/// Fits software tokens and keys with built-in user verification (fingerprint).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoPrompt;

impl KeyPrompt for NoPrompt {
    fn pin(&self) -> Option<Pin> {
        None
    }

    fn touch(&self) {}
}
