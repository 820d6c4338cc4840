//! The tray icon: the registration status at a glance, and a menu to show the window or quit.

use engine::api::RegistrationState;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};

const TRAY_ID: &str = "main";

/// Builds the tray icon, showing "starting" until the first registration event.
pub fn build(app: &AppHandle) -> tauri::Result<()> {
    let show = MenuItem::with_id(app, "show", "Show Callwarden", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&show, &quit])?;
    let mut tray = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Callwarden · starting")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "show" => crate::show_main_window(app),
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    Ok(())
}

/// Shows the registration state in the tray's tooltip and title.
pub fn show_registration(app: &AppHandle, state: &RegistrationState) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else { return };
    let words = format!("Callwarden · {}", registration_words(state));
    if let Err(error) = tray.set_tooltip(Some(&words)) {
        tracing::warn!(%error, "the tray status could not be updated");
    }
    // Also shown beside the icon where the desktop supports a title (appindicator).
    let _ = tray.set_title(Some(registration_words(state)));
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.set_title(&words);
    }
}

/// The registration state in plain words.
fn registration_words(state: &RegistrationState) -> &'static str {
    match state {
        RegistrationState::Unregistered => "not connected",
        RegistrationState::Registering => "connecting",
        RegistrationState::Registered { .. } => "ready for calls",
        RegistrationState::Failed { .. } => "cannot connect",
    }
}
