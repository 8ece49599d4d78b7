//! Load on the running service: concurrent gRPC callers against the real server (SQLite file,
//! the four authority plugins) on loopback, for a bounded number of requests.
//!
//! Run: `cargo bench --bench load`. Prints throughput and latency percentiles for a read-only
//! call (AuthorityService/AssessThreshold) and a write (ReferralService/CreateReferral, one
//! transaction with its history event), and checks that every write landed exactly once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support.rs"]
#[allow(dead_code)]
mod support;

use std::time::{Duration, Instant};

use continuum::auth::{Role, mint_hs256};
use continuum::config::{KeySource, ServerConfig};
use continuum::pb;
use continuum_plugin_api::pb::{Concern, Consent, Domain, ThresholdRequest};
use tonic::Request;
use tonic::transport::Channel;

const CLIENTS: usize = 16;
const REQUESTS_PER_CLIENT: usize = 250;
const SECRET: &[u8] = b"load-test-secret-load-test-secret-0123456789";
const CODE: &str = "E10000034";

fn authed<T>(token: &str, message: T) -> Request<T> {
    let mut r = Request::new(message);
    r.metadata_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    r
}

fn report(name: &str, mut latencies: Vec<Duration>, elapsed: Duration) {
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "  {name:<16} {:>6} requests in {:>6.2} s: {:>7.0} req/s; p50 {:>6.2} ms, p99 {:>6.2} ms",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
    );
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let server = continuum::start(&ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: format!("sqlite://{}", dir.path().join("load.db").display()),
        plugins_dir: support::plugin_dir().to_owned(),
        keys: KeySource::Secret(SECRET.to_vec()),
    })
    .await
    .unwrap();
    let channel = Channel::from_shared(format!("http://{}", server.addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let token = mint_hs256(SECRET, "load", CODE, Role::Practitioner, 3600).unwrap();
    let description = pb::authority_service_client::AuthorityServiceClient::new(channel.clone())
        .get_authority(authed(
            &token,
            pb::GetAuthorityRequest {
                name: format!("authorities/{CODE}"),
            },
        ))
        .await
        .unwrap()
        .into_inner()
        .description
        .unwrap();
    let concerns: Vec<Concern> = description
        .indicators
        .iter()
        .step_by(description.indicators.len() / 12)
        .take(12)
        .map(|i| Concern {
            indicator_code: i.code.clone(),
            text: String::new(),
            domain: i.domain,
        })
        .collect();

    println!(
        "{CLIENTS} concurrent clients x {REQUESTS_PER_CLIENT} requests, one server, SQLite, loopback"
    );

    // Read-only: threshold assessments.
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (channel, token, concerns) = (channel.clone(), token.clone(), concerns.clone());
        tasks.push(tokio::spawn(async move {
            let mut client = pb::authority_service_client::AuthorityServiceClient::new(channel);
            let mut latencies = Vec::with_capacity(REQUESTS_PER_CLIENT);
            for _ in 0..REQUESTS_PER_CLIENT {
                let t = Instant::now();
                let request = pb::AssessThresholdRequest {
                    authority: format!("authorities/{CODE}"),
                    request: Some(ThresholdRequest {
                        concerns: concerns.clone(),
                        ..Default::default()
                    }),
                };
                client
                    .assess_threshold(authed(&token, request))
                    .await
                    .unwrap();
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.unwrap());
    }
    report("AssessThreshold", latencies, start.elapsed());

    // Writes: referrals, each with its history event and idempotency key.
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let (channel, token) = (channel.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut client = pb::referral_service_client::ReferralServiceClient::new(channel);
            let mut latencies = Vec::with_capacity(REQUESTS_PER_CLIENT);
            for i in 0..REQUESTS_PER_CLIENT {
                let referral = pb::Referral {
                    child: Some(pb::Child {
                        given_name: "A".into(),
                        family_name: "B".into(),
                        date_of_birth: "2018-01-01".into(),
                        ..Default::default()
                    }),
                    referrer: Some(pb::Referrer {
                        name: "R".into(),
                        agency: "School".into(),
                        role: "DSL".into(),
                        phone: "0".into(),
                        ..Default::default()
                    }),
                    concerns: vec![pb::Concern {
                        indicator_code: String::new(),
                        text: "attendance".into(),
                        domain: Domain::ChildDevelopmentalNeeds as i32,
                    }],
                    consent: Some(pb::ConsentRecord {
                        status: Consent::GivenVerbally as i32,
                        reason: String::new(),
                    }),
                    ..Default::default()
                };
                let request = pb::CreateReferralRequest {
                    parent: format!("authorities/{CODE}"),
                    referral: Some(referral),
                    request_id: format!("load-{c}-{i}"),
                };
                let t = Instant::now();
                client
                    .create_referral(authed(&token, request))
                    .await
                    .unwrap();
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.unwrap());
    }
    report("CreateReferral", latencies, start.elapsed());

    let counts = continuum_storage::count_all(server.state.store().db())
        .await
        .unwrap();
    assert_eq!(
        counts[0],
        (CLIENTS * REQUESTS_PER_CLIENT) as u64,
        "every referral written once"
    );
    assert_eq!(counts[3], counts[0], "one history event per referral");
    println!("  stored: {} referrals, {} events", counts[0], counts[3]);
    server.stop().await.unwrap();
}
