//! Runs the Carmarthenshire scenario table (`tests/scenarios/carmarthenshire.rs` at the
//! workspace root) against the plugin in-process, through the `Authority` trait.

#[allow(dead_code)]
#[path = "../../../tests/scenarios/mod.rs"]
mod scenarios;

use continuum_authority_carmarthenshire::Carmarthenshire;

#[test]
fn carmarthenshire_scenarios() {
    let table = scenarios::carmarthenshire::SCENARIOS;
    assert!(table.len() >= 20, "only {} scenarios", table.len());
    let mut names = std::collections::HashSet::new();
    for s in table {
        assert!(
            names.insert(s.name),
            "scenario name {:?} used twice",
            s.name
        );
        assert!(
            s.cites
                .starts_with("shared/seeds/004_409172220b5d16c4.txt, "),
            "{} does not cite its source",
            s.name
        );
    }
    let failures = scenarios::run_on_trait(&Carmarthenshire, table);
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}
