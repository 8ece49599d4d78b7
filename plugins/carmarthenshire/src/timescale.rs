//! The deadlines a case event starts.

use continuum_plugin_api::pb::{CaseEvent, TimescaleAnswer, TimescaleRequest};
use continuum_plugin_api::{PluginError, facts};

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
    let request = TimescaleRequest {
        event: event as i32,
        level_code: level.to_owned(),
        age: request.age,
    };
    let deadlines = facts::deadlines(&catalogue::timescale_rules(), &request);
    Ok(TimescaleAnswer { deadlines })
}
