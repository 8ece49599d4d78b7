//! Runs the Worcestershire scenario table (`tests/scenarios/worcestershire.rs` at the workspace
//! root) against the plugin through the `Authority` trait.

#[allow(dead_code)]
// Not formatted from here: the shared table's `mod.rs` belongs to the workspace.
#[rustfmt::skip]
#[path = "../../../tests/scenarios/mod.rs"]
mod scenarios;

use continuum_authority_worcestershire::Worcestershire;

#[test]
fn worcestershire_scenarios_pass() {
    let table = scenarios::worcestershire::SCENARIOS;
    assert!(table.len() >= 25, "only {} scenarios", table.len());
    let mut names = std::collections::HashSet::new();
    for s in table {
        assert!(names.insert(s.name), "duplicate scenario name {}", s.name);
        assert!(
            s.cites
                .starts_with("shared/seeds/001_e8fa8c619eac9618.txt, "),
            "{}: {}",
            s.name,
            s.cites
        );
    }
    let failures = scenarios::run_on_trait(&Worcestershire, table);
    for f in &failures {
        println!("{f}");
    }
    assert!(failures.is_empty(), "{} scenario(s) failed", failures.len());
}
