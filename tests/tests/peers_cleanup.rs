//! Cleanup self-test: peers are stopped by PID when the test holding them panics.

use std::sync::Mutex;
use std::time::Duration;

use interop::process::group_alive;
use interop::wait::poll_until;
use interop::{Baresip, Coturn, Kamailio};

#[test]
fn a_panicking_test_still_stops_its_peers() {
    let pids = Mutex::new(Vec::new());
    let outcome = std::panic::catch_unwind(|| {
        let kam = Kamailio::start().unwrap();
        let phone = Baresip::direct("panic").record(false).start().unwrap();
        let turn = Coturn::start().unwrap();
        let running = [kam.pid(), phone.pid(), turn.pid()];
        assert!(running.iter().all(|pid| group_alive(*pid)));
        pids.lock().unwrap().extend(running);
        panic!("a test fails while its peers run");
    });
    assert!(outcome.is_err());
    let pids = pids.into_inner().unwrap();
    assert_eq!(pids.len(), 3);
    for pid in pids {
        let gone = poll_until(Duration::from_secs(5), || (!group_alive(pid)).then_some(()));
        assert!(gone.is_some(), "process group {pid} still alive");
    }
}
