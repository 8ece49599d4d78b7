//! SIGTERM drains: the process stops accepting, finishes what is in flight (up to a bound) and
//! exits cleanly.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::ServeProcess;

/// `continuum serve` on a fresh SQLite file in `dir`, with `flags`.
fn serve(dir: &std::path::Path, flags: &[&str]) -> ServeProcess {
    ServeProcess::start(|c| {
        c.args(flags)
            .env(
                "DATABASE_URL",
                format!("sqlite://{}", dir.join("c.db").display()),
            )
            .env(
                "CONTINUUM_JWT_SECRET",
                "a-secret-of-at-least-32-bytes-0123456789",
            );
    })
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    // Started: it said it listens.
    let mut server = serve(dir.path(), &[]);
    let started = Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
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
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let mut server = serve(dir.path(), &["--handshake-timeout", "1"]);
    let mut silent = std::net::TcpStream::connect(&server.addr).unwrap();
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
    server.kill();
    assert!(
        matches!(read, Ok(0))
            || matches!(&read, Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset),
        "the server closed the silent connection: {read:?} after {:?}",
        started.elapsed()
    );
}
