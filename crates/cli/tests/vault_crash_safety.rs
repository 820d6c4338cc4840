//! A writer process killed with SIGKILL at random moments, 60 times: every call it reported as
//! committed survives, and the vault opens (key, passkey unlock, store) every time.

mod vault_support;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use vault_support::Harness;

const ROUNDS: u32 = 60;

/// xorshift64: enough randomness for kill timing, reproducible from the printed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

/// Spawns `vault add-calls`, kills it after `lines` commits (or, for 0, at a random instant
/// during start-up), and returns the ids it reported.
fn round(h: &Harness, rng: &mut Rng) -> Vec<i64> {
    let mut child = h
        .cli(&["add-calls"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn writer");
    let lines = rng.next(40);
    let mut ids = Vec::new();
    if lines == 0 {
        // Not waiting for anything: the random delay *is* the random kill moment, so some
        // kills land while the writer is opening the keyring, unlocking or opening the store.
        std::thread::sleep(Duration::from_micros(rng.next(150_000)));
    } else {
        let stdout = child.stdout.take().expect("piped stdout");
        for line in BufReader::new(stdout).lines().take(lines as usize) {
            let line = line.expect("read writer output");
            let id = line.strip_prefix("committed ").expect("committed line").parse().unwrap();
            ids.push(id);
        }
        if ids.len() < lines as usize {
            let mut err = String::new();
            let _ = std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err);
            panic!("writer stopped early (the vault did not open?): {err}");
        }
    }
    child.kill().expect("SIGKILL the writer");
    child.wait().expect("reap the writer");
    ids
}

#[test]
fn committed_calls_survive_sigkill_at_random_moments() {
    let h = Harness::initialised();
    let seed = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    println!("seed {seed}");
    let mut rng = Rng(seed);
    let mut committed = BTreeSet::new();
    for _ in 0..ROUNDS {
        committed.extend(round(&h, &mut rng));
    }
    assert!(committed.len() > 200, "the writer committed {} calls", committed.len());

    let listed = h.ok(&["list", "--limit", "1000000", "--json"]);
    let survived: BTreeSet<i64> = listed
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_i64().unwrap())
        .collect();
    let lost: Vec<_> = committed.difference(&survived).collect();
    assert!(lost.is_empty(), "committed but lost after SIGKILL: {lost:?} (seed {seed})");
    let verify = h.ok(&["verify"]);
    assert!(verify.contains("audit chain intact"), "{verify}");
}
