//! Runs the Worcestershire scenario table (`tests/scenarios/worcestershire.rs` at the workspace
//! root) against the plugin through the `Authority` trait.

#[allow(dead_code)]
#[path = "../../../tests/scenarios/mod.rs"]
mod scenarios;

use continuum_authority_worcestershire::Worcestershire;

#[test]
fn worcestershire_scenarios_pass() {
    let table = scenarios::worcestershire::SCENARIOS;
    assert!(table.len() >= 25, "only {} scenarios", table.len());
    let failures = scenarios::run_on_trait(&Worcestershire, table);
    for f in &failures {
        println!("{f}");
    }
    assert!(failures.is_empty(), "{} scenario(s) failed", failures.len());
}
