//! Crashes and faults: acknowledged writes survive `kill -9`, exactly once; a database failure
//! in the middle of a transaction leaves nothing half-written; a database that goes away is
//! UNAVAILABLE, and the service recovers when it returns.
//!
//! `CONTINUUM_KILL_CYCLES` sets the kill -9 cycles (default 3; docs/reliability.md gives the
//! long run's command).

use std::collections::HashSet;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use continuum::auth::Role;
use continuum::pb;
use continuum::pb::referral_service_client::ReferralServiceClient;
use continuum_plugin_api::pb::AuthorityDescription;
use tonic::Code;
use tonic::transport::Channel;

use crate::api_journey::{describe, describe_on, referral};
use crate::server::{TestServer, WORCESTERSHIRE, on_each_backend, token, with_token};
use crate::support::ServeProcess;

/// `continuum serve` on `database_url`; its address once it listens.
fn serve(database_url: &str) -> (ServeProcess, String) {
    let server = ServeProcess::start(|c| {
        c.env("DATABASE_URL", database_url).env(
            "CONTINUUM_JWT_SECRET",
            std::str::from_utf8(crate::server::SECRET).unwrap(),
        );
    });
    let addr = server.addr.clone();
    (server, addr)
}

/// A connected channel to `addr`.
async fn channel(addr: impl std::fmt::Display) -> Channel {
    Channel::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap()
}

/// Worcestershire's description, as the server at `addr` gives it.
async fn worcestershire(addr: impl std::fmt::Display) -> AuthorityDescription {
    describe_on(channel(addr).await, WORCESTERSHIRE).await
}

fn practitioner() -> String {
    token("kim", WORCESTERSHIRE, Role::Practitioner)
}

/// Writers creating referrals as fast as they are answered, each with its own request id, until
/// the process dies under them: what was acknowledged, and what was sent but not answered.
async fn write_until_killed(
    addr: &str,
    template: pb::Referral,
    cycle: usize,
    server: &mut ServeProcess,
) -> (Vec<String>, Vec<String>) {
    let channel = channel(&addr).await;
    let acked = Arc::new(Mutex::new(Vec::new()));
    let unanswered = Arc::new(Mutex::new(Vec::new()));
    let mut writers = Vec::new();
    for w in 0..8 {
        let (channel, template) = (channel.clone(), template.clone());
        let (acked, unanswered) = (acked.clone(), unanswered.clone());
        writers.push(tokio::spawn(async move {
            let mut client = ReferralServiceClient::new(channel);
            for i in 0.. {
                let request_id = format!("kill-{cycle}-{w}-{i}");
                let answer = client
                    .create_referral(with_token(
                        &practitioner(),
                        pb::CreateReferralRequest {
                            parent: format!("authorities/{WORCESTERSHIRE}"),
                            referral: Some(template.clone()),
                            request_id: request_id.clone(),
                        },
                    ))
                    .await;
                match answer {
                    Ok(r) => acked.lock().unwrap().push(r.into_inner().name),
                    Err(_) => {
                        unanswered.lock().unwrap().push(request_id);
                        return;
                    }
                }
            }
        }));
    }
    // Let the writers get going, then kill the process without warning.
    tokio::time::sleep(Duration::from_millis(400 + 100 * (cycle as u64 % 5))).await;
    server.kill();
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let unanswered = unanswered.lock().unwrap().clone();
    (acked, unanswered)
}

/// Every referral's name in the authority, read page by page.
async fn all_referrals(addr: &str) -> Vec<String> {
    let channel = channel(&addr).await;
    let mut client = ReferralServiceClient::new(channel);
    let mut names = Vec::new();
    let mut page_token = String::new();
    loop {
        let page = client
            .list_referrals(with_token(
                &practitioner(),
                pb::ListReferralsRequest {
                    parent: format!("authorities/{WORCESTERSHIRE}"),
                    page_size: 500,
                    page_token,
                    ..Default::default()
                },
            ))
            .await
            .unwrap()
            .into_inner();
        names.extend(page.referrals.into_iter().map(|r| r.name));
        if page.next_page_token.is_empty() {
            return names;
        }
        page_token = page.next_page_token;
    }
}

/// kill -9 under write load, `CONTINUUM_KILL_CYCLES` times: after each restart every
/// acknowledged referral is there exactly once, a retry of each unanswered request makes at most
/// one more, the SQLite file passes `PRAGMA integrity_check`, and the audit and history chains
/// verify.
async fn acknowledged_writes_survive_kill_9(database_url: &str) {
    let cycles: usize = std::env::var("CONTINUUM_KILL_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let (mut server, addr) = serve(database_url);
    let template = referral(&worcestershire(&addr).await, 2);
    let mut expected: HashSet<String> = HashSet::new();
    let mut acked_total = 0;
    let mut addr = addr;
    for cycle in 0..cycles {
        let (acked, unanswered) =
            write_until_killed(&addr, template.clone(), cycle, &mut server).await;
        acked_total += acked.len();
        expected.extend(acked);
        let restarted = serve(database_url);
        server = restarted.0;
        addr = restarted.1;
        let stored = all_referrals(&addr).await;
        let unique: HashSet<&String> = stored.iter().collect();
        assert_eq!(unique.len(), stored.len(), "no referral is stored twice");
        for name in &expected {
            assert!(
                unique.contains(name),
                "cycle {cycle}: acknowledged {name} was lost"
            );
        }
        // Retrying what was never answered: each request id makes at most one referral, and the
        // retry's answer names it.
        let channel = channel(&addr).await;
        let mut client = ReferralServiceClient::new(channel);
        for request_id in unanswered {
            let created = client
                .create_referral(with_token(
                    &practitioner(),
                    pb::CreateReferralRequest {
                        parent: format!("authorities/{WORCESTERSHIRE}"),
                        referral: Some(template.clone()),
                        request_id,
                    },
                ))
                .await
                .unwrap()
                .into_inner();
            expected.insert(created.name);
        }
        let stored = all_referrals(&addr).await;
        assert_eq!(
            stored.len(),
            expected.len(),
            "cycle {cycle}: exactly the acknowledged and retried referrals are stored"
        );
    }
    server.kill();
    assert!(acked_total > 0, "writes were acknowledged before each kill");
    println!(
        "kill -9: {cycles} cycles, {acked_total} acknowledged writes checked, {} referrals stored",
        expected.len()
    );
    if let Some(path) = database_url.strip_prefix("sqlite://") {
        let output = Command::new("sqlite3")
            .args([path, "PRAGMA integrity_check"])
            .output();
        // sqlite3 may not be installed: check through the same library the service uses.
        let verdict = match output {
            Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_owned(),
            _ => {
                use sea_orm::{ConnectionTrait, Statement};
                let store = continuum_storage::Store::connect(database_url)
                    .await
                    .unwrap();
                let row = store
                    .db()
                    .query_one(Statement::from_string(
                        sea_orm::DbBackend::Sqlite,
                        "PRAGMA integrity_check",
                    ))
                    .await
                    .unwrap()
                    .unwrap();
                row.try_get_by_index::<String>(0).unwrap()
            }
        };
        assert_eq!(verdict, "ok", "PRAGMA integrity_check");
    }
    let verify = Command::new(env!("CARGO_BIN_EXE_continuum"))
        .args(["audit", "verify", "--database-url", database_url])
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "the chains verify after the crashes:\n{}",
        String::from_utf8_lossy(&verify.stdout)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("crash.db").display());
    acknowledged_writes_survive_kill_9(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9_on_postgres() {
    let Some(db) = crate::server::TempDatabase::create().await else {
        return;
    };
    acknowledged_writes_survive_kill_9(&db.url).await;
    db.drop().await;
}

/// A database failure in the middle of a change's transaction (after its record and history
/// rows, at its event-stream entry; then at its audit row) writes nothing of it: no record, no
/// history, no event; the caller is told it failed, and the next change succeeds.
async fn a_failure_mid_transaction_writes_nothing(server: &TestServer) {
    use sea_orm::ConnectionTrait;
    let d = describe(server, WORCESTERSHIRE).await;
    let store = continuum_storage::Store::connect(&server.database_url)
        .await
        .unwrap();
    let db = store.db();
    let sqlite = server.database_url.starts_with("sqlite:");
    let mut referrals = server.referrals().await;
    let create = |id: &str| {
        with_token(
            &practitioner(),
            pb::CreateReferralRequest {
                parent: format!("authorities/{WORCESTERSHIRE}"),
                referral: Some(referral(&d, 2)),
                request_id: id.into(),
            },
        )
    };
    referrals.create_referral(create("first")).await.unwrap();
    for table in ["outbox", "audit_events"] {
        let (fail, heal) = if sqlite {
            (
                format!(
                    "CREATE TRIGGER failpoint BEFORE INSERT ON {table} \
                     BEGIN SELECT RAISE(ABORT, 'failpoint'); END"
                ),
                "DROP TRIGGER failpoint".to_owned(),
            )
        } else {
            (
                format!(
                    "CREATE FUNCTION failpoint() RETURNS trigger LANGUAGE plpgsql AS \
                     $$ BEGIN RAISE EXCEPTION 'failpoint'; END $$; \
                     CREATE TRIGGER failpoint BEFORE INSERT ON {table} \
                     FOR EACH ROW EXECUTE FUNCTION failpoint()"
                ),
                format!("DROP TRIGGER failpoint ON {table}; DROP FUNCTION failpoint()"),
            )
        };
        let counts = server.row_counts().await;
        let events = count(db, "outbox").await;
        db.execute_unprepared(&fail).await.unwrap();
        let failed = referrals
            .create_referral(create(&format!("fails-at-{table}")))
            .await
            .unwrap_err();
        assert!(
            matches!(failed.code(), Code::Internal | Code::Unavailable),
            "{failed:?}"
        );
        assert_eq!(
            server.row_counts().await,
            counts,
            "no record, history or key"
        );
        assert_eq!(count(db, "outbox").await, events, "no event");
        db.execute_unprepared(&heal).await.unwrap();
        // The same request, retried once the database is well, is made once.
        let made = referrals
            .create_referral(create(&format!("fails-at-{table}")))
            .await
            .unwrap()
            .into_inner();
        assert!(made.name.starts_with("authorities/"));
        assert_eq!(count(db, "outbox").await, events + 1);
    }
}
on_each_backend!(a_failure_mid_transaction_writes_nothing);

async fn count(db: &sea_orm::DatabaseConnection, table: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let row = db
        .query_one(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) FROM {table}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// A TCP proxy to PostgreSQL that a test can cut and restore: the database "goes away" for the
/// service without stopping the server other tests share.
struct Proxy {
    port: u16,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Proxy {
    async fn start(port: u16, upstream: std::net::SocketAddr) -> Proxy {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        let task = tokio::spawn(async move {
            let mut pipes = tokio::task::JoinSet::new();
            while let Ok((mut inbound, _)) = listener.accept().await {
                pipes.spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        Proxy {
            port,
            task: Some(task),
        }
    }

    /// Close the listener and every connection through it.
    async fn cut(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }
}

/// PostgreSQL going away: calls answer UNAVAILABLE (at once or within the pool's 5 s wait),
/// never INTERNAL or a hang; when it returns, the service serves again without a restart, and
/// nothing acknowledged was lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_that_goes_away_is_unavailable_then_recovers() {
    use continuum::config::{KeySource, ServerConfig};
    let Some(db) = crate::server::TempDatabase::create().await else {
        return;
    };
    let upstream = "127.0.0.1:5432".parse().unwrap();
    let mut proxy = Proxy::start(0, upstream).await;
    let url = db
        .url
        .replace("127.0.0.1:5432", &format!("127.0.0.1:{}", proxy.port));
    assert_ne!(
        url, db.url,
        "the test database is reached through the proxy"
    );
    let server = continuum::start(&ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: url,
        plugins_dir: crate::support::plugin_dir().to_owned(),
        keys: KeySource::Secret(crate::server::SECRET.to_vec()),
        ..Default::default()
    })
    .await
    .unwrap();
    let channel = channel(server.addr).await;
    let mut referrals = ReferralServiceClient::new(channel);
    let d = worcestershire(server.addr).await;
    let create = |id: &str| {
        with_token(
            &practitioner(),
            pb::CreateReferralRequest {
                parent: format!("authorities/{WORCESTERSHIRE}"),
                referral: Some(referral(&d, 2)),
                request_id: id.into(),
            },
        )
    };
    let before = referrals
        .create_referral(create("before"))
        .await
        .unwrap()
        .into_inner();

    proxy.cut().await;
    for i in 0..1 {
        let started = std::time::Instant::now();
        let down = referrals
            .create_referral(create(&format!("while-down-{i}")))
            .await
            .unwrap_err();
        assert_eq!(down.code(), Code::Unavailable, "{down:?}");
        assert!(started.elapsed() < Duration::from_secs(15));
        let read = referrals
            .get_referral(with_token(
                &practitioner(),
                pb::GetReferralRequest {
                    name: before.name.clone(),
                },
            ))
            .await
            .unwrap_err();
        assert_eq!(read.code(), Code::Unavailable, "{read:?}");
        println!(
            "database away: a write and a read answered UNAVAILABLE in {:?}",
            started.elapsed()
        );
    }

    let _proxy = Proxy::start(proxy.port, upstream).await;
    let returned = std::time::Instant::now();
    let mut recovered = None;
    for _ in 0..50 {
        match referrals.create_referral(create("after")).await {
            Ok(r) => {
                recovered = Some(r.into_inner());
                break;
            }
            Err(status) => {
                assert_eq!(status.code(), Code::Unavailable, "{status:?}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    assert!(
        recovered.is_some(),
        "the service recovers when the database returns"
    );
    println!("database back: served again after {:?}", returned.elapsed());
    let again = referrals
        .get_referral(with_token(
            &practitioner(),
            pb::GetReferralRequest {
                name: before.name.clone(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        again.name, before.name,
        "what was acknowledged is still there"
    );
    let stopping = std::time::Instant::now();
    server.stop().await.unwrap();
    println!("stopped in {:?}", stopping.elapsed());
    db.drop().await;
}
