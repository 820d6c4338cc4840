//! The core is sans-IO: outside unit-test modules no source file reads the clock, opens a
//! socket or spawns a thread. Time only ever comes in as `now`.

use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("utf-8 source");
            // Unit tests (below `#[cfg(test)]`) may build Instants to feed the machines.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default().to_owned();
            out.push((path.display().to_string(), code));
        }
    }
}

#[test]
fn no_clock_socket_or_thread_in_the_core() {
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    assert!(files.len() > 10, "found the sources");
    let forbidden =
        ["Instant::now", "SystemTime", "std::net::UdpSocket", "TcpStream", "std::thread", "tokio"];
    for (path, code) in &files {
        for word in forbidden {
            assert!(!code.contains(word), "{path} uses {word}");
        }
    }
}
