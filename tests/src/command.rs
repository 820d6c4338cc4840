//! Running short helper programs (openssl, sox, kamcmd, turnutils) to completion.

use std::process::{Command, Output, Stdio};

use crate::error::PeerError;
use crate::process::tail;

/// Runs `command` to completion with stdin closed; fails with its output tail unless it exits 0.
pub fn run(command: &mut Command) -> Result<Output, PeerError> {
    let program = command.get_program().to_string_lossy().into_owned();
    let output = command.stdin(Stdio::null()).output().map_err(|source| PeerError::Spawn {
        peer: "helper",
        program: program.clone(),
        source,
    })?;
    if output.status.success() {
        return Ok(output);
    }
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Err(PeerError::Command { program, status: output.status.to_string(), output: tail(&text, 20) })
}
