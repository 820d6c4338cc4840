//! The settings screen: the policy in force, marked where the organisation manages it, and the
//! audio devices.

use crate::api::{DevicesView, PolicyItem};
use crate::audio::{AudioSetup, AudioSink, AudioSource, DeviceChoice};
use crate::config::{Account, SrtpKeying, SrtpPolicy};

fn item(key: &str, value: impl Into<String>, managed: bool) -> PolicyItem {
    PolicyItem { key: key.to_owned(), value: value.into(), managed }
}

/// What the account file and the trust context decide: both come from the organisation.
pub(crate) fn managed_policy(account: &Account) -> Vec<PolicyItem> {
    let srtp = match account.file.srtp {
        SrtpPolicy::Required => "Encrypted calls only",
        SrtpPolicy::Optional => "Encrypted when the other side can",
        SrtpPolicy::Off => "Unencrypted (lab setting)",
    };
    let keying = match account.file.srtp_keying {
        SrtpKeying::Sdes => "Keys in the call setup (SDES over TLS)",
        SrtpKeying::Dtls => "Keys negotiated on the media path (DTLS-SRTP)",
    };
    let policy = &account.trust.policy;
    let countries = &policy.toll_fraud.allowed_country_codes;
    let countries = if countries.is_empty() {
        "Any country not blocked".to_owned()
    } else {
        countries.iter().map(|c| format!("+{c}")).collect::<Vec<_>>().join(", ")
    };
    let feed = if account.trust.feed.is_some() { "On" } else { "Off" };
    vec![
        item("media.srtp", srtp, true),
        item("media.keying", keying, true),
        item("calls.region", policy.default_region.clone(), true),
        item("outbound.allowedCountries", countries, true),
        item(
            "outbound.internationalPerHour",
            policy.toll_fraud.international_per_hour.to_string(),
            true,
        ),
        item("trust.organisationFeed", feed, true),
    ]
}

/// The lock policy: the user may change it (after a passkey check).
pub(crate) fn lock_policy(policy: vault::LockPolicy) -> Vec<PolicyItem> {
    let minutes = (policy.idle_timeout_ms / 60_000).max(1);
    let idle =
        if minutes == 1 { "After 1 minute".to_owned() } else { format!("After {minutes} minutes") };
    let synced = if policy.allow_synced_passkeys { "Allowed" } else { "Security keys only" };
    vec![item("lock.idleTimeout", idle, false), item("lock.syncedPasskeys", synced, false)]
}

/// The devices in `view` that `audio` uses: a chosen device by its name, else the default.
pub(crate) fn in_use(mut view: DevicesView, audio: &AudioSetup) -> DevicesView {
    if let AudioSource::Device(DeviceChoice::Named(name)) = &audio.source {
        view.input.clone_from(&name.0);
    }
    if let AudioSink::Device(DeviceChoice::Named(name)) = &audio.sink {
        view.output.clone_from(&name.0);
    }
    view
}

/// The audio devices the system offers; the defaults are the ones in use.
pub(crate) fn devices() -> DevicesView {
    let list = |direction| devices::list_devices(direction).unwrap_or_default();
    let (inputs, outputs) = (list(devices::Direction::Input), list(devices::Direction::Output));
    let default = |list: &[devices::DeviceInfo]| {
        list.iter().find(|d| d.is_default).map(|d| d.name.0.clone()).unwrap_or_default()
    };
    DevicesView {
        input: default(&inputs),
        output: default(&outputs),
        inputs: inputs.into_iter().map(|d| d.name.0).collect(),
        outputs: outputs.into_iter().map(|d| d.name.0).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::DeviceName;

    fn listed() -> DevicesView {
        DevicesView {
            inputs: vec!["Built-in".into(), "Headset".into()],
            outputs: vec!["Speakers".into(), "Headset".into()],
            input: "Built-in".into(),
            output: "Speakers".into(),
        }
    }

    #[test]
    fn a_chosen_device_shows_as_in_use_and_the_default_otherwise() {
        let mut audio = AudioSetup::default();
        assert_eq!(in_use(listed(), &audio), listed());
        audio.use_devices(DeviceChoice::Named(DeviceName("Headset".into())), DeviceChoice::Default);
        let view = in_use(listed(), &audio);
        assert_eq!((view.input.as_str(), view.output.as_str()), ("Headset", "Speakers"));
    }
}
