//! A private X display (Xvfb) for the webview, on a display number Xvfb picks itself.

use std::process::Command;
use std::time::Duration;

use crate::error::PeerError;
use crate::process::PeerProcess;

const PEER: &str = "Xvfb";
const READY_TIMEOUT: Duration = Duration::from_secs(15);

/// A running Xvfb; stopped by PID on drop.
#[derive(Debug)]
pub struct Display {
    process: PeerProcess,
    name: String,
}

impl Display {
    /// Starts Xvfb with a 1280x800 screen. `-displayfd 1` makes it choose a free display number
    /// and print it on stdout (our log), so parallel tests never fight over `:99`.
    pub fn start(dir: &std::path::Path) -> Result<Self, PeerError> {
        let mut cmd = Command::new("Xvfb");
        cmd.args(["-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"]);
        let mut process = PeerProcess::spawn(PEER, &cmd, &dir.join("xvfb.log"))?;
        let number = process.wait_for("the display number", READY_TIMEOUT, |p| {
            p.log().lines().find_map(|line| line.trim().parse::<u32>().ok())
        })?;
        Ok(Self { process, name: format!(":{number}") })
    }

    /// The `DISPLAY` value, e.g. `:3`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Xvfb's process, for its log.
    pub fn process(&self) -> &PeerProcess {
        &self.process
    }
}
