//! A tiny HTTP/1.0 file server on a free loopback port, serving the STIR/SHAKEN x5u documents.
//!
//! Written by hand because it is ~60 lines of std: pulling in an HTTP server crate (or a Python
//! process) for "GET one PEM file" is more weight than the job.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::error::PeerError;
use crate::net::loopback;

/// Serves the files of one directory at `http://127.0.0.1:PORT/NAME` until dropped.
#[derive(Debug)]
pub struct FileServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    served: Arc<AtomicUsize>,
    thread: Option<JoinHandle<()>>,
}

impl FileServer {
    /// Starts serving `dir` on a free port.
    pub fn start(dir: &Path) -> Result<Self, PeerError> {
        let listener = TcpListener::bind(loopback(0)).map_err(PeerError::io("x5u-http"))?;
        let addr = listener.local_addr().map_err(PeerError::io("x5u-http"))?;
        let stop = Arc::new(AtomicBool::new(false));
        let served = Arc::new(AtomicUsize::new(0));
        let dir = dir.to_path_buf();
        let (stop2, served2) = (Arc::clone(&stop), Arc::clone(&served));
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream
                    && serve(stream, &dir).is_ok()
                {
                    served2.fetch_add(1, Ordering::SeqCst);
                }
            }
        });
        Ok(Self { addr, stop, served, thread: Some(thread) })
    }

    /// The URL of `name` in the served directory.
    pub fn url(&self, name: &str) -> String {
        format!("http://{}/{name}", self.addr)
    }

    /// How many requests were answered so far (200 or 404).
    pub fn requests_served(&self) -> usize {
        self.served.load(Ordering::SeqCst)
    }
}

impl Drop for FileServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept() so the thread sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the request headers.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let body = requested_file(&request_line, dir).and_then(|p| std::fs::read(p).ok());
    let mut out = &stream;
    match body {
        Some(body) => {
            write!(
                out,
                "HTTP/1.0 200 OK\r\nContent-Type: application/pem-certificate-chain\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )?;
            out.write_all(&body)
        }
        None => out.write_all(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n"),
    }
}

/// The file a `GET /name HTTP/1.x` line asks for; only plain names inside `dir` are served.
fn requested_file(request_line: &str, dir: &Path) -> Option<PathBuf> {
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next()?, parts.next()?);
    let name = target.strip_prefix('/')?;
    let plain =
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    (method == "GET" && plain && !name.starts_with('.')).then(|| dir.join(name))
}
