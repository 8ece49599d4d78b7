//! TLS and mutual TLS on the server's own accept path: a round trip, refusals that fail at once
//! (never hang), a stalled handshake dropped without holding up others, and a certificate
//! reloaded without a restart. Certificates are made at test time (rcgen) in a temporary
//! directory.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use continuum::RunningServer;
use continuum::config::{KeySource, ServerConfig};
use continuum::pb;
use continuum::pb::authority_service_client::AuthorityServiceClient;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use tokio::io::AsyncReadExt;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Identity};
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

use crate::server::{SECRET, WORCESTERSHIRE, as_practitioner};
use crate::support::plugin_dir;

/// A certificate authority made for one test.
pub struct Ca {
    pub pem: String,
    issuer: Issuer<'static, KeyPair>,
}

/// A certificate and its private key, in PEM.
pub struct Leaf {
    pub cert: String,
    pub key: String,
}

impl Ca {
    pub fn new(name: &str) -> Ca {
        let mut params = CertificateParams::new(Vec::new()).unwrap();
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        Ca {
            pem: cert.pem(),
            issuer: Issuer::new(params, key),
        }
    }

    /// A server certificate for `localhost` and 127.0.0.1.
    pub fn server(&self, name: &str) -> Leaf {
        self.leaf(
            name,
            vec!["localhost".into(), "127.0.0.1".into()],
            ExtendedKeyUsagePurpose::ServerAuth,
        )
    }

    /// A client certificate.
    pub fn client(&self, name: &str) -> Leaf {
        self.leaf(name, Vec::new(), ExtendedKeyUsagePurpose::ClientAuth)
    }

    fn leaf(&self, name: &str, names: Vec<String>, usage: ExtendedKeyUsagePurpose) -> Leaf {
        let mut params = CertificateParams::new(names).unwrap();
        params.distinguished_name.push(DnType::CommonName, name);
        params.extended_key_usages = vec![usage];
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        Leaf {
            cert: cert.pem(),
            key: key.serialize_pem(),
        }
    }
}

/// The server's TLS files in a directory of their own.
pub struct Files {
    pub dir: tempfile::TempDir,
}

impl Files {
    pub fn new(server: &Leaf) -> Files {
        let files = Files {
            dir: tempfile::tempdir().unwrap(),
        };
        files.write(server);
        files
    }

    pub fn cert(&self) -> PathBuf {
        self.dir.path().join("server.pem")
    }

    pub fn key(&self) -> PathBuf {
        self.dir.path().join("server.key")
    }

    /// Replace the certificate and key as an operator (or cert-manager) would: each file
    /// written whole and renamed into place, the key first.
    pub fn write(&self, server: &Leaf) {
        replace(&self.key(), &server.key);
        replace(&self.cert(), &server.cert);
    }
}

fn replace(path: &Path, contents: &str) {
    let temporary = path.with_extension("new");
    std::fs::write(&temporary, contents).unwrap();
    std::fs::rename(&temporary, path).unwrap();
}

/// A server over SQLite serving TLS with `files`, requiring client certificates signed by
/// `client_ca` when given.
pub async fn start_tls(
    db: &Path,
    files: &Files,
    client_ca: Option<&Path>,
    reload_interval: Duration,
) -> RunningServer {
    continuum::start(&ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: format!("sqlite://{}", db.join("c.db").display()),
        plugins_dir: plugin_dir().to_owned(),
        keys: KeySource::Secret(SECRET.to_vec()),
        tls_cert: Some(files.cert()),
        tls_key: Some(files.key()),
        tls_client_ca: client_ca.map(Path::to_owned),
        tls_reload_interval: Some(reload_interval),
        handshake_timeout: Some(Duration::from_secs(2)),
        ..Default::default()
    })
    .await
    .unwrap()
}

/// A TLS channel to `server` trusting only `ca`, presenting `identity` when given.
async fn connect(
    server: &RunningServer,
    ca: &Ca,
    identity: Option<&Leaf>,
) -> Result<Channel, String> {
    let mut tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(&ca.pem))
        .domain_name("localhost");
    if let Some(leaf) = identity {
        tls = tls.identity(Identity::from_pem(&leaf.cert, &leaf.key));
    }
    Channel::from_shared(format!("https://{}", server.addr))
        .unwrap()
        .tls_config(tls)
        .map_err(|e| format!("{e:?}"))?
        .connect_timeout(Duration::from_secs(5))
        .connect()
        .await
        .map_err(|e| format!("connect: {e:?}"))
}

/// A health check on `channel`; an error (never a hang: at most 10 s) as text.
async fn health(channel: Channel) -> Result<(), String> {
    let mut client = HealthClient::new(channel);
    let check = client.check(HealthCheckRequest {
        service: String::new(),
    });
    match tokio::time::timeout(Duration::from_secs(10), check).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(status)) => Err(format!("{status:?}")),
        Err(_) => panic!("a health check hung for 10 s instead of failing"),
    }
}

/// Connect over TLS and check health: `Ok` if served.
async fn served(server: &RunningServer, ca: &Ca, identity: Option<&Leaf>) -> Result<(), String> {
    health(connect(server, ca, identity).await?).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_round_trip_and_a_plaintext_client_fails() {
    let db = tempfile::tempdir().unwrap();
    let ca = Ca::new("Continuum test CA");
    let files = Files::new(&ca.server("continuum"));
    let server = start_tls(db.path(), &files, None, Duration::from_secs(5)).await;
    assert!(server.tls.is_some());

    let channel = connect(&server, &ca, None).await.unwrap();
    health(channel.clone()).await.unwrap();
    let authority = AuthorityServiceClient::new(channel)
        .get_authority(as_practitioner(
            WORCESTERSHIRE,
            pb::GetAuthorityRequest {
                name: format!("authorities/{WORCESTERSHIRE}"),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(authority.name, format!("authorities/{WORCESTERSHIRE}"));

    // A plaintext HTTP/2 client on the TLS port is refused, at once.
    let plaintext = Channel::from_shared(format!("http://{}", server.addr))
        .unwrap()
        .connect_timeout(Duration::from_secs(5))
        .connect()
        .await;
    if let Ok(channel) = plaintext {
        health(channel).await.unwrap_err();
    }
    // A client trusting another CA refuses the server's certificate.
    let stranger = Ca::new("Another CA");
    served(&server, &stranger, None).await.unwrap_err();
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutual_tls_serves_only_clients_the_ca_signed() {
    let db = tempfile::tempdir().unwrap();
    let ca = Ca::new("Continuum test CA");
    let files = Files::new(&ca.server("continuum"));
    let clients = Ca::new("Continuum clients CA");
    let client_ca = files.dir.path().join("clients.pem");
    std::fs::write(&client_ca, &clients.pem).unwrap();
    let server = start_tls(db.path(), &files, Some(&client_ca), Duration::from_secs(5)).await;

    let partner = clients.client("partner-system");
    served(&server, &ca, Some(&partner)).await.unwrap();

    let started = Instant::now();
    let without = served(&server, &ca, None).await.unwrap_err();
    let other_ca = Ca::new("Someone else's CA");
    let impostor = other_ca.client("partner-system");
    let with_other = served(&server, &ca, Some(&impostor)).await.unwrap_err();
    println!(
        "refused without a client certificate ({without}) and with another CA's ({with_other}) in {:?}",
        started.elapsed()
    );
    // The signed client is still served after the refusals.
    served(&server, &ca, Some(&partner)).await.unwrap();
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_handshake_is_dropped_and_holds_up_no_one() {
    let db = tempfile::tempdir().unwrap();
    let ca = Ca::new("Continuum test CA");
    let files = Files::new(&ca.server("continuum"));
    let server = start_tls(db.path(), &files, None, Duration::from_secs(5)).await;

    // Connect and say nothing: the handshake never starts.
    let opened = Instant::now();
    let mut silent = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    // Meanwhile another client completes its handshake and is served.
    served(&server, &ca, None).await.unwrap();
    assert!(opened.elapsed() < Duration::from_secs(2), "served at once");
    // The silent one is closed at the handshake timeout (2 s here).
    let mut byte = [0u8; 1];
    let read = tokio::time::timeout(Duration::from_secs(6), silent.read(&mut byte))
        .await
        .expect("closed within the timeout and a margin");
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    let closed_after = opened.elapsed();
    println!("a silent TLS connection was closed after {closed_after:?}");
    assert!(
        closed_after >= Duration::from_millis(1900),
        "{closed_after:?}"
    );
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_certificate_is_served_without_a_restart() {
    let db = tempfile::tempdir().unwrap();
    let old_ca = Ca::new("Old CA");
    let files = Files::new(&old_ca.server("continuum-2025"));
    let server = start_tls(db.path(), &files, None, Duration::from_millis(100)).await;
    let old_channel = connect(&server, &old_ca, None).await.unwrap();
    health(old_channel.clone()).await.unwrap();

    // The certificate is replaced, by a new CA's, with a new subject.
    let new_ca = Ca::new("New CA");
    let replaced = Instant::now();
    files.write(&new_ca.server("continuum-2026"));
    let reloaded_after = loop {
        if served(&server, &new_ca, None).await.is_ok() {
            break replaced.elapsed();
        }
        assert!(
            replaced.elapsed() < Duration::from_secs(5),
            "the new certificate was not served within 5 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    println!("the new certificate was served {reloaded_after:?} after the files were replaced");
    // New connections no longer get the old certificate; the connection made before goes on.
    served(&server, &old_ca, None).await.unwrap_err();
    health(old_channel).await.unwrap();

    // A reload that fails (a file that is not PEM) keeps the certificate in use...
    std::fs::write(files.cert(), "not a certificate").unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    served(&server, &new_ca, None).await.unwrap();
    assert!(server.reload_tls().is_err());
    served(&server, &new_ca, None).await.unwrap();
    // ...and a reload asked for (as SIGHUP does) takes good files at once.
    let third_ca = Ca::new("Third CA");
    let third = third_ca.server("continuum-2027");
    std::fs::write(files.key(), &third.key).unwrap();
    std::fs::write(files.cert(), &third.cert).unwrap();
    server.reload_tls().unwrap();
    served(&server, &third_ca, None).await.unwrap();
    server.stop().await.unwrap();
}
