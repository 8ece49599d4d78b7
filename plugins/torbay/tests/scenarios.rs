//! Runs the Torbay scenario table (`tests/scenarios/torbay.rs` at the workspace root) against
//! the plugin through the `Authority` trait.

#[allow(dead_code)]
#[path = "../../../tests/scenarios/mod.rs"]
mod scenarios;

use continuum_authority_torbay::Torbay;

#[test]
fn torbay_scenarios_pass() {
    let table = scenarios::torbay::SCENARIOS;
    assert!(table.len() >= 20, "only {} scenarios", table.len());
    let failures = scenarios::run_on_trait(&Torbay, table);
    for f in &failures {
        println!("{f}");
    }
    assert!(failures.is_empty(), "{} scenario(s) failed", failures.len());
}
