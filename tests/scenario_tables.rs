//! Every authority's scenario table, run against its real plugin library through the host.

use continuum_plugin_host::DynamicPlugin;

use continuum::pb;

use crate::scenarios::{self, Answer, Query, Scenario};
use crate::server::as_practitioner;
use crate::support::library;

fn run(lib_name: &str, table: &[Scenario]) {
    assert!(
        table.len() >= 15,
        "{lib_name}: a table has at least 15 scenarios, this one {}",
        table.len()
    );
    let mut names = std::collections::HashSet::new();
    for s in table {
        assert!(
            names.insert(s.name),
            "{lib_name}: scenario name {:?} is used twice",
            s.name
        );
        assert!(
            s.cites.starts_with("shared/seeds/"),
            "{lib_name}: {} does not cite its source",
            s.name
        );
    }
    let plugin = DynamicPlugin::load(&library(lib_name)).expect("the plugin loads");
    let failures = scenarios::run_on_trait(&plugin, table);
    assert!(
        failures.is_empty(),
        "{lib_name}: {} of {} scenarios failed:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}

#[test]
fn worcestershire() {
    run(
        "continuum_authority_worcestershire",
        scenarios::worcestershire::SCENARIOS,
    );
}

#[test]
fn carmarthenshire() {
    run(
        "continuum_authority_carmarthenshire",
        scenarios::carmarthenshire::SCENARIOS,
    );
}

#[test]
fn torbay() {
    run("continuum_authority_torbay", scenarios::torbay::SCENARIOS);
}

#[test]
fn bradford() {
    run(
        "continuum_authority_bradford",
        scenarios::bradford::SCENARIOS,
    );
}

/// The same tables through the public gRPC API of a running server (AuthorityService), with
/// every authority plugin loaded together.
async fn all_tables_through_the_api(server: &crate::server::TestServer) {
    let mut failures = Vec::new();
    for (code, table) in [
        ("E08000032", scenarios::bradford::SCENARIOS),
        ("W06000010", scenarios::carmarthenshire::SCENARIOS),
        ("E06000027", scenarios::torbay::SCENARIOS),
        ("E10000034", scenarios::worcestershire::SCENARIOS),
    ] {
        assert!(
            table.len() >= 15,
            "{code}: at least 15 scenarios, found {}",
            table.len()
        );
        failures.extend(
            run_on_api(server, code, table)
                .await
                .into_iter()
                .map(|f| format!("{code}: {f}")),
        );
    }
    assert!(
        failures.is_empty(),
        "{} scenarios failed through the API:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

crate::server::on_each_backend!(all_tables_through_the_api);

/// Run a table through the public gRPC API (AuthorityService) of a running server, as a caller
/// of that authority. Returns one line per failing scenario.
async fn run_on_api(
    server: &crate::server::TestServer,
    authority: &str,
    table: &[Scenario],
) -> Vec<String> {
    let mut client = server.authorities().await;
    let name = format!("authorities/{authority}");
    // Monday 23 November 2026, 10:00 UTC.
    let event_time = prost_types::Timestamp {
        seconds: 1_795_428_000,
        nanos: 0,
    };
    let mut failures = Vec::new();
    for s in table {
        let mut wrong = Vec::new();
        let answer = match s.check.query() {
            Query::Threshold(request) => client
                .assess_threshold(as_practitioner(
                    authority,
                    pb::AssessThresholdRequest {
                        authority: name.clone(),
                        request: Some(request),
                    },
                ))
                .await
                .map(|r| {
                    let r = r.into_inner();
                    if r.plugin.is_none_or(|p| p.version.is_empty()) {
                        wrong.push("the answer does not name the plugin version".to_owned());
                    }
                    Answer::Threshold(r.decision.unwrap_or_default())
                }),
            Query::Contact(request) => client
                .route_contact(as_practitioner(
                    authority,
                    pb::RouteContactRequest {
                        authority: name.clone(),
                        purpose: request.purpose,
                        local_time: request.local_time,
                        public_holiday: Some(request.public_holiday),
                        urgency: request.urgency,
                        history: request.history,
                        age: request.age,
                    },
                ))
                .await
                .map(|r| Answer::Contact(r.into_inner().answer.unwrap_or_default())),
            Query::Panel(request) => client
                .get_next_panel_sitting(as_practitioner(
                    authority,
                    pb::GetNextPanelSittingRequest {
                        authority: name.clone(),
                        panel: request.panel_code,
                        on_or_after: request.on_or_after,
                    },
                ))
                .await
                .map(|r| Answer::Panel(r.into_inner().answer.unwrap_or_default())),
            Query::Timescale(request) => client
                .preview_timescales(as_practitioner(
                    authority,
                    pb::PreviewTimescalesRequest {
                        authority: name.clone(),
                        event: request.event,
                        level: request.level_code,
                        event_time: Some(event_time),
                        age: request.age,
                    },
                ))
                .await
                .map(|r| {
                    let records = r.into_inner().deadlines;
                    for d in &records {
                        if d.due_time.unwrap_or_default().seconds <= event_time.seconds {
                            wrong.push(format!("{} is not due after the event", d.code));
                        }
                    }
                    let deadlines = records
                        .into_iter()
                        .map(|d| continuum_plugin_api::pb::Deadline {
                            code: d.code,
                            due_in: d.due_in,
                            ..Default::default()
                        })
                        .collect();
                    Answer::Timescale(continuum_plugin_api::pb::TimescaleAnswer { deadlines })
                }),
            Query::Transition(request) => client
                .check_transition(as_practitioner(
                    authority,
                    pb::CheckTransitionRequest {
                        authority: name.clone(),
                        request: Some(request),
                    },
                ))
                .await
                .map(|r| Answer::Transition(r.into_inner().answer.unwrap_or_default())),
        };
        match answer {
            Ok(answer) => wrong.extend(s.check.verify(&answer)),
            Err(status) => wrong.push(format!("{status:?}")),
        }
        failures.extend(
            wrong
                .into_iter()
                .map(|why| format!("{} ({}): {why}", s.name, s.cites)),
        );
    }
    failures
}
