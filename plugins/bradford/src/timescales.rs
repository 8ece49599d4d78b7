//! Timescales by case event: the Level 3 Family Support Worker timescales.

use continuum_plugin_api::PluginError;
use continuum_plugin_api::pb::{
    CaseEvent, Citation, Deadline, Span, TimeUnit, TimescaleAnswer, TimescaleRequest, TimescaleRule,
};

use crate::catalogue::{L3, rank};
use crate::cite::*;

fn span(amount: u32, unit: TimeUnit) -> Option<Span> {
    Some(Span {
        amount,
        unit: unit as i32,
    })
}

fn deadline(
    code: &str,
    description: &str,
    due_in: Option<Span>,
    repeat_every: Option<Span>,
    citation: Citation,
) -> Deadline {
    Deadline {
        code: code.to_owned(),
        description: description.to_owned(),
        due_in,
        repeat_every,
        at_most: None,
        citation: Some(citation),
    }
}

fn taf_every_8_weeks() -> Deadline {
    deadline(
        "TAF-NEXT",
        "Next Team Around the Family meeting: TAF meetings are 8-weekly after the first.",
        span(8, TimeUnit::Weeks),
        span(8, TimeUnit::Weeks),
        t(
            T_MEETING_TIMESCALES,
            "TAF meetings should be 8 weekly thereafter.",
        ),
    )
}

pub(crate) fn rules() -> Vec<TimescaleRule> {
    vec![
        TimescaleRule {
            event: CaseEvent::ReferralAccepted as i32,
            level_code: L3.into(),
            deadlines: vec![deadline(
                "FSW-ALLOCATION",
                "Allocate the case to a Family Support Worker (usually within 48 hours of \
                 acceptance in the locality team).",
                span(48, TimeUnit::Hours),
                None,
                t(T_CONTACT_TIMESCALES, Q_ALLOCATED_48H),
            )],
        },
        TimescaleRule {
            event: CaseEvent::CaseAllocated as i32,
            level_code: L3.into(),
            deadlines: vec![
                deadline(
                    "FSW-PHONE-CALL",
                    "The Family Support Worker phones the parent/carer and arranges a date for \
                     the first home visit.",
                    span(5, TimeUnit::WorkingDays),
                    None,
                    t(
                        T_CONTACT_TIMESCALES,
                        "Within 5 working days the FSW will make a phone call to the parent/carer and a date for the first home visit will be arranged.",
                    ),
                ),
                deadline(
                    "FSW-FIRST-VISIT",
                    "First home visit within a 2-week period (10 working days); counted from \
                     allocation, the earlier reading (the text does not say from what).",
                    span(10, TimeUnit::WorkingDays),
                    None,
                    t(
                        T_CONTACT_TIMESCALES,
                        "The visit should take place within a 2-week period (10 working days).",
                    ),
                ),
                deadline(
                    "FSW-VISITS",
                    "All families are visited at least every 3 weeks (families with more \
                     complex needs may benefit from more than one visit a week).",
                    span(3, TimeUnit::Weeks),
                    span(3, TimeUnit::Weeks),
                    t(
                        T_CONTACT_TIMESCALES,
                        "All families should be visited at least every 3 weeks, whilst families with more complex needs may benefit from more than one visit per week.",
                    ),
                ),
                deadline(
                    "FSW-ASSESSMENT",
                    "Assessment completed within 45 days of allocation (read as calendar days).",
                    span(45, TimeUnit::CalendarDays),
                    None,
                    t(
                        T_MEETING_TIMESCALES,
                        "An assessment will be completed within 45 days of allocation.",
                    ),
                ),
                deadline(
                    "TAF-FIRST",
                    "First Team Around the Family meeting within 8 weeks of allocation, to agree \
                     the assessment and plan with the family and make sure the other \
                     professionals are clear on their actions; 8-weekly thereafter.",
                    span(8, TimeUnit::Weeks),
                    None,
                    t(
                        T_MEETING_TIMESCALES,
                        "The first Team Around the Family (TAF) meeting needs to be held within 8 weeks of allocation, to agree the assessment and plan with the family and to ensure that the other professionals involved are clear on their actions and responsibilities in the plan.",
                    ),
                ),
            ],
        },
        TimescaleRule {
            event: CaseEvent::TeamMeetingHeld as i32,
            level_code: L3.into(),
            deadlines: vec![taf_every_8_weeks()],
        },
        TimescaleRule {
            event: CaseEvent::ReviewHeld as i32,
            level_code: L3.into(),
            deadlines: vec![taf_every_8_weeks()],
        },
    ]
}

pub(crate) fn answer(request: &TimescaleRequest) -> Result<TimescaleAnswer, PluginError> {
    let event = match CaseEvent::try_from(request.event) {
        Ok(CaseEvent::Unspecified) | Err(_) => {
            return Err(PluginError::invalid(
                "event",
                format!("{} is not a case event", request.event),
            ));
        }
        Ok(e) => e,
    };
    if rank(&request.level_code).is_none() {
        return Err(PluginError::invalid(
            "level_code",
            format!(
                "{:?} is not a Bradford level (L1, L2, L3, L4)",
                request.level_code
            ),
        ));
    }
    let deadlines = rules()
        .into_iter()
        .filter(|r| {
            r.event == event as i32
                && (r.level_code.is_empty() || r.level_code == request.level_code)
        })
        .flat_map(|r| r.deadlines)
        .collect();
    Ok(TimescaleAnswer { deadlines })
}
