//! Whether a step up, step down, step across, closure or transfer in may go ahead.
//!
//! An unmet condition that someone may decide names them (`decided_by`), so the service makes the
//! move a request that waits for them: the Step Up conversation, the step down case discussion
//! and the early help review are MEETINGs, the Safeguarding Locality Team Manager's agreement a
//! MANAGER. No move waits for a panel agenda. Missing consent, a missing form, suspected
//! significant harm and moves the text does not describe name nobody and refuse.

use continuum_plugin_api::conformance::is_gss_code;
use continuum_plugin_api::pb::{
    Citation, Consent, Decider, MeetingKind, RuleOutcome, TransitionAnswer, TransitionKind,
    TransitionRequest,
};
use continuum_plugin_api::{PluginError, decided_by, rule};

use crate::catalogue::level_code;
use crate::describe::{
    CODE, F_EHA, F_REFERRAL, F_TEH_PLAN, F_TRANSFER, MAX_RANK, forms, panels, rank_of,
};
use crate::source::*;
use crate::threshold::{
    AGREEMENT_LEVELS, NOT_SOUGHT_FOR_HARM, REFUSED_REFERRAL, SHARE_DESPITE_REFUSAL,
    SIGNIFICANT_HARM_QUOTE, consent_of, validate_age,
};

const STEP_DOWN_AGREED: &str = "If a Safeguarding Locality Team Manager agrees a Child's Plan has been completed, the risk has been reduced and the plan can be continued with partner agencies in the community at level 3 or 2 needs.";

/// The facts of a request, checked and decoded.
struct Facts {
    consent: Consent,
    forms: Vec<String>,
    meetings: Vec<MeetingKind>,
    harm: bool,
    /// A manager has agreed the move (recorded by the service on a request that waited for one).
    manager_agreed: bool,
}

impl Facts {
    fn form(&self, code: &str) -> bool {
        self.forms.iter().any(|f| f == code)
    }
    fn met(&self, kind: MeetingKind) -> bool {
        self.meetings.contains(&kind)
    }
    fn consent_given(&self) -> bool {
        matches!(
            self.consent,
            Consent::GivenVerbally | Consent::GivenInWriting
        )
    }
}

/// Every rule checked, and the unmet ones.
#[derive(Default)]
struct Checks {
    applied: Vec<RuleOutcome>,
    unmet: Vec<RuleOutcome>,
}

impl Checks {
    /// A condition: met or not, each with its own wording.
    fn condition(&mut self, id: &str, met: bool, if_met: &str, if_unmet: &str, citation: Citation) {
        if met {
            self.applied
                .push(rule(id, format!("Met: {if_met}"), citation));
        } else {
            self.applied
                .push(rule(id, format!("Not met: {if_unmet}"), citation.clone()));
            self.unmet.push(rule(id, if_unmet, citation));
        }
    }

    /// A condition that `by` may decide: while unmet, the move waits for them (a request)
    /// instead of being refused.
    fn decided(
        &mut self,
        id: &str,
        by: Decider,
        met: bool,
        if_met: &str,
        if_unmet: &str,
        citation: Citation,
    ) {
        self.condition(id, met, if_met, if_unmet, citation);
        if !met && let Some(last) = self.unmet.pop() {
            self.unmet.push(decided_by(last, by, ""));
        }
    }

    /// Guidance that is checked but sets no condition (good practice, not applicable).
    fn note(&mut self, id: &str, text: impl Into<String>, citation: Citation) {
        self.applied.push(rule(id, text, citation));
    }
}

pub(crate) fn check(request: &TransitionRequest) -> Result<TransitionAnswer, PluginError> {
    let kind = match TransitionKind::try_from(request.kind) {
        Ok(TransitionKind::Unspecified) => {
            return Err(PluginError::invalid("kind", "unspecified"));
        }
        Ok(kind) => kind,
        Err(_) => {
            return Err(PluginError::invalid(
                "kind",
                format!("{} is not a transition kind", request.kind),
            ));
        }
    };
    let current = level(
        "current_level",
        &request.current_level,
        kind != TransitionKind::TransferIn,
    )?;
    let target = level(
        "target_level",
        &request.target_level,
        kind != TransitionKind::Close,
    )?;
    let consent = consent_of(request.consent, "consent")?;
    validate_age(request.age.as_ref(), "age")?;
    let known_forms = forms();
    for (i, f) in request.forms_completed.iter().enumerate() {
        if !known_forms.iter().any(|k| &k.code == f) {
            return Err(PluginError::invalid(
                format!("forms_completed[{i}]"),
                format!("{f:?} is not a Worcestershire form code"),
            ));
        }
    }
    let mut meetings = Vec::new();
    for (i, m) in request.meetings_held.iter().enumerate() {
        match MeetingKind::try_from(*m) {
            Ok(MeetingKind::Unspecified) | Err(_) => {
                return Err(PluginError::invalid(
                    format!("meetings_held[{i}]"),
                    format!("{m} is not a meeting kind"),
                ));
            }
            Ok(kind) => meetings.push(kind),
        }
    }
    // No condition here is decided by a panel (the text's decisions on a move are taken in
    // meetings or by a manager), but a panel decision given must be one a panel may take.
    if !request.panel_decision.is_empty()
        && !panels()
            .iter()
            .flat_map(|p| &p.decisions)
            .any(|o| o.code == request.panel_decision)
    {
        return Err(PluginError::invalid(
            "panel_decision",
            format!(
                "{:?} is not a decision of a Worcestershire panel",
                request.panel_decision
            ),
        ));
    }
    let facts = Facts {
        consent,
        forms: request.forms_completed.clone(),
        meetings,
        harm: request.significant_harm_suspected,
        manager_agreed: request.manager_agreed,
    };

    let mut checks = Checks::default();
    let resulting = match kind {
        TransitionKind::StepUp => {
            let (cur, t) = (
                need(current, "current_level")?,
                need(target, "target_level")?,
            );
            if t <= cur {
                return Err(PluginError::invalid(
                    "target_level",
                    format!("a step up goes to a higher level than L{cur}"),
                ));
            }
            step_up(&mut checks, &facts, cur, t);
            Some(t)
        }
        TransitionKind::StepDown => {
            let (cur, t) = (
                need(current, "current_level")?,
                need(target, "target_level")?,
            );
            if t >= cur {
                return Err(PluginError::invalid(
                    "target_level",
                    format!("a step down goes to a lower level than L{cur}"),
                ));
            }
            step_down(&mut checks, &facts, cur, t);
            Some(t)
        }
        TransitionKind::StepAcross => {
            let (cur, t) = (
                need(current, "current_level")?,
                need(target, "target_level")?,
            );
            if t != cur {
                return Err(PluginError::invalid(
                    "target_level",
                    format!("a step across stays at L{cur}"),
                ));
            }
            harm_rule(&mut checks, &facts, Some(t));
            checks.condition(
                "WOR-STEP-ACROSS",
                false,
                "",
                "The text describes step up (Appendix 4) and step down (Appendix 5) procedures \
                 only; it sets out no step across, so the plugin cannot confirm one. Discuss with \
                 a line manager or safeguarding lead.",
                c(
                    S_LEVELS,
                    "see Appendices 4 and 5 for step up/ step down procedures",
                ),
            );
            Some(t)
        }
        TransitionKind::Close => {
            let cur = need(current, "current_level")?;
            close(&mut checks, &facts, cur);
            None
        }
        TransitionKind::TransferIn => {
            let t = need(target, "target_level")?;
            let from = request.from_authority.trim();
            if from.is_empty() {
                return Err(PluginError::invalid(
                    "from_authority",
                    "empty: a transfer in names the authority the family comes from",
                ));
            }
            if !is_gss_code(from) {
                return Err(PluginError::invalid(
                    "from_authority",
                    format!("{from:?} is not an ONS GSS code"),
                ));
            }
            if from == CODE {
                return Err(PluginError::invalid(
                    "from_authority",
                    "a transfer in comes from another authority, not Worcestershire",
                ));
            }
            transfer_in(&mut checks, &facts, t, from);
            Some(t)
        }
        TransitionKind::Unspecified => return Err(PluginError::invalid("kind", "unspecified")),
    };

    let allowed = checks.unmet.is_empty();
    let resulting_level = if allowed {
        resulting.map(level_code).unwrap_or_default()
    } else {
        current.map(level_code).unwrap_or_default()
    };
    Ok(TransitionAnswer {
        allowed,
        unmet: checks.unmet,
        resulting_level,
        rules_applied: checks.applied,
    })
}

/// A level from the request: its rank, or `None` when empty and optional.
fn level(field: &str, value: &str, required: bool) -> Result<Option<u32>, PluginError> {
    if value.is_empty() {
        if required {
            return Err(PluginError::invalid(
                field,
                "empty: give a level code (L1-L4)",
            ));
        }
        return Ok(None);
    }
    rank_of(value).map(Some).ok_or_else(|| {
        PluginError::invalid(
            field,
            format!("{value:?} is not a Worcestershire level (L1-L4)"),
        )
    })
}

fn need(rank: Option<u32>, field: &str) -> Result<u32, PluginError> {
    rank.ok_or_else(|| PluginError::invalid(field, "empty: give a level code (L1-L4)"))
}

/// Suspected significant harm always means a referral to children's social care (level 4).
fn harm_rule(checks: &mut Checks, facts: &Facts, target: Option<u32>) {
    let statutory = target == Some(MAX_RANK);
    checks.condition(
        "WOR-SIGNIFICANT-HARM-REFERRAL",
        !facts.harm || statutory,
        if facts.harm {
            "significant harm is suspected and the case goes to level 4."
        } else {
            "significant harm is not suspected."
        },
        "Significant harm is suspected: the child must be referred to children's social care \
         without delay via the Family Front Door (level 4), not moved within early help or closed.",
        c(S_JUDGEMENT, SIGNIFICANT_HARM_QUOTE),
    );
}

/// Consent to accessing or referring to another agency at levels 2 and 3.
fn early_help_consent(checks: &mut Checks, facts: &Facts) {
    let why = match facts.consent {
        Consent::Refused => {
            "Consent was refused: early help at levels 2 and 3 goes ahead with the family's \
             agreement. The lead professional judges whether, without help, the child's needs \
             will escalate; if the refusal raises concerns about the parents' ability to protect \
             the child, refer to children's social care via the Family Front Door."
        }
        _ => {
            "Consent has not been given: discuss the needs with the child/young person and family \
             and gain their consent (levels 2 & 3)."
        }
    };
    checks.condition(
        "WOR-CONSENT-EARLY-HELP",
        facts.consent_given(),
        "the family has consented.",
        why,
        c(S_INFO, AGREEMENT_LEVELS),
    );
}

/// Consent to a referral to children's social care (level 4), overridden by significant harm.
fn referral_consent(checks: &mut Checks, facts: &Facts) {
    if facts.harm {
        checks.condition(
            "WOR-CONSENT-REFERRAL",
            true,
            "significant harm is suspected: the information must still be shared even if consent \
             is refused or not sought; record why consent was not established.",
            "",
            match facts.consent {
                Consent::NotSought | Consent::Unspecified => c(S_INFO, NOT_SOUGHT_FOR_HARM),
                _ => c(S_INFO, SHARE_DESPITE_REFUSAL),
            },
        );
        return;
    }
    let (why, citation) = match facts.consent {
        Consent::Refused => (
            "The parent refuses permission for the referral: unless it would cause undue delay, \
             seek further advice from a manager or the nominated safeguarding lead and record the \
             outcome; if that advice identifies a child protection concern (significant harm), \
             the referral goes ahead without consent.",
            c(S_INFO, REFUSED_REFERRAL),
        ),
        _ => (
            "Consent has not been sought: seek the family's agreement to the referral unless doing \
             so is likely to place the child at risk of significant harm or lose evidential \
             material (then mark significant harm suspected and record why).",
            c(S_INFO, AGREEMENT_LEVELS),
        ),
    };
    checks.condition(
        "WOR-CONSENT-REFERRAL",
        facts.consent_given(),
        "the family has consented to the referral.",
        why,
        citation,
    );
}

fn referral_form(checks: &mut Checks, facts: &Facts) {
    checks.condition(
        "WOR-REFERRAL-FORM",
        facts.form(F_REFERRAL),
        "the Referral to Children's Social Care is complete.",
        "Make a referral to children's social care via the Family Front Door: telephone, then \
         complete the online Referral to Children's Social Care.",
        c(
            S_EARLY_HELP,
            "a referral should be made immediately to children's social care via the Family Front Door",
        ),
    );
}

fn early_help_assessment(checks: &mut Checks, facts: &Facts, target: u32) {
    if target == 3 {
        checks.condition(
            "WOR-EARLY-HELP-ASSESSMENT",
            facts.form(F_EHA),
            "the Early Help Assessment is complete.",
            "Complete an Early Help Assessment: level 3 needs can only be met by a coordinated \
             multi-agency plan, which the pathway builds from the assessment.",
            c(
                S_APP3,
                "Professional completes an Early Help Assessment to identify the strengths and the needs of the family.",
            ),
        );
    } else {
        checks.note(
            "WOR-EARLY-HELP-ASSESSMENT",
            format!(
                "Level 2: the Early Help Assessment is encouraged, not required ({}).",
                if facts.form(F_EHA) { "complete" } else { "not recorded" }
            ),
            c(
                S_EARLY_HELP,
                "In Worcestershire professionals are encouraged to use the Early Help Assessment to identify children and young people in need of additional or targeted support.",
            ),
        );
    }
}

const STEP_UP_AGREED: &str = "If outcome is agreed for Level 4 or to proceed ... with a MASH case discussion. TFS Team ... Leaders / EIFS Coordinators to seek consent ... from family and make a Social Care referral.";

fn step_up(checks: &mut Checks, facts: &Facts, current: u32, target: u32) {
    harm_rule(checks, facts, Some(target));
    if target < MAX_RANK {
        // Into or within early help.
        early_help_consent(checks, facts);
        early_help_assessment(checks, facts, target);
        return;
    }
    // Step up to social work (Appendix 4).
    if (2..MAX_RANK).contains(&current) {
        if facts.harm {
            checks.condition(
                "WOR-STEP-UP-CONVERSATION",
                true,
                "a child protection concern needs an immediate decision: the TFS Team Leader / \
                 EIFS Coordinator calls the Family Front Door directly and refers, without waiting \
                 for a Step Up conversation.",
                "",
                c(
                    S_APP4,
                    "Immediate decision required – TFS Team Leaders / EIFS Coordinators to call Family Front Door (FFD) directly and make a referral as ... per LSCB procedure.",
                ),
            );
        } else {
            let held = facts.met(MeetingKind::StepUpConversation);
            checks.decided(
                "WOR-STEP-UP-CONVERSATION",
                Decider::Meeting,
                held,
                "the Step Up conversation with the MASH Manager has been held and agreed level 4.",
                "Waiting for the Step Up conversation: the TFS Team Leader / EIFS Coordinator \
                 telephones the MASH Manager with the FWi number; the conversation is held within \
                 24 hours of the request and decides whether level 4 is agreed.",
                c(
                    S_APP4,
                    "telephone MASH Manager with FWi number requesting a Step Up ... conversation. ... This Conversation to be held within 24 hrs ... of the request for step up conversation. ... If outcome is agreed for Level 4 or to proceed",
                ),
            );
            if !held {
                // Appendix 4's order: consent and the referral follow an agreed conversation.
                checks.note(
                    "WOR-STEP-UP-AFTER-CONVERSATION",
                    "Once the Step Up conversation agrees level 4 (or a MASH case discussion): seek \
                     the family's consent (WOR-CONSENT-REFERRAL) and make the Social Care referral \
                     (WOR-REFERRAL-FORM); both are checked when the conversation has been held.",
                    c(S_APP4, STEP_UP_AGREED),
                );
                return;
            }
        }
    } else {
        checks.note(
            "WOR-STEP-UP-CONVERSATION",
            "Not applicable: the Step Up conversation (Appendix 4) is for cases open to TFS / \
             EIFS; from level 1 the referral goes straight to the Family Front Door.",
            c(
                S_APP4,
                "Lead Worker and TFS Team Leaders / EIFS Coordinators to review current level of need using the levels of need guidance",
            ),
        );
    }
    referral_consent(checks, facts);
    referral_form(checks, facts);
}

fn step_down(checks: &mut Checks, facts: &Facts, current: u32, target: u32) {
    harm_rule(checks, facts, Some(target));
    if current == MAX_RANK {
        // Appendix 5: from children's social care to TFS / EIFS.
        checks.condition(
            "WOR-STEP-DOWN-TARGET",
            target >= 2,
            "the plan continues with partner agencies at level 3 or 2.",
            "Appendix 5 steps a case down from children's social care to TFS / EIFS at level 3 or \
             2 only; the text describes no step down from level 4 to level 1.",
            c(S_APP5, STEP_DOWN_AGREED),
        );
        checks.decided(
            "WOR-STEP-DOWN-RISK-REDUCED",
            Decider::Manager,
            facts.manager_agreed,
            "the Safeguarding Locality Team Manager has agreed the Child's Plan is complete, the \
             risk has been reduced and the plan can continue at level 3 or 2.",
            "Waiting for the Safeguarding Locality Team Manager to agree that the Child's Plan has \
             been completed, the risk has been reduced and the plan can be continued with partner \
             agencies in the community at level 3 or 2 (or, after an assessment, the Safeguarding \
             Initial Assessment Team Manager to agree the outcome is EIFS / TFS).",
            c(S_APP5, STEP_DOWN_AGREED),
        );
        checks.condition(
            "WOR-STEP-DOWN-TRANSFER-EPISODE",
            facts.form(F_TRANSFER),
            "the allocated social worker has completed the transfer of need episode in FWi.",
            "The allocated social worker completes a transfer of need episode in FWi identifying \
             the continued needs and the plan required from TFS / EIFS.",
            c(
                S_APP5,
                "If support is required by TFS/EIFS, then a transfer of need episode should be completed in FWi identifying the continued needs and plan required for EIFS / TFS services by the allocated social worker.",
            ),
        );
        checks.decided(
            "WOR-STEP-DOWN-CASE-DISCUSSION",
            Decider::Meeting,
            facts.met(MeetingKind::StepDownMeeting),
            "the TFS Team Leader / EIFS Coordinator and the Social Worker have held the case \
             discussion.",
            "Waiting for the case discussion: the TFS Team Leader / EIFS Coordinator contacts \
             the Social Worker for a case discussion to prepare for the case allocation, and \
             records acceptance of the case transfer.",
            c(
                S_APP5,
                "Once the request for service is received, the TFS Team Leader/EIFS Coordinator will contact the Social Worker for a case discussion to prepare for the case allocation ... TFS Team Leader/EIFS Coordinator to review request for support as recorded acceptance of case transfer and identified plan.",
            ),
        );
        if target >= 2 {
            early_help_consent(checks, facts);
        }
        let good_practice = facts.met(MeetingKind::FinalMeeting) && facts.form(F_TEH_PLAN);
        checks.note(
            "WOR-STEP-DOWN-FINAL-MEETING",
            format!(
                "Good practice, not a condition: a joint home visit, TFS at the final core \
                 group/CIN meeting, and a Targeted Early Help plan with a named Lead Professional \
                 drawn up there ({}).",
                if good_practice {
                    "final meeting held and plan recorded"
                } else {
                    "not recorded"
                }
            ),
            c(
                S_APP5,
                "Good practice is for a joint home visit to be completed and for the Targeted Family Support service to attend any final core group/CIN meeting.",
            ),
        );
        return;
    }
    // Within early help: the review decides (Appendix 3).
    checks.decided(
        "WOR-EARLY-HELP-REVIEW-DECISION",
        Decider::Meeting,
        facts.met(MeetingKind::Review),
        "a review has decided to end the plan with a single agency or universal services meeting \
         the need.",
        "Waiting for a review (multi-agency meeting or telephone call, led by the lead \
         professional): the review decides whether to end the plan with a single agency meeting \
         the need or only universal services.",
        c(
            S_APP3,
            "The decision is made to continue as is/amend the plan/to end the plan as the needs are fully met, or to end the plan and a single agency will meet the need or that only universal services are required",
        ),
    );
    if target >= 2 {
        early_help_consent(checks, facts);
    }
}

fn close(checks: &mut Checks, facts: &Facts, current: u32) {
    harm_rule(checks, facts, None);
    match current {
        1 => checks.note(
            "WOR-CLOSE-LEVEL-1",
            "Level 1 needs are met through universal services; there is no plan to end.",
            c(
                S_LEVELS,
                "Level 1 represents children with no identified additional needs.",
            ),
        ),
        MAX_RANK => checks.condition(
            "WOR-CLOSE-LEVEL-4",
            false,
            "",
            "The text describes no closure of a children's social care (level 4) case, only a \
             step down to TFS / EIFS when the Child's Plan is complete (Appendix 5); the plugin \
             cannot confirm a closure.",
            c(S_APP5, STEP_DOWN_AGREED),
        ),
        _ => {
            let agreed = facts.met(MeetingKind::Review) || facts.met(MeetingKind::FinalMeeting);
            checks.decided(
                "WOR-EARLY-HELP-PLAN-END",
                Decider::Meeting,
                agreed,
                "the child/young person, family and multi-agency meeting have agreed the needs are \
                 met; inform everyone involved and tell the family where to find support.",
                "Waiting for the multi-agency meeting (a review or final meeting): the plan ends \
                 when the child/young person, family and multi-agency meeting agree that needs \
                 have been met.",
                c(
                    S_APP3,
                    "When the child/young person, family and multi-agency meeting agree that needs have been met, the plan will end and all those involved should be informed",
                ),
            );
        }
    }
}

fn transfer_in(checks: &mut Checks, facts: &Facts, target: u32, from: &str) {
    let example = c(
        &app1_level(4),
        "Transferring in cases from other Local Authorities e.g. CIN and CP, Final Court orders",
    );
    checks.note(
        "WOR-TRANSFER-IN",
        format!(
            "Transfer in from {from}: a case transferring in from another local authority as a \
             child in need or child protection case, or with final court orders, is a level 4 \
             example; the text gives no other transfer-in procedure."
        ),
        example,
    );
    harm_rule(checks, facts, Some(target));
    match target {
        MAX_RANK => {
            referral_consent(checks, facts);
            referral_form(checks, facts);
        }
        2 | 3 => {
            early_help_consent(checks, facts);
            early_help_assessment(checks, facts, target);
        }
        _ => checks.note(
            "WOR-LEVEL-1-UNIVERSAL",
            "Level 1: needs met through universal services; no referral.",
            c(
                S_LEVELS,
                "Level 1 represents children with no identified additional needs.",
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use continuum_plugin_api::pb::ChildAge;

    #[allow(clippy::too_many_arguments)]
    fn ask(
        kind: TransitionKind,
        from: &str,
        to: &str,
        consent: Consent,
        forms: &[&str],
        meetings: &[MeetingKind],
        harm: bool,
        manager_agreed: bool,
    ) -> TransitionAnswer {
        let request = TransitionRequest {
            kind: kind as i32,
            current_level: from.into(),
            target_level: to.into(),
            days_open: 30,
            consent: consent as i32,
            forms_completed: forms.iter().map(|f| (*f).to_owned()).collect(),
            meetings_held: meetings.iter().map(|m| *m as i32).collect(),
            significant_harm_suspected: harm,
            age: Some(ChildAge {
                years: 9,
                ..Default::default()
            }),
            manager_agreed,
            ..Default::default()
        };
        match check(&request) {
            Ok(answer) => answer,
            Err(e) => panic!("{kind:?} {from} -> {to}: {e}"),
        }
    }

    fn unmet(answer: &TransitionAnswer) -> Vec<(&str, Decider)> {
        answer
            .unmet
            .iter()
            .map(|r| {
                (
                    r.rule_id.as_str(),
                    Decider::try_from(r.decided_by).unwrap_or(Decider::Unspecified),
                )
            })
            .collect()
    }

    /// Appendix 4: "telephone MASH Manager with FWi number requesting a Step Up ...
    /// conversation"; the move waits for the conversation, a meeting, then happens.
    #[test]
    fn a_step_up_to_level_4_waits_for_the_step_up_conversation() {
        use MeetingKind::StepUpConversation;
        for from in ["L2", "L3"] {
            let waiting = ask(
                TransitionKind::StepUp,
                from,
                "L4",
                Consent::GivenVerbally,
                &[F_REFERRAL],
                &[],
                false,
                false,
            );
            assert!(!waiting.allowed);
            assert_eq!(
                unmet(&waiting),
                [("WOR-STEP-UP-CONVERSATION", Decider::Meeting)]
            );
            let condition = &waiting.unmet[0];
            assert!(condition.panel_code.is_empty());
            let citation = condition.citation.clone().unwrap_or_default();
            assert_eq!(citation.section, S_APP4);
            assert!(citation.quote.contains("requesting a Step Up"));
            // Still on the level it was asked from.
            assert_eq!(waiting.resulting_level, from);

            let held = ask(
                TransitionKind::StepUp,
                from,
                "L4",
                Consent::GivenVerbally,
                &[F_REFERRAL],
                &[StepUpConversation],
                false,
                false,
            );
            assert!(held.allowed, "{:?}", unmet(&held));
            assert_eq!(held.resulting_level, "L4");
        }
    }

    /// "If outcome is agreed for Level 4 ... seek consent from family and make a Social Care
    /// referral": before the conversation only the conversation is awaited; after it, consent
    /// and the referral are conditions nobody can decide away.
    #[test]
    fn consent_and_the_referral_follow_the_conversation() {
        let before = ask(
            TransitionKind::StepUp,
            "L3",
            "L4",
            Consent::NotSought,
            &[],
            &[],
            false,
            false,
        );
        assert_eq!(
            unmet(&before),
            [("WOR-STEP-UP-CONVERSATION", Decider::Meeting)]
        );
        assert!(
            before
                .rules_applied
                .iter()
                .any(|r| r.rule_id == "WOR-STEP-UP-AFTER-CONVERSATION")
        );
        let after = ask(
            TransitionKind::StepUp,
            "L3",
            "L4",
            Consent::NotSought,
            &[],
            &[MeetingKind::StepUpConversation],
            false,
            true,
        );
        assert!(!after.allowed);
        assert_eq!(
            unmet(&after),
            [
                ("WOR-CONSENT-REFERRAL", Decider::Unspecified),
                ("WOR-REFERRAL-FORM", Decider::Unspecified),
            ]
        );
        // A refusal after the conversation refuses, whoever agreed.
        let refused = ask(
            TransitionKind::StepUp,
            "L3",
            "L4",
            Consent::Refused,
            &[F_REFERRAL],
            &[MeetingKind::StepUpConversation],
            false,
            true,
        );
        assert_eq!(
            unmet(&refused),
            [("WOR-CONSENT-REFERRAL", Decider::Unspecified)]
        );
    }

    /// "Immediate decision required – TFS Team Leaders / EIFS Coordinators to call Family Front
    /// Door (FFD) directly and make a referral": with significant harm nothing waits.
    #[test]
    fn significant_harm_waits_for_nobody() {
        let answer = ask(
            TransitionKind::StepUp,
            "L2",
            "L4",
            Consent::Refused,
            &[F_REFERRAL],
            &[],
            true,
            false,
        );
        assert!(answer.allowed, "{:?}", unmet(&answer));
        let missing_form = ask(
            TransitionKind::StepUp,
            "L2",
            "L4",
            Consent::NotSought,
            &[],
            &[],
            true,
            false,
        );
        assert_eq!(
            unmet(&missing_form),
            [("WOR-REFERRAL-FORM", Decider::Unspecified)]
        );
    }

    /// Appendix 5: the Safeguarding Locality Team Manager agrees (a manager), then the TFS Team
    /// Leader / EIFS Coordinator's case discussion with the Social Worker (a meeting).
    #[test]
    fn a_step_down_from_social_care_waits_for_the_manager_and_the_case_discussion() {
        let waiting = ask(
            TransitionKind::StepDown,
            "L4",
            "L3",
            Consent::GivenInWriting,
            &[F_TRANSFER],
            &[],
            false,
            false,
        );
        assert_eq!(
            unmet(&waiting),
            [
                ("WOR-STEP-DOWN-RISK-REDUCED", Decider::Manager),
                ("WOR-STEP-DOWN-CASE-DISCUSSION", Decider::Meeting),
            ]
        );
        let agreed = ask(
            TransitionKind::StepDown,
            "L4",
            "L3",
            Consent::GivenInWriting,
            &[F_TRANSFER],
            &[],
            false,
            true,
        );
        assert_eq!(
            unmet(&agreed),
            [("WOR-STEP-DOWN-CASE-DISCUSSION", Decider::Meeting)]
        );
        let done = ask(
            TransitionKind::StepDown,
            "L4",
            "L3",
            Consent::GivenInWriting,
            &[F_TRANSFER],
            &[MeetingKind::StepDownMeeting],
            false,
            true,
        );
        assert!(done.allowed);
        assert_eq!(done.resulting_level, "L3");
        // Nobody decides away the transfer of need episode or suspected significant harm.
        let no_form = ask(
            TransitionKind::StepDown,
            "L4",
            "L2",
            Consent::GivenInWriting,
            &[],
            &[MeetingKind::StepDownMeeting],
            true,
            true,
        );
        assert_eq!(
            unmet(&no_form),
            [
                ("WOR-SIGNIFICANT-HARM-REFERRAL", Decider::Unspecified),
                ("WOR-STEP-DOWN-TRANSFER-EPISODE", Decider::Unspecified),
            ]
        );
    }

    /// Appendix 3: the review (a meeting) decides to end the plan, or that a single agency or
    /// universal services will meet the need.
    #[test]
    fn early_help_step_downs_and_closures_wait_for_the_review() {
        let step_down = ask(
            TransitionKind::StepDown,
            "L3",
            "L1",
            Consent::GivenInWriting,
            &[],
            &[],
            false,
            true,
        );
        assert_eq!(
            unmet(&step_down),
            [("WOR-EARLY-HELP-REVIEW-DECISION", Decider::Meeting)]
        );
        let close = ask(
            TransitionKind::Close,
            "L3",
            "",
            Consent::GivenInWriting,
            &[],
            &[],
            false,
            false,
        );
        assert_eq!(
            unmet(&close),
            [("WOR-EARLY-HELP-PLAN-END", Decider::Meeting)]
        );
        for meeting in [MeetingKind::Review, MeetingKind::FinalMeeting] {
            let closed = ask(
                TransitionKind::Close,
                "L3",
                "",
                Consent::GivenInWriting,
                &[],
                &[meeting],
                false,
                false,
            );
            assert!(closed.allowed, "{meeting:?}");
        }
    }

    /// Nothing in the text lets anyone decide away missing consent, a missing form, a step
    /// across or a level 4 closure: those conditions name no decider, in every combination.
    #[test]
    fn only_meetings_and_managers_decide_and_only_what_the_text_gives_them() {
        let decidable = [
            "WOR-STEP-UP-CONVERSATION",
            "WOR-STEP-DOWN-RISK-REDUCED",
            "WOR-STEP-DOWN-CASE-DISCUSSION",
            "WOR-EARLY-HELP-REVIEW-DECISION",
            "WOR-EARLY-HELP-PLAN-END",
        ];
        let kinds = [
            TransitionKind::StepUp,
            TransitionKind::StepDown,
            TransitionKind::StepAcross,
            TransitionKind::Close,
        ];
        for kind in kinds {
            for from in ["L1", "L2", "L3", "L4"] {
                for to in ["", "L1", "L2", "L3", "L4"] {
                    for consent in [Consent::NotSought, Consent::Refused, Consent::GivenVerbally] {
                        for harm in [false, true] {
                            let request = TransitionRequest {
                                kind: kind as i32,
                                current_level: from.into(),
                                target_level: to.into(),
                                consent: consent as i32,
                                significant_harm_suspected: harm,
                                ..Default::default()
                            };
                            let Ok(answer) = check(&request) else {
                                continue;
                            };
                            for r in &answer.unmet {
                                let by =
                                    Decider::try_from(r.decided_by).unwrap_or(Decider::Unspecified);
                                assert_ne!(by, Decider::Panel, "{}", r.rule_id);
                                assert!(r.panel_code.is_empty(), "{}", r.rule_id);
                                assert_eq!(
                                    by != Decider::Unspecified,
                                    decidable.contains(&r.rule_id.as_str()),
                                    "{kind:?} {from} -> {to}: {} decided by {by:?}",
                                    r.rule_id
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    /// A panel decision is one a Worcestershire panel may take; no move waits for a panel, so
    /// a valid one changes nothing.
    #[test]
    fn a_panel_decision_is_checked_but_decides_no_move() {
        let mut request = TransitionRequest {
            kind: TransitionKind::StepUp as i32,
            current_level: "L3".into(),
            target_level: "L4".into(),
            consent: Consent::GivenVerbally as i32,
            forms_completed: vec![F_REFERRAL.into()],
            panel_decision: "LEVEL_4_AGREED".into(),
            ..Default::default()
        };
        let answer = check(&request).unwrap_or_default();
        assert!(!answer.allowed);
        assert_eq!(
            unmet(&answer),
            [("WOR-STEP-UP-CONVERSATION", Decider::Meeting)]
        );
        request.panel_decision = "ACCEPT_MULTI_AGENCY".into();
        assert!(matches!(
            check(&request),
            Err(PluginError::InvalidRequest { ref field, .. }) if field == "panel_decision"
        ));
    }
}
