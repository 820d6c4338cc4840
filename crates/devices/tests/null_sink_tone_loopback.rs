//! The real device path: a private PulseAudio with a null sink, reached by cpal through
//! ALSA's pulse plugin. A 1 kHz tone written to the playback ring comes back through the
//! sink's monitor source and is recognised (Goertzel); a missing device falls back to the
//! default with an event; a server that dies mid-call raises an event.
//!
//! cpal reads `PULSE_SERVER` from the environment at open time and the workspace forbids
//! `unsafe` (so no `set_var`): each test re-runs itself as a child process with the private
//! server in its environment. The parent owns the PulseAudio process and stops it by PID.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use devices::{AudioIo, DeviceChoice, DeviceEvent, DeviceName};

const CHILD_ENV: &str = "DEVICES_TEST_CHILD";

struct PrivatePulse {
    child: Child,
    dir: PathBuf,
    server: String,
}

impl PrivatePulse {
    fn start(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("cw-devices-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("runtime")).expect("temp dir");
        let socket = dir.join("native");
        let child = Command::new("pulseaudio")
            .args([
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--system=false",
                "-n",
                "--use-pid-file=no",
                "--log-target=stderr",
            ])
            .arg(format!(
                "--load=module-native-protocol-unix auth-anonymous=1 socket={}",
                socket.display()
            ))
            .arg("--load=module-null-sink sink_name=cwnull rate=48000 channels=2")
            .arg("--disable-shm=yes")
            .env("PULSE_RUNTIME_PATH", dir.join("runtime"))
            .env("PULSE_STATE_PATH", dir.join("state"))
            .env("XDG_RUNTIME_DIR", dir.join("runtime"))
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .env("HOME", &dir)
            // Off the session bus: a user daemon claims org.pulseaudio.Server there, and the
            // parallel tests' daemons (or the user's own) would refuse each other's start.
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("PULSE_SERVER")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("pulseaudio runs (package pulseaudio)");
        let server = format!("unix:{}", socket.display());
        let pulse = Self { child, dir, server };
        pulse.wait_ready();
        pulse.pactl(&["set-default-sink", "cwnull"]);
        pulse.pactl(&["set-default-source", "cwnull.monitor"]);
        pulse
    }

    fn pactl(&self, args: &[&str]) -> bool {
        Command::new("pactl")
            .args(args)
            .env("PULSE_SERVER", &self.server)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !self.pactl(&["info"]) {
            assert!(Instant::now() < deadline, "private pulseaudio did not come up");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Runs test `name` of this binary as a child with the server in its environment.
    fn run_child(&self, name: &str) {
        let exe = std::env::current_exe().expect("test binary path");
        let status = Command::new(exe)
            .args(["--exact", name, "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, "1")
            .env("PULSE_SERVER", &self.server)
            .env("PULSE_PID", self.child.id().to_string())
            .status()
            .expect("child test runs");
        assert!(status.success(), "child test {name} failed");
    }
}

impl Drop for PrivatePulse {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn in_child() -> bool {
    std::env::var_os(CHILD_ENV).is_some()
}

fn goertzel_ratio(frame: &[i16], freq: f64) -> f64 {
    let n = frame.len() as f64;
    let coeff = 2.0 * (2.0 * std::f64::consts::PI * freq / 48_000.0).cos();
    let (mut s1, mut s2) = (0.0f64, 0.0f64);
    for &x in frame {
        let s = f64::from(x) + coeff * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    let amplitude = 2.0 * (s1 * s1 + s2 * s2 - coeff * s1 * s2).max(0.0).sqrt() / n;
    let rms = (frame.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>() / n).sqrt();
    if rms < 100.0 { 0.0 } else { amplitude / std::f64::consts::SQRT_2 / rms }
}

/// Plays a tone and waits (with a deadline) until 25 captured 20 ms frames carry it.
fn tone_comes_back(io: &mut AudioIo) -> (usize, f32) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let (mut sent, mut heard, mut peak_level) = (0usize, 0usize, 0.0f32);
    let mut frame = vec![0i16; 960];
    while heard < 25 {
        assert!(Instant::now() < deadline, "tone not recognised in time (heard {heard} frames)");
        while io.playback_queued() < 4800 {
            let tone: Vec<i16> = (sent..sent + 960)
                .map(|i| {
                    (12000.0 * (2.0 * std::f64::consts::PI * 1000.0 * i as f64 / 48_000.0).sin())
                        as i16
                })
                .collect();
            sent += io.write_playback(&tone);
        }
        while io.capture_available() >= 960 {
            io.read_capture(&mut frame);
            heard += usize::from(goertzel_ratio(&frame, 1000.0) > 0.8);
        }
        peak_level = peak_level.max(io.input_level());
        std::thread::sleep(Duration::from_millis(5));
    }
    (heard, peak_level)
}

#[test]
fn tone_played_is_captured_back() {
    if !in_child() {
        PrivatePulse::start("tone").run_child("tone_played_is_captured_back");
        return;
    }
    let mut io =
        AudioIo::open(DeviceChoice::Default, DeviceChoice::Default).expect("default devices open");
    let (heard, level) = tone_comes_back(&mut io);
    println!("heard the 1 kHz tone in {heard} captured frames, input level peak {level:.2}");
    assert!(level > 0.1, "meter shows the captured tone: {level}");
}

#[test]
fn missing_device_falls_back_to_default_with_an_event() {
    if !in_child() {
        PrivatePulse::start("fallback")
            .run_child("missing_device_falls_back_to_default_with_an_event");
        return;
    }
    let gone = DeviceChoice::Named(DeviceName("headset that was unplugged".into()));
    let mut io = AudioIo::open(gone.clone(), gone).expect("falls back to defaults");
    let events: Vec<DeviceEvent> = std::iter::from_fn(|| io.poll_event()).collect();
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(events.iter().all(|e| matches!(e, DeviceEvent::FellBackToDefault { .. })));
    tone_comes_back(&mut io);
}

#[test]
fn server_dying_mid_call_raises_an_event() {
    if !in_child() {
        PrivatePulse::start("unplug").run_child("server_dying_mid_call_raises_an_event");
        return;
    }
    let mut io =
        AudioIo::open(DeviceChoice::Default, DeviceChoice::Default).expect("default devices open");
    tone_comes_back(&mut io);
    // Pull the plug: stop the private server this test's parent started (by its PID).
    let pid = std::env::var("PULSE_PID").expect("parent passes the PID");
    let killed = Command::new("kill").args(["-9", &pid]).status().expect("kill runs");
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        assert!(Instant::now() < deadline, "no device event after the server died");
        io.check_devices();
        if let Some(e) = io.poll_event() {
            println!("event after unplug: {e:?}");
            assert!(matches!(e, DeviceEvent::Lost { .. } | DeviceEvent::FellBackToDefault { .. }));
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
