//! A TURN stream against loopback servers: plain TCP, and TLS with a throwaway certificate.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};

use super::{TlsClient, TurnStream};

const DEADLINE: Duration = Duration::from_secs(5);

/// Reads until `out` holds `want` bytes or the stream fails; the deadline bounds a broken test.
fn read_until(stream: &mut TurnStream, want: usize) -> std::io::Result<Vec<u8>> {
    let end = Instant::now() + DEADLINE;
    let mut out = Vec::new();
    while out.len() < want {
        let read = stream.read(&mut out);
        if out.len() >= want {
            break;
        }
        read?;
        assert!(Instant::now() < end, "only {} of {want} bytes arrived", out.len());
        std::thread::sleep(Duration::from_millis(1));
    }
    Ok(out)
}

/// A certificate for 127.0.0.1 and the server configuration that presents it.
fn certificate() -> (CertificateDer<'static>, Arc<rustls::ServerConfig>) {
    let key = rcgen::KeyPair::generate().expect("a key");
    let params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()]).expect("params");
    let cert = params.self_signed(&key).expect("a certificate").der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let server = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert.clone()], key)
        .expect("server config");
    (cert, Arc::new(server))
}

fn client_trusting(cert: CertificateDer<'static>) -> TlsClient {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert).expect("a usable trust anchor");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::IpAddress(std::net::Ipv4Addr::LOCALHOST.into());
    TlsClient { config: Arc::new(config), name }
}

type ServerTls = rustls::StreamOwned<rustls::ServerConnection, std::net::TcpStream>;

/// A one-connection TLS server on loopback presenting `config`'s certificate: `serve` runs on
/// its connection in a thread whose result the handle returns.
fn tls_server<T: Send + 'static>(
    config: Arc<rustls::ServerConfig>,
    serve: impl FnOnce(&mut ServerTls) -> T + Send + 'static,
) -> (std::net::SocketAddr, std::thread::JoinHandle<T>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("listener");
    let addr = listener.local_addr().expect("addr");
    let server = std::thread::spawn(move || {
        let (tcp, _) = listener.accept().expect("accepted");
        tcp.set_read_timeout(Some(DEADLINE)).expect("timeout");
        let conn = rustls::ServerConnection::new(config).expect("server connection");
        serve(&mut rustls::StreamOwned::new(conn, tcp))
    });
    (addr, server)
}

#[test]
fn tcp_bytes_cross_both_ways_and_a_closed_server_is_an_error() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("listener");
    let mut stream = TurnStream::connect(listener.local_addr().expect("addr"), None).expect("tcp");
    let (mut server, _) = listener.accept().expect("accepted");
    server.write_all(b"from the server").expect("server writes");
    assert_eq!(read_until(&mut stream, 15).expect("read"), b"from the server");
    stream.write(b"to the server").expect("write");
    let mut got = [0u8; 13];
    server.set_read_timeout(Some(DEADLINE)).expect("timeout");
    server.read_exact(&mut got).expect("server reads");
    assert_eq!(&got, b"to the server");
    drop(server);
    assert!(read_until(&mut stream, 1).is_err(), "the closed connection is reported");
}

#[test]
fn tls_verifies_the_server_and_carries_bytes() {
    let (cert, server_config) = certificate();
    let (addr, server) = tls_server(server_config, |tls| {
        let mut got = [0u8; 4];
        tls.read_exact(&mut got).expect("server reads");
        tls.write_all(b"pong").expect("server writes");
        tls.flush().expect("flushed");
        got
    });
    let client = client_trusting(cert);
    let mut stream = TurnStream::connect(addr, Some(&client)).expect("tls");
    // Written before the handshake finished: rustls holds it until then.
    stream.write(b"ping").expect("write");
    assert_eq!(read_until(&mut stream, 4).expect("read"), b"pong");
    assert_eq!(&server.join().expect("server thread"), b"ping");
}

#[test]
fn tls_refuses_a_server_it_does_not_trust() {
    let (_, server_config) = certificate();
    // The client aborts the handshake with an alert: the server never gets a byte.
    let (addr, server) = tls_server(server_config, |tls| tls.read(&mut [0u8; 1]).is_err());
    let (other, _) = certificate();
    let mut stream = TurnStream::connect(addr, Some(&client_trusting(other))).expect("tcp");
    let refused = read_until(&mut stream, 1).expect_err("untrusted");
    assert!(refused.to_string().contains("invalid peer certificate"), "{refused}");
    drop(stream);
    assert!(server.join().expect("server thread"));
}

#[test]
fn tls_refuses_a_trusted_certificate_for_another_name() {
    let (cert, server_config) = certificate();
    let (addr, server) = tls_server(server_config, |tls| tls.read(&mut [0u8; 1]).is_err());
    let mut client = client_trusting(cert);
    client.name = ServerName::try_from("turn.example").expect("a DNS name");
    let mut stream = TurnStream::connect(addr, Some(&client)).expect("tcp");
    let refused = read_until(&mut stream, 1).expect_err("wrong name");
    assert!(refused.to_string().contains("invalid peer certificate"), "{refused}");
    drop(stream);
    assert!(server.join().expect("server thread"));
}

#[test]
fn tls_takes_a_burst_larger_than_rustls_holds_unread() {
    // rustls refuses more records once 16 KiB of plaintext wait unread: a reader that only
    // takes plaintext out after draining the socket would fail here.
    const BURST: usize = 64 * 1024;
    let (cert, server_config) = certificate();
    let (written, burst_sent) = std::sync::mpsc::channel();
    let (addr, server) = tls_server(server_config, move |tls| {
        // The handshake is done once our first byte arrives; then the burst goes out at once.
        tls.read_exact(&mut [0u8; 1]).expect("server reads");
        tls.write_all(&[7u8; BURST]).expect("server writes");
        tls.flush().expect("flushed");
        written.send(()).expect("the test waits");
        // Keep the connection until the client has read it all.
        tls.read(&mut [0u8; 1]).ok()
    });
    let mut stream = TurnStream::connect(addr, Some(&client_trusting(cert))).expect("tls");
    stream.write(b"!").expect("write");
    // Drive the handshake until the server has handed the whole burst to the kernel; the
    // read after that finds all of it waiting.
    let end = Instant::now() + DEADLINE;
    let mut got = Vec::new();
    while burst_sent.try_recv().is_err() {
        assert!(Instant::now() < end, "the server never finished writing");
        stream.read(&mut got).expect("handshake");
        std::thread::sleep(Duration::from_millis(1));
    }
    let early = got.len();
    got.extend(read_until(&mut stream, BURST - early).expect("the whole burst"));
    assert_eq!(got.len(), BURST, "{early} bytes came before the burst was complete");
    drop(stream);
    let _ = server.join();
}
