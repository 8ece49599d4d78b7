//! Whether a step up, step down, step across, closure or transfer in may go ahead.

use continuum_plugin_api::conformance::is_gss_code;
use continuum_plugin_api::pb::{
    Citation, Decider, MeetingKind, PanelDecisionOption, PanelEffect, RuleOutcome,
    TransitionAnswer, TransitionKind, TransitionRequest,
};
use continuum_plugin_api::{PluginError, decided_by, rule};

use crate::catalogue::{
    L1, L2, L3, L4, REVIEW_MAX_WEEKS, REVIEW_WEEKS, TARGETED_HELP_PANEL, TARGETED_HELP_REQUEST,
    level_def, rank, targeted_help_panel,
};
use crate::text::*;
use crate::threshold::consent_given;

/// The rules checked so far, and those not met.
#[derive(Default)]
struct Ledger {
    applied: Vec<RuleOutcome>,
    unmet: Vec<RuleOutcome>,
    /// Whether the Targeted Help Panel decides this move.
    panel_decides: bool,
}

/// The condition the Targeted Help Panel decides.
const PANEL_RULE: &str = "TOR-T-PANEL-ALLOCATION";

impl Ledger {
    /// Record a rule that was checked; `met` decides whether it also goes among the unmet.
    fn check(&mut self, met: bool, rule_id: &str, text: impl Into<String>, citation: Citation) {
        let outcome = rule(rule_id, text, citation);
        if !met {
            self.unmet.push(outcome.clone());
        }
        self.applied.push(outcome);
    }

    /// Record a condition that `decider` may decide (the Torbay panel is the main one, so no
    /// panel code): unmet, the move waits for them instead of being refused.
    fn decided(
        &mut self,
        met: bool,
        decider: Decider,
        rule_id: &str,
        text: impl Into<String>,
        citation: Citation,
    ) {
        self.panel_decides |= rule_id == PANEL_RULE;
        let outcome = decided_by(rule(rule_id, text, citation), decider, "");
        if !met {
            self.unmet.push(outcome.clone());
        }
        self.applied.push(outcome);
    }

    /// Record a rule that applies but sets no condition the request could fail.
    fn note(&mut self, rule_id: &str, text: impl Into<String>, citation: Citation) {
        self.check(true, rule_id, text, citation);
    }
}

/// The Targeted Help Panel's decision named in the request, if any (refused if it is not one of
/// the panel's decision options).
fn panel_decision(request: &TransitionRequest) -> Result<Option<PanelDecisionOption>, PluginError> {
    let code = request.panel_decision.trim();
    if code.is_empty() {
        return Ok(None);
    }
    let panel = targeted_help_panel();
    let known: Vec<&str> = panel.decisions.iter().map(|o| o.code.as_str()).collect();
    let message = format!(
        "{code:?} is not a decision of the {TARGETED_HELP_PANEL} (one of {})",
        known.join(", ")
    );
    panel
        .decisions
        .iter()
        .find(|o| o.code == code)
        .cloned()
        .map(Some)
        .ok_or_else(|| PluginError::invalid("panel_decision", message))
}

fn known_level<'a>(field: &str, code: &'a str) -> Result<&'a str, PluginError> {
    if level_def(code).is_some() {
        Ok(code)
    } else {
        Err(PluginError::invalid(
            field,
            format!("{code:?} is not a Torbay level of need (L1, L2, L3 or L4)"),
        ))
    }
}

fn label(code: &str) -> &str {
    level_def(code).map_or(code, |l| l.label)
}

pub(crate) fn check(request: &TransitionRequest) -> Result<TransitionAnswer, PluginError> {
    let kind = TransitionKind::try_from(request.kind)
        .ok()
        .filter(|k| *k != TransitionKind::Unspecified)
        .ok_or_else(|| {
            PluginError::invalid(
                "kind",
                format!(
                    "{} is not a transition (step up, step down, step across, close or transfer \
                     in)",
                    request.kind
                ),
            )
        })?;
    let current_raw = request.current_level.trim();
    let target_raw = request.target_level.trim();

    // Validate the levels the kind needs, and the direction of a step.
    let (current, target): (&str, &str) = match kind {
        TransitionKind::TransferIn => {
            if !is_gss_code(request.from_authority.trim()) {
                return Err(PluginError::invalid(
                    "from_authority",
                    format!(
                        "{:?} is not the GSS code of the authority the family comes from",
                        request.from_authority
                    ),
                ));
            }
            if !current_raw.is_empty() {
                known_level("current_level", current_raw)?;
            }
            ("", known_level("target_level", target_raw)?)
        }
        TransitionKind::Close => (known_level("current_level", current_raw)?, ""),
        _ => {
            let current = known_level("current_level", current_raw)?;
            let target = known_level("target_level", target_raw)?;
            let (from, to) = (rank(current).unwrap_or(0), rank(target).unwrap_or(0));
            let direction_ok = match kind {
                TransitionKind::StepUp => to > from,
                TransitionKind::StepDown => to < from,
                _ => to == from,
            };
            if !direction_ok {
                let want = match kind {
                    TransitionKind::StepUp => "a step up goes to a higher level than current_level",
                    TransitionKind::StepDown => {
                        "a step down goes to a lower level than current_level"
                    }
                    _ => "a step across stays at current_level (use step up or step down)",
                };
                return Err(PluginError::invalid(
                    "target_level",
                    format!("{target:?} from {current:?}: {want}"),
                ));
            }
            (current, target)
        }
    };

    let harm = request.significant_harm_suspected;
    let consent = consent_given(request.consent);
    let held = |m: MeetingKind| request.meetings_held.contains(&(m as i32));
    let decision = panel_decision(request)?;
    // The panel's condition is met by one of its accepting decisions (all of Torbay's accept).
    // Were it to decline, nobody would be left to decide the condition; otherwise it waits.
    let effect = decision.as_ref().map(|o| o.effect);
    let panel_accepted = effect == Some(PanelEffect::Accept as i32);
    let panel_decider = if effect == Some(PanelEffect::Decline as i32) {
        Decider::Unspecified
    } else {
        Decider::Panel
    };
    let panel_text = |waiting: &str| match &decision {
        Some(o) => format!(
            "The Targeted Help Panel decided: {} ({}).{}",
            o.label,
            o.code,
            if panel_accepted {
                String::new()
            } else {
                format!(" {waiting}")
            }
        ),
        None => waiting.to_owned(),
    };
    let mut ledger = Ledger::default();

    // A child at risk of significant harm belongs at level 4 (the text is silent; see Gaps).
    let ends_at_l4 = kind != TransitionKind::Close && target == L4;
    if !harm {
        ledger.note(
            "TOR-T-SIGNIFICANT-HARM",
            "Significant harm is not suspected.",
            c(S_PATHWAY, Q_MASH_SCREENS),
        );
    } else if ends_at_l4 {
        ledger.note(
            "TOR-T-SIGNIFICANT-HARM",
            "Significant harm is suspected: the case belongs with children's social care at \
             level 4, referred through the MASH without delay; consent may be overridden, and \
             the reason must be recorded.",
            c(S_PATHWAY, Q_MASH_SCREENS),
        );
    } else {
        ledger.check(
            false,
            "TOR-T-SIGNIFICANT-HARM",
            "Significant harm is suspected: refer to children's social care (level 4, through \
             the MASH, which screens all referrals) without delay instead of this transition.",
            c(S_PATHWAY, Q_MASH_SCREENS),
        );
    }

    match kind {
        TransitionKind::StepUp | TransitionKind::StepDown => ledger.note(
            "TOR-T-STEP-PROCESS",
            format!(
                "{} from {} to {}: the text refers to the Step up Step down process, which it \
                 does not include (see Gaps).",
                if kind == TransitionKind::StepUp {
                    "Step up"
                } else {
                    "Step down"
                },
                label(current),
                label(target)
            ),
            c(S_PATHWAY, Q_STEP_DOWN),
        ),
        TransitionKind::TransferIn => ledger.note(
            "TOR-T-TRANSFER-IN",
            format!(
                "Transfer in from {} to {}: the text says nothing about transfers, so the entry \
                 rules of the target level apply (see Gaps).",
                request.from_authority.trim(),
                label(target)
            ),
            c(S_PATHWAY, Q_TWO_PATHWAYS),
        ),
        _ => {}
    }

    // A case open at Targeted Help: where it stands against the 6-week (at most 12-week) review.
    if current == L3 {
        let review_held = held(MeetingKind::Review);
        let days = request.days_open;
        let text = if review_held {
            format!("A review has been held ({days} days open at Targeted Help).")
        } else if days > REVIEW_MAX_WEEKS * 7 {
            format!(
                "No review recorded after {days} days at Targeted Help: the review was due at \
                 {REVIEW_WEEKS} weeks and at the latest {REVIEW_MAX_WEEKS} weeks."
            )
        } else {
            format!(
                "{days} days open at Targeted Help, no review yet: the review is due at \
                 {REVIEW_WEEKS} weeks and at the latest {REVIEW_MAX_WEEKS} weeks."
            )
        };
        ledger.note("TOR-T-REVIEW-TIMING", text, c(S_PANEL, Q_REVIEW));
    }

    // Entry into a new level.
    let entering = match kind {
        TransitionKind::StepUp | TransitionKind::StepDown | TransitionKind::TransferIn => {
            Some(target)
        }
        _ => None,
    };
    match entering {
        Some(L3) => {
            if kind == TransitionKind::StepDown && current == L4 {
                ledger.note(
                    "TOR-T-PATHWAY",
                    "The first pathway into Targeted Help: step down from statutory \
                     intervention at level 4 to Targeted Help at level 3.",
                    c(S_PATHWAY, Q_STEP_DOWN),
                );
            } else {
                ledger.note(
                    "TOR-T-PATHWAY",
                    "The second pathway into Targeted Help: through the MASH, which screens the \
                     request; it then goes to the weekly Targeted Help Panel, which allocates a \
                     Targeted Help Co-ordinator.",
                    c(S_PANEL, Q_PASSED),
                );
                let form = request
                    .forms_completed
                    .iter()
                    .any(|f| f.trim() == TARGETED_HELP_REQUEST);
                ledger.check(
                    form,
                    "TOR-T-REQUEST-FOR-SERVICE",
                    if form {
                        "A Targeted Help Request for Service has been completed for the MASH."
                    } else {
                        "Complete a Targeted Help Request for Service (TARGETED_HELP_REQUEST) and \
                         submit it to the MASH."
                    },
                    c(S_PATHWAY, Q_REQUEST),
                );
            }
            ledger.check(
                consent,
                "TOR-T-CONSENT-L3",
                if consent {
                    "The family has consented to Targeted Help."
                } else if kind == TransitionKind::StepDown {
                    "Gain the family's consent to Targeted Help: the text makes consent critical \
                     for a Targeted Help request, and the plugin applies it to the step-down \
                     pathway too (Targeted Help works with the family's involvement)."
                } else {
                    "Discuss the request with the family and gain their consent before making \
                     it: it is critical."
                },
                if kind == TransitionKind::StepDown {
                    c(S_COORD, Q_COORD_INVOLVEMENT)
                } else {
                    c(S_PATHWAY, Q_CONSENT)
                },
            );
            // Through the MASH, the request then waits for the weekly panel, which decides on
            // support and intervention and allocates the co-ordinator.
            if !(kind == TransitionKind::StepDown && current == L4) {
                ledger.decided(
                    panel_accepted,
                    panel_decider,
                    PANEL_RULE,
                    panel_text(
                        "Waits for the weekly Targeted Help Panel: once the MASH has screened the \
                         request and passed it to Targeted Help, the panel decides on support and \
                         intervention and identifies the most appropriate service to allocate a \
                         Targeted Help Co-ordinator.",
                    ),
                    c(S_PANEL, Q_PANEL_AIM),
                );
            }
        }
        Some(L4) => ledger.check(
            consent || harm,
            "TOR-T-CONSENT-L4",
            if harm {
                "Significant harm is suspected: the referral to children's social care proceeds \
                 even without consent; record the reason."
            } else if consent {
                "The family has consented to the referral to children's social care."
            } else {
                "Significant harm is not suspected: seek the family's consent before a level 4 \
                 referral (the plugin's conservative choice; the text sets no rule, see Gaps)."
            },
            c(S_PATHWAY, Q_MASH_SCREENS),
        ),
        Some(L2) => ledger.check(
            consent,
            "TOR-T-CONSENT-L2",
            if consent {
                "The family has consented to the support."
            } else {
                "Seek the family's consent before involving another service (the plugin's \
                 conservative choice; the text sets no consent rule below Targeted Help, see \
                 Gaps)."
            },
            c(S_PATHWAY, Q_CONSENT),
        ),
        Some(L1) => ledger.note(
            "TOR-T-UNIVERSAL",
            "Universal services: no referral and no condition; the family is helped to engage \
             with its community and universal services.",
            c(S_FIT, Q_FIT_UNIVERSAL),
        ),
        _ => {}
    }

    // Step across: within Targeted Help a change of service is the panel's allocation.
    if kind == TransitionKind::StepAcross {
        if current == L3 {
            ledger.decided(
                panel_accepted,
                panel_decider,
                PANEL_RULE,
                panel_text(
                    "A change of service within Targeted Help is the Targeted Help Panel's \
                     decision: it waits for the weekly panel, which identifies the most \
                     appropriate service to allocate a Targeted Help Co-ordinator.",
                ),
                c(S_PANEL, Q_PANEL_AIM),
            );
        } else {
            ledger.note(
                "TOR-T-STEP-ACROSS",
                format!(
                    "Step across at {}: the text sets no condition (see Gaps).",
                    label(current)
                ),
                c(S_PANEL, Q_PANEL_AIM),
            );
        }
    }

    // Leaving: a closure at any level, or a step down out of Targeted Help.
    let closing = kind == TransitionKind::Close;
    let leaving_l3 = kind == TransitionKind::StepDown && current == L3;
    if closing || leaving_l3 {
        let recorded = held(MeetingKind::Review) || held(MeetingKind::FinalMeeting);
        let (text, citation) = if recorded {
            (
                "A review or final meeting has recorded the outcome of the support.",
                c(S_PANEL, Q_CASE_OPEN),
            )
        } else if closing {
            (
                "The case stays open until support or intervention is completed and the outcome \
                 recorded: the closure waits for the review (which ascertains whether support \
                 is still being provided and proving effective) or a final meeting to record \
                 it.",
                c(S_PANEL, Q_REVIEW_CONTENT),
            )
        } else {
            (
                "Before leaving Targeted Help, the review ascertains whether support is still \
                 being provided and whether it is meeting the family's needs, and the outcome is \
                 recorded: the step down waits for a review or final meeting.",
                c(S_PANEL, Q_REVIEW_CONTENT),
            )
        };
        ledger.decided(
            recorded,
            Decider::Meeting,
            "TOR-T-OUTCOME-RECORDED",
            text,
            citation,
        );
    }

    let allowed = ledger.unmet.is_empty();
    // A move the panel accepted goes to the level its decision names (Torbay's: level 3, the
    // level asked for).
    let accepted_level = decision
        .as_ref()
        .filter(|o| panel_accepted && ledger.panel_decides && !o.level_code.is_empty())
        .map(|o| o.level_code.clone());
    let resulting_level = match (allowed, kind) {
        (true, TransitionKind::Close) => String::new(),
        (true, _) => accepted_level.unwrap_or_else(|| target.to_owned()),
        (false, _) => current.to_owned(),
    };
    Ok(TransitionAnswer {
        allowed,
        unmet: ledger.unmet,
        resulting_level,
        rules_applied: ledger.applied,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{ALLOCATE_COORDINATOR, ALLOCATE_FIT};
    use continuum_plugin_api::pb::Consent;

    fn req(kind: TransitionKind, from: &str, to: &str) -> TransitionRequest {
        TransitionRequest {
            kind: kind as i32,
            current_level: from.into(),
            target_level: to.into(),
            consent: Consent::GivenInWriting as i32,
            forms_completed: vec![TARGETED_HELP_REQUEST.into()],
            from_authority: "E06000026".into(),
            ..Default::default()
        }
    }

    /// Who decides each unmet condition (`Unspecified`: nobody can decide it away).
    fn deciders(a: &TransitionAnswer) -> Vec<(&str, Decider)> {
        a.unmet
            .iter()
            .map(|r| {
                let by = Decider::try_from(r.decided_by).unwrap_or(Decider::Unspecified);
                (r.rule_id.as_str(), by)
            })
            .collect()
    }

    /// Section 2: a Targeted Help Request for Service "should be completed and submitted to the
    /// Multi-Agency Safeguarding Hub (MASH)", with consent "gained from the family prior to
    /// making the request"; section 3: the panel's aim "is to make decisions about support and
    /// intervention for children and families and identify the most appropriate service to
    /// allocate a Targeted Help Co-ordinator".
    #[test]
    fn entry_to_targeted_help_through_the_mash_waits_for_the_panel() -> Result<(), PluginError> {
        let waits = check(&req(TransitionKind::StepUp, L2, L3))?;
        assert!(!waits.allowed);
        assert_eq!(
            deciders(&waits),
            vec![("TOR-T-PANEL-ALLOCATION", Decider::Panel)]
        );
        // The main (only) panel: no panel code.
        assert_eq!(waits.unmet[0].panel_code, "");
        assert_eq!(waits.resulting_level, L2);

        for option in [ALLOCATE_COORDINATOR, ALLOCATE_FIT] {
            let mut r = req(TransitionKind::StepUp, L2, L3);
            r.panel_decision = option.into();
            let ok = check(&r)?;
            assert!(ok.allowed, "{option}");
            assert_eq!(ok.resulting_level, L3);
            assert!(
                ok.rules_applied
                    .iter()
                    .any(|o| o.rule_id == "TOR-T-PANEL-ALLOCATION" && o.text.contains(option))
            );
        }

        // A manager's agreement decides nothing in Torbay.
        let mut r = req(TransitionKind::StepUp, L1, L3);
        r.manager_agreed = true;
        assert_eq!(
            deciders(&check(&r)?),
            vec![("TOR-T-PANEL-ALLOCATION", Decider::Panel)]
        );

        // Missing form and consent: nobody decides them away, not even the panel.
        let mut r = req(TransitionKind::StepUp, L2, L3);
        r.forms_completed.clear();
        r.consent = Consent::Refused as i32;
        let no = check(&r)?;
        assert_eq!(
            deciders(&no),
            vec![
                ("TOR-T-REQUEST-FOR-SERVICE", Decider::Unspecified),
                ("TOR-T-CONSENT-L3", Decider::Unspecified),
                ("TOR-T-PANEL-ALLOCATION", Decider::Panel),
            ]
        );
        r.panel_decision = ALLOCATE_COORDINATOR.into();
        let still = check(&r)?;
        assert!(!still.allowed);
        assert_eq!(
            deciders(&still),
            vec![
                ("TOR-T-REQUEST-FOR-SERVICE", Decider::Unspecified),
                ("TOR-T-CONSENT-L3", Decider::Unspecified),
            ]
        );
        assert_eq!(no.resulting_level, L2);
        assert!(no.rules_applied.len() > no.unmet.len());

        // A transfer in to Targeted Help follows the same pathway.
        let mut t = req(TransitionKind::TransferIn, "", L3);
        assert_eq!(
            deciders(&check(&t)?),
            vec![("TOR-T-PANEL-ALLOCATION", Decider::Panel)]
        );
        t.panel_decision = ALLOCATE_FIT.into();
        assert!(check(&t)?.allowed);
        Ok(())
    }

    #[test]
    fn step_down_from_statutory_needs_no_request_form_and_no_panel() -> Result<(), PluginError> {
        let mut r = req(TransitionKind::StepDown, L4, L3);
        r.forms_completed.clear();
        assert!(check(&r)?.allowed);
        r.significant_harm_suspected = true;
        let a = check(&r)?;
        assert_eq!(
            deciders(&a),
            vec![("TOR-T-SIGNIFICANT-HARM", Decider::Unspecified)]
        );
        // A panel decision does not decide significant harm away.
        r.panel_decision = ALLOCATE_COORDINATOR.into();
        assert!(!check(&r)?.allowed);
        Ok(())
    }

    #[test]
    fn a_step_across_within_targeted_help_waits_for_the_panel() -> Result<(), PluginError> {
        let mut r = req(TransitionKind::StepAcross, L3, L3);
        r.meetings_held = vec![MeetingKind::Review as i32];
        assert_eq!(
            deciders(&check(&r)?),
            vec![("TOR-T-PANEL-ALLOCATION", Decider::Panel)]
        );
        // A panel meeting held does not say what the panel decided.
        r.meetings_held.push(MeetingKind::AllocationPanel as i32);
        assert!(!check(&r)?.allowed);
        r.panel_decision = ALLOCATE_FIT.into();
        let a = check(&r)?;
        assert!(a.allowed);
        assert_eq!(a.resulting_level, L3);
        // At another level a step across sets no condition.
        assert!(check(&req(TransitionKind::StepAcross, L2, L2))?.allowed);
        Ok(())
    }

    #[test]
    fn closing_waits_for_a_meeting_to_record_the_outcome() -> Result<(), PluginError> {
        let mut r = req(TransitionKind::Close, L3, "");
        assert_eq!(
            deciders(&check(&r)?),
            vec![("TOR-T-OUTCOME-RECORDED", Decider::Meeting)]
        );
        // Neither a manager nor a team meeting records the outcome.
        r.manager_agreed = true;
        r.meetings_held = vec![MeetingKind::TeamMeeting as i32];
        assert_eq!(
            deciders(&check(&r)?),
            vec![("TOR-T-OUTCOME-RECORDED", Decider::Meeting)]
        );
        r.meetings_held = vec![MeetingKind::Review as i32];
        let a = check(&r)?;
        assert!(a.allowed);
        assert_eq!(a.resulting_level, "");

        let mut down = req(TransitionKind::StepDown, L3, L2);
        assert_eq!(
            deciders(&check(&down)?),
            vec![("TOR-T-OUTCOME-RECORDED", Decider::Meeting)]
        );
        down.meetings_held = vec![MeetingKind::FinalMeeting as i32];
        assert!(check(&down)?.allowed);
        Ok(())
    }

    #[test]
    fn bad_requests_name_the_field() {
        let field = |r: &TransitionRequest| match check(r) {
            Err(PluginError::InvalidRequest { field, .. }) => field,
            _ => String::new(),
        };
        assert_eq!(
            field(&req(TransitionKind::StepUp, "X", L3)),
            "current_level"
        );
        assert_eq!(field(&req(TransitionKind::StepUp, L2, "X")), "target_level");
        assert_eq!(field(&req(TransitionKind::StepUp, L3, L2)), "target_level");
        assert_eq!(
            field(&req(TransitionKind::StepAcross, L3, L2)),
            "target_level"
        );
        assert_eq!(field(&req(TransitionKind::Unspecified, L2, L3)), "kind");
        let mut t = req(TransitionKind::TransferIn, "", L3);
        t.from_authority = "Devon".into();
        assert_eq!(field(&t), "from_authority");
        let mut p = req(TransitionKind::StepUp, L2, L3);
        p.panel_decision = "DECLINE".into();
        assert_eq!(field(&p), "panel_decision");
    }
}
