//! The README's Python event consumer, run as written against a real server: it sees the
//! authority's events in order, and resumes after the cursor it printed last.

use std::process::Command;

use crate::api_journey::{describe, referral};
use crate::server::{Backend, TestServer, WORCESTERSHIRE, as_practitioner, token};

/// The README's first Python block.
fn readme_client() -> String {
    let readme = include_str!("../README.md");
    let start = readme
        .find("```python\n")
        .expect("a Python block in the README")
        + 10;
    let end = start + readme[start..].find("```").expect("the block's end");
    readme[start..end].to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_python_client_follows_the_stream() {
    let ready = Command::new("python3")
        .args(["-c", "import grpc, grpc_tools"])
        .output();
    if !ready.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "SKIPPED the README's Python client: python3 with grpcio and grpcio-tools is not available"
        );
        return;
    }
    let server = TestServer::start(Backend::Sqlite).await.unwrap();
    let d = describe(&server, WORCESTERSHIRE).await;
    let mut referrals = server.referrals().await;
    let mut created = Vec::new();
    for _ in 0..3 {
        created.push(
            referrals
                .create_referral(as_practitioner(
                    WORCESTERSHIRE,
                    continuum::pb::CreateReferralRequest {
                        parent: format!("authorities/{WORCESTERSHIRE}"),
                        referral: Some(referral(&d, 2)),
                        request_id: String::new(),
                    },
                ))
                .await
                .unwrap()
                .into_inner()
                .name,
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("watch.py");
    std::fs::write(&script, readme_client()).unwrap();
    let bearer = token(
        "reporting",
        WORCESTERSHIRE,
        continuum::auth::Role::Practitioner,
    );
    let args = |after: &str, count: &str| {
        vec![
            script.display().to_string(),
            server.addr.to_string(),
            bearer.clone(),
            WORCESTERSHIRE.to_owned(),
            after.to_owned(),
            count.to_owned(),
        ]
    };
    let first = run(args("", "2")).await;
    assert_eq!(first.len(), 2);
    assert_eq!((first[0][0].as_str(), first[1][0].as_str()), ("1", "2"));
    assert_eq!(first[0][1], "referral.created");
    assert_eq!(first[0][2], created[0]);
    // It resumes after the last cursor it printed.
    let resumed = run(args(&first[1][3], "1")).await;
    assert_eq!(resumed[0][0], "3");
    assert_eq!(resumed[0][2], created[2]);
    server.stop().await;
}

/// Run the client with `args`; its output lines, split into fields.
async fn run(args: Vec<String>) -> Vec<Vec<String>> {
    tokio::task::spawn_blocking(move || {
        let out = Command::new("python3")
            .args(&args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| l.split(' ').map(str::to_owned).collect())
            .collect()
    })
    .await
    .unwrap()
}
