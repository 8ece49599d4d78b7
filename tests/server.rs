//! A real server for API tests: `continuum::start` on 127.0.0.1:0 with the workspace's real
//! plugin libraries, over SQLite (a fresh file) or PostgreSQL (a fresh database on the server
//! named by `CONTINUUM_TEST_POSTGRES_URL`), called through the generated gRPC clients.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use continuum::Clock;

use continuum::RunningServer;
use continuum::auth::{Role, mint_hs256};
use continuum::config::{KeySource, ServerConfig};
use continuum::pb::authority_service_client::AuthorityServiceClient;
use continuum::pb::case_service_client::CaseServiceClient;
use continuum::pb::meeting_service_client::MeetingServiceClient;
use continuum::pb::panel_service_client::PanelServiceClient;
use continuum::pb::referral_service_client::ReferralServiceClient;
use tonic::Request;
use tonic::transport::Channel;

use crate::support::plugin_dir;

pub const SECRET: &[u8] = b"test-secret-test-secret-test-secret-0123456789";
pub const WORCESTERSHIRE: &str = "E10000034";
pub const CARMARTHENSHIRE: &str = "W06000010";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The server's clock: the system's until a test sets it, so a test can run a case through
/// weeks of deadlines without sleeping.
#[derive(Debug, Default)]
pub struct TestClock(Mutex<Option<DateTime<Utc>>>);

impl TestClock {
    /// From now on the server's time is `at`.
    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap() = Some(at);
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.lock().unwrap().unwrap_or_else(Utc::now)
    }
}

pub struct TestServer {
    pub server: Option<RunningServer>,
    pub clock: Arc<TestClock>,
    pub addr: SocketAddr,
    pub database_url: String,
    _dir: tempfile::TempDir,
    drop_database: Option<(String, String)>,
}

impl TestServer {
    /// Start a server on `backend`; `None` (after saying so) when PostgreSQL is not configured.
    pub async fn start(backend: Backend) -> Option<TestServer> {
        let dir = tempfile::tempdir().unwrap();
        let (database_url, drop_database) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}", dir.path().join("continuum.db").display()),
                None,
            ),
            Backend::Postgres => {
                let Ok(base) = std::env::var("CONTINUUM_TEST_POSTGRES_URL") else {
                    eprintln!(
                        "SKIPPED on PostgreSQL: CONTINUUM_TEST_POSTGRES_URL is not set (SQLite run only)"
                    );
                    return None;
                };
                let name = format!("continuum_test_{}", uuid::Uuid::new_v4().simple());
                admin(&base, &format!("CREATE DATABASE {name}")).await;
                let url = match base.rfind('/') {
                    Some(i) if i > "postgres://".len() => format!("{}/{name}", &base[..i]),
                    _ => format!("{base}/{name}"),
                };
                (url, Some((base, name)))
            }
        };
        let config = ServerConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            database_url: database_url.clone(),
            plugins_dir: plugin_dir().to_owned(),
            keys: KeySource::Secret(SECRET.to_vec()),
            ..Default::default()
        };
        let clock = Arc::new(TestClock::default());
        let server = continuum::start_with_clock(&config, clock.clone())
            .await
            .expect("the server starts");
        let addr = server.addr;
        Some(TestServer {
            server: Some(server),
            clock,
            addr,
            database_url,
            _dir: dir,
            drop_database,
        })
    }

    pub async fn channel(&self) -> Channel {
        Channel::from_shared(format!("http://{}", self.addr))
            .unwrap()
            .connect()
            .await
            .unwrap()
    }

    pub async fn referrals(&self) -> ReferralServiceClient<Channel> {
        ReferralServiceClient::new(self.channel().await)
    }

    pub async fn cases(&self) -> CaseServiceClient<Channel> {
        CaseServiceClient::new(self.channel().await)
    }

    pub async fn meetings(&self) -> MeetingServiceClient<Channel> {
        MeetingServiceClient::new(self.channel().await)
    }

    pub async fn authorities(&self) -> AuthorityServiceClient<Channel> {
        AuthorityServiceClient::new(self.channel().await)
    }

    pub async fn panels(&self) -> PanelServiceClient<Channel> {
        PanelServiceClient::new(self.channel().await)
    }

    /// Rows in every record table, read straight from the database.
    pub async fn row_counts(&self) -> [u64; 5] {
        let store = continuum_storage::Store::connect(&self.database_url)
            .await
            .unwrap();
        continuum_storage::count_all(store.db()).await.unwrap()
    }

    pub async fn stop(mut self) {
        if let Some(server) = self.server.take() {
            server.stop().await.unwrap();
        }
        if let Some((base, name)) = self.drop_database.take() {
            admin(
                &base,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await;
        }
    }
}

async fn admin(base_url: &str, sql: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(base_url)
        .await
        .expect("connect to CONTINUUM_TEST_POSTGRES_URL");
    sqlx::query(sql)
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// A bearer token for a caller of `authority` with `role`.
pub fn token(subject: &str, authority: &str, role: Role) -> String {
    mint_hs256(SECRET, subject, authority, role, 3600).unwrap()
}

/// A request carrying a practitioner's token for `authority`.
pub fn as_practitioner<T>(authority: &str, message: T) -> Request<T> {
    with_token(&token("alice", authority, Role::Practitioner), message)
}

pub fn with_token<T>(token: &str, message: T) -> Request<T> {
    let mut request = Request::new(message);
    request
        .metadata_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    request
}

/// Run a test body against SQLite, and against PostgreSQL when one is configured.
macro_rules! on_each_backend {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let server = crate::server::TestServer::start(crate::server::Backend::Sqlite)
                    .await
                    .unwrap();
                super::$name(&server).await;
                server.stop().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(server) =
                    crate::server::TestServer::start(crate::server::Backend::Postgres).await
                else {
                    return;
                };
                super::$name(&server).await;
                server.stop().await;
            }
        }
    };
}
pub(crate) use on_each_backend;

/// The etag a case has now, for a test that changes a case it did not just read.
pub async fn case_etag(server: &TestServer, authority: &str, name: &str) -> String {
    server
        .cases()
        .await
        .get_case(as_practitioner(
            authority,
            continuum::pb::GetCaseRequest { name: name.into() },
        ))
        .await
        .unwrap()
        .into_inner()
        .etag
}

/// A fresh PostgreSQL database on the server `CONTINUUM_TEST_POSTGRES_URL` names, for a test
/// that runs the service itself; dropped by [`TempDatabase::drop`].
pub struct TempDatabase {
    pub url: String,
    base: String,
    name: String,
}

impl TempDatabase {
    /// `None` (after saying so) when PostgreSQL is not configured.
    pub async fn create() -> Option<TempDatabase> {
        let Ok(base) = std::env::var("CONTINUUM_TEST_POSTGRES_URL") else {
            eprintln!("SKIPPED on PostgreSQL: CONTINUUM_TEST_POSTGRES_URL is not set");
            return None;
        };
        let name = format!("continuum_test_{}", uuid::Uuid::new_v4().simple());
        admin(&base, &format!("CREATE DATABASE {name}")).await;
        let url = match base.rfind('/') {
            Some(i) if i > "postgres://".len() => format!("{}/{name}", &base[..i]),
            _ => format!("{base}/{name}"),
        };
        Some(TempDatabase { url, base, name })
    }

    pub async fn drop(self) {
        admin(
            &self.base,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        )
        .await;
    }
}
