//! Every authority's scenario table, run against its real plugin library through the host.

use continuum_plugin_host::DynamicPlugin;

use continuum::pb;

use crate::scenarios::{self, Check, Scenario, pb_threshold, pb_transition};
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
    let mut failures = Vec::new();
    for s in table {
        let mut fail = |why: String| failures.push(format!("{} ({}): {why}", s.name, s.cites));
        match s.check {
            Check::Threshold {
                indicators,
                immediate_risk,
                significant_harm,
                consent,
                age_years,
                expect_level,
                expect_response,
                expect_rules,
            } => {
                let request = pb::AssessThresholdRequest {
                    authority: name.clone(),
                    request: Some(pb_threshold(
                        indicators,
                        immediate_risk,
                        significant_harm,
                        consent,
                        age_years,
                    )),
                };
                match client
                    .assess_threshold(as_practitioner(authority, request))
                    .await
                {
                    Err(e) => fail(format!("{e:?}")),
                    Ok(r) => {
                        let r = r.into_inner();
                        let d = r.decision.unwrap_or_default();
                        if d.recommended_level != expect_level
                            || d.response != expect_response as i32
                        {
                            fail(format!(
                                "got {} / {}, expected {expect_level} / {expect_response:?}",
                                d.recommended_level, d.response
                            ));
                        }
                        for rule in expect_rules {
                            if !d.reasons.iter().any(|x| x.rule_id == *rule) {
                                fail(format!("rule {rule} not among the reasons"));
                            }
                        }
                        if r.plugin.is_none_or(|p| p.version.is_empty()) {
                            fail("the answer does not name the plugin version".into());
                        }
                    }
                }
            }
            Check::Contact {
                purpose,
                at,
                public_holiday,
                expect_contact,
                expect_open,
                expect_next_opening,
                expect_out_of_hours,
            } => {
                let request = pb::RouteContactRequest {
                    authority: name.clone(),
                    purpose: purpose as i32,
                    local_time: at.into(),
                    public_holiday,
                };
                match client
                    .route_contact(as_practitioner(authority, request))
                    .await
                {
                    Err(e) => fail(format!("{e:?}")),
                    Ok(r) => {
                        let a = r.into_inner().answer.unwrap_or_default();
                        let got = (
                            a.contact
                                .as_ref()
                                .map(|c| c.code.clone())
                                .unwrap_or_default(),
                            a.open_now,
                            a.next_opening.clone(),
                            a.out_of_hours
                                .as_ref()
                                .map(|c| c.code.clone())
                                .unwrap_or_default(),
                        );
                        let want = (
                            expect_contact.to_owned(),
                            expect_open,
                            expect_next_opening.to_owned(),
                            expect_out_of_hours.to_owned(),
                        );
                        if got != want {
                            fail(format!("got {got:?}, expected {want:?}"));
                        }
                    }
                }
            }
            Check::Panel {
                panel,
                on_or_after,
                expect_next_sitting,
            } => {
                let request = pb::GetNextPanelSittingRequest {
                    authority: name.clone(),
                    panel: panel.into(),
                    on_or_after: on_or_after.into(),
                };
                match client
                    .get_next_panel_sitting(as_practitioner(authority, request))
                    .await
                {
                    Err(e) => fail(format!("{e:?}")),
                    Ok(r) => {
                        let a = r.into_inner().answer.unwrap_or_default();
                        if a.next_sitting != expect_next_sitting {
                            fail(format!(
                                "next sitting {:?}, expected {expect_next_sitting:?}",
                                a.next_sitting
                            ));
                        }
                    }
                }
            }
            Check::Timescale {
                event,
                level,
                expect,
            } => {
                // Monday 23 November 2026, 10:00 UTC.
                let event_time = prost_types::Timestamp {
                    seconds: 1_795_428_000,
                    nanos: 0,
                };
                let request = pb::PreviewTimescalesRequest {
                    authority: name.clone(),
                    event: event as i32,
                    level: level.into(),
                    event_time: Some(event_time),
                };
                match client
                    .preview_timescales(as_practitioner(authority, request))
                    .await
                {
                    Err(e) => fail(format!("{e:?}")),
                    Ok(r) => {
                        let deadlines = r.into_inner().deadlines;
                        let got: Vec<(String, u32, i32)> = deadlines
                            .iter()
                            .map(|d| {
                                let span = d.due_in.unwrap_or_default();
                                (d.code.clone(), span.amount, span.unit)
                            })
                            .collect();
                        let want: Vec<(String, u32, i32)> = expect
                            .iter()
                            .map(|(c, n, u)| ((*c).to_owned(), *n, *u as i32))
                            .collect();
                        if got != want {
                            fail(format!("deadlines {got:?}, expected {want:?}"));
                        }
                        for d in &deadlines {
                            let due = d.due_time.unwrap_or_default().seconds;
                            if due <= event_time.seconds {
                                fail(format!("{} is due at {due}, not after the event", d.code));
                            }
                        }
                    }
                }
            }
            Check::Transition {
                kind,
                from,
                to,
                days_open,
                consent,
                forms,
                meetings,
                significant_harm,
                expect_allowed,
                expect_unmet,
                expect_resulting_level,
            } => {
                let request = pb::CheckTransitionRequest {
                    authority: name.clone(),
                    request: Some(pb_transition(
                        kind,
                        from,
                        to,
                        days_open,
                        consent,
                        forms,
                        meetings,
                        significant_harm,
                    )),
                };
                match client
                    .check_transition(as_practitioner(authority, request))
                    .await
                {
                    Err(e) => fail(format!("{e:?}")),
                    Ok(r) => {
                        let a = r.into_inner().answer.unwrap_or_default();
                        let unmet: Vec<&str> = a.unmet.iter().map(|u| u.rule_id.as_str()).collect();
                        if a.allowed != expect_allowed {
                            fail(format!(
                                "allowed = {}, expected {expect_allowed}; unmet {unmet:?}",
                                a.allowed
                            ));
                        }
                        for rule in expect_unmet {
                            if !unmet.contains(rule) {
                                fail(format!("{rule} not among unmet {unmet:?}"));
                            }
                        }
                        if a.allowed && a.resulting_level != expect_resulting_level {
                            fail(format!(
                                "resulting level {:?}, expected {expect_resulting_level:?}",
                                a.resulting_level
                            ));
                        }
                    }
                }
            }
        }
    }
    failures
}
