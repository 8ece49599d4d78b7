//! The schema migrates on a fresh database, and migrating again is a no-op.

use continuum_storage::Store;

use crate::server::{Backend, TestServer};

async fn migrates_twice(backend: Backend) {
    // TestServer::start migrates on start-up; migrate again through the command's own path.
    let Some(server) = TestServer::start(backend).await else {
        return;
    };
    let store = Store::connect(&server.database_url).await.unwrap();
    store.migrate().await.unwrap();
    store.migrate().await.unwrap();
    assert_eq!(
        continuum_storage::count_all(store.db()).await.unwrap(),
        [0; 5]
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    migrates_twice(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    migrates_twice(Backend::Postgres).await;
}

#[test]
fn the_migrate_command_creates_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("fresh.db").display());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_continuum"))
        .args(["migrate", "--database-url", &url])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(dir.path().join("fresh.db").is_file());
}
