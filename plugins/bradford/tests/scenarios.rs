//! Runs the Bradford scenario table (`tests/scenarios/bradford.rs`) against the plugin in-process.

#[allow(dead_code, clippy::expect_used, clippy::unwrap_used)]
#[rustfmt::skip]
#[path = "../../../tests/scenarios/mod.rs"]
mod scenarios;

use continuum_authority_bradford::Bradford;

#[test]
fn bradford_scenarios_pass() {
    let failures = scenarios::run_on_trait(&Bradford, scenarios::bradford::SCENARIOS);
    for f in &failures {
        println!("{f}");
    }
    assert!(failures.is_empty(), "{} scenario(s) failed", failures.len());
}

#[test]
fn bradford_table_is_big_enough_and_cited() {
    let table = scenarios::bradford::SCENARIOS;
    assert!(table.len() >= 20, "only {} scenarios", table.len());
    let mut names = std::collections::HashSet::new();
    for s in table {
        assert!(names.insert(s.name), "duplicate scenario name {}", s.name);
        assert!(
            s.cites
                .starts_with("shared/seeds/000_71bedd854c988f75.txt, ")
                || s.cites
                    .starts_with("shared/seeds/002_2258f4b7c0005b84.txt, "),
            "{}: {}",
            s.name,
            s.cites
        );
    }
}
