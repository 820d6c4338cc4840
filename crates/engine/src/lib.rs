//! The IO layer of Callwarden: sockets, timers, DNS, fetches, audio devices and the keyring.
//!
//! The engine drives the sans-IO cores (`sip`, `media`, `trust`) and the vault, and exposes one
//! surface to the desktop shell: [`Phone`] takes commands, and [`PhoneEvents`] says what happened.
//! Everything the UI sees crosses [`api`]: its types are exported to TypeScript.
#![forbid(unsafe_code)]

pub mod api;
pub mod audio;
mod audio_io;
mod call_media;
mod calls;
mod commands;
pub mod config;
mod driver;
pub mod flows;
mod media_runtime;
mod phone;
pub mod resolve;
mod screening;
mod session;
mod start;
pub mod training;
pub mod transport;
mod trust_view;
mod ua_events;

pub use api::{ApiError, ErrorCode, PhoneEvent};
pub use audio::{AudioSetup, AudioSink, AudioSource};
pub use config::{Account, ConfigError, SrtpKeying, SrtpPolicy};
pub use driver::DriverStats;
pub use phone::{Phone, PhoneEvents};
pub use start::StartError;
