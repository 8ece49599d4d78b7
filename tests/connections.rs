//! Connection limits: thousands of idle sockets do not keep a legitimate client out, a socket
//! that never sends a request is closed at the handshake timeout, at the connection limit the
//! next connection waits until one closes, and a server out of file descriptors backs off
//! instead of spinning on a core.

use std::time::{Duration, Instant};

use continuum::RunningServer;
use continuum::config::{KeySource, ServerConfig};
use continuum::pb;
use continuum::pb::case_service_client::CaseServiceClient;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tonic::Code;
use tonic::transport::Channel;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

use crate::server::{SECRET, WORCESTERSHIRE, as_practitioner};
use crate::support::plugin_dir;

/// A plaintext server over SQLite with `tweak` applied to its configuration.
async fn start(db: &std::path::Path, tweak: impl FnOnce(&mut ServerConfig)) -> RunningServer {
    let mut config = ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: format!("sqlite://{}", db.join("c.db").display()),
        plugins_dir: plugin_dir().to_owned(),
        keys: KeySource::Secret(SECRET.to_vec()),
        ..Default::default()
    };
    tweak(&mut config);
    continuum::start(&config).await.unwrap()
}

async fn channel(server: &RunningServer) -> Channel {
    Channel::from_shared(format!("http://{}", server.addr))
        .unwrap()
        .connect()
        .await
        .unwrap()
}

async fn health(channel: Channel) {
    HealthClient::new(channel)
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .unwrap();
}

/// An authenticated GetCase of a case that does not exist: served when it answers NOT_FOUND.
async fn get_missing_case(channel: Channel) {
    let status = CaseServiceClient::new(channel)
        .get_case(as_practitioner(
            WORCESTERSHIRE,
            pb::GetCaseRequest {
                name: format!(
                    "authorities/{WORCESTERSHIRE}/cases/{}",
                    uuid::Uuid::now_v7()
                ),
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound, "{status:?}");
}

/// Resident memory of this process (client and server both), in MiB.
fn rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}

/// True while the server has not closed `stream`: what it sent (its HTTP/2 settings) is read
/// and no end of stream follows.
fn still_open(stream: &TcpStream) -> bool {
    let mut buffer = [0u8; 1024];
    loop {
        match stream.try_read(&mut buffer) {
            Ok(0) => return false,
            Ok(_) => continue,
            Err(e) => return e.kind() == std::io::ErrorKind::WouldBlock,
        }
    }
}

/// Read until the server closes `stream`; whatever was read before the end is ignored.
async fn end_of_stream(stream: &mut TcpStream) -> std::io::Result<()> {
    let mut buffer = [0u8; 1024];
    while stream.read(&mut buffer).await? > 0 {}
    Ok(())
}

const IDLE_CONNECTIONS: usize = 5_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_thousand_idle_connections_do_not_keep_a_client_out() {
    // This process holds both ends of every connection, and the server's files besides.
    let needed = 2 * IDLE_CONNECTIONS as u64 + 512;
    let files = continuum::transport::raise_open_files_limit().unwrap();
    if files < needed {
        println!(
            "SKIPPED: {IDLE_CONNECTIONS} idle connections need {needed} open files in this process, and its hard limit is {files} (raise it with `ulimit -Hn`)"
        );
        return;
    }
    let db = tempfile::tempdir().unwrap();
    // The handshake timeout is longer than the test, so every idle socket is held throughout.
    let server = start(db.path(), |config| {
        config.handshake_timeout = Some(Duration::from_secs(60));
    })
    .await;
    let rss_before = rss_mib();

    let opening = Instant::now();
    let mut idle = Vec::with_capacity(IDLE_CONNECTIONS);
    for _ in 0..IDLE_CONNECTIONS {
        idle.push(TcpStream::connect(server.addr).await.unwrap());
    }
    let opened_in = opening.elapsed();
    // Wait until the server has accepted them all.
    while server.connections.open() < IDLE_CONNECTIONS {
        assert!(
            opening.elapsed() < Duration::from_secs(20),
            "not all accepted"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let accepted_in = opening.elapsed();
    let rss_held = rss_mib();

    let calling = Instant::now();
    let legitimate = channel(&server).await;
    health(legitimate.clone()).await;
    let health_in = calling.elapsed();
    let calling = Instant::now();
    get_missing_case(legitimate).await;
    let get_case_in = calling.elapsed();
    let served_in = health_in + get_case_in;

    let held = idle.iter().filter(|stream| still_open(stream)).count();
    println!(
        "{IDLE_CONNECTIONS} idle connections opened in {opened_in:?}, all accepted after {accepted_in:?}, \
         {} open at the server (limit {}); with them held, a new client's connect and health check took \
         {health_in:?} and an authenticated GetCase {get_case_in:?}; {held} idle connections still open; \
         resident memory of the test process {:.0} MiB before, {:.0} MiB holding them",
        server.connections.open(),
        server.connections.max(),
        rss_before.unwrap_or(f64::NAN),
        rss_held.unwrap_or(f64::NAN),
    );
    assert_eq!(held, IDLE_CONNECTIONS, "the idle connections were held");
    assert!(
        served_in < Duration::from_secs(3),
        "the legitimate client waited {served_in:?}"
    );
    drop(idle);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_sends_no_request_is_closed_at_the_handshake_timeout() {
    let timeout = Duration::from_millis(500);
    let db = tempfile::tempdir().unwrap();
    let server = start(db.path(), |config| config.handshake_timeout = Some(timeout)).await;

    let opened = Instant::now();
    let mut silent = TcpStream::connect(server.addr).await.unwrap();
    tokio::time::timeout(timeout + Duration::from_secs(2), end_of_stream(&mut silent))
        .await
        .expect("closed within the timeout and a margin")
        .unwrap();
    let closed_after = opened.elapsed();
    assert!(closed_after >= timeout, "{closed_after:?}");
    println!(
        "a silent connection was closed {closed_after:?} after it was opened (timeout {timeout:?})"
    );

    // A connection that has made a request is then kept for the idle timeout instead.
    let client = channel(&server).await;
    health(client.clone()).await;
    tokio::time::sleep(timeout * 3).await;
    let accepted = server.connections.accepted();
    health(client).await;
    assert_eq!(
        server.connections.accepted(),
        accepted,
        "served on the same connection"
    );
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_connection_limit_the_next_waits_until_one_closes() {
    const MAX: usize = 4;
    let db = tempfile::tempdir().unwrap();
    let server = start(db.path(), |config| {
        config.max_connections = Some(MAX);
        config.handshake_timeout = Some(Duration::from_secs(30));
    })
    .await;
    assert_eq!(server.connections.max(), MAX);

    let mut idle = Vec::new();
    for _ in 0..MAX {
        idle.push(TcpStream::connect(server.addr).await.unwrap());
    }
    let started = Instant::now();
    while server.connections.open() < MAX {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "not all accepted"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // One more client: its connection waits in the listen backlog, unserved.
    let addr = server.addr;
    let waiting = tokio::spawn(async move {
        let channel = Channel::from_shared(format!("http://{addr}"))
            .unwrap()
            .connect()
            .await
            .unwrap();
        health(channel).await;
        Instant::now()
    });
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(!waiting.is_finished(), "served past the connection limit");
    assert_eq!(server.connections.open(), MAX);

    // One closes: the waiting client is accepted and served.
    let closed_at = Instant::now();
    drop(idle.pop());
    let served_at = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("served once a connection closed")
        .unwrap();
    println!(
        "at the limit of {MAX}, a waiting client was served {:?} after a connection closed",
        served_at - closed_at
    );

    // The rest close; the server serves as usual.
    drop(idle);
    for _ in 0..MAX + 2 {
        health(channel(&server).await).await;
    }
    let recovered = Instant::now();
    while server.connections.open() > 0 {
        assert!(
            recovered.elapsed() < Duration::from_secs(5),
            "{} still open",
            server.connections.open()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.stop().await.unwrap();
}

/// A child process, killed if the test ends before it does.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// CPU time (user and system) the process `pid` has used, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name in parentheses; utime and stime are the 14th and 15th.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn out_of_file_descriptors_the_accept_loop_backs_off_and_recovers() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};

    // The server may open 128 files (`ulimit -n` sets the hard limit too, so start-up cannot
    // raise it), and is allowed more connections than that: accepting fails with EMFILE.
    const FILES: usize = 128;
    const CONNECTIONS: usize = 2 * FILES;
    let dir = tempfile::tempdir().unwrap();
    let script = format!(
        "ulimit -n {FILES} && exec \"$0\" serve --listen 127.0.0.1:0 --max-connections 10000"
    );
    let mut server = Child(
        Command::new("sh")
            .args(["-c", &script, env!("CARGO_BIN_EXE_continuum")])
            .env(
                "DATABASE_URL",
                format!("sqlite://{}", dir.path().join("c.db").display()),
            )
            .env("CONTINUUM_JWT_SECRET", std::str::from_utf8(SECRET).unwrap())
            .env("CONTINUUM_PLUGINS_DIR", plugin_dir())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut lines = std::io::BufReader::new(server.0.stdout.take().unwrap()).lines();
    let listening = lines.next().unwrap().unwrap();
    let addr = listening.rsplit(' ').next().unwrap().to_owned();

    let mut idle = Vec::new();
    for _ in 0..CONNECTIONS {
        idle.push(TcpStream::connect(&addr).await.unwrap());
    }
    // The server has run out of files and keeps failing to accept the rest of the backlog.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let ticks = cpu_ticks(server.0.id());
    let measured = Instant::now();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let used = cpu_ticks(server.0.id()) - ticks;
    let per_second = used as f64 / measured.elapsed().as_secs_f64();
    println!(
        "out of file descriptors ({CONNECTIONS} connections, {FILES} files), the server used {used} clock ticks of CPU in {:?} ({per_second:.1} per second; a spinning core is about 100)",
        measured.elapsed()
    );
    assert!(
        per_second < 25.0,
        "the accept loop spins: {per_second:.1} ticks/s"
    );

    // The connections close: files come back and a client is served within the backoff.
    drop(idle);
    let recovering = Instant::now();
    let channel = Channel::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect_timeout(Duration::from_secs(5))
        .connect()
        .await
        .unwrap();
    tokio::time::timeout(Duration::from_secs(10), health(channel))
        .await
        .expect("served once files were free");
    println!(
        "served {:?} after the connections closed",
        recovering.elapsed()
    );

    Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .unwrap();
    assert!(server.0.wait().unwrap().success());
}
