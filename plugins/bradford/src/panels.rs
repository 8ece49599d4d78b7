//! Panels and allocation meetings. No sitting day is given by either text.

use continuum_plugin_api::pb::{
    Cadence, Citation, Panel, PanelAnswer, PanelDecisionOption, PanelEffect, PanelRequest, Weekday,
};
use continuum_plugin_api::{PluginError, time};

use crate::catalogue::{L3, L4};
use crate::cite::*;

pub(crate) const LOCALITY_TEAM: &str = "LOCALITY_TEAM";
pub(crate) const CSC_ALLOCATION_MEETING: &str = "CSC_ALLOCATION_MEETING";

/// The locality team's one decision option: accept the case (and allocate a Family Support
/// Worker).
pub(crate) const ACCEPT_ALLOCATE_FSW: &str = "ACCEPT_ALLOCATE_FSW";
/// The Children's Social Care allocation meeting steps the case up to Level 4.
pub(crate) const STEP_UP_TO_LEVEL_4: &str = "STEP_UP_TO_LEVEL_4";
/// The Children's Social Care allocation meeting does not step the case up.
pub(crate) const DO_NOT_STEP_UP: &str = "DO_NOT_STEP_UP";

fn decision(
    code: &str,
    label: &str,
    effect: PanelEffect,
    level_code: &str,
    requires_reason: bool,
    citation: Citation,
) -> PanelDecisionOption {
    PanelDecisionOption {
        code: code.to_owned(),
        label: label.to_owned(),
        requires_reason,
        citation: Some(citation),
        effect: effect as i32,
        level_code: level_code.to_owned(),
    }
}

/// The panels. The Team Around the Family / Team Around the Child meetings (reviews) are not
/// panels: they are held per case and decide as a meeting (`Decider::Meeting` on the transition
/// conditions they decide), so they are not listed here.
pub(crate) fn panels() -> Vec<Panel> {
    vec![
        Panel {
            code: LOCALITY_TEAM.into(),
            name: "Locality team (Level 3 acceptance and allocation)".into(),
            purpose: "Accepts Level 3 targeted support cases and allocates them to a Family \
                      Support Worker, usually within 48 hours of acceptance. The authority's main \
                      panel (a step up or transfer in to Level 3 waits for its acceptance); the \
                      text gives no sitting day or cadence, and names no decline or deferral."
                .into(),
            cadence: Cadence::AsNeeded as i32,
            weekday: Weekday::Unspecified as i32,
            decisions: vec![decision(
                ACCEPT_ALLOCATE_FSW,
                "Accept the case in the locality team (Level 3 targeted support) and allocate a \
                 Family Support Worker",
                PanelEffect::Accept,
                // "The child/family will be allocated a Family Support Worker" is the Level 3
                // response: the accepted case is at Level 3.
                L3,
                false,
                t(T_CONTACT_TIMESCALES, Q_ALLOCATED_48H),
            )],
            citation: Some(t(T_CONTACT_TIMESCALES, Q_ALLOCATED_48H)),
        },
        Panel {
            code: CSC_ALLOCATION_MEETING.into(),
            name: "Children's Social Care allocation meeting".into(),
            purpose: "A Family Support Worker may attend at any point to discuss stepping a Level \
                      3 case up to Children's Social Care (Level 4), as well as the TAF's \
                      multi-agency decision. The text gives no sitting day or cadence."
                .into(),
            cadence: Cadence::AsNeeded as i32,
            weekday: Weekday::Unspecified as i32,
            decisions: vec![
                decision(
                    STEP_UP_TO_LEVEL_4,
                    "Step the case up to a Level 4 statutory response from Children's Social Care",
                    PanelEffect::Accept,
                    // "to discuss the needs to step-up the case to Childrens Social Care": Level 4
                    // is the "statutory response from Childrens Social Care".
                    L4,
                    false,
                    t(T_INCREASES, Q_UP_ALLOCATION),
                ),
                decision(
                    DO_NOT_STEP_UP,
                    "Do not increase the response to Level 4 (give reasons; a professional who \
                     disagrees can escalate)",
                    PanelEffect::Decline,
                    "",
                    true,
                    t(T_INCREASES, Q_ESCALATE),
                ),
            ],
            citation: Some(t(T_INCREASES, Q_UP_ALLOCATION)),
        },
    ]
}

/// Whether `code` is a decision option of one of the panels.
pub(crate) fn is_decision_option(code: &str) -> bool {
    panels()
        .iter()
        .any(|p| p.decisions.iter().any(|o| o.code == code))
}

pub(crate) fn next(request: &PanelRequest) -> Result<PanelAnswer, PluginError> {
    let code = if request.panel_code.is_empty() {
        LOCALITY_TEAM
    } else {
        request.panel_code.as_str()
    };
    let panel = panels()
        .into_iter()
        .find(|p| p.code == code)
        .ok_or_else(|| {
            PluginError::invalid(
                "panel_code",
                format!(
                    "{code:?} is not a Bradford panel ({LOCALITY_TEAM}, {CSC_ALLOCATION_MEETING})"
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

#[cfg(test)]
mod tests {
    use super::*;

    fn option(panel: &str, code: &str) -> PanelDecisionOption {
        panels()
            .into_iter()
            .find(|p| p.code == panel)
            .unwrap()
            .decisions
            .into_iter()
            .find(|o| o.code == code)
            .unwrap()
    }

    /// shared/seeds/000_71bedd854c988f75.txt, Timescales for contact: "A case is usually
    /// allocated to a Family Support Worker (FSW) within 48 hours of it being accepted in the
    /// locality team." The text names an acceptance and nothing else: no decline or deferral.
    #[test]
    fn the_locality_team_only_accepts_at_level_3() {
        let p = panels()
            .into_iter()
            .find(|p| p.code == LOCALITY_TEAM)
            .unwrap();
        assert_eq!(p.decisions.len(), 1);
        let o = option(LOCALITY_TEAM, ACCEPT_ALLOCATE_FSW);
        assert_eq!(o.effect, PanelEffect::Accept as i32);
        assert_eq!(o.level_code, L3);
        assert!(!o.requires_reason);
        assert_eq!(p.weekday, Weekday::Unspecified as i32);
        assert_eq!(p.cadence, Cadence::AsNeeded as i32);
    }

    /// shared/seeds/000_71bedd854c988f75.txt, If the level of need increases: the allocation
    /// meeting discusses "the needs to step-up the case to Childrens Social Care", and "a
    /// decision not to increase the response to Level 4 statutory response" can be escalated.
    #[test]
    fn the_allocation_meeting_steps_up_to_level_4_or_declines_with_reasons() {
        let p = panels()
            .into_iter()
            .find(|p| p.code == CSC_ALLOCATION_MEETING)
            .unwrap();
        let effects: Vec<(String, i32, String, bool)> = p
            .decisions
            .into_iter()
            .map(|o| (o.code, o.effect, o.level_code, o.requires_reason))
            .collect();
        assert_eq!(
            effects,
            [
                (
                    STEP_UP_TO_LEVEL_4.to_owned(),
                    PanelEffect::Accept as i32,
                    L4.to_owned(),
                    false
                ),
                (
                    DO_NOT_STEP_UP.to_owned(),
                    PanelEffect::Decline as i32,
                    String::new(),
                    true
                ),
            ]
        );
        assert_eq!(p.weekday, Weekday::Unspecified as i32);
    }

    /// Decision codes are unique across panels, so a `panel_decision` names its panel.
    #[test]
    fn decision_codes_are_unique_and_every_option_has_an_effect() {
        let mut seen = std::collections::HashSet::new();
        for p in panels() {
            for o in p.decisions {
                assert!(seen.insert(o.code.clone()), "{}", o.code);
                assert_ne!(o.effect, PanelEffect::Unspecified as i32, "{}", o.code);
                assert!(is_decision_option(&o.code));
            }
        }
        assert!(!is_decision_option("CONTINUE_AMEND_PLAN"));
    }

    /// Neither text gives a panel a sitting day: the main panel (the locality team) answers no
    /// date, with a note saying why.
    #[test]
    fn no_next_sitting_without_a_weekday() {
        for code in ["", LOCALITY_TEAM, CSC_ALLOCATION_MEETING] {
            let a = next(&PanelRequest {
                panel_code: code.into(),
                on_or_after: "2026-11-23".into(),
            })
            .unwrap();
            assert!(a.next_sitting.is_empty());
            assert!(a.note.contains("as needed"), "{}", a.note);
        }
        let a = next(&PanelRequest {
            panel_code: String::new(),
            on_or_after: "2026-11-23".into(),
        })
        .unwrap();
        assert_eq!(a.panel.unwrap().code, LOCALITY_TEAM);
    }
}
