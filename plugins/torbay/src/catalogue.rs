//! Everything static about Torbay: levels, roles, indicators, contact points, the panel,
//! timescales, forms and gaps.

use continuum_plugin_api::pb::{
    AgeRange, AuthorityDescription, BankHoliday, Cadence, CaseEvent, Circumstance, ContactPoint,
    ContactPurpose, Deadline, Domain, Form, Gap, Indicator, Level, Nation, Panel,
    PanelDecisionOption, PanelEffect, Response, Role, Source, TimescaleRule, Weekday,
};
use continuum_plugin_api::{cite, time};

use crate::text::*;

pub(crate) const CODE: &str = "E06000027";
pub(crate) const NAME: &str = "Torbay";
pub(crate) const FRAMEWORK: &str = "Targeted Help (Early Help Strategy 2017)";

// Levels of need, least to most.
pub(crate) const L1: &str = "L1";
pub(crate) const L2: &str = "L2";
pub(crate) const L3: &str = "L3";
pub(crate) const L4: &str = "L4";

// Roles.
pub(crate) const DUTY_SOCIAL_WORKER: &str = "DUTY_SOCIAL_WORKER";
pub(crate) const MASH: &str = "MASH";
pub(crate) const TARGETED_HELP_TEAM: &str = "TARGETED_HELP_TEAM";
pub(crate) const TARGETED_HELP_COORDINATOR: &str = "TARGETED_HELP_COORDINATOR";
pub(crate) const TEAM_AROUND_THE_FAMILY: &str = "TEAM_AROUND_THE_FAMILY";
pub(crate) const FAMILY_INTERVENTION_TEAM: &str = "FAMILY_INTERVENTION_TEAM";
pub(crate) const UNIVERSAL_SERVICES: &str = "UNIVERSAL_SERVICES";
pub(crate) const COMMUNITY_VOLUNTARY_SECTOR: &str = "COMMUNITY_VOLUNTARY_SECTOR";

// Contact points.
pub(crate) const CONSULTATION_LINE: &str = "CONSULTATION_LINE";
/// The MASH as a contact point (the text gives it no number: reached as `how_to_reach` says).
pub(crate) const MASH_CONTACT: &str = "MASH";
pub(crate) const POLICE_999: &str = "POLICE_999";
pub(crate) const LINE_OPENS: &str = "09:00";
pub(crate) const LINE_CLOSES: &str = "12:00";

// The panel.
pub(crate) const TARGETED_HELP_PANEL: &str = "TARGETED_HELP_PANEL";
pub(crate) const ALLOCATE_COORDINATOR: &str = "ALLOCATE_COORDINATOR";
pub(crate) const ALLOCATE_FIT: &str = "ALLOCATE_FIT";

// Forms.
pub(crate) const TARGETED_HELP_REQUEST: &str = "TARGETED_HELP_REQUEST";
pub(crate) const SINGLE_TAF_PLAN: &str = "SINGLE_TAF_PLAN";

// Timescales.
pub(crate) const REVIEW: &str = "TOR-TARGETED-HELP-REVIEW";
pub(crate) const REVIEW_WEEKS: u32 = 6;
pub(crate) const REVIEW_MAX_WEEKS: u32 = 12;

/// The age range is the plugin's choice (the text gives none): under 18, and any unborn child
/// (no week of pregnancy: the text gives none, so 0, "any unborn child").
pub(crate) const MAX_AGE: u32 = 17;
pub(crate) const UNBORN_FROM_WEEKS: u32 = 0;

/// The fewest distinct needs that make "two or three needs" (section 2).
pub(crate) const SEVERAL_NEEDS: usize = 2;

pub(crate) struct LevelDef {
    pub code: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    pub response: Response,
    /// The response in the text's own words ("" where the text gives none). No two Torbay
    /// levels share a response, so this is not required; it is given where the text names one.
    pub response_text: &'static str,
    pub roles: &'static [&'static str],
    pub section: &'static str,
    pub quote: &'static str,
}

pub(crate) const LEVELS: &[LevelDef] = &[
    LevelDef {
        code: L1,
        label: "Universal (level 1)",
        description: "Needs met by universal services, which families are helped to engage with \
                      during and after intervention. The text names Universal Services and a \
                      'Universal level' but gives them no number or definition: the plugin \
                      reads them as level 1 (see Gaps).",
        response: Response::Universal,
        response_text: "Universal Services",
        roles: &[UNIVERSAL_SERVICES],
        section: S_FIT,
        quote: Q_FIT_COMPLEX,
    },
    LevelDef {
        code: L2,
        label: "Level 2 (not described in this text)",
        description: "A level below Targeted Help (level 3) that this text does not describe: \
                      levels of need are defined in the TSCB Threshold Document, which is not \
                      encoded. The plugin places a single named need here (an educational \
                      issue, a health difficulty, financial worries or housing, met by one \
                      service); two or more such needs point to Targeted Help (see Gaps).",
        response: Response::AdditionalSupport,
        response_text: "",
        roles: &[],
        section: S_PATHWAY,
        quote: Q_THRESHOLD_DOC,
    },
    LevelDef {
        code: L3,
        label: "Targeted Help (level 3)",
        description: "More complex need involving two or three needs that require several \
                      services to work together. Entered through the MASH (a Targeted Help \
                      Request for Service, with the family's consent) or by step down from \
                      statutory intervention at level 4. The weekly Targeted Help Panel \
                      allocates a Targeted Help Co-ordinator, who brings a Team around the \
                      Family together on a Single TAF Plan; progress is reviewed at 6 weeks and \
                      at most 12 weeks.",
        response: Response::TargetedEarlyHelp,
        response_text: "targeted help at level 3",
        roles: &[
            DUTY_SOCIAL_WORKER,
            MASH,
            TARGETED_HELP_TEAM,
            TARGETED_HELP_COORDINATOR,
            TEAM_AROUND_THE_FAMILY,
            FAMILY_INTERVENTION_TEAM,
            UNIVERSAL_SERVICES,
            COMMUNITY_VOLUNTARY_SECTOR,
        ],
        section: S_PATHWAY,
        quote: Q_REQUEST,
    },
    LevelDef {
        code: L4,
        label: "Statutory intervention (level 4)",
        description: "Statutory intervention by children's social care. The text names it only \
                      as the level families are stepped down from into Targeted Help (the Step \
                      up Step down process is not in the text; see Gaps). The MASH screens all \
                      referrals.",
        response: Response::StatutorySocialCare,
        response_text: "statutory intervention at level 4",
        roles: &[MASH],
        section: S_PATHWAY,
        quote: Q_STEP_DOWN,
    },
];

pub(crate) fn level_def(code: &str) -> Option<&'static LevelDef> {
    LEVELS.iter().find(|l| l.code == code)
}

/// 1-based rank of a level code, if it is one.
pub(crate) fn rank(code: &str) -> Option<u32> {
    LEVELS
        .iter()
        .position(|l| l.code == code)
        .map(|i| i as u32 + 1)
}

/// The level code of a 1-based rank (the lowest level for 0, the highest above the top).
pub(crate) fn code_of(rank: u32) -> &'static str {
    match rank {
        0 | 1 => L1,
        2 => L2,
        3 => L3,
        _ => L4,
    }
}

pub(crate) fn response_of(code: &str) -> Response {
    level_def(code).map_or(Response::Unspecified, |l| l.response)
}

pub(crate) fn levels() -> Vec<Level> {
    LEVELS
        .iter()
        .enumerate()
        .map(|(i, l)| Level {
            code: l.code.to_owned(),
            label: l.label.to_owned(),
            description: squash(l.description),
            rank: i as u32 + 1,
            response: l.response as i32,
            role_codes: l.roles.iter().map(|r| (*r).to_owned()).collect(),
            citation: Some(c(l.section, l.quote)),
            response_text: l.response_text.to_owned(),
            // The text states no ages for any level: the authority's range applies (see Gaps).
            ages: None,
        })
        .collect()
}

fn roles() -> Vec<Role> {
    let role = |code: &str, label: &str, description: &str, section: &str, quote: &str| Role {
        code: code.to_owned(),
        label: label.to_owned(),
        description: description.to_owned(),
        citation: Some(c(section, quote)),
    };
    vec![
        role(
            DUTY_SOCIAL_WORKER,
            "Duty Social Worker (Early Help Consultation Line)",
            "Staffs the Early Help Professionals Consultation Line: advice and signposting for \
             professionals who think a family needs Early Help.",
            S_LINE,
            Q_LINE_DUTY_SW,
        ),
        role(
            MASH,
            "Multi-Agency Safeguarding Hub (MASH)",
            "Receives the Targeted Help Request for Service; screens all referrals and ensures \
             that Targeted Help is the right level of support and that the request holds enough \
             information.",
            S_PATHWAY,
            Q_MASH_SCREENS,
        ),
        role(
            TARGETED_HELP_TEAM,
            "Targeted Help Team",
            "Records the Targeted Help Co-ordinator chosen at panel on the multi-agency panel \
             minutes and the child's record, and reviews progress against the plan at 6 weeks \
             and at most 12 weeks.",
            S_PANEL,
            Q_COORD_RECORDED,
        ),
        role(
            TARGETED_HELP_COORDINATOR,
            "Targeted Help Co-ordinator",
            "Allocated by the Targeted Help Panel; gives the family advice, support and guidance, \
             coordinates services with the family's involvement and organises the initial Team \
             around the Family meeting to develop a Single TAF Plan.",
            S_COORD,
            Q_COORD_ROLE,
        ),
        role(
            TEAM_AROUND_THE_FAMILY,
            "Team around the Family (TAF)",
            "The range of people working together to improve outcomes for a family, sharing \
             responsibility with the family for the Single TAF Plan.",
            S_TAF,
            Q_TAF_TERM,
        ),
        role(
            FAMILY_INTERVENTION_TEAM,
            "Family Intervention Team (FIT)",
            "Children's Services' level 3 offer: whole-family work (parenting support, \
             mediation, work with families who have experienced domestic abuse, direct work with \
             children); allocated cases through the Targeted Help Panel.",
            S_FIT,
            Q_FIT_OFFER,
        ),
        role(
            UNIVERSAL_SERVICES,
            "Universal Services",
            "Universal services, which may be part of a Team around the Family's support.",
            S_TAF,
            Q_TAF_SUPPORT,
        ),
        role(
            COMMUNITY_VOLUNTARY_SECTOR,
            "Community or Voluntary Sector",
            "Support via the Community or Voluntary Sector, which may be part of a Team around \
             the Family's support; also represented at the Targeted Help Panel.",
            S_TAF,
            Q_TAF_SUPPORT,
        ),
    ]
}

pub(crate) struct IndicatorDef {
    pub code: &'static str,
    pub level: &'static str,
    pub domain: Domain,
    pub area: &'static str,
    pub text: &'static str,
    pub section: &'static str,
    pub quote: &'static str,
}

/// The text gives no indicator catalogue (it points to the TSCB Threshold Document). These are
/// the examples of need it does give, and its description of each level it names. The level
/// descriptions (universal services, "two or three needs that require several services",
/// "more than two or three professional's expertise", statutory intervention) are not
/// domain-specific: their domain is left unspecified.
pub(crate) const INDICATORS: &[IndicatorDef] = &[
    IndicatorDef {
        code: "TOR-L1-UNIVERSAL",
        level: L1,
        domain: Domain::Unspecified,
        area: "Community and universal services",
        text: "Needs that the family's community and universal services can meet.",
        section: S_FIT,
        quote: Q_FIT_UNIVERSAL,
    },
    IndicatorDef {
        code: "TOR-L2-EDUCATION",
        level: L2,
        domain: Domain::ChildDevelopmentalNeeds,
        area: "Education",
        text: "An educational issue (a single need on its own; with another need it points to \
               Targeted Help).",
        section: S_TAF,
        quote: Q_TAF_NEEDS,
    },
    IndicatorDef {
        code: "TOR-L2-HEALTH",
        level: L2,
        domain: Domain::ChildDevelopmentalNeeds,
        area: "Health",
        text: "A health difficulty (a single need on its own; with another need it points to \
               Targeted Help).",
        section: S_TAF,
        quote: Q_TAF_NEEDS,
    },
    IndicatorDef {
        code: "TOR-L2-FINANCES",
        level: L2,
        domain: Domain::FamilyAndEnvironmentalFactors,
        area: "Finances",
        text: "Financial worries (a single need on its own; with another need it points to \
               Targeted Help).",
        section: S_TAF,
        quote: Q_TAF_NEEDS,
    },
    IndicatorDef {
        code: "TOR-L2-HOUSING",
        level: L2,
        domain: Domain::FamilyAndEnvironmentalFactors,
        area: "Housing",
        text: "Housing (a single need on its own; with another need it points to Targeted \
               Help).",
        section: S_TAF,
        quote: Q_TAF_NEEDS,
    },
    IndicatorDef {
        code: "TOR-L3-SEVERAL-SERVICES",
        level: L3,
        domain: Domain::Unspecified,
        area: "Level of need",
        text: "More complex need: two or three needs that require several services to work \
               together.",
        section: S_PATHWAY,
        quote: Q_REQUEST,
    },
    IndicatorDef {
        code: "TOR-L3-MORE-THAN-TWO-PROFESSIONALS",
        level: L3,
        domain: Domain::Unspecified,
        area: "Level of need",
        text: "Family needs that require more than two or three professionals' expertise.",
        section: S_TAF,
        quote: Q_TAF_NEEDS,
    },
    IndicatorDef {
        code: "TOR-L3-DEVELOPMENT-AT-RISK",
        level: L3,
        domain: Domain::ChildDevelopmentalNeeds,
        area: "Development",
        text: "A family need or difficulty that impacts on the child and, if not addressed, \
               could affect the child's developmental milestones and future outcomes.",
        section: S_TAF,
        quote: Q_TAF_DEVELOPMENT,
    },
    IndicatorDef {
        code: "TOR-L3-PARENT-OVERWHELMED",
        level: L3,
        domain: Domain::ParentingCapacity,
        area: "Parental coping",
        text: "A parent worried about many aspects of family life, finding things beyond their \
               control and unmanageable.",
        section: S_TAF,
        quote: Q_TAF_PARENT,
    },
    IndicatorDef {
        code: "TOR-L3-WHOLE-FAMILY-COMPLEX",
        level: L3,
        domain: Domain::FamilyAndEnvironmentalFactors,
        area: "Whole family",
        text: "A whole family presenting with a range of complex needs, likely to need support \
               from several professionals, who would benefit from a Single TAF Plan.",
        section: S_FIT,
        quote: Q_FIT_COMPLEX,
    },
    IndicatorDef {
        code: "TOR-L3-PARENTING-SUPPORT",
        level: L3,
        domain: Domain::ParentingCapacity,
        area: "Parenting",
        text: "Parents who need evidence-based parenting support (a Family Intervention Team \
               offer).",
        section: S_FIT,
        quote: Q_FIT_SKILLS,
    },
    IndicatorDef {
        code: "TOR-L3-FAMILY-RELATIONSHIPS",
        level: L3,
        domain: Domain::FamilyAndEnvironmentalFactors,
        area: "Family relationships",
        text: "Family relationships that need mediation support to improve (a Family \
               Intervention Team offer).",
        section: S_FIT,
        quote: Q_FIT_SKILLS,
    },
    IndicatorDef {
        code: "TOR-L3-DOMESTIC-ABUSE-EXPERIENCED",
        level: L3,
        domain: Domain::FamilyAndEnvironmentalFactors,
        area: "Domestic abuse",
        text: "A family who have experienced domestic abuse (a Family Intervention Team offer); \
               a child at risk of significant harm is a referral to children's social care \
               instead.",
        section: S_FIT,
        quote: Q_FIT_SKILLS,
    },
    IndicatorDef {
        code: "TOR-L4-STATUTORY-INTERVENTION",
        level: L4,
        domain: Domain::Unspecified,
        area: "Level of need",
        text: "Needs that call for statutory intervention (level 4), such as a family currently \
               receiving statutory intervention.",
        section: S_PATHWAY,
        quote: Q_STEP_DOWN,
    },
];

pub(crate) fn indicator(code: &str) -> Option<&'static IndicatorDef> {
    INDICATORS.iter().find(|x| x.code == code)
}

fn indicators() -> Vec<Indicator> {
    INDICATORS
        .iter()
        .map(|x| Indicator {
            code: x.code.to_owned(),
            level_code: x.level.to_owned(),
            domain: x.domain as i32,
            area: x.area.to_owned(),
            text: squash(x.text),
            citation: Some(c(x.section, x.quote)),
        })
        .collect()
}

pub(crate) fn consultation_line() -> ContactPoint {
    ContactPoint {
        code: CONSULTATION_LINE.to_owned(),
        name: "Early Help Professionals Consultation Line".to_owned(),
        phone: "01803 208525".to_owned(),
        email: String::new(),
        web_form: String::new(),
        purposes: vec![ContactPurpose::Advice as i32],
        // "weekday mornings from 9am - 12pm": the text does not say whether the line opens on
        // a bank holiday; the plugin takes it as closed, as an office-hours line (see Gaps).
        hours: time::weekdays(LINE_OPENS, LINE_CLOSES, BankHoliday::Closed),
        always_open: false,
        notes: "Advice for professionals who think a family needs Early Help, from a duty Social \
                Worker (advice and signposting); also the line to call when unsure of the level \
                of need. Open weekday mornings 9am - 12pm; the text does not say whether it \
                opens on bank holidays, and the plugin takes it as closed on them. Not the route \
                for a Targeted Help Request for Service, which is submitted to the MASH."
            .to_owned(),
        citation: Some(c(S_LINE, Q_LINE_NUMBER)),
        how_to_reach: String::new(),
        // The text gives the number only, with no menu option.
        phone_option: String::new(),
        // The text states no ages for the line: the authority's range applies.
        ages: None,
    }
}

/// How to reach the MASH, in words: the text names it as where requests go and as the screener
/// of all referrals, but gives it no telephone number, email, web form or hours.
pub(crate) const MASH_HOW_TO_REACH: &str = "Submit a Targeted Help Request for Service (or, for a \
     child at risk of significant harm, a referral) to the Multi-Agency Safeguarding Hub (MASH), \
     which screens all referrals. The text gives no MASH telephone number, email, web form or \
     hours: use Torbay Council's published MASH contact details. A child in immediate danger: \
     call the police on 999.";

pub(crate) fn mash() -> ContactPoint {
    ContactPoint {
        code: MASH_CONTACT.to_owned(),
        name: "Multi-Agency Safeguarding Hub (MASH)".to_owned(),
        phone: String::new(),
        email: String::new(),
        web_form: String::new(),
        purposes: vec![
            ContactPurpose::EarlyHelpRequest as i32,
            ContactPurpose::SafeguardingReferral as i32,
        ],
        // The text gives no hours. A Request for Service is a written submission, which can be
        // made at any time (at night, at weekends and on bank holidays alike); it is marked
        // always open in that sense only (see Gaps).
        hours: Vec::new(),
        always_open: true,
        notes: squash(
            "Where a Targeted Help Request for Service is submitted (with the family's consent), \
             and where all referrals are screened: the MASH ensures that Targeted Help is the \
             right level of support and that the request holds enough information, then passes \
             it to the weekly Targeted Help Panel. The text gives no MASH contact details and no \
             hours: marked always open only because a written request or referral can be \
             submitted at any time, at night, at weekends and on bank holidays alike; the text \
             does not say when the MASH screens it. If unsure of \
             the level of need, call the Early Help Professionals Consultation Line (01803 \
             208525, weekday mornings 9am - 12pm) first.",
        ),
        citation: Some(c(S_PATHWAY, Q_REQUEST)),
        how_to_reach: squash(MASH_HOW_TO_REACH),
        phone_option: String::new(),
        ages: None,
    }
}

pub(crate) fn police_999() -> ContactPoint {
    ContactPoint {
        code: POLICE_999.to_owned(),
        name: "Police (emergency)".to_owned(),
        phone: "999".to_owned(),
        email: String::new(),
        web_form: String::new(),
        purposes: vec![ContactPurpose::Emergency as i32],
        hours: Vec::new(),
        always_open: true,
        notes: "A child in immediate danger: call the police on 999, then refer to children's \
                social care through the MASH. The text names no emergency number and no \
                emergency duty team; 999 is the national emergency number (see Gaps). Only for \
                emergencies: safeguarding referrals go to the MASH."
            .to_owned(),
        citation: Some(c(S_PATHWAY, Q_MASH_SCREENS)),
        how_to_reach: String::new(),
        phone_option: String::new(),
        ages: None,
    }
}

pub(crate) fn targeted_help_panel() -> Panel {
    Panel {
        code: TARGETED_HELP_PANEL.to_owned(),
        name: "Targeted Help Panel".to_owned(),
        purpose: "A weekly multi-agency meeting that explores and discusses support requests \
                  screened by the MASH, decides on support and intervention, and identifies the \
                  most appropriate service to allocate a Targeted Help Co-ordinator (cases are \
                  allocated to the Family Intervention Team through it). Attended by \
                  professionals from the public sector, community and voluntary services."
            .to_owned(),
        cadence: Cadence::Weekly as i32,
        weekday: Weekday::Unspecified as i32,
        // The only decisions the text gives the panel: both take the family on at Targeted
        // Help, which the text places at level 3 (section 2: "stepped down from statutory
        // intervention at level 4 to targeted help at level 3"; section 4: "The Family
        // Intervention team is Children's Services level 3 offer"). No decline and no deferral
        // (see Gaps).
        decisions: vec![
            PanelDecisionOption {
                code: ALLOCATE_COORDINATOR.to_owned(),
                label: "Allocate a Targeted Help Co-ordinator from the most appropriate service \
                        (Targeted Help, level 3)"
                    .to_owned(),
                requires_reason: false,
                citation: Some(c(S_PANEL, Q_PANEL_AIM)),
                effect: PanelEffect::Accept as i32,
                level_code: L3.to_owned(),
            },
            PanelDecisionOption {
                code: ALLOCATE_FIT.to_owned(),
                label: "Allocate the case to the Family Intervention Team (FIT), Children's \
                        Services' level 3 offer"
                    .to_owned(),
                requires_reason: false,
                citation: Some(c(S_FIT, Q_FIT_ALLOCATED)),
                effect: PanelEffect::Accept as i32,
                level_code: L3.to_owned(),
            },
        ],
        citation: Some(c(S_PANEL, Q_PANEL_WEEKLY)),
    }
}

/// The case events that meet the review: a review held. Section 3: "The Targeted help team will
/// review the progress made against the plan initially at 6 weeks and up to a maximum of 12
/// weeks." The review is the Targeted Help team's, not a Team around the Family meeting (the
/// text keeps the two apart), so a team meeting does not meet it.
pub(crate) const REVIEW_MET_BY: &[CaseEvent] = &[CaseEvent::ReviewHeld];

pub(crate) fn review_deadline() -> Deadline {
    Deadline {
        code: REVIEW.to_owned(),
        description: squash(
            "The Targeted Help team reviews progress against the plan: initially at 6 weeks, \
             and at most 12 weeks (whether support is still being provided, who is working \
             with the family, and whether it is meeting the family's needs). Met by a review \
             held (section 3: 'The Targeted help team will review the progress made against \
             the plan'); a Team around the Family meeting is not the team's review. Reviews \
             then recur, each due 6 weeks after the last review held and at the latest 12 \
             weeks after it, until the case closes: this is the plugin's reading of section 4 \
             (Family Intervention Team): 'As part of on-going good practice cases are reviewed \
             regularly at 6 weeks initially and then up to 12 weeks to inform the families \
             plan and ensure the family are continuing to benefit from additional support.' \
             (see Gaps).",
        ),
        due_in: Some(time::weeks(REVIEW_WEEKS)),
        repeat_every: Some(time::weeks(REVIEW_WEEKS)),
        at_most: Some(time::weeks(REVIEW_MAX_WEEKS)),
        citation: Some(c(S_PANEL, Q_REVIEW)),
        met_by: REVIEW_MET_BY.iter().map(|e| *e as i32).collect(),
    }
}

pub(crate) fn timescale_rules() -> Vec<TimescaleRule> {
    vec![TimescaleRule {
        event: CaseEvent::CaseAllocated as i32,
        level_code: L3.to_owned(),
        deadlines: vec![review_deadline()],
        // For every child: the text gives no pre-birth or other circumstance's timescales.
        only_if: Circumstance::Unspecified as i32,
    }]
}

fn forms() -> Vec<Form> {
    vec![
        Form {
            code: TARGETED_HELP_REQUEST.to_owned(),
            name: "Targeted Help Request for Service (also called the Targeted Help Request for \
                   Targeted Support assessment), submitted to the MASH"
                .to_owned(),
            citation: Some(c(S_PATHWAY, Q_REQUEST)),
        },
        Form {
            code: SINGLE_TAF_PLAN.to_owned(),
            name: "Single TAF Plan".to_owned(),
            citation: Some(c(S_COORD, Q_COORD_ROLE)),
        },
    ]
}

pub(crate) fn age_range() -> AgeRange {
    AgeRange {
        serves_unborn: true,
        unborn_from_gestation_weeks: UNBORN_FROM_WEEKS,
        min_age_years: 0,
        max_age_years: MAX_AGE,
        extensions: Vec::new(),
        citation: Some(c(S_PANEL, Q_PANEL_INFO)),
    }
}

fn gap(topic: &str, note: &str, section: &str, quote: &str) -> Gap {
    Gap {
        topic: topic.to_owned(),
        note: squash(note),
        citation: Some(c(section, quote)),
    }
}

pub(crate) fn gaps() -> Vec<Gap> {
    vec![
        gap(
            "Levels 1 and 2",
            "The text numbers only Targeted Help (level 3) and statutory intervention (level \
             4); it names Universal Services and a 'Universal level' without a number and says \
             levels of need are in the TSCB Threshold Document, which is not encoded. The plugin \
             reads Universal as level 1 and keeps level 2 as an undescribed level below Targeted \
             Help; its response (additional support from one service) is the plugin's choice.",
            S_PATHWAY,
            Q_THRESHOLD_DOC,
        ),
        gap(
            "Level 4 (statutory intervention)",
            "Named only as the level families are stepped down from; no description, \
             indicators, referral route or timescales.",
            S_PATHWAY,
            Q_STEP_DOWN,
        ),
        gap(
            "Indicator catalogue",
            "The text has no catalogue of indicators (it points to the TSCB Threshold \
             Document). The catalogue holds only the examples of need the text gives (Team \
             around the Family and Family Intervention Team sections) and its level \
             descriptions. The examples' Assessment Framework domains are the plugin's reading; \
             the level descriptions (universal services, several services working together, \
             more than two or three professionals, statutory intervention) are not \
             domain-specific and name no domain.",
            S_PATHWAY,
            Q_THRESHOLD_DOC,
        ),
        gap(
            "A single need",
            "The text sends 'two or three needs that require several services to work together' \
             to Targeted Help but does not say what level one such need is. The plugin places a \
             single educational, health, financial or housing need at level 2 and takes two or \
             more distinct needs (the text's lower bound) to level 3.",
            S_PATHWAY,
            Q_REQUEST,
        ),
        gap(
            "Age range",
            "The text gives no age range (it speaks of children and young people), no ages for \
             any level or service, and does not mention unborn children. The plugin's choice: \
             under 18 (0-17), and any unborn child (no week of pregnancy, as the text gives \
             none); no extensions (a looked-after or disabled young person of 18 or over is \
             outside the range); no level or contact point has ages of its own.",
            S_PANEL,
            Q_PANEL_INFO,
        ),
        gap(
            "Immediate danger",
            "The text does not say what to do when a child is in immediate danger. The plugin \
             answers with the emergency response: police on 999, then children's social care \
             through the MASH.",
            S_PATHWAY,
            Q_MASH_SCREENS,
        ),
        gap(
            "Significant harm and consent",
            "The text does not say how a child at risk of significant harm is referred, nor when \
             information may be shared without consent. The plugin follows national guidance: \
             refer to children's social care (level 4, through the MASH, which screens all \
             referrals) without delay, even when consent is refused, recording the reason.",
            S_PATHWAY,
            Q_MASH_SCREENS,
        ),
        gap(
            "Consent outside Targeted Help",
            "The text states a consent rule only for the Targeted Help request. Elsewhere the \
             plugin's conservative choice: no referral at level 1; seek the family's consent for \
             level 2 and for a level 4 referral unless significant harm is suspected.",
            S_PATHWAY,
            Q_CONSENT,
        ),
        gap(
            "Emergency and out-of-hours contacts",
            "The text names no emergency number, no emergency duty team and no out-of-hours \
             service; the consultation line is open only weekday mornings 9am - 12pm. The \
             plugin gives police 999 as the always-open emergency contact, for emergencies \
             only, and no out-of-hours alternative. A safeguarding referral at night, at a \
             weekend or on a bank holiday is routed, as in the day, to the MASH, marked always \
             open only because a written referral can be submitted at any time (see 'MASH \
             contact details'); no out-of-hours number is invented.",
            S_LINE,
            Q_LINE_NUMBER,
        ),
        gap(
            "Consultation line on bank holidays",
            "The line 'is open weekday mornings from 9am - 12pm'; the text does not say whether \
             it opens on a bank holiday. The plugin treats each weekday morning as closed on a \
             bank holiday or local closure (as for any office-hours line) and gives the next \
             opening on the next weekday that is not closed.",
            S_LINE,
            Q_LINE_NUMBER,
        ),
        gap(
            "MASH contact details",
            "The Targeted Help Request for Service is submitted to the MASH, which screens all \
             referrals, but the text gives no MASH telephone number, email, web form or hours. \
             Early help requests and safeguarding referrals are routed to the MASH, the team the \
             text names, with how to reach it in words (use the council's published MASH \
             contact details); never to 999, which is for a child in immediate danger. The MASH \
             is marked always open only in the sense that a written request or referral can be \
             submitted at any time, at night, at weekends and on bank holidays alike: the text \
             does not say when the MASH screens it. No channel (telephone, email, web form) is \
             given for a referral: the answer names none. For an early help request the text \
             says the Request for Service is 'completed and submitted' to the MASH, so the \
             answer's channel is 'as how_to_reach says' with that instruction.",
            S_PATHWAY,
            Q_REQUEST,
        ),
        gap(
            "Urgency",
            "The text gives no urgent route and no different handling for an urgent request, \
             referral or call: the consultation line keeps its weekday-morning hours and a \
             Request for Service goes to the MASH either way. The plugin routes an urgent \
             contact as a non-urgent one and says so; a child at risk of significant harm is a \
             safeguarding referral to the MASH, and a child in immediate danger is for the \
             police on 999.",
            S_PATHWAY,
            Q_MASH_SCREENS,
        ),
        gap(
            "Children already known",
            "The text says the panel 'will provide relevant information about children and \
             young people already known to them' and that a case stays open until support is \
             completed and the outcome recorded, but gives no different route for a child with \
             an open case (at Targeted Help or any level) or one whose case has closed, and \
             names no contact for the family's co-ordinator. The plugin routes such a contact \
             as for any child and says that the text sets no other route.",
            S_PANEL,
            Q_PANEL_INFO,
        ),
        gap(
            "Follow-ups after a contact",
            "The text sets no time for anything after a call to the consultation line or a \
             request or referral to the MASH (no written follow-up of a call, no time to screen \
             or to reach the panel): routing answers carry no follow-up deadlines. Consent is \
             gained before the request is made, so it is not a follow-up.",
            S_PATHWAY,
            Q_CONSENT,
        ),
        gap(
            "Pre-birth and other circumstances",
            "The text sets no timescale for an unborn child, a looked-after child or a child \
             with a learning difficulty or disability: the review at 6 weeks (at most 12) is \
             for every child at Targeted Help, and no rule is limited to a circumstance.",
            S_PANEL,
            Q_REVIEW,
        ),
        gap(
            "Document date",
            "The text says it 'was updated in November 2017' but gives no day, and no web \
             address: the document is listed with no published date and no url.",
            S_CHAPTER,
            Q_UPDATED,
        ),
        gap(
            "Panel weekday",
            "The Targeted Help Panel 'currently takes place once a week'; the text gives no \
             weekday, so no sitting date can be computed, and a request waiting for the panel \
             cannot be given the date of the sitting that will decide it: ask the Targeted Help \
             team.",
            S_FIT,
            Q_FIT_ALLOCATED,
        ),
        gap(
            "Panel decisions",
            "The text says the panel makes decisions about support and intervention and \
             identifies the most appropriate service to allocate a Targeted Help Co-ordinator, \
             and that the Family Intervention Team is allocated cases through it. Those two are \
             encoded as the panel's decisions, both accepting the family at Targeted Help \
             (level 3, the level the text gives Targeted Help and the Family Intervention \
             Team). The text names no other outcome: no decline, no deferral to a later \
             sitting, no referral back, no requirement to give reasons. None is invented, so a \
             Torbay panel decision can only accept; a request the panel does not take on has no \
             decision option to record it.",
            S_PANEL,
            Q_PANEL_AIM,
        ),
        gap(
            "Timescales before the review",
            "No time is given from the request to MASH screening, from screening to panel, from \
             panel to the co-ordinator's first contact, or to the initial Team around the Family \
             meeting and Single TAF Plan.",
            S_COORD,
            Q_COORD_MEETING,
        ),
        gap(
            "Reviews after the first",
            "Cases are 'reviewed regularly at 6 weeks initially and then up to 12 weeks'; the \
             text gives no separate interval for the reviews after the first. The plugin's \
             reading: reviews recur, each due 6 weeks after the last review held and at the \
             latest 12 weeks after it, until the case closes. The first review is started at \
             allocation by the panel (the text ties the review to the co-ordinator being \
             determined at panel); a step down into Targeted Help starts it when the case is \
             allocated. Only a review held meets it: the text does not treat Team around the \
             Family meetings as the Targeted Help team's review.",
            S_FIT,
            Q_FIT_REVIEW,
        ),
        gap(
            "Step up Step down process",
            "Referred to but not part of the text: no conditions are given for a step up to \
             level 4, for the step down from level 4 to level 3, or for a step down from \
             Targeted Help. The plugin applies the consent and significant-harm rules and, on \
             leaving Targeted Help, waits for a review or final meeting (outcome recorded). The \
             step down from level 4 is the text's first pathway into Targeted Help, separate \
             from the MASH: the plugin does not make it wait for the Targeted Help Panel, as \
             the text sets no such condition.",
            S_PATHWAY,
            Q_STEP_DOWN,
        ),
        gap(
            "Step across",
            "Not mentioned. The plugin treats a step across within Targeted Help as a \
             reallocation to another service, which the Targeted Help Panel decides (the move \
             waits for the panel's decision); at other levels it sets no condition.",
            S_PANEL,
            Q_PANEL_AIM,
        ),
        gap(
            "Transfer in",
            "Not mentioned. The plugin applies the entry rules of the target level: into \
             Targeted Help only through the MASH (Request for Service with consent).",
            S_PATHWAY,
            Q_TWO_PATHWAYS,
        ),
        gap(
            "Closure",
            "The case stays open until support is completed and the outcome recorded; the text \
             names no closure meeting. The plugin takes a review or final meeting held as the \
             outcome being recorded (the review ascertains whether support is still being \
             provided and proving effective), so a closure, or a step down out of Targeted \
             Help, waits for that meeting.",
            S_PANEL,
            Q_CASE_OPEN,
        ),
        gap(
            "Who decides a move",
            "The text names no manager's decision on any move: a manager's agreement meets no \
             Torbay condition. The MASH screens a Targeted Help request before the panel sees \
             it, but the MASH is not a panel, a meeting or a manager: the plugin makes a move \
             into Targeted Help through the MASH wait for the Targeted Help Panel's decision, \
             which the panel takes only on requests the MASH has passed on. Only a recorded \
             panel decision meets the panel's condition; a panel meeting held does not say \
             what the panel decided.",
            S_PANEL,
            Q_PASSED,
        ),
    ]
}

pub(crate) fn describe() -> AuthorityDescription {
    AuthorityDescription {
        code: CODE.to_owned(),
        name: NAME.to_owned(),
        nation: Nation::England as i32,
        framework: FRAMEWORK.to_owned(),
        levels: levels(),
        roles: roles(),
        age_range: Some(age_range()),
        indicators: indicators(),
        contact_points: vec![consultation_line(), mash(), police_999()],
        panels: vec![targeted_help_panel()],
        timescales: timescale_rules(),
        forms: forms(),
        plugin_name: "continuum-authority-torbay".to_owned(),
        plugin_version: env!("CARGO_PKG_VERSION").to_owned(),
        sources: vec![cite(SOURCE, S_CHAPTER, Q_UPDATED)],
        gaps: gaps(),
        documents: documents(),
        // The text does not disagree with itself: its two statements of the review (sections 3
        // and 4) and of the panel's cadence agree, and are encoded together.
        conflicts: Vec::new(),
    }
}

/// The one document the citations name: the seed file, by the path they cite. The text says
/// only "updated in November 2017", with no day, so no `published` date is given (see Gaps); it
/// gives no web address.
pub(crate) fn documents() -> Vec<Source> {
    vec![Source {
        id: SOURCE.to_owned(),
        title: DOCUMENT_TITLE.to_owned(),
        url: String::new(),
        reference: DOCUMENT_REFERENCE.to_owned(),
        published: String::new(),
        retrieved: String::new(),
    }]
}

/// Collapse the runs of spaces left by line continuations in string literals.
pub(crate) fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
