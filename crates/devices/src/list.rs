//! Device listing and choice.

use std::fmt;

use cpal::traits::{DeviceTrait, HostTrait};

use crate::DeviceError;

/// Capture or playback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Microphone side.
    Input,
    /// Speaker side.
    Output,
}

/// A device name as the host reports it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeviceName(pub String);

impl fmt::Display for DeviceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A listed device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    /// Its name (stable enough to store as the user's choice).
    pub name: DeviceName,
    /// True for the host's default device of this direction.
    pub is_default: bool,
}

/// Which device the user wants.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DeviceChoice {
    /// Follow the system default.
    #[default]
    Default,
    /// A specific device; if it is missing the default is used and an event says so.
    Named(DeviceName),
}

/// Lists the devices for `direction` on the default host.
pub fn list_devices(direction: Direction) -> Result<Vec<DeviceInfo>, DeviceError> {
    let host = cpal::default_host();
    let default = default_device(&host, direction).and_then(|d| d.name().ok());
    let devices = match direction {
        Direction::Input => host.input_devices().map(|d| d.collect::<Vec<_>>()),
        Direction::Output => host.output_devices().map(|d| d.collect::<Vec<_>>()),
    }
    .map_err(|e| DeviceError::Enumerate(e.to_string()))?;
    Ok(devices
        .into_iter()
        .filter_map(|d| d.name().ok())
        .map(|name| DeviceInfo {
            is_default: Some(&name) == default.as_ref(),
            name: DeviceName(name),
        })
        .collect())
}

pub(crate) fn default_device(host: &cpal::Host, direction: Direction) -> Option<cpal::Device> {
    match direction {
        Direction::Input => host.default_input_device(),
        Direction::Output => host.default_output_device(),
    }
}

/// Finds the chosen device; `(device, fell_back)` where `fell_back` means the named one was
/// missing and the default is returned instead.
pub(crate) fn resolve(
    choice: &DeviceChoice,
    direction: Direction,
) -> Result<(cpal::Device, bool), DeviceError> {
    let host = cpal::default_host();
    if let DeviceChoice::Named(name) = choice {
        let found = match direction {
            Direction::Input => host
                .input_devices()
                .ok()
                .and_then(|mut d| d.find(|d| d.name().ok().as_deref() == Some(&name.0))),
            Direction::Output => host
                .output_devices()
                .ok()
                .and_then(|mut d| d.find(|d| d.name().ok().as_deref() == Some(&name.0))),
        };
        if let Some(d) = found {
            return Ok((d, false));
        }
        return default_device(&host, direction)
            .map(|d| (d, true))
            .ok_or(DeviceError::NoDevice(direction));
    }
    default_device(&host, direction).map(|d| (d, false)).ok_or(DeviceError::NoDevice(direction))
}
