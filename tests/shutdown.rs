//! SIGTERM drains: the process stops accepting, finishes what is in flight (up to a bound) and
//! exits cleanly.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_continuum"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("c.db").display()),
        )
        .env(
            "CONTINUUM_JWT_SECRET",
            "a-secret-of-at-least-32-bytes-0123456789",
        )
        .env("CONTINUUM_PLUGINS_DIR", crate::support::plugin_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until it says it listens.
    use std::io::BufRead;
    let mut lines = std::io::BufReader::new(server.stdout.take().unwrap()).lines();
    let listening = lines.next().unwrap().unwrap();
    assert!(
        listening.starts_with("continuum listening on"),
        "{listening}"
    );
    let started = Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "still running 30 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

/// `--handshake-timeout` on the command line: a connection that sends nothing is closed by the
/// server once it passes.
#[test]
fn the_handshake_timeout_flag_closes_a_silent_connection() {
    use std::io::{BufRead, Read};
    let dir = tempfile::tempdir().unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_continuum"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--handshake-timeout",
            "1",
        ])
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("c.db").display()),
        )
        .env(
            "CONTINUUM_JWT_SECRET",
            "a-secret-of-at-least-32-bytes-0123456789",
        )
        .env("CONTINUUM_PLUGINS_DIR", crate::support::plugin_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(server.stdout.take().unwrap()).lines();
    let listening = lines.next().unwrap().unwrap();
    let addr = listening
        .strip_prefix("continuum listening on ")
        .unwrap()
        .to_owned();
    let mut silent = std::net::TcpStream::connect(&addr).unwrap();
    // Generous: the point is that it is closed, not how fast.
    silent
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let started = Instant::now();
    // The server speaks first (its HTTP/2 settings); then, at the timeout, it closes.
    let mut buf = [0u8; 256];
    let read = loop {
        match silent.read(&mut buf) {
            Ok(n) if n > 0 => continue,
            other => break other,
        }
    };
    let _ = server.kill();
    let _ = server.wait();
    assert!(
        matches!(read, Ok(0))
            || matches!(&read, Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset),
        "the server closed the silent connection: {read:?} after {:?}",
        started.elapsed()
    );
}
