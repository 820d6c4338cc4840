//! The company directory and the user's contacts: positive signals, the source of callback
//! numbers, and the identities that impersonation detection protects.

use serde::{Deserialize, Serialize};

use crate::e164::E164;

/// One directory identity (a person, a team such as "IT Helpdesk", or the bank named in policy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    /// The name as shown.
    pub name: String,
    /// Other names people use ("Helpdesk", "Service Desk", "CEO").
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The identity's numbers; the first is the callback number.
    #[serde(default)]
    pub numbers: Vec<E164>,
    /// The internal extension, if any.
    #[serde(default)]
    pub extension: Option<String>,
    /// True for people and teams inside the organisation (their numbers are internal).
    #[serde(default = "yes")]
    pub internal: bool,
}

fn yes() -> bool {
    true
}

/// A personal contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// The contact's name.
    pub name: String,
    /// Their numbers.
    #[serde(default)]
    pub numbers: Vec<E164>,
}

/// Directory, policy-named identities (the bank) and contacts.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// Directory identities, the bank included.
    pub entries: Vec<DirectoryEntry>,
    /// Personal contacts.
    pub contacts: Vec<Contact>,
}

impl Directory {
    /// The directory identity owning `n`.
    pub fn entry_for_number(&self, n: E164) -> Option<&DirectoryEntry> {
        self.entries.iter().find(|e| e.numbers.contains(&n))
    }

    /// The directory identity with extension `ext`.
    pub fn entry_for_extension(&self, ext: &str) -> Option<&DirectoryEntry> {
        self.entries.iter().find(|e| e.extension.as_deref() == Some(ext))
    }

    /// The contact owning `n`.
    pub fn contact_for_number(&self, n: E164) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.numbers.contains(&n))
    }

    /// Identities whose name or an alias appears (as whole words) in `claimed`.
    pub fn entries_named(&self, claimed: &str) -> Vec<&DirectoryEntry> {
        let text = words(claimed);
        if text.is_empty() {
            return Vec::new();
        }
        self.entries
            .iter()
            .filter(|e| {
                std::iter::once(&e.name).chain(&e.aliases).any(|n| contains_words(&text, &words(n)))
            })
            .collect()
    }
}

/// Lower-case alphanumeric words; look-alike digits folded (`1T He1pdesk` → `it helpdesk`).
fn words(s: &str) -> Vec<String> {
    let folded: String = s
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            '0' => 'o',
            '1' | '!' | '|' => 'l',
            '3' => 'e',
            '5' | '$' => 's',
            '@' => 'a',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect();
    folded.split_whitespace().map(|w| w.replace('l', "i")).collect()
}

fn contains_words(text: &[String], name: &[String]) -> bool {
    let letters: usize = name.iter().map(String::len).sum();
    letters >= 3 && !name.is_empty() && text.windows(name.len()).any(|w| w == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> Directory {
        let e = DirectoryEntry {
            name: "IT Helpdesk".into(),
            aliases: vec!["Service Desk".into()],
            numbers: vec![],
            extension: None,
            internal: true,
        };
        Directory { entries: vec![e], contacts: vec![] }
    }

    #[test]
    fn names_and_look_alikes_match_whole_words() {
        let d = dir();
        assert_eq!(d.entries_named("IT HELPDESK").len(), 1);
        assert_eq!(d.entries_named("Acme 1T He1pdesk").len(), 1);
        assert_eq!(d.entries_named("service-desk team").len(), 1);
        assert!(d.entries_named("Itsy Helpdesks").is_empty());
        assert!(d.entries_named("").is_empty());
    }
}
