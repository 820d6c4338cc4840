//! The IO layer of Callwarden: sockets, timers, DNS, fetches, audio devices and the keyring.
//!
//! The engine drives the sans-IO cores (`sip`, `media`, `trust`) and the vault, and exposes one
//! surface to the desktop shell: [`Phone`] takes commands, and [`PhoneEvents`] says what happened.
//! Everything the UI sees crosses [`api`]: its types are exported to TypeScript.
//!
//! A phone started with [`Storage`] keeps an encrypted vault behind a passkey lock: the call
//! log, the block list and the report outbox. While locked, calls are still screened (against
//! the block list and history too), ring and are logged; the log, reports, blocking, search and
//! settings wait for the unlock.
#![forbid(unsafe_code)]

pub mod api;
mod api_vault;
pub mod audio;
mod audio_check;
mod audio_io;
mod call_log;
mod call_media;
mod calls;
mod commands;
pub mod config;
mod driver;
pub mod flows;
mod lock;
mod logged_calls;
mod media_runtime;
mod phone;
mod phone_vault;
pub mod resolve;
mod screening;
mod screening_lists;
mod search;
mod session;
mod settings_view;
mod start;
mod storage;
pub mod training;
pub mod transport;
mod trust_view;
mod ua_events;
mod vault_commands;
mod vault_link;

pub use api::{ApiError, ErrorCode, PhoneEvent};
pub use audio::{AudioSetup, AudioSink, AudioSource};
pub use config::{Account, ConfigError, SrtpKeying, SrtpPolicy};
pub use driver::DriverStats;
pub use phone::{Phone, PhoneEvents};
pub use start::StartError;
pub use storage::Storage;
pub use vault::{KeyPrompt, KeyringEntry, NoPrompt, Pin};
