//! Whether a step up, step down, step across, closure or transfer in may go ahead.

use continuum_plugin_api::conformance::is_gss_code;
use continuum_plugin_api::pb::{
    Citation, MeetingKind, RuleOutcome, TransitionAnswer, TransitionKind, TransitionRequest,
};
use continuum_plugin_api::{PluginError, rule};

use crate::catalogue::{
    L1, L2, L3, L4, REVIEW_MAX_WEEKS, REVIEW_WEEKS, TARGETED_HELP_REQUEST, level_def, rank,
};
use crate::text::*;
use crate::threshold::consent_given;

/// The rules checked so far, and those not met.
#[derive(Default)]
struct Ledger {
    applied: Vec<RuleOutcome>,
    unmet: Vec<RuleOutcome>,
}

impl Ledger {
    /// Record a rule that was checked; `met` decides whether it also goes among the unmet.
    fn check(&mut self, met: bool, rule_id: &str, text: impl Into<String>, citation: Citation) {
        let outcome = rule(rule_id, text, citation);
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
            let panel = held(MeetingKind::AllocationPanel);
            ledger.check(
                panel,
                "TOR-T-PANEL-ALLOCATION",
                if panel {
                    "The Targeted Help Panel has met and identified the service to allocate a \
                     Targeted Help Co-ordinator."
                } else {
                    "A change of service within Targeted Help is the Targeted Help Panel's \
                     decision: take it to the weekly panel, which identifies the most \
                     appropriate service to allocate a Targeted Help Co-ordinator."
                },
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
                 recorded: hold a review or final meeting first.",
                c(S_PANEL, Q_CASE_OPEN),
            )
        } else {
            (
                "Before leaving Targeted Help, review whether support is still being provided \
                 and whether it is meeting the family's needs, and record the outcome: hold a \
                 review or final meeting first.",
                c(S_PANEL, Q_REVIEW_CONTENT),
            )
        };
        ledger.check(recorded, "TOR-T-OUTCOME-RECORDED", text, citation);
    }

    let allowed = ledger.unmet.is_empty();
    let resulting_level = match (allowed, kind) {
        (true, TransitionKind::Close) => String::new(),
        (true, _) => target.to_owned(),
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

    fn unmet(a: &TransitionAnswer) -> Vec<&str> {
        a.unmet.iter().map(|r| r.rule_id.as_str()).collect()
    }

    #[test]
    fn entry_to_targeted_help_through_the_mash_needs_form_and_consent() -> Result<(), PluginError> {
        let ok = check(&req(TransitionKind::StepUp, L2, L3))?;
        assert!(ok.allowed);
        assert_eq!(ok.resulting_level, L3);

        let mut r = req(TransitionKind::StepUp, L2, L3);
        r.forms_completed.clear();
        r.consent = Consent::Refused as i32;
        let no = check(&r)?;
        assert!(!no.allowed);
        assert_eq!(
            unmet(&no),
            vec!["TOR-T-REQUEST-FOR-SERVICE", "TOR-T-CONSENT-L3"]
        );
        assert_eq!(no.resulting_level, L2);
        assert!(no.rules_applied.len() > no.unmet.len());
        Ok(())
    }

    #[test]
    fn step_down_from_statutory_needs_no_request_form() -> Result<(), PluginError> {
        let mut r = req(TransitionKind::StepDown, L4, L3);
        r.forms_completed.clear();
        assert!(check(&r)?.allowed);
        r.significant_harm_suspected = true;
        let a = check(&r)?;
        assert_eq!(unmet(&a), vec!["TOR-T-SIGNIFICANT-HARM"]);
        Ok(())
    }

    #[test]
    fn closing_needs_the_outcome_recorded() -> Result<(), PluginError> {
        let mut r = req(TransitionKind::Close, L3, "");
        assert_eq!(unmet(&check(&r)?), vec!["TOR-T-OUTCOME-RECORDED"]);
        r.meetings_held = vec![MeetingKind::Review as i32];
        let a = check(&r)?;
        assert!(a.allowed);
        assert_eq!(a.resulting_level, "");
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
    }
}
