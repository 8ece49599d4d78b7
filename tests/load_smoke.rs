//! `continuum load` end to end, briefly: the real server (SQLite, the four authority plugins)
//! and the echo server in-process, the mix at a low open-loop rate for two seconds. No speed is
//! asserted; what is asserted is that the tool's requests are all valid, its correctness checks
//! pass, and its report and plot are written whole.

use std::time::Duration;

use continuum::load::{self, Credentials, Load, Op};

use crate::server::{Backend, SECRET, TestServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_mixed_run_is_clean_checked_and_reported() {
    let server = TestServer::start(Backend::Sqlite).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let echo_addr = listener.local_addr().unwrap();
    let (stop_echo, stopped) = tokio::sync::oneshot::channel::<()>();
    let echo = tokio::spawn(continuum::echo::serve(listener, async {
        let _ = stopped.await;
    }));
    let out = tempfile::tempdir().unwrap();

    let mut config = load::Config::new(
        server.addr.to_string(),
        Credentials::Secret(SECRET.to_vec()),
    );
    config.echo = Some(echo_addr.to_string());
    config.seed = 40;
    config.load = Load::Open { rate: 50.0 };
    config.duration = Duration::from_secs(2);
    config.out_dir = Some(out.path().to_owned());
    let report = load::run(config).await.unwrap();
    println!("{}", report.table());

    // Every request the tool made was valid for its authority, and nothing was left undone.
    let seed = report.seed.as_ref().unwrap();
    assert!(seed.errors.is_empty(), "seeding errors: {:?}", seed.errors);
    assert_eq!(seed.referrals, 40);
    assert_eq!(report.errors(), 0, "errors:\n{}", report.table());
    assert_eq!(report.run.skipped + report.run.unfinished, 0);
    assert_eq!(report.config.authorities.len(), 4);

    // No acknowledged write lost, none applied twice, retries idempotent.
    let checks = report.checks.as_ref().unwrap();
    assert!(checks.passed, "{checks:#?}");
    assert!(
        checks.acknowledged_creates > 40,
        "the run created referrals too"
    );
    assert_eq!(checks.readable.checked, checks.acknowledged_creates);
    assert_eq!(checks.readable.readable, checks.acknowledged_creates);
    assert!(checks.idempotent_retries.retried > 0);
    assert_eq!(
        checks.idempotent_retries.same_resource,
        checks.idempotent_retries.retried
    );
    assert!(checks.applied_once.complete);
    assert_eq!(checks.applied_once.applied_twice, 0);
    assert_eq!(checks.applied_once.not_seen, 0);

    // The JSON report is whole: every call of the mix, with its figures and its share of echo.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("report.json")).unwrap()).unwrap();
    let echo_ops = &json["echo"]["ops"]["echo"];
    assert!(echo_ops["count"].as_u64().unwrap() > 0, "{echo_ops}");
    for (op, _) in Op::MIX {
        for call in op.calls() {
            let stats = &json["run"]["ops"][call.name()];
            assert!(
                stats["count"].as_u64().is_some_and(|n| n > 0),
                "{} made no {}: {stats}",
                op,
                call.name()
            );
            for figure in [
                "throughput_per_s",
                "p50_ms",
                "p90_ms",
                "p99_ms",
                "p99_9_ms",
                "max_ms",
            ] {
                assert!(
                    stats[figure].as_f64().is_some_and(|x| x > 0.0),
                    "{}.{figure}",
                    call.name()
                );
            }
            assert!(
                stats["share_of_echo"]["p50"].as_f64().is_some(),
                "{}",
                call.name()
            );
            assert!(stats["errors"].as_object().unwrap().is_empty());
        }
    }
    assert!(json["machine"]["cores"].as_u64().unwrap() >= 1);
    assert_eq!(json["checks"]["passed"], serde_json::Value::Bool(true));
    assert_eq!(json["config"]["load"]["mode"], "open");

    // The plot is an SVG document.
    let svg = std::fs::read_to_string(out.path().join("latency.svg")).unwrap();
    assert!(
        svg.starts_with("<svg") || svg.starts_with("<?xml"),
        "{}",
        &svg[..svg.len().min(80)]
    );
    assert!(svg.contains("get-case"), "the plot labels its curves");

    let _ = stop_echo.send(());
    echo.await.unwrap().unwrap();
    server.stop().await;
}

/// The deadline views on cases seeded for them (backdated, allocated, some contacted): every
/// page and every summary passes the tool's checks of it, and each filter is measured.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deadline_views_run_clean_on_allocated_cases() {
    let server = TestServer::start(Backend::Sqlite).await.unwrap();
    for (op, seed) in [(Op::ListDeadlines, 40), (Op::ComplianceSummary, 0)] {
        let mut config = load::Config::new(
            server.addr.to_string(),
            Credentials::Secret(SECRET.to_vec()),
        );
        config.op = op;
        config.seed = seed;
        config.load = Load::Closed { concurrency: 4 };
        config.duration = Duration::from_secs(1);
        let report = load::run(config).await.unwrap();
        println!("{}", report.table());

        let summary = report.seed.as_ref().unwrap();
        assert!(
            summary.errors.is_empty(),
            "seeding errors: {:?}",
            summary.errors
        );
        if seed > 0 {
            assert_eq!(summary.allocated, 40, "every seeded case is allocated");
            assert!(summary.contacts > 0);
            let deadlines: u64 = summary.deadlines.values().flat_map(|s| s.values()).sum();
            assert!(deadlines > 0, "{:?}", summary.deadlines);
        }
        assert_eq!(report.errors(), 0, "errors:\n{}", report.table());
        assert!(report.passed());
        for call in op.calls() {
            if call.name() == "deadlines-next-page" {
                continue; // only when a filter has more than a page
            }
            let stats = &report.run.ops[call.name()];
            assert!(stats.count > 0, "{op} made no {}", call.name());
        }
    }
    server.stop().await;
}
