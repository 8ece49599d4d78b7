//! Every authority's scenario table, run against its real plugin library through the host.

use continuum_plugin_host::DynamicPlugin;

use crate::scenarios::{self, Scenario};
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
    run("continuum_authority_carmarthenshire", scenarios::carmarthenshire::SCENARIOS);
}

#[test]
fn bradford() {
    run("continuum_authority_bradford", scenarios::bradford::SCENARIOS);
}
