//! Hard limits that bound the work and memory a peer can make us spend.

/// Limits applied while parsing or framing. Exceeding one is an error, never unbounded buffering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest whole message (start line, headers and body) accepted. Default 64 KiB.
    pub max_message_bytes: usize,
    /// Largest header section (start line through the empty line). Default 16 KiB.
    pub max_header_bytes: usize,
    /// Most header lines (a folded header counts once). Default 256.
    pub max_headers: usize,
    /// Longest single header line, after unfolding. Default 8 KiB.
    pub max_header_line: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_message_bytes: 64 * 1024,
            max_header_bytes: 16 * 1024,
            max_headers: 256,
            max_header_line: 8 * 1024,
        }
    }
}
