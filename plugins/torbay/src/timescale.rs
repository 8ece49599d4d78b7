//! The deadlines a case event starts.

use continuum_plugin_api::PluginError;
use continuum_plugin_api::pb::{CaseEvent, TimescaleAnswer, TimescaleRequest};

use crate::catalogue::{level_def, timescale_rules};

pub(crate) fn deadlines(request: &TimescaleRequest) -> Result<TimescaleAnswer, PluginError> {
    let event = CaseEvent::try_from(request.event)
        .ok()
        .filter(|e| *e != CaseEvent::Unspecified)
        .ok_or_else(|| {
            PluginError::invalid("event", format!("{} is not a case event", request.event))
        })?;
    let level = request.level_code.trim();
    if level_def(level).is_none() {
        return Err(PluginError::invalid(
            "level_code",
            format!("{level:?} is not a Torbay level of need (L1, L2, L3 or L4)"),
        ));
    }
    let deadlines = timescale_rules()
        .into_iter()
        .filter(|r| r.event == event as i32 && (r.level_code.is_empty() || r.level_code == level))
        .flat_map(|r| r.deadlines)
        .collect();
    Ok(TimescaleAnswer { deadlines })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{L2, L3, REVIEW};
    use continuum_plugin_api::pb::TimeUnit;

    fn ask(event: CaseEvent, level: &str) -> Result<TimescaleAnswer, PluginError> {
        deadlines(&TimescaleRequest {
            event: event as i32,
            level_code: level.into(),
        })
    }

    #[test]
    fn allocation_at_targeted_help_starts_the_review() -> Result<(), PluginError> {
        let a = ask(CaseEvent::CaseAllocated, L3)?;
        assert_eq!(a.deadlines.len(), 1);
        let d = &a.deadlines[0];
        assert_eq!(d.code, REVIEW);
        assert_eq!(
            d.due_in.map(|s| (s.amount, s.unit)),
            Some((6, TimeUnit::Weeks as i32))
        );
        assert_eq!(
            d.at_most.map(|s| (s.amount, s.unit)),
            Some((12, TimeUnit::Weeks as i32))
        );
        assert!(d.repeat_every.is_none());
        assert!(ask(CaseEvent::CaseAllocated, L2)?.deadlines.is_empty());
        assert!(ask(CaseEvent::ReviewHeld, L3)?.deadlines.is_empty());
        Ok(())
    }

    #[test]
    fn bad_requests_name_the_field() {
        assert!(matches!(ask(CaseEvent::CaseAllocated, "L9"),
            Err(PluginError::InvalidRequest { ref field, .. }) if field == "level_code"));
        assert!(matches!(ask(CaseEvent::Unspecified, L3),
            Err(PluginError::InvalidRequest { ref field, .. }) if field == "event"));
    }
}
