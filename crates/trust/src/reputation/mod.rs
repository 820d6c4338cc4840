//! Caller reputation: local history, the signed organisation feed, user block/allow lists, and
//! the directory and contacts as positive signals.

mod directory;
mod feed;
mod history;
mod number_set;

pub use directory::{Contact, Directory, DirectoryEntry};
pub use feed::{Feed, FeedClass, FeedError};
pub use history::{CallRecord, History, NumberStats};
pub use number_set::NumberSet;
