//! Panels (the decision meetings the text describes) and timescales.

use continuum_plugin_api::pb::{
    CaseEvent, PanelAnswer, PanelRequest, TimescaleAnswer, TimescaleRequest, Weekday,
};
use continuum_plugin_api::{PluginError, facts, time};

use crate::describe::{panels, rank_of, timescales};
use crate::threshold::validate_age;

pub(crate) fn next_panel(request: &PanelRequest) -> Result<PanelAnswer, PluginError> {
    let from = time::parse_date("on_or_after", &request.on_or_after)?;
    let all = panels();
    let panel = if request.panel_code.is_empty() {
        all.into_iter().next()
    } else {
        all.into_iter().find(|p| p.code == request.panel_code)
    }
    .ok_or_else(|| {
        PluginError::invalid(
            "panel_code",
            format!("{:?} is not a Worcestershire panel", request.panel_code),
        )
    })?;

    let weekday = Weekday::try_from(panel.weekday).unwrap_or(Weekday::Unspecified);
    let (next_sitting, note) = match time::next_weekday_on_or_after(from, weekday) {
        Some(date) => (time::format_date(date), String::new()),
        None => (
            String::new(),
            format!(
                "The text gives no day on which the {} sits: it meets as needed. {}",
                panel.name, panel.purpose
            ),
        ),
    };
    Ok(PanelAnswer {
        panel: Some(panel),
        next_sitting,
        note,
    })
}

pub(crate) fn deadlines(request: &TimescaleRequest) -> Result<TimescaleAnswer, PluginError> {
    match CaseEvent::try_from(request.event) {
        Ok(CaseEvent::Unspecified) => {
            return Err(PluginError::invalid("event", "unspecified"));
        }
        Ok(_) => {}
        Err(_) => {
            return Err(PluginError::invalid(
                "event",
                format!("{} is not a case event", request.event),
            ));
        }
    }
    if request.level_code.is_empty() {
        return Err(PluginError::invalid(
            "level_code",
            "empty: give the case's level (L1-L4)",
        ));
    }
    if rank_of(&request.level_code).is_none() {
        return Err(PluginError::invalid(
            "level_code",
            format!(
                "{:?} is not a Worcestershire level (L1-L4)",
                request.level_code
            ),
        ));
    }
    validate_age(request.age.as_ref(), "age")?;
    // Rules for the level and for every level, for every child and for the child's
    // circumstances (none of Worcestershire's is for a circumstance).
    let deadlines = facts::deadlines(&timescales(), request);
    Ok(TimescaleAnswer { deadlines })
}
