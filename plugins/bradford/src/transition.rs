//! Transitions: step up, step down, step across, close, transfer in.

use continuum_plugin_api::conformance::is_gss_code;
use continuum_plugin_api::pb::{
    Citation, Consent, MeetingKind, RuleOutcome, TransitionAnswer, TransitionKind,
    TransitionRequest,
};
use continuum_plugin_api::{PluginError, rule};

use crate::catalogue::{
    AGENCY_SPECIFIC_TOOL, CAF_REVIEW_FORM, L4, PRE_CAF_CHECKLIST, code_of, forms, rank,
};
use crate::cite::*;
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
    let (within, text) = age_check(request.age.as_ref());
    let beyond_every_range = request.age.as_ref().is_some_and(|a| {
        (a.unborn && a.gestation_weeks > 0 && a.gestation_weeks < 24) || (!a.unborn && a.years > 24)
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
            let decided = harm
                || held(
                    request,
                    &[
                        MeetingKind::TeamMeeting,
                        MeetingKind::Review,
                        MeetingKind::AllocationPanel,
                    ],
                );
            let text = if harm {
                "significant harm is suspected: refer at once, without waiting for a meeting"
            } else if decided {
                "the step up to Level 4 was decided at a TAF/review meeting (multi-agency \
                 decision) or discussed at a Children's Social Care allocation meeting"
            } else {
                "a step up to a Level 4 statutory response is a multi-agency decision in a TAF \
                 meeting, or is discussed by the Family Support Worker at an allocation meeting \
                 with Children's Social Care; neither is recorded. A professional who disagrees \
                 with a decision not to step up can escalate their concerns"
            };
            let citation = if held(request, &[MeetingKind::AllocationPanel]) && !harm {
                t(T_INCREASES, Q_UP_ALLOCATION)
            } else if harm {
                m(M_WHAT_TO_DO, Q_NUMBERS)
            } else {
                t(T_INCREASES, Q_UP_TAF)
            };
            c.condition("BRA-TR-STEP-UP-DECISION", decided, text, citation);
            consent_rule(c, request, target, harm);
        }
    }
}

fn review_outcomes_achieved(c: &mut Checks, request: &TransitionRequest) {
    c.condition(
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
    c.condition(
        "BRA-TR-FINAL-TAF",
        held(request, &[MeetingKind::FinalMeeting]),
        "a final TAF meeting is held before the case is closed, and a Lead Practitioner is \
         identified and agreed at it",
        t(T_MEETING_TIMESCALES, Q_FINAL_TAF),
    );
    c.confirm(
        "BRA-TR-NEEDS-MET",
        "the TAF has decided that the child's and family's needs are fully met",
        t(T_DECREASES, Q_CLOSE),
    );
}

fn level_4_meeting(c: &mut Checks, request: &TransitionRequest, rule_id: &str) {
    c.condition(
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
    );
}

fn step_down(c: &mut Checks, request: &TransitionRequest, current: u32, target: u32) {
    match (current, target) {
        (4, _) => level_4_meeting(c, request, "BRA-TR-STEP-DOWN-MEETING"),
        (3, 2) => {
            c.condition(
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
                c.condition(
                    "BRA-TR-STEP-ACROSS-HANDOVER",
                    held(request, &[MeetingKind::TeamMeeting, MeetingKind::Review]),
                    "the texts do not describe a step across; the plugin requires a team or \
                     review meeting at which the agency leaving updates the Team Around the \
                     Child and Lead Practitioner with the work done",
                    m(M_G_STEP, Q_DISENGAGE_UPDATE),
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
