//! Per-instance temporary working directories.

use std::path::Path;

use tempfile::TempDir;

use crate::error::PeerError;

/// Set this environment variable to keep every peer's working directory after the test (for
/// reading logs and recordings); the paths appear in the peers' errors and `Debug` output.
pub const KEEP_DIRS_ENV: &str = "INTEROP_KEEP_DIRS";

/// A new empty directory under the system temp dir, removed on drop unless [`KEEP_DIRS_ENV`] is
/// set.
pub fn workdir(prefix: &str) -> Result<TempDir, PeerError> {
    let mut dir = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .map_err(PeerError::file(std::env::temp_dir()))?;
    if std::env::var_os(KEEP_DIRS_ENV).is_some() {
        dir.disable_cleanup(true);
    }
    Ok(dir)
}

/// Creates `dir` and its parents.
pub fn create_dir(dir: &Path) -> Result<(), PeerError> {
    std::fs::create_dir_all(dir).map_err(PeerError::file(dir))
}

/// Writes `text` to `path`.
pub fn write_file(path: &Path, text: &str) -> Result<(), PeerError> {
    std::fs::write(path, text).map_err(PeerError::file(path))
}
