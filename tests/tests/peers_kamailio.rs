//! Kamailio self-tests: it starts on free ports and serves its x5u document.

use std::time::Duration;

use interop::Kamailio;

#[test]
fn kamailio_starts_and_serves_x5u() {
    let kam = Kamailio::start().unwrap();
    assert!(!kam.is_registered("1001").unwrap());
    assert!(kam.x5u_url().starts_with("http://127.0.0.1:"));
    let _ = Duration::from_secs(1);
    eprintln!("{}", kam.log());
}
