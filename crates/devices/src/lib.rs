//! Audio device IO through cpal: list and choose devices, run capture and playback streams
//! that exchange 48 kHz mono `i16` audio with the media pipeline through lock-free SPSC
//! rings (`ringbuf`), measure the input level for a meter, and survive hot-unplug by
//! falling back to the default device.
//!
//! Threading: cpal calls the data callbacks on its own real-time threads; they only touch
//! the ring buffers and atomics, never lock or allocate. [`AudioIo`] itself stays on the
//! engine's audio thread.

#![forbid(unsafe_code)]

mod io;
mod list;
mod stream;

pub use io::{AudioIo, DeviceEvent};
pub use list::{DeviceChoice, DeviceInfo, DeviceName, Direction, list_devices};

/// Sample rate exchanged with the media pipeline.
pub const RATE: u32 = 48_000;

/// Why a device could not be listed or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DeviceError {
    /// The audio host could not list devices.
    #[error("audio devices cannot be listed: {0}")]
    Enumerate(String),
    /// No device exists for the direction (not even a default one).
    #[error("no {0:?} device available")]
    NoDevice(Direction),
    /// The device has no 48 kHz configuration in a sample format we handle.
    #[error("device does not support 48 kHz i16/f32")]
    UnsupportedConfig,
    /// cpal could not build or start the stream.
    #[error("audio stream failed: {0}")]
    Stream(String),
}
