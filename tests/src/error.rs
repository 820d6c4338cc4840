//! The one error type of the harness: each variant names what went wrong with which peer.

use std::path::PathBuf;
use std::time::Duration;

/// Why a peer could not be started, driven or checked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PeerError {
    /// A program could not be spawned (not installed, not executable).
    #[error("{peer}: cannot spawn {program}: {source}")]
    Spawn {
        /// Which peer.
        peer: &'static str,
        /// The program that failed to start.
        program: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// A helper command (openssl, sox, kamcmd, ...) exited unsuccessfully.
    #[error("{program} failed ({status}): {output}")]
    Command {
        /// The program that failed.
        program: String,
        /// Its exit status as text.
        status: String,
        /// The tail of what it printed.
        output: String,
    },
    /// A condition was not met before its deadline.
    #[error("{peer}: timed out after {waited:?} waiting for {what}\n--- log tail ---\n{log_tail}")]
    Timeout {
        /// Which peer.
        peer: &'static str,
        /// What was awaited.
        what: String,
        /// How long it waited.
        waited: Duration,
        /// The last lines of the peer's log.
        log_tail: String,
    },
    /// The peer process exited while it was expected to run.
    #[error("{peer}: exited early ({status})\n--- log tail ---\n{log_tail}")]
    Exited {
        /// Which peer.
        peer: &'static str,
        /// Its exit status as text.
        status: String,
        /// The last lines of the peer's log.
        log_tail: String,
    },
    /// The peer cannot do what the test asked for (e.g. baresip 1.0.0 over WebSocket).
    #[error("{peer}: not supported: {what}")]
    Unsupported {
        /// Which peer.
        peer: &'static str,
        /// What was asked for.
        what: String,
    },
    /// A port chosen for the peer was taken by someone else before the peer bound it.
    #[error("{peer}: a chosen port was taken before it could bind\n--- log tail ---\n{log_tail}")]
    PortTaken {
        /// Which peer.
        peer: &'static str,
        /// The last lines of the peer's log.
        log_tail: String,
    },
    /// The peer answered a control command with an error or an unparsable reply.
    #[error("{peer}: control command {command:?} failed: {reason}")]
    Control {
        /// Which peer.
        peer: &'static str,
        /// The command sent.
        command: String,
        /// What the peer answered, or why the reply was unusable.
        reason: String,
    },
    /// A file the harness reads or writes could not be used.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A recorded WAV file could not be decoded.
    #[error("{path}: not a readable WAV file: {reason}")]
    Wav {
        /// The file.
        path: PathBuf,
        /// The decoder's complaint.
        reason: String,
    },
    /// A WebDriver command to the app's webview failed.
    #[error("webdriver: {what}: {reason}")]
    WebDriver {
        /// What the test asked for.
        what: String,
        /// The driver's answer and the logs' tails.
        reason: String,
    },
    /// Socket or other IO failure while talking to a peer.
    #[error("{peer}: {source}")]
    Io {
        /// Which peer.
        peer: &'static str,
        /// The OS error.
        source: std::io::Error,
    },
}

impl PeerError {
    /// Wraps an IO error on `path`.
    pub(crate) fn file(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::File { path, source }
    }

    /// True when the peer failed because a port it was given got taken in the meantime (its
    /// log says "... in use"): starting again with new ports can succeed.
    pub fn is_port_clash(&self) -> bool {
        match self {
            Self::PortTaken { .. } => true,
            Self::Timeout { log_tail, .. } | Self::Exited { log_tail, .. } => {
                log_tail.contains("in use")
            }
            _ => false,
        }
    }

    /// Wraps an IO error while talking to `peer`.
    pub(crate) fn io(peer: &'static str) -> impl FnOnce(std::io::Error) -> Self {
        move |source| Self::Io { peer, source }
    }
}
