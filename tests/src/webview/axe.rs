//! Accessibility checks inside the webview with axe-core (the copy `npm ci` put in ui/).

use std::path::PathBuf;

use serde_json::Value;

use crate::error::PeerError;

/// One rule axe found broken on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The axe rule id, e.g. `color-contrast`.
    pub rule: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: String,
    /// How many elements break it.
    pub nodes: usize,
}

impl Violation {
    /// Serious and critical violations fail the end-to-end tests (issue 6).
    pub fn is_blocking(&self) -> bool {
        matches!(self.impact.as_str(), "serious" | "critical")
    }
}

/// axe-core's minified source, from the UI's node_modules.
pub fn source() -> Result<String, PeerError> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).map_err(PeerError::file(path))
}

/// The WebDriver script: axe's source travels inside the script itself, because the app's CSP
/// (rightly) forbids loading or evaluating anything else.
pub fn script(axe_source: &str) -> String {
    format!(
        "const done = arguments[arguments.length - 1];
         if (!window.axe) {{ {axe_source}\n }}
         window.axe.run(document, {{ resultTypes: ['violations'] }}).then(
           (r) => done(r.violations.map((v) => ({{ id: v.id, impact: v.impact, nodes: v.nodes.length }}))),
           (e) => done([{{ id: 'axe-error: ' + String(e), impact: 'critical', nodes: 0 }}]));"
    )
}

/// Reads the script's answer.
pub fn violations(answer: &Value) -> Result<Vec<Violation>, PeerError> {
    let list = answer.as_array().ok_or_else(|| bad_answer(answer))?;
    list.iter()
        .map(|v| {
            Some(Violation {
                rule: v.get("id")?.as_str()?.to_owned(),
                impact: v.get("impact").and_then(Value::as_str).unwrap_or("unknown").to_owned(),
                nodes: usize::try_from(v.get("nodes")?.as_u64()?).ok()?,
            })
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| bad_answer(answer))
}

fn bad_answer(answer: &Value) -> PeerError {
    PeerError::WebDriver { what: "axe".into(), reason: format!("unexpected answer {answer}") }
}
