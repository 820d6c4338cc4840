//! `tel:` and `sip:` links: they open the dialler prefilled and never dial by themselves.
//!
//! A link can arrive before the UI listens (the app was launched by the link), so it waits in the
//! [`LinkInbox`] until the UI calls `ui_ready`.

use std::sync::Mutex;

use tauri::{AppHandle, Emitter, Manager};

/// The event that carries a dial target for the dialler to show (never to dial).
pub const DIAL_PREFILL: &str = "dial-prefill";

/// A link that arrived before the UI was ready.
#[derive(Default)]
pub struct LinkInbox(Mutex<InboxState>);

#[derive(Default)]
struct InboxState {
    ui_ready: bool,
    pending: Option<String>,
}

/// Opens the first `tel:`/`sip:` link among a process's arguments.
pub fn open_args(app: &AppHandle, args: &[String]) {
    open_urls(app, args.iter().skip(1).map(String::as_str));
}

/// Opens the first `tel:`/`sip:` link among `urls`.
pub fn open_urls<'a>(app: &AppHandle, urls: impl IntoIterator<Item = &'a str>) {
    let Some(target) = urls.into_iter().find_map(dial_target) else { return };
    let inbox = app.state::<LinkInbox>();
    let mut state = inbox.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if state.ui_ready {
        emit(app, &target);
    } else {
        state.pending = Some(target);
    }
}

/// The UI listens now: delivers a link that was waiting.
pub fn ui_ready(app: &AppHandle) {
    let inbox = app.state::<LinkInbox>();
    let mut state = inbox.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    state.ui_ready = true;
    if let Some(target) = state.pending.take() {
        emit(app, &target);
    }
}

fn emit(app: &AppHandle, target: &str) {
    if let Err(error) = app.emit(DIAL_PREFILL, target) {
        tracing::warn!(%error, "a dial link could not reach the UI");
    }
}

/// What to put in the dialler for a link: the number of a `tel:` URI (visual separators and
/// parameters dropped, RFC 3966), or a `sip:`/`sips:` URI without its parameters and headers.
/// `None` for anything else.
pub fn dial_target(link: &str) -> Option<String> {
    let link = link.trim();
    let (scheme, rest) = link.split_once(':')?;
    let target = match scheme.to_ascii_lowercase().as_str() {
        "tel" => tel_number(rest)?,
        "sip" | "sips" => sip_address(scheme, rest)?,
        _ => return None,
    };
    Some(target)
}

fn tel_number(rest: &str) -> Option<String> {
    let number = rest.split(';').next().unwrap_or_default();
    let digits: String =
        number.chars().filter(|c| !matches!(c, '-' | '.' | '(' | ')' | ' ')).collect();
    let valid = !digits.is_empty()
        && digits.len() <= 32
        && digits
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || matches!(c, '*' | '#') || (i == 0 && c == '+'));
    valid.then_some(digits)
}

fn sip_address(scheme: &str, rest: &str) -> Option<String> {
    let address = rest.split(['?', ';']).next().unwrap_or_default();
    let plausible = !address.is_empty()
        && address.len() <= 256
        && address.chars().all(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | '"'));
    plausible.then(|| format!("{}:{address}", scheme.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::dial_target;

    #[test]
    fn tel_links_keep_only_the_number() {
        assert_eq!(dial_target("tel:+1-201-555-0123").as_deref(), Some("+12015550123"));
        assert_eq!(dial_target("TEL:(030) 1234.567").as_deref(), Some("0301234567"));
        assert_eq!(dial_target("tel:7042;phone-context=example.com").as_deref(), Some("7042"));
    }

    #[test]
    fn sip_links_drop_parameters_and_headers() {
        assert_eq!(
            dial_target("sip:helpdesk@example.com;transport=tls?subject=hi").as_deref(),
            Some("sip:helpdesk@example.com")
        );
        assert_eq!(dial_target("SIPS:1001@127.0.0.1").as_deref(), Some("sips:1001@127.0.0.1"));
    }

    #[test]
    fn other_links_and_garbage_are_refused() {
        for link in [
            "https://example.com",
            "tel:",
            "tel:+1+2",
            "tel:12a4",
            "sip:",
            "sip:<x>",
            "",
            "mailto:a@b",
        ] {
            assert_eq!(dial_target(link), None, "{link}");
        }
    }
}
