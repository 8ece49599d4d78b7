//! Panels and allocation meetings. No sitting day is given by either text.

use continuum_plugin_api::pb::{
    Cadence, Citation, Panel, PanelAnswer, PanelDecisionOption, PanelRequest, Weekday,
};
use continuum_plugin_api::{PluginError, time};

use crate::cite::*;

pub(crate) const LOCALITY_TEAM: &str = "LOCALITY_TEAM";
pub(crate) const CSC_ALLOCATION_MEETING: &str = "CSC_ALLOCATION_MEETING";
pub(crate) const TEAM_AROUND_REVIEW: &str = "TEAM_AROUND_REVIEW";

fn decision(
    code: &str,
    label: &str,
    requires_reason: bool,
    citation: Citation,
) -> PanelDecisionOption {
    PanelDecisionOption {
        code: code.to_owned(),
        label: label.to_owned(),
        requires_reason,
        citation: Some(citation),
    }
}

pub(crate) fn panels() -> Vec<Panel> {
    vec![
        Panel {
            code: LOCALITY_TEAM.into(),
            name: "Locality team (Level 3 acceptance and allocation)".into(),
            purpose: "Accepts Level 3 targeted support cases and allocates them to a Family \
                      Support Worker, usually within 48 hours of acceptance. The authority's main \
                      allocation point; the text gives no sitting day or cadence."
                .into(),
            cadence: Cadence::AsNeeded as i32,
            weekday: Weekday::Unspecified as i32,
            decisions: vec![decision(
                "ACCEPT_ALLOCATE_FSW",
                "Accept the case in the locality team and allocate a Family Support Worker",
                false,
                t(T_CONTACT_TIMESCALES, Q_ALLOCATED_48H),
            )],
            citation: Some(t(T_CONTACT_TIMESCALES, Q_ALLOCATED_48H)),
        },
        Panel {
            code: CSC_ALLOCATION_MEETING.into(),
            name: "Children's Social Care allocation meeting".into(),
            purpose: "A Family Support Worker may attend at any point to discuss stepping a Level \
                      3 case up to Children's Social Care (Level 4). The text gives no sitting day \
                      or cadence."
                .into(),
            cadence: Cadence::AsNeeded as i32,
            weekday: Weekday::Unspecified as i32,
            decisions: vec![
                decision(
                    "STEP_UP_TO_LEVEL_4",
                    "Step the case up to a Level 4 statutory response from Children's Social Care",
                    false,
                    t(T_INCREASES, Q_UP_ALLOCATION),
                ),
                decision(
                    "DO_NOT_STEP_UP",
                    "Do not increase the response to Level 4 (give reasons; a professional who \
                     disagrees can escalate)",
                    true,
                    t(T_INCREASES, Q_ESCALATE),
                ),
            ],
            citation: Some(t(T_INCREASES, Q_UP_ALLOCATION)),
        },
        Panel {
            code: TEAM_AROUND_REVIEW.into(),
            name: "Team Around the Family / Team Around the Child meeting (review)".into(),
            purpose: "The multi-agency meeting around one child: agrees the assessment and plan, \
                      reviews the level of need and decides whether to continue, step up, step \
                      down or close. Held per case (at Level 3 the first within 8 weeks of \
                      allocation, then 8-weekly), so it has no sitting day."
                .into(),
            cadence: Cadence::AsNeeded as i32,
            weekday: Weekday::Unspecified as i32,
            decisions: vec![
                decision(
                    "CONTINUE_AMEND_PLAN",
                    "Amend the Action Plan and continue the work",
                    false,
                    m(M_CASE_REVIEW, Q_OUTCOME_1),
                ),
                decision(
                    "OUTCOMES_ACHIEVED_STEP_DOWN",
                    "Outcomes achieved, a CAF is no longer necessary: step down to universal \
                     services",
                    false,
                    m(M_CASE_REVIEW, Q_OUTCOME_2),
                ),
                decision(
                    "STEP_UP_TARGETED",
                    "In need and requires targeted services the current practitioners cannot \
                     provide: step up (the CAF documentation evidences the need and why it \
                     cannot be met within the current team)",
                    true,
                    m(M_CASE_REVIEW, Q_OUTCOME_3),
                ),
                decision(
                    "REFER_LEVEL_4",
                    "Multi-agency decision to refer to a Level 4 statutory response from \
                     Children's Social Care",
                    false,
                    t(T_INCREASES, Q_UP_TAF),
                ),
                decision(
                    "STEP_DOWN_LEVEL_2",
                    "Step down to Level 2: agree a Lead Practitioner and follow the steps for a \
                     Level 2 response",
                    false,
                    t(T_DECREASES, Q_DOWN),
                ),
                decision(
                    "CLOSE_NEEDS_MET",
                    "Needs fully met: close the case (at a final TAF meeting, where a Lead \
                     Practitioner is identified and agreed)",
                    false,
                    t(T_DECREASES, Q_CLOSE),
                ),
            ],
            citation: Some(m(M_CASE_REVIEW, Q_THREE_OUTCOMES)),
        },
    ]
}

pub(crate) fn next(request: &PanelRequest) -> Result<PanelAnswer, PluginError> {
    let code = if request.panel_code.is_empty() {
        LOCALITY_TEAM
    } else {
        request.panel_code.as_str()
    };
    let panel = panels().into_iter().find(|p| p.code == code).ok_or_else(|| {
        PluginError::invalid(
            "panel_code",
            format!(
                "{code:?} is not a Bradford panel ({LOCALITY_TEAM}, {CSC_ALLOCATION_MEETING}, {TEAM_AROUND_REVIEW})"
            ),
        )
    })?;
    let from = time::parse_date("on_or_after", &request.on_or_after)?;
    let weekday = Weekday::try_from(panel.weekday).unwrap_or(Weekday::Unspecified);
    let (next_sitting, note) = match time::next_weekday_on_or_after(from, weekday) {
        Some(date) => (time::format_date(date), String::new()),
        None => (
            String::new(),
            format!(
                "The Bradford texts give no day or cadence for the {}; it meets as needed, so no \
                 next sitting on or after {} can be given.",
                panel.name,
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
