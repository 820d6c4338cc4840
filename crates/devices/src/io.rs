//! The engine-facing handle: rings in and out, level, hot-plug fallback and events.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use cpal::traits::DeviceTrait;
use ringbuf::traits::{Consumer, Observer, Producer, Split};
use ringbuf::{HeapCons, HeapProd, HeapRb};

use crate::list::{DeviceChoice, DeviceName, Direction, resolve};
use crate::stream::{Shared, open_capture, open_playback};
use crate::{DeviceError, RATE};

/// Ring capacity: 500 ms at 48 kHz, far above the 20 ms frames exchanged.
const RING: usize = (RATE / 2) as usize;

/// Something the user should hear about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceEvent {
    /// The chosen device is missing or failed; audio now uses the default device.
    FellBackToDefault {
        /// Which side.
        direction: Direction,
        /// The device now in use.
        now_using: Option<DeviceName>,
    },
    /// A device failed and no replacement could be opened.
    Lost {
        /// Which side.
        direction: Direction,
        /// Why.
        reason: String,
    },
}

struct Side<R> {
    stream: Option<cpal::Stream>,
    ring: R,
    shared: Arc<Shared>,
    choice: DeviceChoice,
}

/// Capture and playback for one call (or the whole app).
pub struct AudioIo {
    capture: Side<HeapCons<i16>>,
    playback: Side<HeapProd<i16>>,
    events: VecDeque<DeviceEvent>,
}

impl std::fmt::Debug for AudioIo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AudioIo").field("events", &self.events.len()).finish_non_exhaustive()
    }
}

impl AudioIo {
    /// Opens the chosen input and output devices (falling back to the defaults).
    pub fn open(input: DeviceChoice, output: DeviceChoice) -> Result<Self, DeviceError> {
        let (prod, cons) = HeapRb::<i16>::new(RING).split();
        let (play_prod, play_cons) = HeapRb::<i16>::new(RING).split();
        let mut io = Self {
            capture: Side { stream: None, ring: cons, shared: Arc::default(), choice: input },
            playback: Side {
                stream: None,
                ring: play_prod,
                shared: Arc::default(),
                choice: output,
            },
            events: VecDeque::new(),
        };
        io.start_capture(prod)?;
        io.start_playback(play_cons)?;
        Ok(io)
    }

    fn start_capture(&mut self, ring: HeapProd<i16>) -> Result<(), DeviceError> {
        let (device, fell_back) = resolve(&self.capture.choice, Direction::Input)?;
        self.capture.shared = Arc::default();
        self.capture.stream = Some(open_capture(&device, ring, &self.capture.shared)?);
        if fell_back {
            self.fell_back(Direction::Input, &device);
        }
        Ok(())
    }

    fn start_playback(&mut self, ring: HeapCons<i16>) -> Result<(), DeviceError> {
        let (device, fell_back) = resolve(&self.playback.choice, Direction::Output)?;
        self.playback.shared = Arc::default();
        self.playback.stream = Some(open_playback(&device, ring, &self.playback.shared)?);
        if fell_back {
            self.fell_back(Direction::Output, &device);
        }
        Ok(())
    }

    fn fell_back(&mut self, direction: Direction, device: &cpal::Device) {
        let now_using = device.name().ok().map(DeviceName);
        self.events.push_back(DeviceEvent::FellBackToDefault { direction, now_using });
    }

    /// Moves up to `out.len()` captured samples (mono, 48 kHz) into `out`; returns the count.
    pub fn read_capture(&mut self, out: &mut [i16]) -> usize {
        self.capture.ring.pop_slice(out)
    }

    /// Drops up to `count` of the oldest captured samples; returns how many went.
    pub fn skip_capture(&mut self, count: usize) -> usize {
        self.capture.ring.skip(count)
    }

    /// Captured samples waiting.
    pub fn capture_available(&self) -> usize {
        self.capture.ring.occupied_len()
    }

    /// Queues samples for playback; returns how many fit.
    pub fn write_playback(&mut self, frame: &[i16]) -> usize {
        self.playback.ring.push_slice(frame)
    }

    /// Samples queued for playback (the output latency in samples).
    pub fn playback_queued(&self) -> usize {
        self.playback.ring.occupied_len()
    }

    /// Samples the capture device delivers per callback (0 before the first one).
    pub fn capture_period(&self) -> usize {
        self.capture.shared.period.load(Ordering::Relaxed)
    }

    /// Samples the playback device takes per callback (0 before the first one).
    pub fn playback_period(&self) -> usize {
        self.playback.shared.period.load(Ordering::Relaxed)
    }

    /// Peak input level of the latest capture callback, 0.0-1.0, for a meter.
    pub fn input_level(&self) -> f32 {
        f32::from_bits(self.capture.shared.level.load(Ordering::Relaxed))
    }

    /// Playback samples that were missing when the device asked (underruns).
    pub fn playback_underruns(&self) -> u64 {
        self.playback.shared.underruns.load(Ordering::Relaxed)
    }

    /// Checks for failed (unplugged) devices and reopens them on the default device.
    /// Call it periodically (e.g. once a second) from the audio thread.
    pub fn check_devices(&mut self) {
        if self.capture.shared.failed.load(Ordering::Acquire) {
            self.capture.stream = None;
            self.capture.choice = DeviceChoice::Default;
            let (prod, cons) = HeapRb::<i16>::new(RING).split();
            self.capture.ring = cons;
            if let Err(e) = self.start_capture(prod) {
                self.events.push_back(DeviceEvent::Lost {
                    direction: Direction::Input,
                    reason: e.to_string(),
                });
            } else {
                self.events.push_back(DeviceEvent::FellBackToDefault {
                    direction: Direction::Input,
                    now_using: None,
                });
            }
        }
        if self.playback.shared.failed.load(Ordering::Acquire) {
            self.playback.stream = None;
            self.playback.choice = DeviceChoice::Default;
            let (prod, cons) = HeapRb::<i16>::new(RING).split();
            self.playback.ring = prod;
            if let Err(e) = self.start_playback(cons) {
                self.events.push_back(DeviceEvent::Lost {
                    direction: Direction::Output,
                    reason: e.to_string(),
                });
            } else {
                self.events.push_back(DeviceEvent::FellBackToDefault {
                    direction: Direction::Output,
                    now_using: None,
                });
            }
        }
    }

    /// The next device event, if any.
    pub fn poll_event(&mut self) -> Option<DeviceEvent> {
        self.events.pop_front()
    }
}
