//! How the webview draws: on the CPU, without GPU compositing.
//!
//! Callwarden's window is a small, mostly static form; it gains nothing from WebKitGTK's GPU
//! paths, and they are the largest part of its memory. Measured on the reference machine
//! (`scripts/measure-app.sh`, whole app PSS after start-up): 288 MB with WebKitGTK 2.50's defaults,
//! 219 MB with the three switches below. They also avoid the blank or flickering windows some GPU
//! drivers give WebKitGTK, a common support call for Tauri apps on Linux.
//!
//! WebKitGTK reads these only from the environment, and its web and network processes inherit
//! the shell's environment, so they are set before anything else starts. A value already in the
//! environment wins, so an administrator can turn GPU rendering back on.

/// The WebKitGTK switches and the values Callwarden runs with.
const SWITCHES: [(&str, &str); 3] = [
    // Paint pages into one CPU surface instead of GPU-composited layers.
    ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
    // Hand frames to the shell through shared memory, not DMA-BUF (no GBM device needed).
    ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
    // Let Skia rasterise on the CPU instead of through a GL context.
    ("WEBKIT_SKIA_ENABLE_CPU_RENDERING", "1"),
];

/// Sets the rendering switches that are not set yet.
///
/// Must run first in `main`, while the process has one thread: changing the environment is only
/// sound while no other thread can read it.
#[cfg(target_os = "linux")]
pub fn use_cpu_rendering() {
    for (name, value) in SWITCHES {
        if std::env::var_os(name).is_none() {
            // SAFETY: called as the first statement of `main`, before the tracing subscriber,
            // Tauri, GTK or the engine exist, so no other thread runs and none reads the
            // environment concurrently.
            #[allow(unsafe_code)]
            unsafe {
                std::env::set_var(name, value);
            }
        }
    }
}

/// Other platforms' webviews have no such switches.
#[cfg(not(target_os = "linux"))]
pub fn use_cpu_rendering() {}
