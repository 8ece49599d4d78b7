//! The weekly Targeted Help Panel.

use continuum_plugin_api::pb::{PanelAnswer, PanelRequest, Weekday};
use continuum_plugin_api::{PluginError, time};

use crate::catalogue::{TARGETED_HELP_PANEL, targeted_help_panel};

pub(crate) fn next(request: &PanelRequest) -> Result<PanelAnswer, PluginError> {
    let code = request.panel_code.trim();
    if !code.is_empty() && code != TARGETED_HELP_PANEL {
        return Err(PluginError::invalid(
            "panel_code",
            format!("{code:?} is not a Torbay panel (the only one is {TARGETED_HELP_PANEL})"),
        ));
    }
    let from = time::parse_date("on_or_after", &request.on_or_after)?;
    let panel = targeted_help_panel();
    let weekday = Weekday::try_from(panel.weekday).unwrap_or(Weekday::Unspecified);
    let (next_sitting, note) = match time::next_weekday_on_or_after(from, weekday) {
        Some(date) => (
            time::format_date(date),
            "The Targeted Help Panel meets weekly.".to_owned(),
        ),
        None => (
            String::new(),
            format!(
                "The Targeted Help Panel is weekly (it 'currently takes place once a week') but \
                 the text gives no weekday, so no date on or after {} can be given: ask the \
                 Targeted Help team for the next sitting. Requests reach the panel once the MASH \
                 has screened them, and wait for the sitting that decides them.",
                time::format_date(from)
            ),
        ),
    };
    Ok(PanelAnswer {
        panel: Some(panel),
        next_sitting,
        note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_weekday_no_date_but_a_note() -> Result<(), PluginError> {
        let a = next(&PanelRequest {
            panel_code: String::new(),
            on_or_after: "2026-11-23".into(),
        })?;
        assert_eq!(a.next_sitting, "");
        assert!(a.note.contains("no weekday"));
        assert_eq!(
            a.panel.map(|p| p.code).as_deref(),
            Some(TARGETED_HELP_PANEL)
        );
        Ok(())
    }

    #[test]
    fn bad_requests_name_the_field() {
        let unknown = next(&PanelRequest {
            panel_code: "NOPE".into(),
            on_or_after: "2026-11-23".into(),
        });
        assert!(
            matches!(unknown, Err(PluginError::InvalidRequest { ref field, .. })
            if field == "panel_code")
        );
        let bad_date = next(&PanelRequest {
            panel_code: TARGETED_HELP_PANEL.into(),
            on_or_after: "23/11/2026".into(),
        });
        assert!(
            matches!(bad_date, Err(PluginError::InvalidRequest { ref field, .. })
            if field == "on_or_after")
        );
    }
}
