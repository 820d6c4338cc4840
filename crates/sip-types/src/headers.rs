//! The ordered, multi-valued header list. Values are kept as text (unfolded) so printing
//! round-trips; typed views are parsed on demand (see `headers_typed.rs`).

use crate::header_name::HeaderName;
use crate::scan::Span;

/// Ordered header fields. All values share one buffer: parsing a message allocates once for them.
#[derive(Debug, Clone, Default)]
pub struct Headers {
    buf: String,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    name: HeaderName,
    value: Span,
}

impl Headers {
    /// An empty list.
    pub fn new() -> Headers {
        Headers::default()
    }

    /// An empty list whose buffer starts as a copy of a received header section, so that
    /// [`Headers::push_span`] can refer to values in place.
    pub(crate) fn from_head(head: &str, headers: usize) -> Headers {
        Headers { buf: head.to_owned(), entries: Vec::with_capacity(headers) }
    }

    /// Appends a header. CR and LF in `value` are replaced by spaces (no header injection).
    pub fn push(&mut self, name: HeaderName, value: impl AsRef<str>) {
        let entry = self.store(name, value.as_ref());
        self.entries.push(entry);
    }

    /// Inserts a header before every other header of the same name, or first if there is none
    /// (a proxy or UA prepending Via / Record-Route).
    pub fn push_front(&mut self, name: HeaderName, value: impl AsRef<str>) {
        let at = self.entries.iter().position(|e| e.name == name).unwrap_or(0);
        let entry = self.store(name, value.as_ref());
        self.entries.insert(at, entry);
    }

    /// Replaces every header named `name` with one value (appended if there was none).
    pub fn set(&mut self, name: HeaderName, value: impl AsRef<str>) {
        match self.entries.iter().position(|e| e.name == name) {
            Some(at) => {
                let entry = self.store(name.clone(), value.as_ref());
                self.entries[at] = entry;
                let mut seen = 0;
                self.entries.retain(|e| {
                    seen += usize::from(e.name == name);
                    e.name != name || seen == 1
                });
            }
            None => self.push(name, value),
        }
    }

    /// Removes every header named `name`; returns how many were removed.
    pub fn remove(&mut self, name: &HeaderName) -> usize {
        let before = self.entries.len();
        self.entries.retain(|e| e.name != *name);
        before - self.entries.len()
    }

    /// Removes the first header named `name` (e.g. the top Via); returns its value.
    pub fn remove_first(&mut self, name: &HeaderName) -> Option<String> {
        let at = self.entries.iter().position(|e| e.name == *name)?;
        let e = self.entries.remove(at);
        Some(e.value.of(&self.buf).to_owned())
    }

    /// The first value of `name`.
    pub fn get(&self, name: &HeaderName) -> Option<&str> {
        self.entries.iter().find(|e| e.name == *name).map(|e| e.value.of(&self.buf))
    }

    /// Every value of `name`, in order (one per header line; lists are not split).
    pub fn get_all<'a, 'n>(
        &'a self,
        name: &'n HeaderName,
    ) -> impl Iterator<Item = &'a str> + use<'a, 'n> {
        self.entries.iter().filter(move |e| e.name == *name).map(|e| e.value.of(&self.buf))
    }

    /// Whether a header named `name` is present.
    pub fn contains(&self, name: &HeaderName) -> bool {
        self.entries.iter().any(|e| e.name == *name)
    }

    /// Every header in order.
    pub fn iter(&self) -> impl Iterator<Item = (&HeaderName, &str)> {
        self.entries.iter().map(|e| (&e.name, e.value.of(&self.buf)))
    }

    /// Number of header lines.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no headers.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Writes `Name: value\r\n` for each header.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        for (name, value) in self.iter() {
            out.extend_from_slice(name.as_str().as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
    }

    /// Appends a header whose value is already in the buffer at `value` (see
    /// [`Headers::from_head`]).
    #[inline(always)]
    pub(crate) fn push_span(&mut self, name: HeaderName, value: std::ops::Range<usize>) {
        self.entries.push(Entry { name, value: Span::new(value.start, value.end) });
    }

    /// Appends a folded value, dropping its line ends while copying (the white space that
    /// follows each stays, RFC 3261 7.3.1).
    pub(crate) fn push_unfolded(&mut self, name: HeaderName, raw: &str) {
        let start = self.buf.len();
        self.buf.extend(raw.chars().filter(|c| *c != '\r' && *c != '\n'));
        let value = Span::new(start, self.buf.len());
        self.entries.push(Entry { name, value });
    }

    /// The last header pushed.
    pub(crate) fn last(&self) -> Option<(&HeaderName, &str)> {
        self.entries.last().map(|e| (&e.name, e.value.of(&self.buf)))
    }

    fn store(&mut self, name: HeaderName, value: &str) -> Entry {
        let start = self.buf.len();
        self.buf.extend(value.chars().map(|c| match c {
            '\r' | '\n' => ' ',
            c => c,
        }));
        Entry { name, value: Span::new(start, self.buf.len()) }
    }
}

impl PartialEq for Headers {
    fn eq(&self, other: &Headers) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl Eq for Headers {}
