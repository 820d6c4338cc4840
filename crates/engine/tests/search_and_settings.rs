//! The dialler's search and the settings screen through the phone: the training line's
//! directory is searchable once unlocked, and settings show the account with its registration
//! and the policy, the organisation's items marked as managed.

mod support;

use engine::ErrorCode;
use engine::api::{EntrySource, RegistrationState};
use engine::training::TRAINING_ACCOUNT;
use support::{Trainee, in_private_keyring, storage};

#[test]
fn search_finds_the_directory_and_settings_show_managed_policy() {
    in_private_keyring(
        "search_finds_the_directory_and_settings_show_managed_policy",
        |dir| async move {
            let (t, _) = Trainee::start(storage(&dir, "token.cbor")).await;
            let locked = t.phone.settings().await.expect_err("locked");
            assert_eq!(locked.code, ErrorCode::Locked);
            t.phone.enrol_passkey("Soft key".into()).await.expect("enrolled");

            let found = t.phone.search("helpdesk".into()).await.expect("search");
            let helpdesk = found.iter().find(|e| e.name == "IT Helpdesk").expect("the helpdesk");
            assert_eq!(helpdesk.number, "+12155550100");
            assert_eq!(helpdesk.source, EntrySource::Directory);
            assert!(t.phone.search("zzzz".into()).await.unwrap().is_empty());
            assert!(t.phone.search("  ".into()).await.unwrap().is_empty());

            let settings = t.phone.settings().await.expect("settings");
            assert_eq!(settings.accounts.len(), 1, "{:?}", settings.accounts);
            assert_eq!(settings.accounts[0].label, TRAINING_ACCOUNT);
            assert!(matches!(
                settings.accounts[0].registration,
                RegistrationState::Registered { .. }
            ));
            let item = |key: &str| {
                settings.policy.iter().find(|p| p.key == key).unwrap_or_else(|| panic!("{key}"))
            };
            assert!(item("media.srtp").managed, "the account file is the organisation's");
            assert_eq!(item("media.srtp").value, "Encrypted calls only");
            assert!(!item("lock.idleTimeout").managed, "the user may change the lock policy");
            assert_eq!(item("lock.idleTimeout").value, "After 5 minutes");
            t.stop().await;
        },
    );
}
