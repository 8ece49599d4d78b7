//! Everything static about Carmarthenshire: levels (the five categories of support), roles, age
//! range, indicators, contact points, the allocation meeting, timescales, forms and gaps.

use continuum_plugin_api::pb::{
    AgeRange, AuthorityDescription, Cadence, CaseEvent, Circumstance, ContactPoint, ContactPurpose,
    Deadline, Domain, Form, Gap, Indicator, Level, Nation, Panel, PanelDecisionOption, PanelEffect,
    Response, Role, Source, TimescaleRule, Weekday,
};
use continuum_plugin_api::time;

use crate::text::*;

pub const CODE: &str = "W06000010";
pub const NAME: &str = "Carmarthenshire";
pub const FRAMEWORK: &str = "Team Around the Family (TAF): the five categories of support of 'The Right Help at the Right Time' (Mid and West Wales)";
pub const PLUGIN_NAME: &str = "continuum-authority-carmarthenshire";

// Level codes, least need first.
pub const UNIVERSAL: &str = "UNIVERSAL";
pub const ENHANCED: &str = "ENHANCED";
pub const TARGETED: &str = "TARGETED";
pub const ASSESSMENT: &str = "ASSESSMENT";
pub const PROTECTIVE: &str = "PROTECTIVE";

// Role codes.
pub const TAF_COORDINATOR: &str = "TAF_COORDINATOR";
pub const KEYWORKER: &str = "KEYWORKER";
pub const TAF_MANAGER: &str = "TAF_MANAGER";
pub const SOCIAL_WORKER: &str = "SOCIAL_WORKER";
pub const CRT_MANAGER: &str = "CRT_MANAGER";

// Contact point codes.
pub const TAF_BOX: &str = "TAF_BOX";
pub const CRT: &str = "CRT";
pub const POLICE_999: &str = "POLICE_999";

// Panel and decision codes.
pub const TAF_ALLOCATION: &str = "TAF_ALLOCATION";
pub const ACCEPT_MULTI_AGENCY: &str = "ACCEPT_MULTI_AGENCY";
pub const ACCEPT_SINGLE_AGENCY: &str = "ACCEPT_SINGLE_AGENCY";
pub const DECLINE: &str = "DECLINE";

// Form codes.
pub const JAFF_PART_1: &str = "JAFF_PART_1";
pub const JAFF_PART_2: &str = "JAFF_PART_2";
pub const MARF: &str = "MARF";

// Indicators the threshold rules treat specially.
pub const IND_SIGNIFICANT_HARM: &str = "CAR-L5-SIGNIFICANT-HARM";
pub const IND_IMMEDIATE_HARM: &str = "CAR-L5-IMMEDIATE-HARM";

/// The oldest age served, in completed years ("from 0 until 25").
pub const MAX_AGE_YEARS: u32 = 25;

/// A level of need (a category of support); its rank is its position in [`LEVELS`] plus one.
pub struct LevelDef {
    pub code: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    pub response: Response,
    /// The response in the text's words: required where two levels share `response`.
    pub response_text: &'static str,
    pub roles: &'static [&'static str],
    pub section: &'static str,
    pub quote: &'static str,
}

pub const LEVELS: &[LevelDef] = &[
    LevelDef {
        code: UNIVERSAL,
        label: "Universal support",
        description: "Universal support: the child or young person's well-being is met without outside support, through the family, the wider family, the community and universal services. The text names this category but does not define it (see Gaps).",
        response: Response::Universal,
        response_text: "",
        roles: &[],
        section: S_INTRO,
        quote: Q_UNIVERSAL,
    },
    LevelDef {
        code: ENHANCED,
        label: "Enhanced support",
        description: "Enhanced support: a family needs some extra help, often from a single agency (the Central Referral Team can signpost directly to a single agency). TAF can operate in this arena (TAF single agency).",
        response: Response::AdditionalSupport,
        // "The case will either be accepted as TAF multi-agency, TAF single agency, or be
        // declined." Single agency as enhanced support is the plugin's reading (see Gaps).
        response_text: "TAF single agency",
        roles: &[TAF_COORDINATOR, KEYWORKER, TAF_MANAGER],
        section: S_INTRO,
        quote: Q_TAF_ARENAS,
    },
    LevelDef {
        code: TARGETED,
        label: "Targeted support",
        description: "Targeted support: families and young people experiencing difficulties who need a coordinated, multi-agency response. This is the arena Team Around the Family (TAF) primarily works in, with a TAF coordinator, a keyworker and a plan of support.",
        response: Response::TargetedEarlyHelp,
        response_text: "TAF multi-agency: a coordinated response",
        roles: &[TAF_COORDINATOR, KEYWORKER, TAF_MANAGER],
        section: S_INTRO,
        quote: Q_TAF_PRIMARILY,
    },
    LevelDef {
        code: ASSESSMENT,
        label: "Assessment for care and support",
        description: "Assessment for care and support: the child and family need an assessment for care and support by statutory Children's Social Services, reached through the Central Referral Team (CRT), the 'gateway' into social care services.",
        response: Response::StatutorySocialCare,
        // Q_SU_KEYWORKER: "in need of an assessment for care and support by social services".
        response_text: "an assessment for care and support by social services",
        roles: &[SOCIAL_WORKER, CRT_MANAGER],
        section: S_STEP_UP,
        quote: Q_SU_KEYWORKER,
    },
    LevelDef {
        code: PROTECTIVE,
        label: "Protective support",
        description: "Protective support: a child in need of protection and urgent safeguarding, or exposed to the risk of significant harm, under the All Wales Child Protection Procedures. Referral to the Central Referral Team without delay.",
        response: Response::StatutorySocialCare,
        // Q_SU_PROTECTION: "a multiagency referral ... along with a telephone communication
        // with the Manager of CRT".
        response_text: "a multiagency referral along with a telephone communication with the Manager of CRT",
        roles: &[SOCIAL_WORKER, CRT_MANAGER],
        section: S_STEP_UP,
        quote: Q_SU_PROTECTION,
    },
];

/// The level with this code, with its 1-based rank.
pub fn level(code: &str) -> Option<(u32, &'static LevelDef)> {
    LEVELS
        .iter()
        .zip(1u32..)
        .find(|(l, _)| l.code == code)
        .map(|(l, rank)| (rank, l))
}

/// The level of this 1-based rank (clamped into range).
pub fn level_at(rank: u32) -> &'static LevelDef {
    let index = (rank.max(1) - 1) as usize;
    LEVELS
        .get(index)
        .or(LEVELS.last())
        .unwrap_or(&FALLBACK_LEVEL)
}

/// Never used while [`LEVELS`] is non-empty; it keeps [`level_at`] total without a panic.
const FALLBACK_LEVEL: LevelDef = LevelDef {
    code: PROTECTIVE,
    label: "Protective support",
    description: "",
    response: Response::StatutorySocialCare,
    response_text: "",
    roles: &[],
    section: S_INTRO,
    quote: Q_FIVE,
};

pub struct RoleDef {
    pub code: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    pub section: &'static str,
    pub quote: &'static str,
}

pub const ROLES: &[RoleDef] = &[
    RoleDef {
        code: TAF_COORDINATOR,
        label: "TAF coordinator",
        description: "Appointed at the weekly allocation meeting; arranges which agency holds the keyworker role, leads the stepdown meeting, records decisions on Care First and explains a decline to the referrer.",
        section: S_REFERRALS,
        quote: Q_ALLOC_WEEKLY,
    },
    RoleDef {
        code: KEYWORKER,
        label: "Keyworker",
        description: "A practitioner of the agency chosen by the coordinator; completes part 2 of the Joint Assessment, builds the plan of support and reviews it with the family at least 3 monthly.",
        section: S_REFERRALS,
        quote: Q_KEYWORKER_PART2,
    },
    RoleDef {
        code: TAF_MANAGER,
        label: "TAF Manager",
        description: "Discusses concerns on an open TAF case with the coordinator before a step up and consults the CRT Manager where there is disagreement over thresholds.",
        section: S_STEP_UP,
        quote: Q_SU_DISCUSS,
    },
    RoleDef {
        code: SOCIAL_WORKER,
        label: "Social worker (Children's Social Services)",
        description: "Holds statutory cases (Assessment Team or Child care Team); completes JAFF Part 1 with the family for a step down and attends the stepdown meeting.",
        section: S_STEP_DOWN,
        quote: Q_SOCIAL_WORKER,
    },
    RoleDef {
        code: CRT_MANAGER,
        label: "Central Referral Team (CRT) Manager or deputy",
        description: "Manager of the Central Referral Team, the 'gateway' into social care; gives consultations on step up and decides thresholds with the TAF Manager.",
        section: S_STEP_UP,
        quote: Q_SU_CRT_CONSULT,
    },
];

pub struct IndicatorDef {
    pub code: &'static str,
    pub level: &'static str,
    pub domain: Domain,
    pub area: &'static str,
    pub text: &'static str,
    pub section: &'static str,
    pub quote: &'static str,
}

/// Every description of need the text gives. The text does not use the Assessment Framework
/// triangle: the domains are this plugin's reading (see Gaps). An indicator that describes a
/// category of support or the support needed (a single agency, a coordinated response, a team
/// approach, an assessment for care and support, protection) rather than a need in one domain
/// has no domain.
pub const INDICATORS: &[IndicatorDef] = &[
    IndicatorDef {
        code: "CAR-L1-WELL-BEING",
        level: UNIVERSAL,
        domain: Domain::ChildDevelopmentalNeeds,
        area: "Well-being",
        text: "The child or young person is happy, healthy and comfortable with their life and what they do.",
        section: S_INTRO,
        quote: Q_WELLBEING,
    },
    IndicatorDef {
        code: "CAR-L1-NO-OUTSIDE-SUPPORT",
        level: UNIVERSAL,
        domain: Domain::FamilyAndEnvironmentalFactors,
        area: "Wider family and community",
        text: "The family functions without outside support, with links within the wider family and community.",
        section: S_REFERRALS,
        quote: Q_OVERALL_AIM,
    },
    IndicatorDef {
        code: "CAR-L2-EXTRA-HELP",
        level: ENHANCED,
        domain: Domain::ChildDevelopmentalNeeds,
        area: "Well-being",
        text: "The child or young person needs some extra help to achieve well-being.",
        section: S_INTRO,
        quote: Q_EXTRA_HELP,
    },
    IndicatorDef {
        code: "CAR-L2-ADVERSE-CIRCUMSTANCES",
        level: ENHANCED,
        domain: Domain::FamilyAndEnvironmentalFactors,
        area: "Family circumstances",
        text: "The family faces adverse circumstances of day-to-day life and needs extra support, help and guidance from preventative services.",
        section: S_INTRO,
        quote: Q_ADVERSE,
    },
    IndicatorDef {
        code: "CAR-L2-SINGLE-AGENCY",
        level: ENHANCED,
        domain: Domain::Unspecified,
        area: "Support needed",
        text: "The family is not eligible for statutory services and its needs can be met by a single agency (the Central Referral Team can signpost directly to a single agency).",
        section: S_STEP_ACROSS,
        quote: Q_SA_SIGNPOST,
    },
    IndicatorDef {
        code: "CAR-L3-COORDINATED-RESPONSE",
        level: TARGETED,
        domain: Domain::Unspecified,
        area: "Family functioning",
        text: "The family or young person is experiencing difficulties and needs a coordinated response.",
        section: S_INTRO,
        quote: Q_TAF_PRIMARILY,
    },
    IndicatorDef {
        code: "CAR-L3-TEAM-APPROACH",
        level: TARGETED,
        domain: Domain::Unspecified,
        area: "Support needed",
        text: "The family is not eligible for statutory services but needs help with the challenges facing it, and the issues appear to need a team approach.",
        section: S_STEP_ACROSS,
        quote: Q_SA_TEAM,
    },
    IndicatorDef {
        code: "CAR-L3-CONTINUING-NEED",
        level: TARGETED,
        domain: Domain::Unspecified,
        area: "After statutory involvement",
        text: "An acute, high-end statutory service is no longer needed, but the family still has a need and is accepting of support.",
        section: S_STEP_DOWN,
        quote: Q_SD_PRIMARY,
    },
    IndicatorDef {
        code: "CAR-L4-CARE-AND-SUPPORT",
        level: ASSESSMENT,
        domain: Domain::Unspecified,
        area: "Family situation",
        text: "The situation in the family has reached a point where the child and family need an assessment for care and support by social services.",
        section: S_STEP_UP,
        quote: Q_SU_KEYWORKER,
    },
    IndicatorDef {
        code: "CAR-L5-NEEDS-PROTECTION",
        level: PROTECTIVE,
        domain: Domain::Unspecified,
        area: "Ensuring safety",
        text: "The child is in need of protection and urgent safeguarding.",
        section: S_STEP_UP,
        quote: Q_SU_PROTECTION,
    },
    IndicatorDef {
        code: IND_SIGNIFICANT_HARM,
        level: PROTECTIVE,
        domain: Domain::ChildDevelopmentalNeeds,
        area: "Safety from harm",
        text: "There are concerns that the child is exposed to the risk of significant harm.",
        section: S_INTRO,
        quote: Q_OVERRIDE,
    },
    IndicatorDef {
        code: "CAR-L5-DISCLOSURE",
        level: PROTECTIVE,
        domain: Domain::ChildDevelopmentalNeeds,
        area: "Disclosure",
        text: "A disclosure has been made.",
        section: S_STEP_UP,
        quote: Q_SU_IMMEDIATE,
    },
    IndicatorDef {
        code: IND_IMMEDIATE_HARM,
        level: PROTECTIVE,
        domain: Domain::ParentingCapacity,
        area: "Ensuring safety",
        text: "The child is at risk of immediate harm.",
        section: S_STEP_UP,
        quote: Q_SU_IMMEDIATE,
    },
];

pub fn indicator(code: &str) -> Option<&'static IndicatorDef> {
    INDICATORS.iter().find(|x| x.code == code)
}

pub fn contact_points() -> Vec<ContactPoint> {
    vec![
        ContactPoint {
            code: TAF_BOX.into(),
            name: "Team Around the Family (TAF) box".into(),
            phone: String::new(),
            email: "TAF@carmarthenshire.gov.uk".into(),
            web_form: "www.fis.carmarthenshire.gov.uk".into(),
            purposes: vec![
                ContactPurpose::EarlyHelpRequest as i32,
                ContactPurpose::Advice as i32,
            ],
            hours: Vec::new(),
            always_open: true,
            notes: "An email box, not a staffed line: JAFF Part 1 referrals (found on the TAF page of the FIS website) are sent here at any time and come to the next weekly TAF allocation meeting. Incomplete forms are returned. The text gives no TAF telephone number or office hours. Not for a child at risk of harm: refer to the Central Referral Team (CRT).".into(),
            citation: Some(c(S_SD_UNDER_8, Q_TAF_BOX_AT)),
            how_to_reach: String::new(),
            phone_option: String::new(),
            ages: None,
        },
        ContactPoint {
            code: POLICE_999.into(),
            name: "Police (emergency)".into(),
            phone: "999".into(),
            email: String::new(),
            web_form: String::new(),
            purposes: vec![ContactPurpose::Emergency as i32],
            hours: Vec::new(),
            always_open: true,
            notes: "For a child in immediate danger only. The text says a child at risk of immediate harm is referred to the Central Referral Team (CRT) but names no emergency number: police on 999 is added as the national emergency number (see Gaps). A safeguarding referral that is not an emergency goes to CRT.".into(),
            citation: Some(c(S_STEP_UP, Q_SU_IMMEDIATE)),
            how_to_reach: String::new(),
            phone_option: String::new(),
            ages: None,
        },
        ContactPoint {
            code: CRT.into(),
            name: "Central Referral Team (CRT)".into(),
            phone: String::new(),
            email: String::new(),
            web_form: String::new(),
            purposes: vec![ContactPurpose::SafeguardingReferral as i32],
            hours: Vec::new(),
            // The text gives no hours: see Gaps ("Central Referral Team contact details and
            // hours"). Marked always open so that a referral is never told to wait.
            always_open: true,
            notes: "The 'gateway' into social care services for children and families. A child at risk of harm, in need of protection, or who has made a disclosure is referred here without delay. The text gives no CRT telephone number, email, address or hours (see Gaps): use the council's published CRT contact details. 'Always open' here means only that the text sets no hours and a referral must never wait; it does not say CRT is staffed at all hours. A child in immediate danger: call the police on 999.".into(),
            citation: Some(c(S_STEP_UP, Q_SU_IMMEDIATE)),
            how_to_reach: "Refer to the Central Referral Team (CRT) with a multi-agency referral (MARF), with a telephone call to the CRT Manager or deputy where a child needs protection and urgent safeguarding. The text gives no CRT number or address: use the council's published CRT contact details. A child in immediate danger: call the police on 999.".into(),
            phone_option: String::new(),
            ages: None,
        },
    ]
}

pub fn contact_point(code: &str) -> Option<ContactPoint> {
    contact_points().into_iter().find(|cp| cp.code == code)
}

pub fn allocation_meeting() -> Panel {
    Panel {
        code: TAF_ALLOCATION.into(),
        name: "TAF allocation meeting".into(),
        purpose: "Considers every referral to TAF on JAFF Part 1 (step down, step across, other referrals), discusses its suitability for TAF, accepts it as TAF multi-agency or single agency or declines it, appoints a TAF coordinator and identifies possible supporting agencies.".into(),
        cadence: Cadence::Weekly as i32,
        weekday: Weekday::Wednesday as i32,
        decisions: decision_options(),
        citation: Some(c(S_SD_OVER_8, Q_NEXT_ALLOC_WED)),
    }
}

/// What the allocation meeting may decide: exactly the three outcomes the text gives ("The case
/// will either be accepted for the TAF multi-agency, single agency, or declined as not
/// appropriate."). The text gives no deferral to a later meeting (see Gaps). Multi-agency is
/// targeted support and single agency enhanced support: the plugin's reading of the two arenas
/// TAF works in (see Gaps).
pub fn decision_options() -> Vec<PanelDecisionOption> {
    vec![
        PanelDecisionOption {
            code: ACCEPT_MULTI_AGENCY.into(),
            label: "Accept as TAF multi-agency: targeted support, a coordinated response (a TAF coordinator identified and a TAF number allocated)".into(),
            requires_reason: false,
            citation: Some(c(S_SD_OVER_8, Q_DECISIONS)),
            effect: PanelEffect::Accept as i32,
            level_code: TARGETED.into(),
        },
        PanelDecisionOption {
            code: ACCEPT_SINGLE_AGENCY.into(),
            label: "Accept as TAF single agency: enhanced support (a TAF coordinator identified)".into(),
            requires_reason: false,
            citation: Some(c(S_SD_OVER_8, Q_DECISIONS)),
            effect: PanelEffect::Accept as i32,
            level_code: ENHANCED.into(),
        },
        PanelDecisionOption {
            code: DECLINE.into(),
            label: "Decline as not appropriate: the TAF coordinator contacts the referrer after the meeting to explain the reasons, and an entry on Care First records it (for a step across, CRT is told by e-mail)".into(),
            requires_reason: true,
            citation: Some(c(S_SD_OVER_8, Q_DECLINE_REASONS)),
            effect: PanelEffect::Decline as i32,
            level_code: String::new(),
        },
    ]
}

/// The allocation meeting's decision option with this code.
pub fn decision_option(code: &str) -> Option<PanelDecisionOption> {
    decision_options().into_iter().find(|o| o.code == code)
}

/// Deadline codes.
pub const DL_ALLOCATION_MEETING: &str = "TAF-ALLOCATION-MEETING";
pub const DL_COORDINATOR: &str = "TAF-COORDINATOR-APPOINTED";
pub const DL_PLAN_REVIEW: &str = "TAF-PLAN-REVIEW";

/// A referral to TAF comes to the next weekly allocation meeting. The service has no "allocation
/// meeting held" event: the meeting's decision is met by the case being opened on acceptance
/// (REFERRAL_ACCEPTED) or the TAF coordinator being appointed (CASE_ALLOCATED), both of which the
/// text places at that meeting. A decline opens no case, so nothing is tracked for it.
fn allocation_deadline() -> Deadline {
    Deadline {
        code: DL_ALLOCATION_MEETING.into(),
        description: "A referral to TAF on JAFF Part 1 comes to the next weekly TAF allocation meeting (on a Wednesday at the present time) for a decision: accept as multi-agency, accept as single agency, or decline. 'next TAF allocation meeting (weekly)' is read as within 1 week (an interpretation). Met by the meeting's decision: the referral accepted (the case opened) or the TAF coordinator appointed, both of which happen at that meeting ('The case will either be accepted for the TAF multi-agency, single agency, or declined as not appropriate.' and 'A TAF coordinator will be identified, to process the support from this point if the referral is accepted as TAF, either single or multi agency'). The service records no 'allocation meeting held' event, so these are the closest events (an interpretation, see Gaps); a decline opens no case.".into(),
        due_in: Some(time::weeks(1)),
        repeat_every: None,
        at_most: None,
        citation: Some(c(S_SD_OVER_8, Q_NEXT_ALLOC_WED)),
        met_by: vec![
            CaseEvent::ReferralAccepted as i32,
            CaseEvent::CaseAllocated as i32,
        ],
    }
}

/// Once a referral is accepted into TAF, the TAF coordinator is the one appointed at the weekly
/// allocation meeting: met by allocating the case (to the coordinator).
fn coordinator_deadline() -> Deadline {
    Deadline {
        code: DL_COORDINATOR.into(),
        description: "The TAF coordinator is appointed at the weekly allocation meeting ('Allocation meetings are held weekly at which the TAF coordinator is appointed'): once the referral is accepted into TAF the case is allocated to its coordinator within 1 week, the interval between meetings (the plugin's reading: the text sets no separate number). Met by the case being allocated (CASE_ALLOCATED).".into(),
        due_in: Some(time::weeks(1)),
        repeat_every: None,
        at_most: None,
        citation: Some(c(S_REFERRALS, Q_ALLOC_WEEKLY)),
        met_by: vec![CaseEvent::CaseAllocated as i32],
    }
}

/// "This plan is regularly reviewed with the family, at least 3 monthly." A review with the
/// family is a review meeting (REVIEW_HELD); the text does not treat any other meeting as the
/// review.
fn review_deadline() -> Deadline {
    Deadline {
        code: DL_PLAN_REVIEW.into(),
        description: "The plan of support is reviewed with the family at least every 3 months (more often if needed), starting from the plan and again from each review. Met by a review held with the family (REVIEW_HELD): 'This plan is regularly reviewed with the family, at least 3 monthly.' The text does not say that a TAF meeting or an update of the plan counts as the review, so they do not meet it.".into(),
        due_in: Some(time::months(3)),
        repeat_every: Some(time::months(3)),
        at_most: None,
        citation: Some(c(S_REFERRALS, Q_REVIEW)),
        met_by: vec![CaseEvent::ReviewHeld as i32],
    }
}

/// The deadlines each case event starts. Only the TAF categories (enhanced and targeted support)
/// have any: the text gives no number for anything else (see Gaps).
pub fn timescale_rules() -> Vec<TimescaleRule> {
    let mut rules = Vec::new();
    for level in [ENHANCED, TARGETED] {
        let starts = [
            (CaseEvent::ReferralReceived, allocation_deadline()),
            (CaseEvent::ReferralAccepted, coordinator_deadline()),
            (CaseEvent::PlanAgreed, review_deadline()),
            (CaseEvent::ReviewHeld, review_deadline()),
        ];
        for (event, deadline) in starts {
            rules.push(TimescaleRule {
                event: event as i32,
                level_code: level.into(),
                deadlines: vec![deadline],
                // For every child: the text gives no timescale for a circumstance (no
                // pre-birth timescales; see Gaps).
                only_if: Circumstance::Unspecified as i32,
            });
        }
    }
    rules
}

pub fn forms() -> Vec<Form> {
    vec![
        Form {
            code: JAFF_PART_1.into(),
            name: "Joint Assessment Family Framework (JAFF) Part 1: the referral to TAF, with clear outcomes identified with the family and the family's consent to the referral and to information sharing".into(),
            citation: Some(c(S_REFERRALS, Q_REFERRALS_JAFF)),
        },
        Form {
            code: JAFF_PART_2.into(),
            name: "Joint Assessment Family Framework (JAFF) Part 2: the keyworker's assessment and plan of support".into(),
            citation: Some(c(S_REFERRALS, Q_KEYWORKER_PART2)),
        },
        Form {
            code: MARF.into(),
            name: "Multi-agency referral form (MARF): the referral to Children's Social Services on a step up".into(),
            citation: Some(c(S_STEP_UP, Q_SU_MARF)),
        },
    ]
}

pub fn is_form(code: &str) -> bool {
    [JAFF_PART_1, JAFF_PART_2, MARF].contains(&code)
}

fn gap(topic: &str, note: &str, section: &str, quote: &str) -> Gap {
    Gap {
        topic: topic.into(),
        note: note.into(),
        citation: Some(c(section, quote)),
    }
}

pub fn gaps() -> Vec<Gap> {
    vec![
        gap(
            "Criteria for the five categories of support",
            "The text names the five categories of 'The Right Help at the Right Time' (CYSUR, Mid and West Wales) and uses that document's eligibility criteria, but does not reproduce them. Level descriptions here are only what this text says about each category.",
            S_PROCESS,
            Q_CYSUR_BASIS,
        ),
        gap(
            "Indicator catalogue",
            "The text has no catalogue of indicators by level and domain. The indicators are the descriptions of need the text gives; it does not use the Assessment Framework triangle, so each indicator's domain is this plugin's reading. Indicators that describe a category of support or the support needed (a single agency, a coordinated response, a team approach, a continuing need after statutory involvement, an assessment for care and support, protection and urgent safeguarding) are not domain-specific and have no domain.",
            S_INTRO,
            Q_FIVE,
        ),
        gap(
            "Accumulation of needs",
            "No rule says how several needs at a lower category add up to a higher one. The plugin recommends the highest category among the matched indicators and notes that disagreements over thresholds go to the TAF Manager and CRT Manager.",
            S_STEP_UP,
            Q_SU_DISAGREE,
        ),
        gap(
            "Emergency number",
            "The text says a child at risk of immediate harm is referred to CRT, but names no emergency number. Police on 999 (the national emergency number) is added as the always-open emergency contact, and immediate risk is answered with the emergency response.",
            S_STEP_UP,
            Q_SU_IMMEDIATE,
        ),
        gap(
            "Central Referral Team contact details and hours",
            "CRT is the 'gateway' into social care, but the text gives no telephone number, email, web form or hours for it. It is a contact point reached as the text describes (a multi-agency referral, with a telephone call to the CRT Manager or deputy), saying to use the council's published CRT contact details. With no hours in the text it is marked always open, at night, at weekends and on bank holidays alike, so that a safeguarding referral is never told to wait: that does not say CRT is staffed at all hours. A child in immediate danger is sent to police on 999.",
            S_STEP_ACROSS,
            Q_SA_GATEWAY,
        ),
        gap(
            "Out-of-hours service",
            "No Emergency Duty Team or other out-of-hours line is named, for nights, weekends or bank holidays: answers name no out-of-hours contact. A safeguarding referral goes to CRT at any hour (see 'Central Referral Team contact details and hours'); a child in immediate danger to police on 999.",
            S_STEP_UP,
            Q_SU_IMMEDIATE,
        ),
        gap(
            "Bank holidays",
            "The text says nothing about bank holidays and gives no opening hours for any line, so no opening window is encoded and none has a bank-holiday rule to state. A bank holiday is treated as nights and weekends are: the TAF box is a mailbox that takes forms on a bank holiday as on any day (the answer says when the next working day is), and CRT is marked always open so that a safeguarding referral on a bank-holiday daytime is never told to wait; that does not say CRT is staffed then.",
            S_STEP_ACROSS,
            Q_SA_GATEWAY,
        ),
        gap(
            "Telephone number for an urgent referral",
            "For a child in need of protection and urgent safeguarding the text asks for a multiagency referral 'along with a telephone communication with the Manager of CRT' (the pathway: 'Manager or deputy of CRT'), but gives no number. The answer to an urgent safeguarding referral says so in the text's words with channel OTHER (how_to_reach), not PHONE: no number is invented.",
            S_STEP_UP,
            Q_SU_PROTECTION,
        ),
        gap(
            "Follow-ups after a referral",
            "The text gives no timescale for anything a caller must do after the contact (the multiagency referral beside the telephone communication, a JAFF Part 1 returned as incomplete): routing answers carry no follow-up deadlines.",
            S_STEP_UP,
            Q_SU_PROTECTION,
        ),
        gap(
            "Urgent referrals to TAF",
            "The text gives no urgent route into TAF: every referral is on JAFF Part 1, sent to the TAF box, and comes to the next weekly allocation meeting. An urgent early help request is answered as any other (by e-mail to the TAF box), noting that where concerns arise about a child's safety the step-up procedure is followed (a safeguarding referral to CRT).",
            S_INTRO,
            Q_SAFETY_STEP_UP,
        ),
        gap(
            "Case history in routing",
            "The text routes a child with an open case differently in two places: a concern about a child supported by a TAF plan goes through the TAF Coordinator and TAF Manager to the CRT Manager (step up), and a request for TAF for a child open to social services is the social worker's JAFF Part 1 (step down). Step down differs for cases open less than 8 weeks and 8 weeks or more, but both send JAFF Part 1 to the TAF box; a contact request does not say how long the case has been open, so the answer gives both ways. A case closed before changes nothing ('families can be referred more than once'). The text says nothing about a safeguarding referral for a child already open to Children's Social Services, or about a TAF referral for a child at targeted support: those are routed as any other.",
            S_SD_OVER_8,
            Q_OVER_8_OPEN,
        ),
        gap(
            "Ages of the other categories of support",
            "The text gives ages only for TAF ('We work with children and young people from 0 until 25'): none for universal support or for statutory Children's Social Services (assessment for care and support, protective support). The plugin applies 0 until 25 to the authority as a whole and sets no ages on any level or contact point.",
            S_INTRO,
            Q_AGE,
        ),
        gap(
            "Date of the document",
            "The document is dated 'October 2017' and 'Reviewed: October 2021', a month with no day: its published date is left empty rather than inventing a day.",
            S_HEADING,
            Q_REVIEWED,
        ),
        gap(
            "TAF telephone number and office hours",
            "The only TAF contact given is the TAF box (TAF@carmarthenshire.gov.uk) and the TAF page of the FIS website. With no staffed hours in the text, the TAF box is a mailbox that accepts forms at any time.",
            S_SD_UNDER_8,
            Q_TAF_BOX,
        ),
        gap(
            "Consent for universal support and for a non-urgent step up",
            "Consent is set out for referrals to TAF (JAFF Part 1) and its override for risk of significant harm, but not for universal support or for a referral for an assessment for care and support without risk of significant harm. The plugin asks for consent in the latter and proceeds without it only on risk of significant harm.",
            S_INTRO,
            Q_OVERRIDE,
        ),
        gap(
            "Recording the reason for sharing without consent",
            "The text says the family's refusal is overridden where a child is exposed to the risk of significant harm and that families are informed, but not where the reason is recorded. The plugin asks for it to be recorded with the referral.",
            S_INTRO,
            Q_OVERRIDE,
        ),
        gap(
            "Upper age and unborn children",
            "'From 0 until 25' is read as up to and including age 25 (the plugin's choice of 25 as the last year served), with no extension for any circumstance. The text does not mention unborn children, so they are reported as outside the stated range, and it gives no pre-birth timescales: an unborn child's case gets the timescales every child's does.",
            S_INTRO,
            Q_AGE,
        ),
        gap(
            "Timescales",
            "No number is given for: explaining a decline to the referrer ('after the allocation meeting'), holding the stepdown meeting, the date TAF support starts, CRT's response to a step up ('without delay'), the TAF Manager's agreement to a step up, identifying the keyworker, completing JAFF Part 2, or closing a case. Those events start no deadlines here, and neither does a step up requested, a step up, a step down or a transfer in (the allocation meeting has already considered a referral by then).",
            S_SD_OVER_8,
            Q_DECLINE_REASONS,
        ),
        gap(
            "What meets the allocation meeting deadline",
            "The referral is met by the allocation meeting's decision, but the service records no 'allocation meeting held' event and no decline on a case. The plugin counts the case opened on acceptance (REFERRAL_ACCEPTED) or the TAF coordinator appointed (CASE_ALLOCATED) as meeting it, since the text places both at that meeting; 'next TAF allocation meeting (weekly)' is read as within 1 week.",
            S_SD_OVER_8,
            Q_COORDINATOR_IDENTIFIED,
        ),
        gap(
            "Reviews counted in days",
            "'At least 3 monthly' is encoded as 3 calendar months. To check that a TAF case open for more than 3 months has had a review before it closes, the plugin counts 92 days (the longest three calendar months): that number is the plugin's choice.",
            S_REFERRALS,
            Q_REVIEW,
        ),
        gap(
            "Allocation meeting weekday",
            "The meeting is on a Wednesday 'at the present time' (text of October 2017, reviewed October 2021); confirm the current day locally.",
            S_SD_OVER_8,
            Q_NEXT_ALLOC_WED,
        ),
        gap(
            "Deferring a referral at the allocation meeting",
            "The text gives the allocation meeting three outcomes (accept as TAF multi-agency, accept as TAF single agency, decline) and no deferral to a later meeting, so no DEFER option is encoded.",
            S_SD_OVER_8,
            Q_DECISIONS,
        ),
        gap(
            "Single agency and multi-agency as categories of support",
            "The text does not pair the allocation meeting's two acceptances with the categories of support in so many words. The plugin reads TAF multi-agency as targeted support (TAF 'primarily works in the targeted support arena with families and young people who are experiencing difficulties and need a coordinated response') and TAF single agency as enhanced support, the other arena TAF works in: ACCEPT_MULTI_AGENCY moves the case to TARGETED and ACCEPT_SINGLE_AGENCY to ENHANCED, whichever was asked for.",
            S_INTRO,
            Q_TAF_ARENAS,
        ),
        gap(
            "When a step down moves the case",
            "The stepdown meeting and the date TAF support starts (and statutory services close) come after TAF accepts the referral ('If the case is accepted by TAF, a stepdown meeting will take place'). The plugin moves the case into TAF on the allocation meeting's acceptance and reports the stepdown meeting and the agreed start date as what follows; they are not conditions of the move. The text gives no timescale for them.",
            S_SD_OVER_8,
            Q_STEPDOWN_MEETING,
        ),
        gap(
            "Transfers in from another authority",
            "No rule for a family moving in from another authority. A transfer in is treated as a new referral: to TAF on JAFF Part 1 with consent and an allocation decision, or to statutory services through CRT.",
            S_REFERRALS,
            Q_REFER_AGAIN,
        ),
        gap(
            "Closing a TAF case",
            "No closure procedure (final meeting, closure record) is given for TAF cases beyond the family's right to withdraw at any time and the rule not to close while an S47 outcome is pending.",
            S_INTRO,
            Q_VOLUNTARY,
        ),
        gap(
            "Step-up referral form",
            "The referral to Children's Social Services is called a 'multiagency referral' and the 'MARF'; the text does not say it is required for a non-urgent step up. The plugin requires the MARF for every step up to statutory services.",
            S_STEP_UP,
            Q_SU_MARF,
        ),
    ]
}

pub fn describe() -> AuthorityDescription {
    AuthorityDescription {
        code: CODE.into(),
        name: NAME.into(),
        nation: Nation::Wales as i32,
        framework: FRAMEWORK.into(),
        levels: LEVELS
            .iter()
            .zip(1u32..)
            .map(|(l, rank)| Level {
                code: l.code.into(),
                label: l.label.into(),
                description: l.description.into(),
                rank,
                response: l.response as i32,
                role_codes: l.roles.iter().map(|r| (*r).to_owned()).collect(),
                citation: Some(c(l.section, l.quote)),
                response_text: l.response_text.into(),
                // The text gives ages only for TAF, and they are the authority's (see Gaps).
                ages: None,
            })
            .collect(),
        roles: ROLES
            .iter()
            .map(|r| Role {
                code: r.code.into(),
                label: r.label.into(),
                description: r.description.into(),
                citation: Some(c(r.section, r.quote)),
            })
            .collect(),
        age_range: Some(age_range()),
        indicators: INDICATORS
            .iter()
            .map(|x| Indicator {
                code: x.code.into(),
                level_code: x.level.into(),
                domain: x.domain as i32,
                area: x.area.into(),
                text: x.text.into(),
                citation: Some(c(x.section, x.quote)),
            })
            .collect(),
        contact_points: contact_points(),
        panels: vec![allocation_meeting()],
        timescales: timescale_rules(),
        forms: forms(),
        plugin_name: PLUGIN_NAME.into(),
        plugin_version: env!("CARGO_PKG_VERSION").into(),
        sources: vec![c(TITLE, Q_TITLE)],
        gaps: gaps(),
        documents: documents(),
        // The text does not disagree with itself: the pathways at its end repeat sections 6 to
        // 8 in short, adding only the CRT Manager's deputy and a discussion direct with the CRT
        // manager when the TAF manager is not available.
        conflicts: Vec::new(),
    }
}

/// "We work with children and young people from 0 until 25." No unborn children and no
/// extension (see Gaps).
pub fn age_range() -> AgeRange {
    AgeRange {
        serves_unborn: false,
        unborn_from_gestation_weeks: 0,
        min_age_years: 0,
        max_age_years: MAX_AGE_YEARS,
        extensions: Vec::new(),
        citation: Some(c(S_INTRO, Q_AGE)),
    }
}

/// The one document every citation names: the seed file. It is dated "October 2017" and
/// "Reviewed: October 2021", a month with no day, so `published` is left empty (see Gaps).
pub fn documents() -> Vec<Source> {
    vec![Source {
        id: SOURCE.into(),
        title: DOC_TITLE.into(),
        url: String::new(),
        reference: FILE_NAME.into(),
        published: String::new(),
        retrieved: String::new(),
    }]
}
