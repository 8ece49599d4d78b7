//! Carmarthenshire scenarios (to be filled in with the plugin).

use super::Scenario;

pub const SCENARIOS: &[Scenario] = &[];
