//! A private PulseAudio server with a null sink, for audio that must really play (CPU
//! measurements, cpal device tests) without touching anyone else's sound server.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use tempfile::TempDir;

use crate::command::run;
use crate::error::PeerError;
use crate::process::PeerProcess;
use crate::workdir::{create_dir, workdir, write_file};

const PEER: &str = "pulseaudio";
const READY_TIMEOUT: Duration = Duration::from_secs(15);

/// The null sink every instance has; its monitor is the default source.
pub const NULL_SINK: &str = "nullsink";

/// A running private PulseAudio; stopped by PID on drop.
#[derive(Debug)]
pub struct PulseAudio {
    process: PeerProcess,
    socket: PathBuf,
    // Last: removed only after the process stopped.
    dir: TempDir,
}

impl PulseAudio {
    /// Starts a server listening only on a unix socket in its own temp dir, with a null sink as
    /// default sink and its monitor as default source.
    pub fn start() -> Result<Self, PeerError> {
        let dir = workdir("pulse-")?;
        let runtime = dir.path().join("runtime");
        create_dir(&runtime)?;
        let socket = dir.path().join("native");
        let script = dir.path().join("default.pa");
        write_file(
            &script,
            &format!(
                "load-module module-native-protocol-unix auth-anonymous=1 socket={}\n\
                 load-module module-null-sink sink_name={NULL_SINK}\n\
                 set-default-sink {NULL_SINK}\nset-default-source {NULL_SINK}.monitor\n",
                socket.display()
            ),
        )?;
        let mut cmd = Command::new("pulseaudio");
        // -n: no default script; no daemon, no idle exit, no pid file, no shared memory.
        cmd.args(["-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no"])
            .args(["--system=false", "--disable-shm=yes", "--log-target=stderr", "-F"])
            .arg(&script);
        isolate_env(&mut cmd, dir.path(), &runtime);
        let log = dir.path().join("pulseaudio.log");
        let mut process = PeerProcess::spawn(PEER, &cmd, &log)?;
        let server = format!("unix:{}", socket.display());
        process.wait_for("pactl info answered", READY_TIMEOUT, |_| {
            pactl_at(&server, &["info"]).ok().map(drop)
        })?;
        Ok(Self { process, socket, dir })
    }

    /// The server address for `PULSE_SERVER` (e.g. for
    /// [`crate::baresip::AudioPlayer::Pulse`] or a cpal test's environment).
    pub fn server(&self) -> String {
        format!("unix:{}", self.socket.display())
    }

    /// Runs `pactl` against this server and returns what it printed.
    pub fn pactl(&self, args: &[&str]) -> Result<String, PeerError> {
        pactl_at(&self.server(), args)
    }

    /// The working directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Everything the server logged so far.
    pub fn log(&self) -> String {
        self.process.log()
    }
}

/// Keeps the server's state, config and runtime files inside `home`.
fn isolate_env(cmd: &mut Command, home: &Path, runtime: &Path) {
    cmd.env("HOME", home)
        .env("XDG_RUNTIME_DIR", runtime)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("PULSE_RUNTIME_PATH", runtime)
        .env("PULSE_STATE_PATH", home.join("state"))
        .env_remove("PULSE_SERVER")
        .env_remove("DBUS_SESSION_BUS_ADDRESS");
}

fn pactl_at(server: &str, args: &[&str]) -> Result<String, PeerError> {
    let out = run(Command::new("pactl").arg(format!("--server={server}")).args(args))?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
