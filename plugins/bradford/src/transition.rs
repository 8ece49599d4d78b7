//! Transitions: step up, step down, step across, close, transfer in.
//!
//! Each unmet condition that a panel or a meeting decides names its decider (`decided_by`), so
//! that the service can make the move a request that waits for them: the locality team (the
//! main panel) accepts a case at Level 3; a TAF / review meeting decides a step up to Level 4, a
//! step down and a closure. Missing forms, missing consent, an age outside the range and a
//! suspicion of significant harm are decided by nobody. No transition waits for a manager.

use continuum_plugin_api::conformance::is_gss_code;
use continuum_plugin_api::pb::{
    Citation, Consent, Decider, MeetingKind, RuleOutcome, TransitionAnswer, TransitionKind,
    TransitionRequest,
};
use continuum_plugin_api::{PluginError, decided_by, rule};

use crate::catalogue::{
    AGENCY_SPECIFIC_TOOL, CAF_REVIEW_FORM, L4, MAX_EXTENDED_AGE, PRE_CAF_CHECKLIST,
    UNBORN_FROM_WEEKS, code_of, forms, rank,
};
use crate::cite::*;
use crate::panels::{ACCEPT_ALLOCATE_FSW, DO_NOT_STEP_UP, STEP_UP_TO_LEVEL_4, is_decision_option};
use crate::threshold::age_check;

const BRADFORD: &str = "E08000032";

/// The rules checked for one request: every one goes to `rules_applied`, the unmet ones also
/// to `unmet`.
#[derive(Default)]
struct Checks {
    applied: Vec<RuleOutcome>,
    unmet: Vec<RuleOutcome>,
}

impl Checks {
    /// A condition the request can show met or not.
    fn condition(&mut self, rule_id: &str, met: bool, text: &str, citation: Citation) {
        let outcome = rule(
            rule_id,
            format!("{}: {text}", if met { "Met" } else { "Not met" }),
            citation,
        );
        if !met {
            self.unmet.push(outcome.clone());
        }
        self.applied.push(outcome);
    }

    /// A condition that `decider` decides (a panel: `panel_code`, empty for the locality team,
    /// the main panel): while unmet, the move waits for them instead of being refused.
    fn decided(
        &mut self,
        rule_id: &str,
        met: bool,
        text: &str,
        citation: Citation,
        decider: Decider,
        panel_code: &str,
    ) {
        let outcome = rule(
            rule_id,
            format!("{}: {text}", if met { "Met" } else { "Not met" }),
            citation,
        );
        if !met {
            self.unmet
                .push(decided_by(outcome.clone(), decider, panel_code));
        }
        self.applied.push(outcome);
    }

    /// A step the text sets that the request cannot show: listed for the practitioner to
    /// confirm, never blocking.
    fn confirm(&mut self, rule_id: &str, text: &str, citation: Citation) {
        self.applied
            .push(rule(rule_id, format!("To confirm: {text}"), citation));
    }
}

fn held(request: &TransitionRequest, kinds: &[MeetingKind]) -> bool {
    request
        .meetings_held
        .iter()
        .any(|m| kinds.iter().any(|k| *k as i32 == *m))
}

fn consent_given(consent: i32) -> bool {
    consent == Consent::GivenVerbally as i32 || consent == Consent::GivenInWriting as i32
}

fn level_field(field: &str, code: &str) -> Result<u32, PluginError> {
    rank(code).ok_or_else(|| {
        PluginError::invalid(
            field,
            format!("{code:?} is not a Bradford level (L1, L2, L3, L4)"),
        )
    })
}

/// The consent a case needs to come in at `target` (rank 2-4).
fn consent_rule(c: &mut Checks, request: &TransitionRequest, target: u32, harm: bool) {
    if target >= 4 && harm {
        c.condition(
            "BRA-TR-CONSENT",
            true,
            "significant harm is suspected, so the referral to Children's Social Care goes ahead \
             even without consent; record the reason for proceeding without consent",
            m(M_G_CONSENT, Q_CONSENT_WITHOUT),
        );
        return;
    }
    let given = consent_given(request.consent);
    let (text, citation) = match target {
        2 => (
            "the young person and parents consent to the common assessment and Team Around the \
             Child",
            m(M_CASE_EMERGING, Q_CAF_CONSENT),
        ),
        3 => (
            "the family consents to targeted support (the Level 3 text is silent on consent; \
             the older text steps up \"with Sally's consent\")",
            m(M_CASE_COMPLEX, Q_TARGETED_CONSENT),
        ),
        _ => (
            "the family agrees to the Level 4 referral (significant harm is not suspected; the \
             plugin's conservative reading)",
            m(M_G_CONSENT, Q_CONSENT_AGREEMENT),
        ),
    };
    c.condition("BRA-TR-CONSENT", given, text, citation);
}

fn harm_rule(c: &mut Checks, harm: bool, resulting: u32) {
    let (met, text) = match (harm, resulting >= 4) {
        (false, _) => (true, "significant harm is not suspected"),
        (true, true) => (
            true,
            "significant harm is suspected and the case goes to Children's Social Care (Level 4) \
             without delay",
        ),
        (true, false) => (
            false,
            "significant harm is suspected: you must not keep the concern to yourself; refer to \
             Children's Social Care (Level 4) without delay (01274 433999 in office hours, \
             Emergency Duty Team 01274 431010 at all other times, 999 if the child is at \
             immediate risk) instead of this transition",
        ),
    };
    c.condition(
        "BRA-TR-SIGNIFICANT-HARM",
        met,
        text,
        m(M_WHAT_TO_DO, Q_NOT_KEEP),
    );
}

fn age_rule(c: &mut Checks, request: &TransitionRequest) {
    let (within, text, _) = age_check(request.age.as_ref());
    // Before 24 weeks of gestation, or older than every extension: no extension can apply.
    let beyond_every_range = request.age.as_ref().is_some_and(|a| {
        (a.unborn && a.gestation_weeks < UNBORN_FROM_WEEKS)
            || (!a.unborn && a.years > MAX_EXTENDED_AGE)
    });
    let text = if within || beyond_every_range {
        text
    } else {
        format!("{text} Confirm that one of these extensions applies.")
    };
    c.condition(
        "BRA-TR-AGE-RANGE",
        !beyond_every_range,
        &text,
        m(M_G_AGES, Q_AGES),
    );
}

fn before_referral(c: &mut Checks) {
    c.confirm(
        "BRA-TR-BEFORE-REFERRAL",
        "before referring for Level 3 support the practitioner has spoken with their \
         Safeguarding Lead, asked \"Have I/we done everything I/we can to help and support the \
         family?\", referred to the Continuum of Need document, and calls 01274 433999",
        t(T_BEFORE_REFERRAL, Q_CALL),
    );
}

/// A case comes to Level 3 when the locality team accepts it: the move waits for the locality
/// team (the main panel) to take its ACCEPT_ALLOCATE_FSW decision.
fn locality_acceptance(c: &mut Checks, request: &TransitionRequest) {
    let accepted = request.panel_decision == ACCEPT_ALLOCATE_FSW;
    let text = if accepted {
        "the locality team accepted the case for Level 3 targeted support; a Family Support \
         Worker is allocated, usually within 48 hours"
    } else {
        "a Level 3 case is accepted in the locality team, which allocates it to a Family Support \
         Worker; the move waits for the locality team's decision"
    };
    c.decided(
        "BRA-TR-LOCALITY-ACCEPTED",
        accepted,
        text,
        t(T_CONTACT_TIMESCALES, Q_ALLOCATED_48H),
        Decider::Panel,
        "",
    );
}

fn step_up(c: &mut Checks, request: &TransitionRequest, target: u32, harm: bool) {
    match target {
        2 => {
            let tool = request
                .forms_completed
                .iter()
                .any(|f| f == PRE_CAF_CHECKLIST || f == AGENCY_SPECIFIC_TOOL);
            c.condition(
                "BRA-TR-PRE-CAF",
                tool,
                "an agency specific tool or the Pre-CAF Checklist is completed and shows a common \
                 assessment is appropriate",
                m(M_CASE_UNIVERSAL, Q_PRE_CAF),
            );
            consent_rule(c, request, target, harm);
            c.confirm(
                "BRA-TR-CAF-REGISTER-CHECK",
                "the CAF Administration Team has been asked whether a CAF is already open",
                m(
                    M_CASE_EMERGING,
                    "School check with the CAF Administration Team and find that there is no current ongoing CAF assessment.",
                ),
            );
        }
        3 => {
            consent_rule(c, request, target, harm);
            locality_acceptance(c, request);
            c.confirm(
                "BRA-TR-REVIEW-OUTCOME-3",
                "where a CAF is open, its review meeting identified that the child is in need \
                 and requires targeted services the current practitioners cannot provide (the \
                 CAF documentation evidences the need and why the current team cannot meet it)",
                m(M_CASE_REVIEW, Q_OUTCOME_3),
            );
            c.confirm(
                "BRA-TR-LEAD-PRACTITIONER-ASSESSED",
                "the Lead Practitioner has assessed that the child is not achieving outcomes \
                 with the support of the Team Around the Family, or that the needs cannot \
                 reasonably be met through normally resourced local mainstream provision",
                t(T_LEVEL3, Q_L3_ASSESSED),
            );
            before_referral(c);
            c.confirm(
                "BRA-TR-CAF-EVIDENCE",
                "not required: the older text shares the CAF Form, latest review and Action Plan \
                 with targeted services, but the newer Level 3 text's referral is a call to \
                 01274 433999, which stands",
                m(M_CASE_COMPLEX, Q_SHARED_DOCUMENTS),
            );
        }
        _ => {
            let decision = request.panel_decision.as_str();
            let taf = held(request, &[MeetingKind::TeamMeeting, MeetingKind::Review]);
            let allocation_meeting = held(request, &[MeetingKind::AllocationPanel]);
            let (met, text, citation) = if harm {
                (
                    true,
                    "significant harm is suspected: refer at once, without waiting for a meeting",
                    m(M_WHAT_TO_DO, Q_NUMBERS),
                )
            } else if decision == DO_NOT_STEP_UP {
                (
                    false,
                    "the Children's Social Care allocation meeting decided not to increase the \
                     response to Level 4, with its reasons; a professional within the TAF who \
                     disagrees can escalate their concerns, and a later TAF meeting may decide \
                     again",
                    t(T_INCREASES, Q_ESCALATE),
                )
            } else if decision == STEP_UP_TO_LEVEL_4 {
                (
                    true,
                    "the Children's Social Care allocation meeting decided to step the case up to \
                     Children's Social Care (Level 4)",
                    t(T_INCREASES, Q_UP_ALLOCATION),
                )
            } else if allocation_meeting {
                (
                    true,
                    "the step up was discussed at a Children's Social Care allocation meeting",
                    t(T_INCREASES, Q_UP_ALLOCATION),
                )
            } else if taf {
                (
                    true,
                    "the step up to Level 4 was decided at a TAF/review meeting (multi-agency \
                     decision)",
                    t(T_INCREASES, Q_UP_TAF),
                )
            } else {
                (
                    false,
                    "a step up to a Level 4 statutory response is a multi-agency decision taken \
                     in a TAF meeting; the move waits for it (the Family Support Worker may also \
                     take the case to a Children's Social Care allocation meeting at any point). A \
                     professional who disagrees with a decision not to step up can escalate \
                     their concerns",
                    t(T_INCREASES, Q_UP_TAF),
                )
            };
            c.decided(
                "BRA-TR-STEP-UP-DECISION",
                met,
                text,
                citation,
                Decider::Meeting,
                "",
            );
            consent_rule(c, request, target, harm);
        }
    }
}

fn review_outcomes_achieved(c: &mut Checks, request: &TransitionRequest) {
    c.decided(
        "BRA-TR-REVIEW-OUTCOMES",
        held(
            request,
            &[
                MeetingKind::Review,
                MeetingKind::TeamMeeting,
                MeetingKind::FinalMeeting,
            ],
        ),
        "a review meeting agreed that the outcomes have been achieved and a CAF is no longer \
         necessary",
        m(M_CASE_REVIEW, Q_OUTCOME_2),
        Decider::Meeting,
        "",
    );
    c.condition(
        "BRA-TR-CAF-REVIEW-FORM",
        request.forms_completed.iter().any(|f| f == CAF_REVIEW_FORM),
        "the Lead Practitioner has recorded the review meeting on the CAF Review Form",
        m(M_CASE_REVIEW, Q_REVIEW_FORM),
    );
    c.confirm(
        "BRA-TR-CAF-REGISTER-CLOSE",
        "the Lead Practitioner informs the CAF Administration Team of the review date and \
         outcome, and the team closes the CAF on the register; education and health \
         practitioners continue universal services",
        m(
            M_CASE_REVIEW,
            "The CAF Administration Team 'closes' the CAF on the register.",
        ),
    );
}

fn final_taf(c: &mut Checks, request: &TransitionRequest) {
    c.decided(
        "BRA-TR-FINAL-TAF",
        held(request, &[MeetingKind::FinalMeeting]),
        "a final TAF meeting is held before the case is closed, and a Lead Practitioner is \
         identified and agreed at it",
        t(T_MEETING_TIMESCALES, Q_FINAL_TAF),
        Decider::Meeting,
        "",
    );
    c.confirm(
        "BRA-TR-NEEDS-MET",
        "the TAF has decided that the child's and family's needs are fully met",
        t(T_DECREASES, Q_CLOSE),
    );
}

fn level_4_meeting(c: &mut Checks, request: &TransitionRequest, rule_id: &str) {
    c.decided(
        rule_id,
        held(
            request,
            &[
                MeetingKind::Review,
                MeetingKind::TeamMeeting,
                MeetingKind::StepDownMeeting,
                MeetingKind::FinalMeeting,
            ],
        ),
        "the texts set no conditions for leaving Level 4; the plugin requires a multi-agency \
         (review or team) meeting so that no agency disengages before colleagues are informed",
        m(M_G_STEP, Q_NO_DISENGAGE),
        Decider::Meeting,
        "",
    );
}

fn step_down(c: &mut Checks, request: &TransitionRequest, current: u32, target: u32) {
    match (current, target) {
        (4, _) => level_4_meeting(c, request, "BRA-TR-STEP-DOWN-MEETING"),
        (3, 2) => {
            c.decided(
                "BRA-TR-STEP-DOWN-TAF",
                held(
                    request,
                    &[
                        MeetingKind::TeamMeeting,
                        MeetingKind::Review,
                        MeetingKind::StepDownMeeting,
                    ],
                ),
                "the level of need was reviewed in a TAF meeting and the multi-agency decision \
                 is to step down to Level 2",
                t(T_DECREASES, Q_DOWN),
                Decider::Meeting,
                "",
            );
            c.confirm(
                "BRA-TR-AGREE-LEAD-PRACTITIONER",
                "a Lead Practitioner is agreed and the steps for a Level 2 response followed",
                t(T_DECREASES, Q_DOWN_LEAD),
            );
        }
        (3, _) => final_taf(c, request),
        _ => review_outcomes_achieved(c, request),
    }
}

fn close(c: &mut Checks, request: &TransitionRequest, current: u32) {
    match current {
        1 => c.condition(
            "BRA-TR-CLOSE-UNIVERSAL",
            true,
            "universal services carry on; there is no multi-agency plan to close",
            m(M_FOREWORD, Q_UNIVERSAL),
        ),
        2 => review_outcomes_achieved(c, request),
        3 => final_taf(c, request),
        _ => level_4_meeting(c, request, "BRA-TR-CLOSE-MEETING"),
    }
}

pub(crate) fn check(request: &TransitionRequest) -> Result<TransitionAnswer, PluginError> {
    let kind = match TransitionKind::try_from(request.kind) {
        Ok(TransitionKind::Unspecified) | Err(_) => {
            return Err(PluginError::invalid(
                "kind",
                format!("{} is not a transition kind", request.kind),
            ));
        }
        Ok(k) => k,
    };
    let current = match (kind, request.current_level.is_empty()) {
        (TransitionKind::TransferIn, true) => None,
        _ => Some(level_field("current_level", &request.current_level)?),
    };
    let target = match (kind, request.target_level.is_empty()) {
        (TransitionKind::Close, true) => None,
        _ => Some(level_field("target_level", &request.target_level)?),
    };
    let known_forms: Vec<String> = forms().into_iter().map(|f| f.code).collect();
    for (i, form) in request.forms_completed.iter().enumerate() {
        if !known_forms.contains(form) {
            return Err(PluginError::invalid(
                format!("forms_completed[{i}]"),
                format!(
                    "{form:?} is not a Bradford form ({})",
                    known_forms.join(", ")
                ),
            ));
        }
    }

    if !request.panel_decision.is_empty() && !is_decision_option(&request.panel_decision) {
        return Err(PluginError::invalid(
            "panel_decision",
            format!(
                "{:?} is not a decision option of a Bradford panel ({ACCEPT_ALLOCATE_FSW}, \
                 {STEP_UP_TO_LEVEL_4}, {DO_NOT_STEP_UP})",
                request.panel_decision
            ),
        ));
    }

    let harm = request.significant_harm_suspected;
    let mut c = Checks::default();
    let resulting = match (kind, current, target) {
        (TransitionKind::StepUp, Some(from), Some(to)) => {
            if to <= from {
                return Err(PluginError::invalid(
                    "target_level",
                    "a step up goes to a higher level than current_level",
                ));
            }
            step_up(&mut c, request, to, harm);
            age_rule(&mut c, request);
            to
        }
        (TransitionKind::StepDown, Some(from), Some(to)) => {
            if to >= from {
                return Err(PluginError::invalid(
                    "target_level",
                    "a step down goes to a lower level than current_level",
                ));
            }
            step_down(&mut c, request, from, to);
            to
        }
        (TransitionKind::StepAcross, Some(from), Some(to)) => {
            if to != from {
                return Err(PluginError::invalid(
                    "target_level",
                    "a step across stays at current_level",
                ));
            }
            if from == 1 {
                c.condition(
                    "BRA-TR-STEP-ACROSS-HANDOVER",
                    true,
                    "universal services: there is no Team Around the Child to hand over to",
                    m(M_FOREWORD, Q_UNIVERSAL),
                );
            } else {
                c.decided(
                    "BRA-TR-STEP-ACROSS-HANDOVER",
                    held(request, &[MeetingKind::TeamMeeting, MeetingKind::Review]),
                    "the texts do not describe a step across; the plugin requires a team or \
                     review meeting at which the agency leaving updates the Team Around the \
                     Child and Lead Practitioner with the work done",
                    m(M_G_STEP, Q_DISENGAGE_UPDATE),
                    Decider::Meeting,
                    "",
                );
            }
            age_rule(&mut c, request);
            to
        }
        (TransitionKind::Close, Some(from), _) => {
            close(&mut c, request, from);
            0
        }
        (TransitionKind::TransferIn, _, Some(to)) => {
            if !is_gss_code(&request.from_authority) {
                return Err(PluginError::invalid(
                    "from_authority",
                    format!(
                        "{:?} is not an ONS GSS code (a letter and eight digits)",
                        request.from_authority
                    ),
                ));
            }
            if request.from_authority == BRADFORD {
                return Err(PluginError::invalid(
                    "from_authority",
                    "a transfer in comes from another authority, not Bradford itself",
                ));
            }
            c.confirm(
                "BRA-TR-TRANSFER-IN",
                "the texts say nothing about families moving in from another authority; the case \
                 comes in through the usual route for its level (01274 433999) and the rules of \
                 that level apply",
                m(M_G_STEP, Q_DIFFERENT_SERVICES),
            );
            if to >= 2 {
                consent_rule(&mut c, request, to, harm);
            }
            if to == 3 {
                locality_acceptance(&mut c, request);
                before_referral(&mut c);
            }
            age_rule(&mut c, request);
            to
        }
        // Unreachable: the levels required by each kind were parsed above.
        _ => {
            return Err(PluginError::invalid(
                "target_level",
                "missing for this kind of transition",
            ));
        }
    };
    harm_rule(&mut c, harm, resulting);

    let resulting_level = if resulting == 0 {
        String::new()
    } else {
        code_of(resulting).unwrap_or(L4).to_owned()
    };
    Ok(TransitionAnswer {
        allowed: c.unmet.is_empty(),
        unmet: c.unmet,
        resulting_level,
        rules_applied: c.applied,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panels::{CSC_ALLOCATION_MEETING, panels};

    fn request(kind: TransitionKind, from: &str, to: &str) -> TransitionRequest {
        TransitionRequest {
            kind: kind as i32,
            current_level: from.into(),
            target_level: to.into(),
            consent: Consent::GivenInWriting as i32,
            from_authority: if kind == TransitionKind::TransferIn {
                "E99999999".into()
            } else {
                String::new()
            },
            ..Default::default()
        }
    }

    /// Every unmet rule, with who decides it and which panel.
    fn unmet(r: &TransitionRequest) -> Vec<(String, Decider, String)> {
        check(r)
            .unwrap()
            .unmet
            .into_iter()
            .map(|u| {
                let by = Decider::try_from(u.decided_by).unwrap_or(Decider::Unspecified);
                (u.rule_id, by, u.panel_code)
            })
            .collect()
    }

    fn one(rule_id: &str, by: Decider) -> Vec<(String, Decider, String)> {
        vec![(rule_id.to_owned(), by, String::new())]
    }

    /// shared/seeds/000_71bedd854c988f75.txt, Timescales for contact: "A case is usually
    /// allocated to a Family Support Worker (FSW) within 48 hours of it being accepted in the
    /// locality team." A step up or transfer in to Level 3 waits for the locality team, the main
    /// panel (empty panel code), and moves once it accepts.
    #[test]
    fn level_3_waits_for_the_locality_team_and_moves_once_it_accepts() {
        for base in [
            request(TransitionKind::StepUp, "L2", "L3"),
            request(TransitionKind::StepUp, "L1", "L3"),
            request(TransitionKind::TransferIn, "", "L3"),
        ] {
            assert_eq!(
                unmet(&base),
                one("BRA-TR-LOCALITY-ACCEPTED", Decider::Panel),
                "{base:?}"
            );
            let accepted = TransitionRequest {
                panel_decision: ACCEPT_ALLOCATE_FSW.into(),
                ..base.clone()
            };
            let a = check(&accepted).unwrap();
            assert!(a.allowed, "{:?}", a.unmet);
            assert_eq!(a.resulting_level, "L3");
            // Another panel's decision does not accept the case.
            for other in [STEP_UP_TO_LEVEL_4, DO_NOT_STEP_UP] {
                let r = TransitionRequest {
                    panel_decision: other.into(),
                    ..base.clone()
                };
                assert_eq!(
                    unmet(&r),
                    one("BRA-TR-LOCALITY-ACCEPTED", Decider::Panel),
                    "{other}"
                );
            }
        }
        // Transfer in at Level 2 or 4 is not put to the locality team.
        assert!(
            check(&request(TransitionKind::TransferIn, "", "L2"))
                .unwrap()
                .allowed
        );
    }

    /// Consent, a missing form, the age range and significant harm are nobody's to decide: they
    /// stay unspecified, so the service refuses the move instead of making it wait.
    #[test]
    fn conditions_nobody_decides_stay_unspecified() {
        let r = TransitionRequest {
            consent: Consent::Refused as i32,
            panel_decision: ACCEPT_ALLOCATE_FSW.into(),
            manager_agreed: true,
            ..request(TransitionKind::StepUp, "L2", "L3")
        };
        assert_eq!(unmet(&r), one("BRA-TR-CONSENT", Decider::Unspecified));
        let r = TransitionRequest {
            consent: Consent::NotSought as i32,
            ..request(TransitionKind::StepUp, "L1", "L2")
        };
        assert_eq!(
            unmet(&r),
            [
                one("BRA-TR-PRE-CAF", Decider::Unspecified),
                one("BRA-TR-CONSENT", Decider::Unspecified)
            ]
            .concat()
        );
        let r = TransitionRequest {
            significant_harm_suspected: true,
            meetings_held: vec![MeetingKind::TeamMeeting as i32],
            ..request(TransitionKind::StepDown, "L3", "L2")
        };
        assert_eq!(
            unmet(&r),
            one("BRA-TR-SIGNIFICANT-HARM", Decider::Unspecified)
        );
        let r = TransitionRequest {
            forms_completed: vec![crate::catalogue::PRE_CAF_CHECKLIST.into()],
            age: Some(continuum_plugin_api::pb::ChildAge {
                years: 25,
                ..Default::default()
            }),
            ..request(TransitionKind::StepUp, "L1", "L2")
        };
        assert_eq!(unmet(&r), one("BRA-TR-AGE-RANGE", Decider::Unspecified));
        // A missing CAF Review Form is nobody's to decide, though the review meeting is.
        let r = request(TransitionKind::Close, "L2", "");
        assert_eq!(
            unmet(&r),
            [
                one("BRA-TR-REVIEW-OUTCOMES", Decider::Meeting),
                one("BRA-TR-CAF-REVIEW-FORM", Decider::Unspecified)
            ]
            .concat()
        );
    }

    /// shared/seeds/000_71bedd854c988f75.txt, If the level of need increases: "Within TAF
    /// meetings the level of need will be reviewed and there will be a multi-agency decision as
    /// to whether the child/family need to be referred to a Level 4 statutory response from
    /// Childrens Social Care." and "At any point a Family Support Worker can decide to attend an
    /// allocation meeting with Childrens Social Care to discuss the needs to step-up the case".
    #[test]
    fn step_up_to_level_4_waits_for_a_taf_meeting_or_the_allocation_meeting() {
        let base = request(TransitionKind::StepUp, "L3", "L4");
        assert_eq!(
            unmet(&base),
            one("BRA-TR-STEP-UP-DECISION", Decider::Meeting)
        );
        for decided in [
            TransitionRequest {
                meetings_held: vec![MeetingKind::TeamMeeting as i32],
                ..base.clone()
            },
            TransitionRequest {
                meetings_held: vec![MeetingKind::Review as i32],
                ..base.clone()
            },
            TransitionRequest {
                panel_decision: STEP_UP_TO_LEVEL_4.into(),
                ..base.clone()
            },
        ] {
            let a = check(&decided).unwrap();
            assert!(a.allowed, "{decided:?}: {:?}", a.unmet);
            assert_eq!(a.resulting_level, "L4");
        }
        // The allocation meeting's decision not to step up stands over a TAF meeting held.
        let declined = TransitionRequest {
            panel_decision: DO_NOT_STEP_UP.into(),
            meetings_held: vec![MeetingKind::TeamMeeting as i32],
            ..base.clone()
        };
        assert_eq!(
            unmet(&declined),
            one("BRA-TR-STEP-UP-DECISION", Decider::Meeting)
        );
        // The locality team's acceptance is not a step up to Level 4.
        let wrong = TransitionRequest {
            panel_decision: ACCEPT_ALLOCATE_FSW.into(),
            ..base.clone()
        };
        assert_eq!(
            unmet(&wrong),
            one("BRA-TR-STEP-UP-DECISION", Decider::Meeting)
        );
        // Consent is still required where significant harm is not suspected.
        let r = TransitionRequest {
            consent: Consent::Refused as i32,
            panel_decision: STEP_UP_TO_LEVEL_4.into(),
            ..base
        };
        assert_eq!(unmet(&r), one("BRA-TR-CONSENT", Decider::Unspecified));
    }

    /// Step down, closure and step across wait for a meeting of the team around the family.
    #[test]
    fn moves_down_and_closures_wait_for_a_meeting() {
        let cases = [
            (
                request(TransitionKind::StepDown, "L3", "L2"),
                "BRA-TR-STEP-DOWN-TAF",
                MeetingKind::TeamMeeting,
            ),
            (
                request(TransitionKind::StepDown, "L3", "L1"),
                "BRA-TR-FINAL-TAF",
                MeetingKind::FinalMeeting,
            ),
            (
                request(TransitionKind::Close, "L3", ""),
                "BRA-TR-FINAL-TAF",
                MeetingKind::FinalMeeting,
            ),
            (
                request(TransitionKind::StepDown, "L4", "L3"),
                "BRA-TR-STEP-DOWN-MEETING",
                MeetingKind::Review,
            ),
            (
                request(TransitionKind::Close, "L4", ""),
                "BRA-TR-CLOSE-MEETING",
                MeetingKind::TeamMeeting,
            ),
            (
                request(TransitionKind::StepAcross, "L2", "L2"),
                "BRA-TR-STEP-ACROSS-HANDOVER",
                MeetingKind::Review,
            ),
        ];
        for (base, rule_id, meeting) in cases {
            assert_eq!(unmet(&base), one(rule_id, Decider::Meeting), "{base:?}");
            let held = TransitionRequest {
                meetings_held: vec![meeting as i32],
                ..base.clone()
            };
            assert!(check(&held).unwrap().allowed, "{base:?} with {meeting:?}");
        }
    }

    /// No transition waits for a manager: a manager's agreement changes no answer.
    #[test]
    fn a_manager_decides_nothing() {
        let levels = ["L1", "L2", "L3", "L4"];
        for kind in [
            TransitionKind::StepUp,
            TransitionKind::StepDown,
            TransitionKind::StepAcross,
            TransitionKind::Close,
            TransitionKind::TransferIn,
        ] {
            for from in levels {
                for to in levels.iter().copied().chain([""]) {
                    let base = TransitionRequest {
                        current_level: if kind == TransitionKind::TransferIn {
                            String::new()
                        } else {
                            from.into()
                        },
                        ..request(kind, from, to)
                    };
                    let Ok(without) = check(&base) else {
                        continue;
                    };
                    let with = check(&TransitionRequest {
                        manager_agreed: true,
                        ..base.clone()
                    })
                    .unwrap();
                    assert_eq!(with, without, "{base:?}");
                    for u in &without.unmet {
                        assert_ne!(u.decided_by, Decider::Manager as i32, "{}", u.rule_id);
                        if u.decided_by == Decider::Panel as i32 {
                            assert!(
                                u.panel_code.is_empty()
                                    || panels().iter().any(|p| p.code == u.panel_code),
                                "{}",
                                u.panel_code
                            );
                        }
                    }
                }
            }
        }
        // The allocation meeting is a declared panel, though no condition waits for it.
        assert!(panels().iter().any(|p| p.code == CSC_ALLOCATION_MEETING));
    }

    #[test]
    fn an_unknown_panel_decision_is_an_invalid_request() {
        let r = TransitionRequest {
            panel_decision: "ACCEPT_MULTI_AGENCY".into(),
            ..request(TransitionKind::StepUp, "L2", "L3")
        };
        assert!(matches!(
            check(&r),
            Err(PluginError::InvalidRequest { field, .. }) if field == "panel_decision"
        ));
    }
}
