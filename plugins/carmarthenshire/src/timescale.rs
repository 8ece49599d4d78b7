//! The deadlines a case event starts.

use continuum_plugin_api::PluginError;
use continuum_plugin_api::pb::{CaseEvent, TimescaleAnswer, TimescaleRequest};

use crate::catalogue;

pub fn deadlines(request: &TimescaleRequest) -> Result<TimescaleAnswer, PluginError> {
    let event = CaseEvent::try_from(request.event)
        .ok()
        .filter(|e| *e != CaseEvent::Unspecified)
        .ok_or_else(|| {
            PluginError::invalid("event", format!("{} is not a case event", request.event))
        })?;
    let level = request.level_code.trim();
    if catalogue::level(level).is_none() {
        return Err(PluginError::invalid(
            "level_code",
            format!("{level:?} is not a Carmarthenshire category of support"),
        ));
    }
    let deadlines = catalogue::timescale_rules()
        .into_iter()
        .filter(|r| r.event == event as i32 && (r.level_code.is_empty() || r.level_code == level))
        .flat_map(|r| r.deadlines)
        .collect();
    Ok(TimescaleAnswer { deadlines })
}
