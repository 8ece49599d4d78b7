//! Scenarios read from the text, as a table. Every case quotes the sentence it checks
//! (shared/seeds/001_e8fa8c619eac9618.txt). 2026-11-23 is a Monday.

use continuum_authority_worcestershire::Worcestershire;
use continuum_plugin_api::pb::{
    CaseEvent, ChildAge, Concern, Consent, ContactPurpose, Decider, MeetingKind, Response,
    TimeUnit, TransitionKind,
};
use continuum_plugin_api::{Authority, PluginError, pb};

struct Case {
    name: &'static str,
    /// The sentence of the text the case checks.
    quote: &'static str,
    check: Check,
}

enum Check {
    Threshold {
        indicators: &'static [&'static str],
        immediate_risk: bool,
        significant_harm: bool,
        consent: Consent,
        /// `None` for an unborn child.
        age_years: Option<u32>,
        level: &'static str,
        response: Response,
        rules: &'static [&'static str],
        may_proceed_without_consent: bool,
        within_age_range: bool,
    },
    Contact {
        purpose: ContactPurpose,
        at: &'static str,
        public_holiday: bool,
        /// The host's closed dates (bank holidays, local closures) in the 14 days from `at`.
        closed_dates: &'static [&'static str],
        contact: &'static str,
        open: bool,
        next_opening: &'static str,
        out_of_hours: &'static str,
    },
    Panel {
        panel: &'static str,
        on_or_after: &'static str,
        expect_panel: &'static str,
        next_sitting: &'static str,
    },
    Timescale {
        event: CaseEvent,
        level: &'static str,
        /// (code, due_in amount, unit, at_most amount or 0, the events that meet it)
        expect: &'static [(&'static str, u32, TimeUnit, u32, &'static [CaseEvent])],
    },
    Transition {
        kind: TransitionKind,
        from: &'static str,
        to: &'static str,
        consent: Consent,
        forms: &'static [&'static str],
        meetings: &'static [MeetingKind],
        significant_harm: bool,
        allowed: bool,
        /// Exactly the unmet rule ids, in order.
        unmet: &'static [&'static str],
        resulting_level: &'static str,
    },
    /// A move that may wait for someone's decision: who decides each unmet condition, and what
    /// the move does once a manager agreed (or a meeting was held).
    Request {
        kind: TransitionKind,
        from: &'static str,
        to: &'static str,
        consent: Consent,
        forms: &'static [&'static str],
        meetings: &'static [MeetingKind],
        significant_harm: bool,
        manager_agreed: bool,
        allowed: bool,
        /// Exactly the unmet rule ids, in order, each with who may decide it
        /// (`Decider::Unspecified`: nobody, so the move is refused).
        unmet: &'static [(&'static str, Decider)],
        resulting_level: &'static str,
    },
    /// A request the plugin must refuse, naming the field.
    Invalid {
        request: fn() -> Result<(), PluginError>,
        field: &'static str,
    },
}

const NONE: &[&str] = &[];
const REFERRAL: &str = "REFERRAL_TO_CHILDRENS_SOCIAL_CARE";
const TRANSFER: &str = "TRANSFER_OF_NEED_EPISODE";
const EHA: &str = "EARLY_HELP_ASSESSMENT";

fn threshold(
    indicators: &'static [&'static str],
    level: &'static str,
    response: Response,
    rules: &'static [&'static str],
) -> Check {
    Check::Threshold {
        indicators,
        immediate_risk: false,
        significant_harm: false,
        consent: Consent::GivenInWriting,
        age_years: Some(8),
        level,
        response,
        rules,
        may_proceed_without_consent: false,
        within_age_range: true,
    }
}

fn contact(
    purpose: ContactPurpose,
    at: &'static str,
    contact: &'static str,
    open: bool,
    next_opening: &'static str,
    out_of_hours: &'static str,
) -> Check {
    Check::Contact {
        purpose,
        at,
        public_holiday: false,
        closed_dates: &[],
        contact,
        open,
        next_opening,
        out_of_hours,
    }
}

#[allow(clippy::too_many_arguments)]
fn transition(
    kind: TransitionKind,
    from: &'static str,
    to: &'static str,
    consent: Consent,
    forms: &'static [&'static str],
    meetings: &'static [MeetingKind],
    significant_harm: bool,
    unmet: &'static [&'static str],
    resulting_level: &'static str,
) -> Check {
    Check::Transition {
        kind,
        from,
        to,
        consent,
        forms,
        meetings,
        significant_harm,
        allowed: unmet.is_empty(),
        unmet,
        resulting_level,
    }
}

fn cases() -> Vec<Case> {
    use ContactPurpose::*;
    vec![
        // ---------------------------------------------------------------- thresholds
        Case {
            name: "a level 1 example stays universal",
            quote: "Level 1 represents children with no identified additional needs.",
            check: threshold(
                &["WOR-L1-HEALTH-01"],
                "L1",
                Response::Universal,
                &["WOR-INDICATOR", "WOR-LEVEL-1"],
            ),
        },
        Case {
            name: "occasional truanting is level 2",
            quote: "Occasional truanting or non-attendance, poor punctuality",
            check: threshold(
                &["WOR-L2-EDUCATION-01"],
                "L2",
                Response::AdditionalSupport,
                &["WOR-LEVEL-2"],
            ),
        },
        Case {
            name: "starting to go missing from home is level 3",
            quote: "Starting to go missing from home",
            check: threshold(
                &["WOR-L3-EBD-02"],
                "L3",
                Response::TargetedEarlyHelp,
                &["WOR-LEVEL-3"],
            ),
        },
        Case {
            name: "FGM is level 4",
            quote: "Female Genital Mutilation (FGM)",
            check: threshold(
                &["WOR-L4-HEALTH-05"],
                "L4",
                Response::StatutorySocialCare,
                &["WOR-LEVEL-4"],
            ),
        },
        Case {
            name: "the highest level wins",
            quote: "Appendix 1 contains a set of tables giving examples of needs at each level.",
            check: threshold(
                &[
                    "WOR-L2-HEALTH-04",
                    "WOR-L3-HOUSING-01",
                    "WOR-L1-EDUCATION-01",
                ],
                "L3",
                Response::TargetedEarlyHelp,
                &["WOR-HIGHEST-LEVEL"],
            ),
        },
        Case {
            name: "an accumulation of level 2 examples across domains raises to level 3",
            quote: "An accumulation of a number of these examples could increase a child's vulnerability and, as such, the type of response required.",
            check: threshold(
                &[
                    "WOR-L2-HEALTH-04",
                    "WOR-L2-HOUSING-01",
                    "WOR-L2-BASICCARE-01",
                ],
                "L3",
                Response::TargetedEarlyHelp,
                &["WOR-ACCUMULATION"],
            ),
        },
        Case {
            name: "an accumulation of level 3 examples across domains raises to level 4",
            quote: "An accumulation of a number of these examples could increase a child's vulnerability and, as such, the type of response required.",
            check: threshold(
                &["WOR-L3-EBD-04", "WOR-L3-BASICCARE-04", "WOR-L3-FAMILY-01"],
                "L4",
                Response::StatutorySocialCare,
                &["WOR-ACCUMULATION"],
            ),
        },
        Case {
            name: "three level 2 examples in one domain do not accumulate",
            quote: "An accumulation of a number of these examples could increase a child's vulnerability",
            check: threshold(
                &[
                    "WOR-L2-HEALTH-01",
                    "WOR-L2-HEALTH-02",
                    "WOR-L2-EDUCATION-07",
                ],
                "L2",
                Response::AdditionalSupport,
                &["WOR-ACCUMULATION-JUDGEMENT"],
            ),
        },
        Case {
            name: "level 1 strengths never accumulate",
            quote: "The majority of children will successfully develop and thrive at this level of need.",
            check: threshold(
                &[
                    "WOR-L1-HEALTH-01",
                    "WOR-L1-HOUSING-01",
                    "WOR-L1-CARERS-01",
                    "WOR-L1-IDENTITY-02",
                ],
                "L1",
                Response::Universal,
                &["WOR-LEVEL-1"],
            ),
        },
        Case {
            name: "immediate risk is an emergency",
            quote: "If you believe that a child or young person is at immediate risk of harm, contact the Police on 999.",
            check: Check::Threshold {
                indicators: &["WOR-L2-HEALTH-04"],
                immediate_risk: true,
                significant_harm: false,
                consent: Consent::NotSought,
                age_years: Some(5),
                level: "L4",
                response: Response::Emergency,
                rules: &["WOR-IMMEDIATE-RISK"],
                may_proceed_without_consent: true,
                within_age_range: true,
            },
        },
        Case {
            name: "significant harm with consent refused is still referred",
            quote: "The information must still be shared despite consent being refused.",
            check: Check::Threshold {
                indicators: &["WOR-L2-EDUCATION-01"],
                immediate_risk: false,
                significant_harm: true,
                consent: Consent::Refused,
                age_years: Some(12),
                level: "L4",
                response: Response::StatutorySocialCare,
                rules: &["WOR-SIGNIFICANT-HARM", "WOR-SHARE-WITHOUT-CONSENT"],
                may_proceed_without_consent: true,
                within_age_range: true,
            },
        },
        Case {
            name: "consent refused for early help",
            quote: "If a parent or carer does not give consent to engage with early help support and this raises concerns about the ability of the parents or carers to promote their child's welfare, and might lead to their inability to protect the child, a referral should be made to children's social care via the Family Front Door.",
            check: Check::Threshold {
                indicators: &["WOR-L3-CARERS-03"],
                immediate_risk: false,
                significant_harm: false,
                consent: Consent::Refused,
                age_years: Some(3),
                level: "L3",
                response: Response::TargetedEarlyHelp,
                rules: &["WOR-CONSENT-REFUSED-EARLY-HELP"],
                may_proceed_without_consent: false,
                within_age_range: true,
            },
        },
        Case {
            name: "a level 4 referral refused without significant harm needs advice",
            quote: "Where the parent refuses to give permission for the referral, unless it would cause undue delay, further advice should be sought from a manager or the nominated safeguarding lead and the outcome recorded.",
            check: Check::Threshold {
                indicators: &["WOR-L4-HOUSING-04"],
                immediate_risk: false,
                significant_harm: false,
                consent: Consent::Refused,
                age_years: Some(10),
                level: "L4",
                response: Response::StatutorySocialCare,
                rules: &["WOR-CONSENT-REFUSED-REFERRAL"],
                may_proceed_without_consent: false,
                within_age_range: true,
            },
        },
        Case {
            name: "an unborn child is served",
            quote: "at any point in the child's life from pre-birth through to the teenage years",
            check: Check::Threshold {
                indicators: &["WOR-L3-HEALTH-05"],
                immediate_risk: false,
                significant_harm: false,
                consent: Consent::GivenVerbally,
                age_years: None,
                level: "L3",
                response: Response::TargetedEarlyHelp,
                rules: &["WOR-AGE-RANGE"],
                may_proceed_without_consent: false,
                within_age_range: true,
            },
        },
        Case {
            name: "a 19 year old is outside the encoded range",
            quote: "at any point in the child's life from pre-birth through to the teenage years",
            check: Check::Threshold {
                indicators: &["WOR-L2-EDUCATION-02"],
                immediate_risk: false,
                significant_harm: false,
                consent: Consent::GivenVerbally,
                age_years: Some(19),
                level: "L2",
                response: Response::AdditionalSupport,
                rules: &["WOR-AGE-RANGE"],
                may_proceed_without_consent: false,
                within_age_range: false,
            },
        },
        Case {
            name: "an unknown indicator code is refused",
            quote: "Appendix 1 contains a set of tables giving examples of needs at each level.",
            check: Check::Invalid {
                request: || {
                    Worcestershire
                        .assess_threshold(&pb::ThresholdRequest {
                            concerns: vec![
                                Concern {
                                    indicator_code: "WOR-L2-HEALTH-01".into(),
                                    ..Default::default()
                                },
                                Concern {
                                    indicator_code: "WOR-L2-HEALTH-99".into(),
                                    ..Default::default()
                                },
                            ],
                            ..Default::default()
                        })
                        .map(drop)
                },
                field: "concerns[1].indicator_code",
            },
        },
        // ---------------------------------------------------------------- contact routing
        Case {
            name: "Monday morning: the Family Front Door is open",
            quote: "During the following working hours telephone 01905 822666 ... 9.00am-5.00pm – Monday to Thursday",
            check: contact(
                SafeguardingReferral,
                "2026-11-23T10:00:00",
                "FAMILY_FRONT_DOOR",
                true,
                "",
                "",
            ),
        },
        Case {
            name: "Monday at 9am it opens",
            quote: "9.00am-5.00pm – Monday to Thursday",
            check: contact(
                SafeguardingReferral,
                "2026-11-23T09:00:00",
                "FAMILY_FRONT_DOOR",
                true,
                "",
                "",
            ),
        },
        Case {
            name: "weekday evening: out of hours",
            quote: "Out of hours or at weekends: 01905 768020",
            check: contact(
                SafeguardingReferral,
                "2026-11-23T18:30:00",
                "FAMILY_FRONT_DOOR",
                false,
                "2026-11-24T09:00:00",
                "FAMILY_FRONT_DOOR_OUT_OF_HOURS",
            ),
        },
        Case {
            name: "Thursday 4.45pm is still open",
            quote: "9.00am-5.00pm – Monday to Thursday",
            check: contact(
                SafeguardingReferral,
                "2026-11-26T16:45:00",
                "FAMILY_FRONT_DOOR",
                true,
                "",
                "",
            ),
        },
        Case {
            name: "Friday 4.45pm is closed (Friday closes at 4.30pm)",
            quote: "9.00am-4.30pm - Friday",
            check: contact(
                SafeguardingReferral,
                "2026-11-27T16:45:00",
                "FAMILY_FRONT_DOOR",
                false,
                "2026-11-30T09:00:00",
                "FAMILY_FRONT_DOOR_OUT_OF_HOURS",
            ),
        },
        Case {
            name: "Saturday: out of hours until Monday",
            quote: "Out of hours or at weekends: 01905 768020",
            check: contact(
                SafeguardingReferral,
                "2026-11-28T11:00:00",
                "FAMILY_FRONT_DOOR",
                false,
                "2026-11-30T09:00:00",
                "FAMILY_FRONT_DOOR_OUT_OF_HOURS",
            ),
        },
        Case {
            name: "a bank holiday Monday is out of hours",
            quote: "Out of hours or at weekends: 01905 768020",
            check: Check::Contact {
                purpose: SafeguardingReferral,
                at: "2026-11-23T10:00:00",
                public_holiday: true,
                closed_dates: &["2026-11-23"],
                contact: "FAMILY_FRONT_DOOR",
                open: false,
                next_opening: "2026-11-24T09:00:00",
                out_of_hours: "FAMILY_FRONT_DOOR_OUT_OF_HOURS",
            },
        },
        Case {
            name: "Monday 28 December 2026, a bank holiday: out of hours until Tuesday 9am",
            quote: "Out of hours or at weekends: 01905 768020",
            check: Check::Contact {
                purpose: SafeguardingReferral,
                at: "2026-12-28T11:00:00",
                public_holiday: true,
                closed_dates: &["2026-12-28", "2027-01-01"],
                contact: "FAMILY_FRONT_DOOR",
                open: false,
                next_opening: "2026-12-29T09:00:00",
                out_of_hours: "FAMILY_FRONT_DOOR_OUT_OF_HOURS",
            },
        },
        Case {
            name: "advice on a bank holiday: closed, no out-of-hours advice, back on Tuesday",
            quote: "telephone number: 01905 822666 or out of office hours emergency only 01905 768020",
            check: Check::Contact {
                purpose: Advice,
                at: "2026-12-28T11:00:00",
                public_holiday: true,
                closed_dates: &["2026-12-28", "2027-01-01"],
                contact: "FAMILY_FRONT_DOOR",
                open: false,
                next_opening: "2026-12-29T09:00:00",
                out_of_hours: "",
            },
        },
        Case {
            name: "Christmas Eve evening: the Family Front Door next opens on 29 December",
            quote: "Out of hours or at weekends: 01905 768020",
            check: Check::Contact {
                purpose: SafeguardingReferral,
                at: "2026-12-24T18:00:00",
                public_holiday: false,
                closed_dates: &["2026-12-25", "2026-12-28"],
                contact: "FAMILY_FRONT_DOOR",
                open: false,
                next_opening: "2026-12-29T09:00:00",
                out_of_hours: "FAMILY_FRONT_DOOR_OUT_OF_HOURS",
            },
        },
        Case {
            name: "New Year's Eve after 5pm: next open Monday 4 January",
            quote: "9.00am-5.00pm – Monday to Thursday",
            check: Check::Contact {
                purpose: SafeguardingReferral,
                at: "2026-12-31T17:30:00",
                public_holiday: false,
                closed_dates: &["2027-01-01"],
                contact: "FAMILY_FRONT_DOOR",
                open: false,
                next_opening: "2027-01-04T09:00:00",
                out_of_hours: "FAMILY_FRONT_DOOR_OUT_OF_HOURS",
            },
        },
        Case {
            name: "an early help request on a bank holiday: the online form is open",
            quote: "Request services from Early Help Family Support by completing an online form at:",
            check: Check::Contact {
                purpose: EarlyHelpRequest,
                at: "2026-12-28T11:00:00",
                public_holiday: true,
                closed_dates: &["2026-12-28", "2027-01-01"],
                contact: "EARLY_HELP_FAMILY_SUPPORT_REQUEST",
                open: true,
                next_opening: "",
                out_of_hours: "",
            },
        },
        Case {
            name: "a malformed closed date is refused",
            quote: "During the following working hours telephone 01905 822666",
            check: Check::Invalid {
                request: || {
                    Worcestershire
                        .route_contact(&pb::ContactRequest {
                            purpose: Advice as i32,
                            local_time: "2026-12-24T18:00:00".into(),
                            closed_dates: vec!["25/12/2026".into()],
                            ..Default::default()
                        })
                        .map(drop)
                },
                field: "closed_dates[0]",
            },
        },
        Case {
            name: "emergency on a Saturday: 999",
            quote: "In an emergency always dial 999",
            check: contact(
                Emergency,
                "2026-11-28T11:00:00",
                "POLICE_EMERGENCY",
                true,
                "",
                "",
            ),
        },
        Case {
            name: "advice in the evening: the out-of-hours line is emergency only",
            quote: "telephone number: 01905 822666 or out of office hours emergency only 01905 768020",
            check: contact(
                Advice,
                "2026-11-25T23:30:00",
                "FAMILY_FRONT_DOOR",
                false,
                "2026-11-26T09:00:00",
                "",
            ),
        },
        Case {
            name: "an early help request on a Sunday: the online form",
            quote: "Request services from Early Help Family Support by completing an online form at:",
            check: contact(
                EarlyHelpRequest,
                "2026-11-29T19:00:00",
                "EARLY_HELP_FAMILY_SUPPORT_REQUEST",
                true,
                "",
                "",
            ),
        },
        Case {
            name: "a malformed local time is refused",
            quote: "During the following working hours telephone 01905 822666",
            check: Check::Invalid {
                request: || {
                    Worcestershire
                        .route_contact(&pb::ContactRequest {
                            purpose: Advice as i32,
                            local_time: "Monday morning".into(),
                            ..Default::default()
                        })
                        .map(drop)
                },
                field: "local_time",
            },
        },
        Case {
            name: "an unspecified purpose is refused",
            quote: "The Family Front Door act as points of referral and advice.",
            check: Check::Invalid {
                request: || {
                    Worcestershire
                        .route_contact(&pb::ContactRequest {
                            purpose: 0,
                            local_time: "2026-11-23T10:00:00".into(),
                            ..Default::default()
                        })
                        .map(drop)
                },
                field: "purpose",
            },
        },
        // ---------------------------------------------------------------- panels
        Case {
            name: "the main panel has no day in the text",
            quote: "If the threshold is met for a social care assessment, the case will be referred to the appropriate social care team",
            check: Check::Panel {
                panel: "",
                on_or_after: "2026-11-23",
                expect_panel: "FAMILY_FRONT_DOOR_DECISION",
                next_sitting: "",
            },
        },
        Case {
            name: "the Step Up conversation has no day, only 24 hours",
            quote: "This Conversation to be held within 24 hrs ... of the request for step up conversation.",
            check: Check::Panel {
                panel: "MASH_STEP_UP_CONVERSATION",
                on_or_after: "2026-11-26",
                expect_panel: "MASH_STEP_UP_CONVERSATION",
                next_sitting: "",
            },
        },
        Case {
            name: "an unknown panel is refused",
            quote: "Multi-agency meeting (or telephone call) every 6-12 weeks to review the plan.",
            check: Check::Invalid {
                request: || {
                    Worcestershire
                        .next_panel(&pb::PanelRequest {
                            panel_code: "JAFF_PANEL".into(),
                            on_or_after: "2026-11-23".into(),
                        })
                        .map(drop)
                },
                field: "panel_code",
            },
        },
        // ---------------------------------------------------------------- timescales
        Case {
            name: "a concern on an open EIFS case: a multi agency meeting within three days",
            quote: "An Early Help multi agency meeting is held with parents and professionals within three days to address new concerns and revise EH plan",
            check: Check::Timescale {
                event: CaseEvent::ConcernOnOpenCase,
                level: "L2",
                expect: &[(
                    "WOR-EH-MEETING-NEW-CONCERNS",
                    3,
                    TimeUnit::CalendarDays,
                    0,
                    &[CaseEvent::TeamMeetingHeld, CaseEvent::ReviewHeld],
                )],
            },
        },
        Case {
            name: "a concern on an open TFS case: the meeting, not the Step Up conversation",
            quote: "An Early Help multi agency meeting is held with parents and professionals within three days to address new concerns and revise EH plan",
            check: Check::Timescale {
                event: CaseEvent::ConcernOnOpenCase,
                level: "L3",
                expect: &[(
                    "WOR-EH-MEETING-NEW-CONCERNS",
                    3,
                    TimeUnit::CalendarDays,
                    0,
                    &[CaseEvent::TeamMeetingHeld, CaseEvent::ReviewHeld],
                )],
            },
        },
        Case {
            name: "a step up requested on an open TFS case: the Step Up conversation within 24 hours",
            quote: "This Conversation to be held within 24 hrs ... of the request for step up conversation.",
            check: Check::Timescale {
                event: CaseEvent::StepUpRequested,
                level: "L3",
                expect: &[(
                    "WOR-STEP-UP-CONVERSATION",
                    24,
                    TimeUnit::Hours,
                    0,
                    &[CaseEvent::StepUpConversationHeld],
                )],
            },
        },
        Case {
            name: "a step up requested on an open EIFS case: the Step Up conversation within 24 hours",
            quote: "This Conversation to be held within 24 hrs ... of the request for step up conversation. It is the responsibility of the TFS / EIFS to follow this up as they are case responsible.",
            check: Check::Timescale {
                event: CaseEvent::StepUpRequested,
                level: "L2",
                expect: &[(
                    "WOR-STEP-UP-CONVERSATION",
                    24,
                    TimeUnit::Hours,
                    0,
                    &[CaseEvent::StepUpConversationHeld],
                )],
            },
        },
        Case {
            name: "a step up requested at level 1 needs no Step Up conversation",
            quote: "Appendix 4 - Step Up to Social Work (level 4) from Targeted Family Support (TFS) Team Leaders and Early Intervention Family Support (EIFS) Coordinators",
            check: Check::Timescale {
                event: CaseEvent::StepUpRequested,
                level: "L1",
                expect: &[],
            },
        },
        Case {
            name: "a case stepped up to level 4 starts no deadline",
            quote: "If outcome is agreed for Level 4 or to proceed ... with a MASH case discussion. TFS Team ... Leaders / EIFS Coordinators to seek consent ... from family and make a Social Care referral.",
            check: Check::Timescale {
                event: CaseEvent::SteppedUp,
                level: "L4",
                expect: &[],
            },
        },
        Case {
            name: "an early help plan is reviewed every 6-12 weeks, met by a review or multi-agency meeting",
            quote: "Multi-agency meeting (or telephone call) every 6-12 weeks to review the plan.",
            check: Check::Timescale {
                event: CaseEvent::PlanAgreed,
                level: "L3",
                expect: &[(
                    "WOR-EH-PLAN-REVIEW",
                    6,
                    TimeUnit::Weeks,
                    12,
                    &[CaseEvent::ReviewHeld, CaseEvent::TeamMeetingHeld],
                )],
            },
        },
        Case {
            name: "further reviews follow a review",
            quote: "If the plan continues, further reviews take place",
            check: Check::Timescale {
                event: CaseEvent::ReviewHeld,
                level: "L2",
                expect: &[(
                    "WOR-EH-PLAN-REVIEW",
                    6,
                    TimeUnit::Weeks,
                    12,
                    &[CaseEvent::ReviewHeld, CaseEvent::TeamMeetingHeld],
                )],
            },
        },
        Case {
            name: "a referral has no numeric deadline in the text",
            quote: "the child must always be referred to children's social care without delay",
            check: Check::Timescale {
                event: CaseEvent::ReferralReceived,
                level: "L4",
                expect: &[],
            },
        },
        Case {
            name: "an unknown level is refused for timescales",
            quote: "Level 4 represents children who need statutory and/or specialist interventions including;",
            check: Check::Invalid {
                request: || {
                    Worcestershire
                        .timescales(&pb::TimescaleRequest {
                            event: CaseEvent::PlanAgreed as i32,
                            level_code: "L5".into(),
                            ..Default::default()
                        })
                        .map(drop)
                },
                field: "level_code",
            },
        },
        // ---------------------------------------------------------------- transitions
        Case {
            name: "step up from TFS after a Step Up conversation",
            quote: "If outcome is agreed for Level 4 or to proceed ... with a MASH case discussion. TFS Team ... Leaders / EIFS Coordinators to seek consent ... from family and make a Social Care referral.",
            check: transition(
                TransitionKind::StepUp,
                "L3",
                "L4",
                Consent::GivenVerbally,
                &[REFERRAL],
                &[MeetingKind::StepUpConversation],
                false,
                NONE,
                "L4",
            ),
        },
        Case {
            name: "step up from TFS waits for the Step Up conversation",
            quote: "telephone MASH Manager with FWi number requesting a Step Up ... conversation.",
            check: Check::Request {
                kind: TransitionKind::StepUp,
                from: "L3",
                to: "L4",
                consent: Consent::GivenVerbally,
                forms: &[REFERRAL],
                meetings: &[],
                significant_harm: false,
                manager_agreed: false,
                allowed: false,
                unmet: &[("WOR-STEP-UP-CONVERSATION", Decider::Meeting)],
                resulting_level: "",
            },
        },
        Case {
            name: "a step up asked for before consent and referral waits for the conversation alone",
            quote: "If outcome is agreed for Level 4 or to proceed ... with a MASH case discussion. TFS Team ... Leaders / EIFS Coordinators to seek consent ... from family and make a Social Care referral.",
            check: Check::Request {
                kind: TransitionKind::StepUp,
                from: "L2",
                to: "L4",
                consent: Consent::NotSought,
                forms: &[],
                meetings: &[],
                significant_harm: false,
                manager_agreed: false,
                allowed: false,
                unmet: &[("WOR-STEP-UP-CONVERSATION", Decider::Meeting)],
                resulting_level: "",
            },
        },
        Case {
            name: "after the conversation, consent and the referral cannot be decided away",
            quote: "TFS Team ... Leaders / EIFS Coordinators to seek consent ... from family and make a Social Care referral.",
            check: Check::Request {
                kind: TransitionKind::StepUp,
                from: "L2",
                to: "L4",
                consent: Consent::NotSought,
                forms: &[],
                meetings: &[MeetingKind::StepUpConversation],
                significant_harm: false,
                manager_agreed: false,
                allowed: false,
                unmet: &[
                    ("WOR-CONSENT-REFERRAL", Decider::Unspecified),
                    ("WOR-REFERRAL-FORM", Decider::Unspecified),
                ],
                resulting_level: "",
            },
        },
        Case {
            name: "a line manager's agreement does not replace the Step Up conversation",
            quote: "If concerns are emerging and escalating, TFS Team Leaders / EIFS Coordinators can either discuss this case with their line manager or to telephone MASH Manager with FWi number requesting a Step Up ... conversation.",
            check: Check::Request {
                kind: TransitionKind::StepUp,
                from: "L3",
                to: "L4",
                consent: Consent::GivenInWriting,
                forms: &[REFERRAL],
                meetings: &[],
                significant_harm: false,
                manager_agreed: true,
                allowed: false,
                unmet: &[("WOR-STEP-UP-CONVERSATION", Decider::Meeting)],
                resulting_level: "",
            },
        },
        Case {
            name: "a step up from level 1 waits for nobody: the referral is made",
            quote: "Lead Worker and TFS Team Leaders / EIFS Coordinators to review current level of need using the levels of need guidance",
            check: Check::Request {
                kind: TransitionKind::StepUp,
                from: "L1",
                to: "L4",
                consent: Consent::GivenVerbally,
                forms: &[],
                meetings: &[],
                significant_harm: false,
                manager_agreed: false,
                allowed: false,
                unmet: &[("WOR-REFERRAL-FORM", Decider::Unspecified)],
                resulting_level: "",
            },
        },
        Case {
            name: "immediate child protection concern: refer directly, consent refused",
            quote: "Immediate decision required – TFS Team Leaders / EIFS Coordinators to call Family Front Door (FFD) directly and make a referral",
            check: transition(
                TransitionKind::StepUp,
                "L2",
                "L4",
                Consent::Refused,
                &[REFERRAL],
                &[],
                true,
                NONE,
                "L4",
            ),
        },
        Case {
            name: "step up with consent refused and no significant harm is refused",
            quote: "Where the parent refuses to give permission for the referral, unless it would cause undue delay, further advice should be sought from a manager or the nominated safeguarding lead and the outcome recorded.",
            check: transition(
                TransitionKind::StepUp,
                "L3",
                "L4",
                Consent::Refused,
                &[REFERRAL],
                &[MeetingKind::StepUpConversation],
                false,
                &["WOR-CONSENT-REFERRAL"],
                "",
            ),
        },
        Case {
            name: "step up into level 3 needs an Early Help Assessment",
            quote: "Professional completes an Early Help Assessment to identify the strengths and the needs of the family.",
            check: transition(
                TransitionKind::StepUp,
                "L2",
                "L3",
                Consent::GivenInWriting,
                &[],
                &[],
                false,
                &["WOR-EARLY-HELP-ASSESSMENT"],
                "",
            ),
        },
        Case {
            name: "step down from social care waits for the manager and the case discussion",
            quote: "If a Safeguarding Locality Team Manager agrees a Child's Plan has been completed, the risk has been reduced and the plan can be continued with partner agencies in the community at level 3 or 2 needs.",
            check: Check::Request {
                kind: TransitionKind::StepDown,
                from: "L4",
                to: "L3",
                consent: Consent::GivenInWriting,
                forms: &[TRANSFER],
                meetings: &[],
                significant_harm: false,
                manager_agreed: false,
                allowed: false,
                unmet: &[
                    ("WOR-STEP-DOWN-RISK-REDUCED", Decider::Manager),
                    ("WOR-STEP-DOWN-CASE-DISCUSSION", Decider::Meeting),
                ],
                resulting_level: "",
            },
        },
        Case {
            name: "step down from social care to TFS once the manager agreed",
            quote: "If support is required by TFS/EIFS, then a transfer of need episode should be completed in FWi identifying the continued needs and plan required for EIFS / TFS services by the allocated social worker.",
            check: Check::Request {
                kind: TransitionKind::StepDown,
                from: "L4",
                to: "L3",
                consent: Consent::GivenInWriting,
                forms: &[TRANSFER],
                meetings: &[MeetingKind::StepDownMeeting],
                significant_harm: false,
                manager_agreed: true,
                allowed: true,
                unmet: &[],
                resulting_level: "L3",
            },
        },
        Case {
            name: "a manager cannot agree a step down while significant harm is suspected",
            quote: "If you believe a child is at risk of significant harm, the child must always be referred to children's social care without delay",
            check: Check::Request {
                kind: TransitionKind::StepDown,
                from: "L4",
                to: "L3",
                consent: Consent::GivenInWriting,
                forms: &[TRANSFER],
                meetings: &[MeetingKind::StepDownMeeting],
                significant_harm: true,
                manager_agreed: true,
                allowed: false,
                unmet: &[("WOR-SIGNIFICANT-HARM-REFERRAL", Decider::Unspecified)],
                resulting_level: "",
            },
        },
        Case {
            name: "step down without a transfer of need episode is refused",
            quote: "Social Worker to complete a transfer of need episode in FWi and send It to relevant Team",
            check: Check::Request {
                kind: TransitionKind::StepDown,
                from: "L4",
                to: "L2",
                consent: Consent::GivenInWriting,
                forms: &[],
                meetings: &[MeetingKind::StepDownMeeting],
                significant_harm: false,
                manager_agreed: true,
                allowed: false,
                unmet: &[("WOR-STEP-DOWN-TRANSFER-EPISODE", Decider::Unspecified)],
                resulting_level: "",
            },
        },
        Case {
            name: "step down from social care straight to level 1 is not in the text",
            quote: "the plan can be continued with partner agencies in the community at level 3 or 2 needs.",
            check: Check::Request {
                kind: TransitionKind::StepDown,
                from: "L4",
                to: "L1",
                consent: Consent::GivenInWriting,
                forms: &[TRANSFER],
                meetings: &[MeetingKind::StepDownMeeting],
                significant_harm: false,
                manager_agreed: true,
                allowed: false,
                unmet: &[("WOR-STEP-DOWN-TARGET", Decider::Unspecified)],
                resulting_level: "",
            },
        },
        Case {
            name: "a step down within early help waits for the review",
            quote: "The decision is made to continue as is/amend the plan/to end the plan as the needs are fully met, or to end the plan and a single agency will meet the need or that only universal services are required",
            check: Check::Request {
                kind: TransitionKind::StepDown,
                from: "L3",
                to: "L2",
                consent: Consent::GivenInWriting,
                forms: &[],
                meetings: &[],
                significant_harm: false,
                manager_agreed: false,
                allowed: false,
                unmet: &[("WOR-EARLY-HELP-REVIEW-DECISION", Decider::Meeting)],
                resulting_level: "",
            },
        },
        Case {
            name: "a step down within early help after the review",
            quote: "to end the plan and a single agency will meet the need",
            check: Check::Request {
                kind: TransitionKind::StepDown,
                from: "L3",
                to: "L2",
                consent: Consent::GivenInWriting,
                forms: &[],
                meetings: &[MeetingKind::Review],
                significant_harm: false,
                manager_agreed: false,
                allowed: true,
                unmet: &[],
                resulting_level: "L2",
            },
        },
        Case {
            name: "a step down within early help without consent is refused even after the review",
            quote: "agreement sought for accessing or referring to another agency (levels 2 & 3)",
            check: Check::Request {
                kind: TransitionKind::StepDown,
                from: "L3",
                to: "L2",
                consent: Consent::Refused,
                forms: &[],
                meetings: &[MeetingKind::Review],
                significant_harm: false,
                manager_agreed: true,
                allowed: false,
                unmet: &[("WOR-CONSENT-EARLY-HELP", Decider::Unspecified)],
                resulting_level: "",
            },
        },
        Case {
            name: "closing an early help plan waits for the multi-agency meeting",
            quote: "When the child/young person, family and multi-agency meeting agree that needs have been met, the plan will end and all those involved should be informed",
            check: Check::Request {
                kind: TransitionKind::Close,
                from: "L2",
                to: "",
                consent: Consent::GivenInWriting,
                forms: &[],
                meetings: &[],
                significant_harm: false,
                manager_agreed: false,
                allowed: false,
                unmet: &[("WOR-EARLY-HELP-PLAN-END", Decider::Meeting)],
                resulting_level: "",
            },
        },
        Case {
            name: "closing an early help plan after the review agrees",
            quote: "When the child/young person, family and multi-agency meeting agree that needs have been met, the plan will end and all those involved should be informed",
            check: transition(
                TransitionKind::Close,
                "L3",
                "",
                Consent::GivenInWriting,
                &[EHA],
                &[MeetingKind::Review],
                false,
                NONE,
                "",
            ),
        },
        Case {
            name: "closing with significant harm suspected is refused",
            quote: "If you believe a child is at risk of significant harm, the child must always be referred to children's social care without delay",
            check: transition(
                TransitionKind::Close,
                "L2",
                "",
                Consent::GivenInWriting,
                &[],
                &[MeetingKind::Review],
                true,
                &["WOR-SIGNIFICANT-HARM-REFERRAL"],
                "",
            ),
        },
        Case {
            name: "step across has no procedure in the text",
            quote: "see Appendices 4 and 5 for step up/ step down procedures",
            check: transition(
                TransitionKind::StepAcross,
                "L3",
                "L3",
                Consent::GivenInWriting,
                &[],
                &[],
                false,
                &["WOR-STEP-ACROSS"],
                "",
            ),
        },
        Case {
            name: "a CIN / CP case transferring in is level 4",
            quote: "Transferring in cases from other Local Authorities e.g. CIN and CP, Final Court orders",
            check: transition(
                TransitionKind::TransferIn,
                "",
                "L4",
                Consent::GivenInWriting,
                &[REFERRAL],
                &[],
                false,
                NONE,
                "L4",
            ),
        },
        Case {
            name: "an unknown current level is refused",
            quote: "Lead Worker and TFS Team Leaders / EIFS Coordinators to review current level of need using the levels of need guidance",
            check: Check::Invalid {
                request: || {
                    Worcestershire
                        .check_transition(&pb::TransitionRequest {
                            kind: TransitionKind::StepUp as i32,
                            current_level: "LEVEL-3".into(),
                            target_level: "L4".into(),
                            ..Default::default()
                        })
                        .map(drop)
                },
                field: "current_level",
            },
        },
        Case {
            name: "a panel decision no Worcestershire panel takes is refused",
            quote: "If the threshold is met for a social care assessment, the case will be referred to the appropriate social care team",
            check: Check::Invalid {
                request: || {
                    Worcestershire
                        .check_transition(&pb::TransitionRequest {
                            kind: TransitionKind::StepUp as i32,
                            current_level: "L3".into(),
                            target_level: "L4".into(),
                            panel_decision: "ACCEPT_MULTI_AGENCY".into(),
                            ..Default::default()
                        })
                        .map(drop)
                },
                field: "panel_decision",
            },
        },
        Case {
            name: "an unknown target level is refused",
            quote: "Level 4 represents children who need statutory and/or specialist interventions including;",
            check: Check::Invalid {
                request: || {
                    Worcestershire
                        .check_transition(&pb::TransitionRequest {
                            kind: TransitionKind::StepUp as i32,
                            current_level: "L3".into(),
                            target_level: "L5".into(),
                            ..Default::default()
                        })
                        .map(drop)
                },
                field: "target_level",
            },
        },
    ]
}

fn run(case: &Case) -> Result<(), String> {
    let a = Worcestershire;
    match &case.check {
        Check::Threshold {
            indicators,
            immediate_risk,
            significant_harm,
            consent,
            age_years,
            level,
            response,
            rules,
            may_proceed_without_consent,
            within_age_range,
        } => {
            let request = pb::ThresholdRequest {
                concerns: indicators
                    .iter()
                    .map(|c| Concern {
                        indicator_code: (*c).into(),
                        ..Default::default()
                    })
                    .collect(),
                immediate_risk: *immediate_risk,
                significant_harm_suspected: *significant_harm,
                consent: *consent as i32,
                age: Some(match age_years {
                    Some(years) => ChildAge {
                        years: *years,
                        ..Default::default()
                    },
                    None => ChildAge {
                        unborn: true,
                        gestation_weeks: 30,
                        ..Default::default()
                    },
                }),
            };
            let d = a.assess_threshold(&request).map_err(|e| e.to_string())?;
            let ids: Vec<&str> = d.reasons.iter().map(|r| r.rule_id.as_str()).collect();
            if d.recommended_level != *level || d.response != *response as i32 {
                return Err(format!(
                    "got {} / {:?}; reasons {ids:?}",
                    d.recommended_level,
                    Response::try_from(d.response)
                ));
            }
            if let Some(r) = rules.iter().find(|r| !ids.contains(r)) {
                return Err(format!("{r} not among {ids:?}"));
            }
            let consent = d.consent.unwrap_or_default();
            if consent.may_proceed_without != *may_proceed_without_consent {
                return Err(format!(
                    "may_proceed_without = {}",
                    consent.may_proceed_without
                ));
            }
            if d.within_age_range != *within_age_range {
                return Err(format!("within_age_range = {}", d.within_age_range));
            }
            if d.matched_indicators.len() != indicators.len() {
                return Err(format!("matched {:?}", d.matched_indicators));
            }
        }
        Check::Contact {
            purpose,
            at,
            public_holiday,
            closed_dates,
            contact,
            open,
            next_opening,
            out_of_hours,
        } => {
            let request = pb::ContactRequest {
                purpose: *purpose as i32,
                local_time: (*at).into(),
                public_holiday: *public_holiday,
                closed_dates: closed_dates.iter().map(|d| (*d).to_owned()).collect(),
                ..Default::default()
            };
            let answer = a.route_contact(&request).map_err(|e| e.to_string())?;
            let got = (
                answer
                    .contact
                    .as_ref()
                    .map(|c| c.code.as_str())
                    .unwrap_or_default(),
                answer.open_now,
                answer.next_opening.as_str(),
                answer
                    .out_of_hours
                    .as_ref()
                    .map(|c| c.code.as_str())
                    .unwrap_or_default(),
            );
            if got != (*contact, *open, *next_opening, *out_of_hours) {
                return Err(format!("got {got:?}"));
            }
            let emergency = answer.emergency.unwrap_or_default();
            if emergency.phone != "999" || !emergency.always_open {
                return Err("the emergency alternative is not 999".into());
            }
        }
        Check::Panel {
            panel,
            on_or_after,
            expect_panel,
            next_sitting,
        } => {
            let answer = a
                .next_panel(&pb::PanelRequest {
                    panel_code: (*panel).into(),
                    on_or_after: (*on_or_after).into(),
                })
                .map_err(|e| e.to_string())?;
            let code = answer
                .panel
                .as_ref()
                .map(|p| p.code.as_str())
                .unwrap_or_default();
            if code != *expect_panel || answer.next_sitting != *next_sitting {
                return Err(format!("got {code} on {:?}", answer.next_sitting));
            }
            if next_sitting.is_empty() && !answer.note.contains("gives no day") {
                return Err(format!(
                    "note {:?} does not say the text gives no day",
                    answer.note
                ));
            }
        }
        Check::Timescale {
            event,
            level,
            expect,
        } => {
            let answer = a
                .timescales(&pb::TimescaleRequest {
                    event: *event as i32,
                    level_code: (*level).into(),
                    ..Default::default()
                })
                .map_err(|e| e.to_string())?;
            let got: Vec<(String, u32, i32, u32, Vec<i32>)> = answer
                .deadlines
                .iter()
                .map(|d| {
                    let due = d.due_in.unwrap_or_default();
                    (
                        d.code.clone(),
                        due.amount,
                        due.unit,
                        d.at_most.map(|s| s.amount).unwrap_or_default(),
                        d.met_by.clone(),
                    )
                })
                .collect();
            let want: Vec<(String, u32, i32, u32, Vec<i32>)> = expect
                .iter()
                .map(|(c, n, u, m, by)| {
                    (
                        (*c).to_owned(),
                        *n,
                        *u as i32,
                        *m,
                        by.iter().map(|e| *e as i32).collect(),
                    )
                })
                .collect();
            if got != want {
                return Err(format!("deadlines {got:?}"));
            }
        }
        Check::Transition {
            kind,
            from,
            to,
            consent,
            forms,
            meetings,
            significant_harm,
            allowed,
            unmet,
            resulting_level,
        } => {
            let request = pb::TransitionRequest {
                kind: *kind as i32,
                current_level: (*from).into(),
                target_level: (*to).into(),
                days_open: 30,
                consent: *consent as i32,
                forms_completed: forms.iter().map(|f| (*f).to_owned()).collect(),
                meetings_held: meetings.iter().map(|m| *m as i32).collect(),
                significant_harm_suspected: *significant_harm,
                from_authority: if *kind == TransitionKind::TransferIn {
                    "E10000031".into()
                } else {
                    String::new()
                },
                age: Some(ChildAge {
                    years: 8,
                    ..Default::default()
                }),
                ..Default::default()
            };
            let answer = a.check_transition(&request).map_err(|e| e.to_string())?;
            let got: Vec<&str> = answer.unmet.iter().map(|r| r.rule_id.as_str()).collect();
            if answer.allowed != *allowed || got != *unmet {
                return Err(format!("allowed = {}, unmet {got:?}", answer.allowed));
            }
            if answer.allowed && answer.resulting_level != *resulting_level {
                return Err(format!("resulting level {:?}", answer.resulting_level));
            }
            let applied: Vec<&str> = answer
                .rules_applied
                .iter()
                .map(|r| r.rule_id.as_str())
                .collect();
            if let Some(r) = got.iter().find(|r| !applied.contains(r)) {
                return Err(format!("unmet {r} is not among rules_applied {applied:?}"));
            }
        }
        Check::Request {
            kind,
            from,
            to,
            consent,
            forms,
            meetings,
            significant_harm,
            manager_agreed,
            allowed,
            unmet,
            resulting_level,
        } => {
            let request = pb::TransitionRequest {
                kind: *kind as i32,
                current_level: (*from).into(),
                target_level: (*to).into(),
                days_open: 30,
                consent: *consent as i32,
                forms_completed: forms.iter().map(|f| (*f).to_owned()).collect(),
                meetings_held: meetings.iter().map(|m| *m as i32).collect(),
                significant_harm_suspected: *significant_harm,
                manager_agreed: *manager_agreed,
                age: Some(ChildAge {
                    years: 8,
                    ..Default::default()
                }),
                ..Default::default()
            };
            let answer = a.check_transition(&request).map_err(|e| e.to_string())?;
            let got: Vec<(&str, Decider)> = answer
                .unmet
                .iter()
                .map(|r| {
                    let by = Decider::try_from(r.decided_by).unwrap_or(Decider::Unspecified);
                    (r.rule_id.as_str(), by)
                })
                .collect();
            if answer.allowed != *allowed || got != *unmet {
                return Err(format!("allowed = {}, unmet {got:?}", answer.allowed));
            }
            if answer.allowed && answer.resulting_level != *resulting_level {
                return Err(format!("resulting level {:?}", answer.resulting_level));
            }
            // Who decides is said only of unmet conditions, and only a meeting or a manager
            // decides a Worcestershire move (no panel agenda).
            for r in &answer.unmet {
                if r.decided_by == Decider::Panel as i32 || !r.panel_code.is_empty() {
                    return Err(format!("{} is decided by a panel", r.rule_id));
                }
                if r.citation.is_none() {
                    return Err(format!("{} cites nothing", r.rule_id));
                }
            }
        }
        Check::Invalid { request, field } => match request() {
            Err(PluginError::InvalidRequest { field: f, .. }) if f == *field => {}
            other => return Err(format!("expected InvalidRequest on {field}, got {other:?}")),
        },
    }
    Ok(())
}

#[test]
fn scenarios_from_the_text() {
    let cases = cases();
    assert!(cases.len() >= 15);
    let mut names = std::collections::HashSet::new();
    let mut failures = Vec::new();
    for case in &cases {
        assert!(names.insert(case.name), "{} is used twice", case.name);
        assert!(
            !case.quote.trim().is_empty(),
            "{} quotes nothing",
            case.name
        );
        if let Err(why) = run(case) {
            failures.push(format!("{} (\"{}\"): {why}", case.name, case.quote));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Free text alone is accepted and flagged for professional judgement.
#[test]
fn free_text_needs_professional_judgement() {
    // "decisions made using professional judgement, supported by this guidance"
    let d = Worcestershire
        .assess_threshold(&pb::ThresholdRequest {
            concerns: vec![Concern {
                text: "Child seems withdrawn at nursery".into(),
                ..Default::default()
            }],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(d.recommended_level, "L1");
    assert!(d.matched_indicators.is_empty());
    assert!(
        d.reasons
            .iter()
            .any(|r| r.rule_id == "WOR-PROFESSIONAL-JUDGEMENT")
    );
    // A concern with neither code nor text is refused.
    let err = Worcestershire
        .assess_threshold(&pb::ThresholdRequest {
            concerns: vec![Concern::default()],
            ..Default::default()
        })
        .unwrap_err();
    assert!(
        matches!(err, PluginError::InvalidRequest { ref field, .. } if field == "concerns[0].indicator_code")
    );
}

/// Every answer is a pure function of its request.
#[test]
fn answers_are_deterministic() {
    let request = pb::ThresholdRequest {
        concerns: vec![
            Concern {
                indicator_code: "WOR-L3-EBD-02".into(),
                ..Default::default()
            },
            Concern {
                indicator_code: "WOR-L3-HOUSING-01".into(),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    assert_eq!(
        Worcestershire.assess_threshold(&request),
        Worcestershire.assess_threshold(&request)
    );
    assert_eq!(Worcestershire.describe(), Worcestershire.describe());
}

/// Every deadline names the case events that meet it, the same in the description and in the
/// `timescales` answers.
#[test]
fn every_deadline_names_the_events_that_meet_it() {
    use CaseEvent::*;
    let want: &[(&str, &[CaseEvent])] = &[
        // "This Conversation to be held within 24 hrs ... of the request for step up
        // conversation." (Appendix 4)
        ("WOR-STEP-UP-CONVERSATION", &[StepUpConversationHeld]),
        // "An Early Help multi agency meeting is held with parents and professionals within
        // three days to address new concerns and revise EH plan" (Appendix 6); "The review can
        // be brought forward if the plan is not progressing or the needs escalate" (Appendix 3).
        (
            "WOR-EH-MEETING-NEW-CONCERNS",
            &[TeamMeetingHeld, ReviewHeld],
        ),
        // "Multi-agency meeting (or telephone call) every 6-12 weeks to review the plan."
        // (Appendix 3)
        ("WOR-EH-PLAN-REVIEW", &[ReviewHeld, TeamMeetingHeld]),
    ];
    let d = Worcestershire.describe();
    let mut seen = std::collections::BTreeSet::new();
    for rule in &d.timescales {
        for dl in &rule.deadlines {
            let (_, by) = want
                .iter()
                .find(|(code, _)| *code == dl.code)
                .unwrap_or_else(|| panic!("{} has no expected met_by", dl.code));
            let by: Vec<i32> = by.iter().map(|e| *e as i32).collect();
            assert_eq!(dl.met_by, by, "{}", dl.code);
            seen.insert(dl.code.clone());
            // The answer for the rule's event and level is the described deadline.
            let answer = Worcestershire
                .timescales(&pb::TimescaleRequest {
                    event: rule.event,
                    level_code: rule.level_code.clone(),
                    ..Default::default()
                })
                .unwrap();
            assert!(answer.deadlines.contains(dl), "{}", dl.code);
        }
    }
    assert_eq!(seen.len(), want.len());
    // And no answer holds a deadline the description lacks.
    for event in 1..=19 {
        for level in ["L1", "L2", "L3", "L4"] {
            let answer = Worcestershire
                .timescales(&pb::TimescaleRequest {
                    event,
                    level_code: level.into(),
                    ..Default::default()
                })
                .unwrap();
            for dl in &answer.deadlines {
                assert!(
                    d.timescales.iter().any(|r| r.event == event
                        && r.level_code == level
                        && r.deadlines.contains(dl)),
                    "{} for event {event} at {level} is not described",
                    dl.code
                );
            }
        }
    }
}

/// The service's rule, played out on one deadline: the first of its `met_by` events after it
/// starts meets it. Returns the index in `events` of the event that met it.
fn met_at(deadline: &pb::Deadline, events: &[CaseEvent]) -> Option<usize> {
    events
        .iter()
        .position(|e| deadline.met_by.contains(&(*e as i32)))
}

fn started_by(event: CaseEvent, level: &str, code: &str) -> pb::Deadline {
    Worcestershire
        .timescales(&pb::TimescaleRequest {
            event: event as i32,
            level_code: level.into(),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{event:?} at {level}: {e}"))
        .deadlines
        .into_iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("{event:?} at {level} starts no {code}"))
}

/// A plan is agreed at level 3; calls and visits do not review it, a review does, and the
/// review starts the next one.
#[test]
fn a_review_meets_the_plan_review() {
    use CaseEvent::*;
    let review = started_by(PlanAgreed, "L3", "WOR-EH-PLAN-REVIEW");
    let events = [PhoneCallMade, HomeVisitMade, OtherContactMade, ReviewHeld];
    assert_eq!(met_at(&review, &events), Some(3));
    // The review restarts the cadence: 6 weeks, at most 12.
    let next = started_by(ReviewHeld, "L3", "WOR-EH-PLAN-REVIEW");
    assert_eq!(
        next.repeat_every,
        Some(continuum_plugin_api::time::weeks(6))
    );
    assert_eq!(next.at_most, Some(continuum_plugin_api::time::weeks(12)));
    // A multi-agency meeting on the plan is a review too ("Multi-agency meeting (or telephone
    // call) every 6-12 weeks to review the plan.").
    assert_eq!(met_at(&next, &[PlanAgreed, TeamMeetingHeld]), Some(1));
    // A step up conversation is not a review.
    assert_eq!(
        met_at(&next, &[StepUpConversationHeld, FinalMeetingHeld]),
        None
    );
}

/// New concerns on an open EIFS case that stays at level 2: the multi-agency meeting within
/// three days meets the meeting deadline; a concern starts no Step Up conversation (the request
/// for one does).
#[test]
fn a_multi_agency_meeting_meets_the_new_concerns_meeting() {
    use CaseEvent::*;
    let meeting = started_by(ConcernOnOpenCase, "L2", "WOR-EH-MEETING-NEW-CONCERNS");
    assert_eq!(meeting.due_in, Some(continuum_plugin_api::time::days(3)));
    assert_eq!(met_at(&meeting, &[PhoneCallMade, TeamMeetingHeld]), Some(1));
    // A review brought forward meets it too.
    assert_eq!(met_at(&meeting, &[ReviewHeld]), Some(0));
    for level in ["L2", "L3"] {
        let answer = Worcestershire
            .timescales(&pb::TimescaleRequest {
                event: ConcernOnOpenCase as i32,
                level_code: level.into(),
                ..Default::default()
            })
            .unwrap();
        assert!(
            answer
                .deadlines
                .iter()
                .all(|d| d.code != "WOR-STEP-UP-CONVERSATION"),
            "{level}"
        );
    }
}

/// A step up requested on an open TFS / EIFS case: the Step Up conversation with the MASH
/// Manager, within 24 hours of the request, is met by holding it.
#[test]
fn holding_the_step_up_conversation_meets_it() {
    use CaseEvent::*;
    for level in ["L2", "L3"] {
        let conversation = started_by(StepUpRequested, level, "WOR-STEP-UP-CONVERSATION");
        assert_eq!(
            conversation.due_in,
            Some(continuum_plugin_api::time::hours(24))
        );
        assert_eq!(
            met_at(
                &conversation,
                &[PhoneCallMade, TeamMeetingHeld, StepUpConversationHeld]
            ),
            Some(2)
        );
    }
    // The move itself, once it happens, starts nothing at level 4; nor does a step up asked
    // for at level 1 (no TFS / EIFS case) or level 4.
    for (event, level) in [
        (SteppedUp, "L4"),
        (SteppedUp, "L3"),
        (StepUpRequested, "L1"),
        (StepUpRequested, "L4"),
    ] {
        let answer = Worcestershire
            .timescales(&pb::TimescaleRequest {
                event: event as i32,
                level_code: level.into(),
                ..Default::default()
            })
            .unwrap();
        assert!(answer.deadlines.is_empty(), "{event:?} at {level}");
    }
}
