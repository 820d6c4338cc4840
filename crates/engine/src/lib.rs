//! The IO layer: sockets, timers, DNS, fetches, audio devices, keyring; drives the cores; Phone + PhoneEvent.
