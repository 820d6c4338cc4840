//! The desktop app in a real webview, driven through WebDriver (issue 6's end-to-end tests).
//!
//! [`DesktopApp::launch`] starts a private Xvfb display and `tauri-driver` on free loopback
//! ports; tauri-driver starts Debian's `WebKitWebDriver`, which starts the app, and the test
//! talks W3C WebDriver to it through fantoccini. The app binary must be built with its `e2e`
//! feature (the software passkey, test builds only): `scripts/test.d/e2e.sh` builds it and runs
//! these tests, and [`app_binary`] finds it beside the test binary.
//!
//! [`DesktopApp::check`] saves a screenshot of the current screen and runs axe-core inside the
//! webview, so every state a test reaches is both seen and checked for accessibility.

mod axe;
mod display;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use tempfile::TempDir;

pub use axe::Violation;
pub use display::Display;

use crate::error::PeerError;
use crate::net::{free_tcp_port, loopback, tcp_accepting};
use crate::process::PeerProcess;
use crate::workdir::workdir;

/// How long one UI step may take on a loaded 2-core machine (the first screen includes the
/// webview's start).
pub const UI_STEP: Duration = Duration::from_secs(20);

/// The app binary built beside this test (`target/<profile>/callwarden-app`).
pub fn app_binary() -> Result<PathBuf, PeerError> {
    let exe = std::env::current_exe().map_err(PeerError::io("callwarden-app"))?;
    // target/<profile>/deps/<test binary> -> target/<profile>/callwarden-app
    let binary = exe
        .parent()
        .and_then(Path::parent)
        .map(|profile| profile.join("callwarden-app"))
        .filter(|path| path.is_file())
        .ok_or_else(|| PeerError::Unsupported {
            peer: "callwarden-app",
            what: "no app binary beside the tests: build it with \
                   `cargo build -p callwarden-app --features e2e` (scripts/test.d/e2e.sh does)"
                .into(),
        })?;
    Ok(binary)
}

/// The running app under WebDriver. Dropping it stops the driver (and with it the app) and Xvfb.
pub struct DesktopApp {
    client: Client,
    axe: String,
    shots: PathBuf,
    // Stopped in this order on drop: the driver (and the app), then the display, then the files.
    driver: PeerProcess,
    display: Display,
    dir: TempDir,
}

impl DesktopApp {
    /// Starts the app with `env` added to a fresh HOME (first-run state) on a private display.
    /// Screenshots go to `shots`.
    pub async fn launch(
        binary: &Path,
        env: &[(&str, OsString)],
        shots: &Path,
    ) -> Result<Self, PeerError> {
        let dir = workdir("desktop-app-")?;
        let display = Display::start(dir.path())?;
        let (port, native) = (free_tcp_port()?, free_tcp_port()?);
        let mut cmd = Command::new("tauri-driver");
        cmd.args(["--port", &port.to_string(), "--native-port", &native.to_string()]);
        isolate_env(&mut cmd, dir.path(), display.name());
        cmd.envs(env.iter().map(|(k, v)| (k, v)));
        let mut driver = PeerProcess::spawn("tauri-driver", &cmd, &dir.path().join("driver.log"))?;
        // tauri-driver listens at once but proxies to WebKitWebDriver, which it starts itself:
        // a session request before both listen fails.
        driver.wait_for("tauri-driver and WebKitWebDriver listening", UI_STEP, |_| {
            (tcp_accepting(loopback(port)) && tcp_accepting(loopback(native))).then_some(())
        })?;
        let client = connect(port, binary).await?;
        std::fs::create_dir_all(shots).map_err(PeerError::file(shots))?;
        let axe = axe::source()?;
        Ok(Self { client, axe, shots: shots.to_path_buf(), driver, display, dir })
    }

    /// The first element matching `locator` (CSS, or XPath when it starts with `/`), waiting
    /// up to [`UI_STEP`] for it to appear.
    pub async fn find(&self, locator: &str) -> Result<Element, PeerError> {
        self.client
            .wait()
            .at_most(UI_STEP)
            .for_element(locate(locator))
            .await
            .map_err(|e| self.failed(&format!("find {locator}"), e))
    }

    /// Clicks the first element matching `locator` once it appears.
    pub async fn click(&self, locator: &str) -> Result<(), PeerError> {
        let element = self.find(locator).await?;
        element.click().await.map_err(|e| self.failed(&format!("click {locator}"), e))
    }

    /// Clicks the button whose text contains `words`.
    pub async fn click_button(&self, words: &str) -> Result<(), PeerError> {
        self.click(&button(words)).await
    }

    /// Types `text` into the element matching `locator`.
    pub async fn type_into(&self, locator: &str, text: &str) -> Result<(), PeerError> {
        let element = self.find(locator).await?;
        element.send_keys(text).await.map_err(|e| self.failed(&format!("type into {locator}"), e))
    }

    /// The visible text of the element matching `locator`.
    pub async fn text(&self, locator: &str) -> Result<String, PeerError> {
        let element = self.find(locator).await?;
        element.text().await.map_err(|e| self.failed(&format!("read {locator}"), e))
    }

    /// Saves a screenshot as `<shots>/<name>.png` and runs axe-core on the page; returns every
    /// violation found (callers assert none is serious or critical).
    pub async fn check(&self, name: &str) -> Result<Vec<Violation>, PeerError> {
        // Two animation frames: the state just reached is painted before the picture is taken.
        let painted = "const done = arguments[arguments.length - 1];
            requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";
        self.client
            .execute_async(painted, Vec::new())
            .await
            .map_err(|e| self.failed("wait for a paint", e))?;
        let png = self.client.screenshot().await.map_err(|e| self.failed("screenshot", e))?;
        let path = self.shots.join(format!("{name}.png"));
        std::fs::write(&path, png).map_err(PeerError::file(&path))?;
        let answer = self
            .client
            .execute_async(&axe::script(&self.axe), Vec::new())
            .await
            .map_err(|e| self.failed("axe", e))?;
        axe::violations(&answer)
    }

    /// Ends the WebDriver session (the app exits with it).
    pub async fn close(self) -> Result<(), PeerError> {
        let Self { client, .. } = self;
        client.close().await.map_err(|e| PeerError::WebDriver {
            what: "close the session".into(),
            reason: e.to_string(),
        })
    }

    /// The driver's log (WebKitWebDriver and the app print there), for failure messages.
    pub fn log_tail(&self) -> String {
        format!(
            "--- tauri-driver and app ---\n{}\n--- Xvfb ---\n{}",
            self.driver.log_tail(),
            self.display.process().log_tail()
        )
    }

    /// The app's private home directory (its config and data live below it).
    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    fn failed(&self, what: &str, error: impl std::fmt::Display) -> PeerError {
        PeerError::WebDriver { what: what.into(), reason: format!("{error}\n{}", self.log_tail()) }
    }
}

/// A fresh HOME and XDG directories (first-run state, no other instance to hand over to), the
/// private display, and no accessibility bus (none runs under Xvfb).
fn isolate_env(cmd: &mut Command, dir: &Path, display: &str) {
    let home = dir.join("home");
    for sub in [".config", ".local/share", ".cache"] {
        let _ = std::fs::create_dir_all(home.join(sub));
    }
    cmd.env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("DISPLAY", display)
        .env("NO_AT_BRIDGE", "1")
        .env_remove("WAYLAND_DISPLAY");
}

async fn connect(port: u16, binary: &Path) -> Result<Client, PeerError> {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), "wry".into());
    capabilities.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": binary.display().to_string() }),
    );
    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .map_err(|e| PeerError::WebDriver { what: "start a session".into(), reason: e.to_string() })
}

fn locate(locator: &str) -> Locator<'_> {
    if locator.starts_with('/') { Locator::XPath(locator) } else { Locator::Css(locator) }
}

/// An XPath for the button whose normalised text contains `words`.
pub fn button(words: &str) -> String {
    format!("//button[contains(normalize-space(.), {})]", xpath_literal(words))
}

/// `words` as an XPath string literal (XPath 1 has no escapes: quote with the other quote).
pub fn xpath_literal(words: &str) -> String {
    if words.contains('"') { format!("'{words}'") } else { format!("\"{words}\"") }
}
