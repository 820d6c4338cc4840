//! Search for the dialler: the user's contacts and the company directory, from the vault and
//! from the trust context (the organisation's directory and contacts in its file).

use std::collections::HashSet;

use trust::TrustContext;

use crate::api::{DirectoryEntry, EntrySource};

/// The most hits one search returns.
pub(crate) const LIMIT: u32 = 20;

/// Every source's hits for `query`, contacts first, without duplicates.
pub(crate) fn merge(
    query: &str,
    ctx: &TrustContext,
    contacts: &[store::Contact],
    cached: &[store::DirectoryEntry],
) -> Vec<DirectoryEntry> {
    let hit = |name: &str, number: &str, source| DirectoryEntry {
        name: name.to_owned(),
        number: number.to_owned(),
        source,
    };
    let stored_contacts =
        contacts.iter().map(|c| hit(c.name.expose(), c.number.expose(), EntrySource::Contact));
    let context_contacts =
        ctx.directory.contacts.iter().filter(|c| names_match(query, &c.name, &[]));
    let context_contacts = context_contacts
        .flat_map(|c| c.numbers.iter().map(|n| hit(&c.name, &n.plus(), EntrySource::Contact)));
    let context_numbers = ctx.directory.contacts.iter().flat_map(|c| {
        c.numbers
            .iter()
            .filter(|n| number_matches(query, &n.plus()))
            .map(|n| hit(&c.name, &n.plus(), EntrySource::Contact))
    });
    let directory = ctx.directory.entries.iter().flat_map(|e| {
        let named = names_match(query, &e.name, &e.aliases);
        e.numbers
            .iter()
            .filter(move |n| named || number_matches(query, &n.plus()))
            .map(|n| hit(&e.name, &n.plus(), EntrySource::Directory))
    });
    let stored_directory =
        cached.iter().map(|e| hit(e.name.expose(), e.number.expose(), EntrySource::Directory));
    let mut seen = HashSet::new();
    stored_contacts
        .chain(context_contacts)
        .chain(context_numbers)
        .chain(directory)
        .chain(stored_directory)
        .filter(|e| seen.insert((e.source, e.number.clone())))
        .take(LIMIT as usize)
        .collect()
}

/// The organisation's own name for a number it lists (directory first, then contacts): what a
/// dialled number shows as in the call and the log, e.g. the helpdesk a callback goes to.
pub(crate) fn listed_name(ctx: &TrustContext, number: &str) -> Option<String> {
    let number = trust::E164::parse(number, ctx.region).ok()?;
    let directory = &ctx.directory;
    let entry = directory.entry_for_number(number).map(|e| &e.name);
    entry.or_else(|| directory.contact_for_number(number).map(|c| &c.name)).cloned()
}

/// The name or an alias contains the query, ignoring case.
fn names_match(query: &str, name: &str, aliases: &[String]) -> bool {
    let query = query.to_lowercase();
    std::iter::once(name)
        .chain(aliases.iter().map(String::as_str))
        .any(|n| n.to_lowercase().contains(&query))
}

/// The number contains the query's digits (at least three, so "1" does not match everyone).
fn number_matches(query: &str, number: &str) -> bool {
    let digits: String = query.chars().filter(char::is_ascii_digit).collect();
    digits.len() >= 3 && number.contains(&digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> TrustContext {
        let file = trust::ContextFile::from_json(
            br#"{
                "directory": [{ "name": "IT Helpdesk", "aliases": ["Service Desk"],
                                "numbers": ["+12155550100"] }],
                "contacts": [{ "name": "Dana Reyes", "numbers": ["+12155550142"] }]
            }"#,
        )
        .unwrap();
        file.build(&|_| Err(std::io::ErrorKind::NotFound.into())).unwrap()
    }

    #[test]
    fn names_aliases_and_numbers_find_the_directory_and_contacts() {
        let ctx = context();
        let found = merge("service", &ctx, &[], &[]);
        assert_eq!(
            found,
            [DirectoryEntry {
                name: "IT Helpdesk".into(),
                number: "+12155550100".into(),
                source: EntrySource::Directory,
            }]
        );
        let found = merge("555", &ctx, &[], &[]);
        let sources: Vec<EntrySource> = found.iter().map(|e| e.source).collect();
        assert_eq!(sources, [EntrySource::Contact, EntrySource::Directory]);
        assert!(merge("5", &ctx, &[], &[]).is_empty(), "one digit matches nobody");
    }

    #[test]
    fn a_listed_number_has_the_organisation_name() {
        let ctx = context();
        assert_eq!(listed_name(&ctx, "+12155550100").as_deref(), Some("IT Helpdesk"));
        assert_eq!(listed_name(&ctx, "+12155550142").as_deref(), Some("Dana Reyes"));
        assert_eq!(listed_name(&ctx, "+12155550199"), None);
    }

    #[test]
    fn a_contact_in_the_vault_and_in_the_context_shows_once() {
        let ctx = context();
        let stored = store::Contact {
            name: store::DisplayName::new("Dana R."),
            number: store::PhoneNumber::new("+12155550142"),
        };
        let found = merge("dana", &ctx, &[stored], &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "Dana R.");
    }
}
