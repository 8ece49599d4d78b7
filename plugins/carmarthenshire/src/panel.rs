//! The weekly TAF allocation meeting.

use continuum_plugin_api::pb::{PanelAnswer, PanelRequest, Weekday};
use continuum_plugin_api::{PluginError, time};

use crate::catalogue::{self, TAF_ALLOCATION};

pub fn next(request: &PanelRequest) -> Result<PanelAnswer, PluginError> {
    let code = request.panel_code.trim();
    if !code.is_empty() && code != TAF_ALLOCATION {
        return Err(PluginError::invalid(
            "panel_code",
            format!("{code:?} is not a Carmarthenshire panel (the only one is {TAF_ALLOCATION})"),
        ));
    }
    let from = time::parse_date("on_or_after", &request.on_or_after)?;
    let panel = catalogue::allocation_meeting();
    let weekday = Weekday::try_from(panel.weekday).unwrap_or(Weekday::Unspecified);
    let (next_sitting, note) = match time::next_weekday_on_or_after(from, weekday) {
        Some(date) => (
            time::format_date(date),
            "The TAF allocation meeting is weekly, on a Wednesday 'at the present time' (text of October 2017, reviewed October 2021): confirm the day locally. A referral comes to the next meeting, which accepts it as TAF multi-agency or single agency, or declines it (the TAF coordinator then contacts the referrer to explain the reasons).".to_owned(),
        ),
        None => (
            String::new(),
            "The text gives no weekday for this meeting.".to_owned(),
        ),
    };
    Ok(PanelAnswer {
        panel: Some(panel),
        next_sitting,
        note,
    })
}
