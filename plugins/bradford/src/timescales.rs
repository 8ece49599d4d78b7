//! Timescales by case event: the Level 3 Family Support Worker timescales.
//!
//! Every deadline names the case events that meet it (`met_by`), each choice cited beside it.
//! The stated timescales all come from `shared/seeds/000_71bedd854c988f75.txt`, "Family Support
//! Workers Role and Reponsibilities"; the older text (`shared/seeds/002_2258f4b7c0005b84.txt`)
//! states no interval, only that a review date is arranged.

use continuum_plugin_api::pb::{
    CaseEvent, Circumstance, Citation, Deadline, Span, TimescaleAnswer, TimescaleRequest,
    TimescaleRule,
};
use continuum_plugin_api::{PluginError, facts, time};

use crate::catalogue::{L3, rank};
use crate::cite::*;

/// One deadline; `met_by` lists the events that meet it, as the text says (at least one).
fn deadline(
    code: &str,
    description: &str,
    due_in: Span,
    repeat_every: Option<Span>,
    met_by: &[CaseEvent],
    citation: Citation,
) -> Deadline {
    Deadline {
        code: code.to_owned(),
        description: description.to_owned(),
        due_in: Some(due_in),
        repeat_every,
        at_most: None,
        citation: Some(citation),
        met_by: met_by.iter().map(|e| *e as i32).collect(),
    }
}

/// Allocation to a Family Support Worker within 48 hours of the case being accepted in the
/// locality team.
fn fsw_allocation() -> Deadline {
    deadline(
        "FSW-ALLOCATION",
        "Allocate the case to a Family Support Worker (usually within 48 hours of it being \
         accepted in the locality team). Met by the case's allocation (CASE_ALLOCATED): the text \
         says \"allocated to a Family Support Worker (FSW) within 48 hours\" \
         (shared/seeds/000_71bedd854c988f75.txt, Timescales for contact). A case stepped up to \
         Level 3 moves once the locality team accepted it, so the clock starts when it has \
         stepped up (STEPPED_UP); one that comes to Level 3 by step down is read as accepted in \
         the locality team when it arrives (an interpretation: the text names only \
         acceptance).",
        time::hours(48),
        None,
        // "A case is usually allocated to a Family Support Worker (FSW) within 48 hours of it
        // being accepted in the locality team."
        &[CaseEvent::CaseAllocated],
        t(T_CONTACT_TIMESCALES, Q_ALLOCATED_48H),
    )
}

/// The TAF meetings after the first: 8-weekly.
fn taf_every_8_weeks() -> Deadline {
    deadline(
        "TAF-NEXT",
        "Next Team Around the Family meeting: TAF meetings are 8-weekly after the first. Met by \
         the next TAF meeting held: a team meeting (TEAM_MEETING_HELD), or a review \
         (REVIEW_HELD), a step-down meeting (STEP_DOWN_MEETING_HELD) or the final TAF meeting \
         (FINAL_MEETING_HELD), since the text reviews the level of need and decides a step down \
         \"Within TAF meetings\" and holds a \"Final TAF meeting\" before closing \
         (shared/seeds/000_71bedd854c988f75.txt, If the level decreases; Timescales for \
         assessments and meetings). Counting those meeting kinds as TAF meetings is an \
         interpretation.",
        time::weeks(8),
        Some(time::weeks(8)),
        &[
            // "TAF meetings should be 8 weekly thereafter."
            CaseEvent::TeamMeetingHeld,
            // "Within TAF meetings the level of need will be reviewed ..." (If the level
            // decreases); the older text's "A Review / TAC Meeting is held".
            CaseEvent::ReviewHeld,
            // "... a multi-agency decision as to whether the child/family can be stepped down
            // to Level 2." (If the level decreases): taken within a TAF meeting.
            CaseEvent::StepDownMeetingHeld,
            // "Final TAF meeting to be held before case is closed" (Timescales for assessments
            // and meetings): a TAF meeting.
            CaseEvent::FinalMeetingHeld,
        ],
        t(
            T_MEETING_TIMESCALES,
            "TAF meetings should be 8 weekly thereafter.",
        ),
    )
}

/// The clocks allocation starts.
fn from_allocation() -> Vec<Deadline> {
    vec![
        deadline(
            "FSW-PHONE-CALL",
            "The Family Support Worker phones the parent/carer and arranges a date for the \
             first home visit, within 5 working days of allocation (the text is under \
             \"Timescales for contact\", after allocation). Met by a phone call \
             (PHONE_CALL_MADE): \"the FSW will make a phone call to the parent/carer\" \
             (shared/seeds/000_71bedd854c988f75.txt, Timescales for contact).",
            time::working_days(5),
            None,
            // "Within 5 working days the FSW will make a phone call to the parent/carer ..."
            &[CaseEvent::PhoneCallMade],
            t(
                T_CONTACT_TIMESCALES,
                "Within 5 working days the FSW will make a phone call to the parent/carer and a date for the first home visit will be arranged.",
            ),
        ),
        deadline(
            "FSW-FIRST-VISIT",
            "First home visit within a 2-week period (10 working days); counted from \
             allocation, the earlier reading (the text does not say from what). Met by a home \
             visit (HOME_VISIT_MADE): \"a date for the first home visit will be arranged. The \
             visit should take place within a 2-week period\" \
             (shared/seeds/000_71bedd854c988f75.txt, Timescales for contact).",
            time::working_days(10),
            None,
            // "... a date for the first home visit will be arranged. The visit should take place
            // within a 2-week period (10 working days)."
            &[CaseEvent::HomeVisitMade],
            t(
                T_CONTACT_TIMESCALES,
                "The visit should take place within a 2-week period (10 working days).",
            ),
        ),
        deadline(
            "FSW-VISITS",
            "All families are visited at least every 3 weeks (families with more complex needs \
             may benefit from more than one visit a week); counted from allocation, then from \
             each visit. Met by a home visit (HOME_VISIT_MADE): \"All families should be visited \
             at least every 3 weeks\" (shared/seeds/000_71bedd854c988f75.txt, Timescales for \
             contact); reading the visits as home visits is an interpretation, following the \
             \"first home visit\" of the same section.",
            time::weeks(3),
            Some(time::weeks(3)),
            // "All families should be visited at least every 3 weeks ..."
            &[CaseEvent::HomeVisitMade],
            t(
                T_CONTACT_TIMESCALES,
                "All families should be visited at least every 3 weeks, whilst families with more complex needs may benefit from more than one visit per week.",
            ),
        ),
        deadline(
            "FSW-ASSESSMENT",
            "Assessment completed within 45 days of allocation (read as calendar days). Met by \
             agreeing the plan (PLAN_AGREED): no case event records an assessment as completed, \
             and the texts tie the assessment to the plan: \"The purpose of assessment process \
             is to agree an “Action Plan”\" (shared/seeds/002_2258f4b7c0005b84.txt, Glossary: \
             CAF Action Plan) and the first TAF meeting is held \"to agree the assessment and \
             plan with the family\" (shared/seeds/000_71bedd854c988f75.txt, Timescales for \
             assessments and meetings). An interpretation.",
            time::days(45),
            None,
            // "The purpose of assessment process is to agree an “Action Plan” ..." (older text,
            // Glossary: CAF Action Plan): the recorded plan marks the completed assessment.
            &[CaseEvent::PlanAgreed],
            t(
                T_MEETING_TIMESCALES,
                "An assessment will be completed within 45 days of allocation.",
            ),
        ),
        deadline(
            "TAF-FIRST",
            "First Team Around the Family meeting within 8 weeks of allocation, to agree the \
             assessment and plan with the family and make sure the other professionals are \
             clear on their actions; 8-weekly thereafter. Met by a TAF meeting \
             (TEAM_MEETING_HELD), or one recorded as a review (REVIEW_HELD), as the older text \
             holds \"A Review / TAC Meeting\" (shared/seeds/002_2258f4b7c0005b84.txt, Review of \
             the Targeted Child and Family Support Work); counting a review is an \
             interpretation.",
            time::weeks(8),
            None,
            &[
                // "The first Team Around the Family (TAF) meeting needs to be held within 8
                // weeks of allocation ..."
                CaseEvent::TeamMeetingHeld,
                // "A Review / TAC Meeting is held (As above)" (older text).
                CaseEvent::ReviewHeld,
            ],
            t(
                T_MEETING_TIMESCALES,
                "The first Team Around the Family (TAF) meeting needs to be held within 8 weeks of allocation, to agree the assessment and plan with the family and to ensure that the other professionals involved are clear on their actions and responsibilities in the plan.",
            ),
        ),
    ]
}

pub(crate) fn rules() -> Vec<TimescaleRule> {
    let rule = |event: CaseEvent, deadlines: Vec<Deadline>| TimescaleRule {
        event: event as i32,
        level_code: L3.into(),
        deadlines,
        // The texts give no timescales for a circumstance (an unborn child's, say): every rule
        // is for every child.
        only_if: Circumstance::Unspecified as i32,
    };
    vec![
        rule(CaseEvent::ReferralAccepted, vec![fsw_allocation()]),
        // A step up into Level 3 happens once the locality team accepted the case (the
        // transition waits for its decision), so the case has moved up (STEPPED_UP, fired at
        // the new level) when it is accepted. A transfer in to Level 3 also waits for the
        // locality team; a step down to Level 3 is read as accepted when it arrives.
        rule(CaseEvent::SteppedUp, vec![fsw_allocation()]),
        rule(CaseEvent::StepDownAgreed, vec![fsw_allocation()]),
        rule(CaseEvent::TransferIn, vec![fsw_allocation()]),
        rule(CaseEvent::CaseAllocated, from_allocation()),
        rule(CaseEvent::TeamMeetingHeld, vec![taf_every_8_weeks()]),
        rule(CaseEvent::ReviewHeld, vec![taf_every_8_weeks()]),
    ]
}

pub(crate) fn answer(request: &TimescaleRequest) -> Result<TimescaleAnswer, PluginError> {
    if matches!(
        CaseEvent::try_from(request.event),
        Ok(CaseEvent::Unspecified) | Err(_)
    ) {
        return Err(PluginError::invalid(
            "event",
            format!("{} is not a case event", request.event),
        ));
    }
    if rank(&request.level_code).is_none() {
        return Err(PluginError::invalid(
            "level_code",
            format!(
                "{:?} is not a Bradford level (L1, L2, L3, L4)",
                request.level_code
            ),
        ));
    }
    let deadlines = facts::deadlines(&rules(), request);
    Ok(TimescaleAnswer { deadlines })
}
