//! Everything static about Worcestershire: levels, roles, age range, contact points, panels,
//! timescales, forms and the gaps where the text is silent.

use continuum_plugin_api::pb::{
    AgeRange, AuthorityDescription, BankHoliday, Cadence, CaseEvent, Circumstance, ContactPoint,
    ContactPurpose, Deadline, Form, Gap, Level, Nation, OpeningWindow, Panel, PanelDecisionOption,
    PanelEffect, Response, Role, Source, SourceConflict, TimescaleRule, Weekday,
};
use continuum_plugin_api::time::{self, window};

use crate::catalogue;
use crate::source::*;

pub(crate) const CODE: &str = "E10000034";
pub(crate) const NAME: &str = "Worcestershire";
pub(crate) const FRAMEWORK: &str = "Multi Agency Levels of Need";
pub(crate) const PLUGIN_NAME: &str = "continuum-authority-worcestershire";

/// The highest rank; levels are "L1" to "L4".
pub(crate) const MAX_RANK: u32 = 4;

// Contact point codes.
pub(crate) const FFD: &str = "FAMILY_FRONT_DOOR";
pub(crate) const FFD_OOH: &str = "FAMILY_FRONT_DOOR_OUT_OF_HOURS";
pub(crate) const POLICE: &str = "POLICE_EMERGENCY";
pub(crate) const EH_REQUEST: &str = "EARLY_HELP_FAMILY_SUPPORT_REQUEST";
pub(crate) const SOCIAL_WORKER: &str = "ALLOCATED_SOCIAL_WORKER";
pub(crate) const TFS_EIFS_MANAGER: &str = "ALLOCATED_TFS_TEAM_LEADER_OR_EIFS_COORDINATOR";

// Form codes.
pub(crate) const F_EHA: &str = "EARLY_HELP_ASSESSMENT";
pub(crate) const F_FAMILY_PLAN: &str = "FAMILY_PLAN";
pub(crate) const F_REFERRAL: &str = "REFERRAL_TO_CHILDRENS_SOCIAL_CARE";
pub(crate) const F_EH_REQUEST: &str = "REQUEST_FOR_FAMILY_SUPPORT";
pub(crate) const F_TRANSFER: &str = "TRANSFER_OF_NEED_EPISODE";
pub(crate) const F_TEH_PLAN: &str = "TARGETED_EARLY_HELP_PLAN";

pub(crate) fn describe() -> AuthorityDescription {
    AuthorityDescription {
        code: CODE.to_owned(),
        name: NAME.to_owned(),
        nation: Nation::England as i32,
        framework: FRAMEWORK.to_owned(),
        levels: levels(),
        roles: roles(),
        age_range: Some(age_range()),
        indicators: catalogue::indicators(),
        contact_points: contact_points(),
        panels: panels(),
        timescales: timescales(),
        forms: forms(),
        plugin_name: PLUGIN_NAME.to_owned(),
        plugin_version: env!("CARGO_PKG_VERSION").to_owned(),
        sources: vec![c(S_TITLE, TITLE)],
        gaps: gaps(),
        documents: documents(),
        conflicts: conflicts(),
    }
}

/// The one document every citation names: the seed file of the guidance. The text says only
/// "May 2019 (Updated)", with no day, so `published` is left empty (see the gap "Publication
/// date").
pub(crate) fn documents() -> Vec<Source> {
    vec![Source {
        id: SOURCE.to_owned(),
        title: TITLE.to_owned(),
        url: String::new(),
        reference: SOURCE_FILE.to_owned(),
        published: String::new(),
        retrieved: String::new(),
    }]
}

// ---------------------------------------------------------------------------------------------
// Levels
// ---------------------------------------------------------------------------------------------

pub(crate) fn levels() -> Vec<Level> {
    let level = |rank: u32,
                 label: &str,
                 description: &str,
                 response: Response,
                 roles: &[&str],
                 quote: &str| Level {
        code: catalogue::level_code(rank),
        label: label.to_owned(),
        description: description.to_owned(),
        rank,
        response: response as i32,
        role_codes: roles.iter().map(|r| (*r).to_owned()).collect(),
        citation: Some(c(S_LEVELS, quote)),
        response_text: response_text(rank).to_owned(),
        // The text gives no ages per level: every level serves the authority's age range.
        ages: None,
    };
    vec![
        level(
            1,
            "Universal Services",
            "Children with no identified additional needs, met through early years services, \
             schools and health services such as the GP or Public Health Nurses (Appendix 1: \
             \"No additional support needed beyond that which is already available and provided \
             by their family, school and health services\").",
            Response::Universal,
            &["GP", "PUBLIC_HEALTH_NURSE"],
            "Level 1 represents children with no identified additional needs.",
        ),
        level(
            2,
            "Additional Support",
            "Children with extra needs that can be met by a universal service providing \
             additional support or straightforward working with one or more partners \
             (Appendix 1: \"Children and young people with emerging vulnerabilities whose needs \
             require support\"). Early help; Early Intervention Family Support (EIFS) works at \
             this level.",
            Response::AdditionalSupport,
            &[
                "LEAD_PROFESSIONAL",
                "LEAD_WORKER",
                "SAFEGUARDING_LEAD",
                "LINE_MANAGER",
                "SENCO",
                "COMMUNITY_SOCIAL_WORKER",
                "EIFS_COORDINATOR",
            ],
            "Level 2 represents children with extra needs that can be met by a universal service providing additional support or straightforward working with one or more partners, e.g. Parenting Support, Physiotherapy, or Speech and Language Therapy.",
        ),
        level(
            3,
            "Targeted Support",
            "Children with complex or escalating needs that can only be met by a coordinated \
             multi-agency plan (Appendix 1: \"Threshold to work with partners as Targeted \
             Support\", \"identified vulnerabilities and needs that require a multi-agency \
             coordinated approach\"). Early help; Targeted Family Support (TFS) works at this \
             level.",
            Response::TargetedEarlyHelp,
            &[
                "LEAD_PROFESSIONAL",
                "LEAD_WORKER",
                "SAFEGUARDING_LEAD",
                "LINE_MANAGER",
                "SENCO",
                "COMMUNITY_SOCIAL_WORKER",
                "TFS_TEAM_LEADER",
            ],
            "Level 3 represents children with complex or escalating needs that can only be met by a coordinated multi-agency plan which sets out the outcomes to be achieved and the role of each partner agency and the family in meeting these objectives.",
        ),
        level(
            4,
            "Statutory Social Work Intervention",
            "Children who need statutory and/or specialist interventions: children in need, \
             including those in need of protection; children looked after and privately \
             fostered; young people who have committed an offence; children with acute mental \
             health needs (Appendix 1: \"Criteria for Statutory Social Work Intervention\", \
             section 17 or section 47 of the Children Act 1989). Referral to children's social \
             care via the Family Front Door.",
            Response::StatutorySocialCare,
            &[
                "SOCIAL_WORKER",
                "MASH_MANAGER",
                "SAFEGUARDING_LOCALITY_TEAM_MANAGER",
                "SAFEGUARDING_INITIAL_ASSESSMENT_TEAM_MANAGER",
                "SAFEGUARDING_LEAD",
            ],
            "Level 4 represents children who need statutory and/or specialist interventions including;",
        ),
    ]
}

/// Each level's response in the text's own words (section 6), each a part of the sentence the
/// level cites.
pub(crate) fn response_text(rank: u32) -> &'static str {
    match rank {
        0 | 1 => {
            "Their needs are met through the services they receive from early years services, schools and health services, such as the GP or Public Health Nurses"
        }
        2 => {
            "extra needs that can be met by a universal service providing additional support or straightforward working with one or more partners"
        }
        3 => {
            "complex or escalating needs that can only be met by a coordinated multi-agency plan which sets out the outcomes to be achieved and the role of each partner agency and the family in meeting these objectives"
        }
        _ => "statutory and/or specialist interventions",
    }
}

/// The level with this code, if any.
pub(crate) fn rank_of(code: &str) -> Option<u32> {
    levels()
        .into_iter()
        .find(|l| l.code == code)
        .map(|l| l.rank)
}

pub(crate) fn response_of(rank: u32) -> Response {
    match rank {
        0 | 1 => Response::Universal,
        2 => Response::AdditionalSupport,
        3 => Response::TargetedEarlyHelp,
        _ => Response::StatutorySocialCare,
    }
}

// ---------------------------------------------------------------------------------------------
// Roles
// ---------------------------------------------------------------------------------------------

pub(crate) fn roles() -> Vec<Role> {
    let role = |code: &str, label: &str, description: &str, section: &str, quote: &str| Role {
        code: code.to_owned(),
        label: label.to_owned(),
        description: description.to_owned(),
        citation: Some(c(section, quote)),
    };
    const HEALTH_SERVICES: &str = "Their needs are met through the services they receive from early years services, schools and health services, such as the GP or Public Health Nurses";
    const DISCUSS: &str = "Any professional who considers that a child needs multi-agency help or support should always consider discussing this with their safeguarding lead or a line manager/supervisor.";
    vec![
        role(
            "GP",
            "GP",
            "Health service through which level 1 needs are met.",
            S_LEVELS,
            HEALTH_SERVICES,
        ),
        role(
            "PUBLIC_HEALTH_NURSE",
            "Public Health Nurse",
            "Health service through which level 1 needs are met.",
            S_LEVELS,
            HEALTH_SERVICES,
        ),
        role(
            "LEAD_PROFESSIONAL",
            "Lead professional",
            "Co-ordinates the Early Help Assessment, advocates for the family and co-ordinates \
             the Family Plan; agreed when more than one agency is involved; leads the reviews.",
            S_EARLY_HELP,
            "A lead professional may be identified following consultation with the child and their family, and it will be their role to co-ordinate the Early Help Assessment, act as an advocate on the family's behalf and co-ordinate the delivery of support services as part of the Family Plan.",
        ),
        role(
            "LEAD_WORKER",
            "Lead Worker (TFS / EIFS)",
            "Reviews the level of need with the TFS Team Leader / EIFS Coordinator; not the \
             person to escalate safeguarding concerns on an open case to (Appendix 6).",
            S_APP4,
            "Lead Worker and TFS Team Leaders / EIFS Coordinators to review current level of need using the levels of need guidance",
        ),
        role(
            "SAFEGUARDING_LEAD",
            "Safeguarding lead",
            "The professional's nominated safeguarding lead: consulted on multi-agency help, on \
             the way forward in the early help pathway, where a parent refuses permission for a \
             referral, and on safeguarding concerns on open TFS / EIFS cases.",
            S_JUDGEMENT,
            DISCUSS,
        ),
        role(
            "LINE_MANAGER",
            "Line manager / supervisor",
            "Consulted before a course of action is decided; reviews escalating TFS / EIFS cases \
             in supervision.",
            S_JUDGEMENT,
            DISCUSS,
        ),
        role(
            "SENCO",
            "Special Educational Needs Coordinator (SENCO)",
            "Consulted, as applicable, to identify the way forward in the early help pathway.",
            S_APP3,
            "Professional has a conversation their with line manager, safeguarding lead, Special Educational Needs Coordinator (SENCO) as applicable, to identify the way forward",
        ),
        role(
            "COMMUNITY_SOCIAL_WORKER",
            "Community Social Worker",
            "Gives advice and guidance on how to respond in the early help pathway (the text \
             gives no contact details; see gaps).",
            S_EARLY_HELP,
            "Appendix 3 outlines the Early Help Pathway for Worcestershire, including how to contact a Community Social Worker for advice and guidance on how to respond.",
        ),
        role(
            "EIFS_COORDINATOR",
            "Early Intervention Family Support (EIFS) Coordinator",
            "District coordinator of the Early Intervention Family Support team (level 2): \
             requests step up conversations, takes cases stepped down from social care, and is \
             the person to discuss safeguarding concerns on an open EIFS case with.",
            S_APP3,
            "Speak to the Early Intervention Family Support team (Level 2) or Targeted Family Support team (Level 3) in your local area for advice about your request",
        ),
        role(
            "TFS_TEAM_LEADER",
            "Targeted Family Support (TFS) Team Leader",
            "District team leader of the Targeted Family Support team (level 3): requests step \
             up conversations, takes cases stepped down from social care, and is the person to \
             discuss safeguarding concerns on an open TFS case with.",
            S_APP5,
            "You can call the following numbers to talk to the District Targeted Family Support Team Leaders:",
        ),
        role(
            "MASH_MANAGER",
            "MASH Manager",
            "Holds the Step Up conversation requested by a TFS Team Leader / EIFS Coordinator.",
            S_APP4,
            "telephone MASH Manager with FWi number requesting a Step Up ... conversation.",
        ),
        role(
            "SOCIAL_WORKER",
            "Social worker",
            "The allocated social worker of a level 4 case; completes the transfer of need \
             episode on step down.",
            S_APP2,
            "New information about an allocated case should be passed to the social worker without delay",
        ),
        role(
            "SAFEGUARDING_LOCALITY_TEAM_MANAGER",
            "Safeguarding Locality Team Manager",
            "Agrees that a Child's Plan is complete and the risk reduced, so the case can step \
             down to level 3 or 2.",
            S_APP5,
            "If a Safeguarding Locality Team Manager agrees a Child's Plan has been completed, the risk has been reduced and the plan can be continued with partner agencies in the community at level 3 or 2 needs.",
        ),
        role(
            "SAFEGUARDING_INITIAL_ASSESSMENT_TEAM_MANAGER",
            "Safeguarding Initial Assessment Team Manager",
            "Agrees when the outcome of an assessment is early intervention or targeted family \
             support, and records the decision and rationale.",
            S_APP5,
            "If a Safeguarding Initial Assessment Team Manager agrees the outcome of the assessment is for Early Intervention Family Support or Targeted Family Support this is recorded as part of the team managers decision and rationale",
        ),
        role(
            "EQUALITY_MANAGER",
            "Equality Manager (County Council)",
            "Advice on adjusting communication and information sharing (interpreters, \
             EasyRead, alternative formats).",
            S_EQUALITY,
            "If you require further information and advice you can contact the Equality Manager at the County Council: equality@worcestershire.gov.uk",
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Age range
// ---------------------------------------------------------------------------------------------

/// Inclusive upper age in whole years (a Gap: the text gives no number).
pub(crate) const MAX_AGE_YEARS: u32 = 17;
/// From which week of pregnancy unborn children are served: the text says "pre-birth" with no
/// week, which the protocol encodes as 0 (any unborn child).
pub(crate) const UNBORN_FROM_WEEKS: u32 = 0;
pub(crate) const AGE_QUOTE: &str =
    "at any point in the child's life from pre-birth through to the teenage years";

pub(crate) fn age_range() -> AgeRange {
    AgeRange {
        serves_unborn: true,
        unborn_from_gestation_weeks: UNBORN_FROM_WEEKS,
        min_age_years: 0,
        max_age_years: MAX_AGE_YEARS,
        extensions: Vec::new(),
        citation: Some(c(S_EARLY_HELP, AGE_QUOTE)),
    }
}

// ---------------------------------------------------------------------------------------------
// Contact points
// ---------------------------------------------------------------------------------------------

/// The contact section of Appendix 2: the Family Front Door's working hours and the number for
/// "out of hours or at weekends", as one sentence (its lines joined with " ... ").
pub(crate) const FFD_HOURS_QUOTE: &str = "During the following working hours telephone 01905 822666 ... 9.00am-5.00pm – Monday to Thursday ... 9.00am-4.30pm - Friday ... Out of hours or at weekends: 01905 768020";
pub(crate) const OOH_QUOTE: &str = "Out of hours or at weekends: 01905 768020";
pub(crate) const OOH_EMERGENCY_ONLY_QUOTE: &str =
    "telephone number: 01905 822666 or out of office hours emergency only 01905 768020";
pub(crate) const APP3_EMERGENCY_QUOTE: &str = "If you want to refer a child or young person to Children's Social Care in an emergency, contact the Family Front Door on 01905 822666 (out of hours 01905 768020).";
pub(crate) const APP3_NOT_IMMEDIATE_QUOTE: &str =
    "If the concern is not immediate, use the online form to raise the concern:";
pub(crate) const ONLINE_REFERRAL_QUOTE: &str = "To access the online referral to Children's Social Care: www.worcestershire.gov.uk/areyouworriedaboutachild";
pub(crate) const PHONE_FIRST_QUOTE: &str = "Telephone call first and follow up online social care referral with the on line children's referral form which can be found on the Worcestershire County Council Website";
pub(crate) const ALLOCATED_CASE_QUOTE: &str =
    "New information about an allocated case should be passed to the social worker without delay";
pub(crate) const OPEN_CASE_IMMEDIATE_QUOTE: &str = "Discuss with your line manager/safeguarding lead if immediate child protection refer to children's social care as per LSCB procedures";
pub(crate) const OPEN_CASE_NOT_IMMEDIATE_QUOTE: &str = "When not an Immediate child protection concern ... Discuss concerns with allocated TFS Team Leader/ EIFS Coordinator who have line management responsibilities (not lead worker as this is an escalation of risk)";
pub(crate) const ESCALATION_OF_NEED_QUOTE: &str = "If a family is already receiving support from Early Intervention Family Support or Targeted Family Support and there are escalating concerns, please refer to the Professionals process found at Appendix 6.";

/// The Family Front Door's working hours: 9.00am-5.00pm Monday to Thursday, 9.00am-4.30pm on
/// Friday. Working hours, so closed on a bank holiday or local closure (see the gap "Bank
/// holidays").
pub(crate) fn ffd_hours() -> Vec<OpeningWindow> {
    let mut hours = time::weekdays("09:00", "17:00", BankHoliday::Closed);
    hours.retain(|w| w.weekday != Weekday::Friday as i32);
    hours.push(window(
        Weekday::Friday,
        "09:00",
        "16:30",
        BankHoliday::Closed,
    ));
    hours
}

/// The out-of-hours line: "Out of hours or at weekends", the complement of the Family Front
/// Door's working hours. Each weekday evening runs past midnight to 9.00am the next morning
/// (from 4.30pm on Friday), and Saturday and Sunday each run from 9.00am for 24 hours, so the
/// weekend is covered from Friday 4.30pm to Monday 9.00am. A bank holiday is outside working
/// hours: each weekday window is open all day on one (from midnight to 9.00am the next morning);
/// the weekend windows are open as usual.
pub(crate) fn ooh_hours() -> Vec<OpeningWindow> {
    let mut hours = time::windows(
        &time::MONDAY_TO_THURSDAY,
        "17:00",
        "09:00",
        BankHoliday::OpenAllDay,
    );
    hours.push(window(
        Weekday::Friday,
        "16:30",
        "09:00",
        BankHoliday::OpenAllDay,
    ));
    hours.push(window(
        Weekday::Saturday,
        "09:00",
        "09:00",
        BankHoliday::AsUsual,
    ));
    hours.push(window(
        Weekday::Sunday,
        "09:00",
        "09:00",
        BankHoliday::AsUsual,
    ));
    hours
}

pub(crate) fn contact_points() -> Vec<ContactPoint> {
    vec![
        ContactPoint {
            code: FFD.to_owned(),
            name: "Family Front Door".to_owned(),
            phone: "01905 822666".to_owned(),
            email: String::new(),
            web_form: "www.worcestershire.gov.uk/areyouworriedaboutachild".to_owned(),
            purposes: vec![
                ContactPurpose::Advice as i32,
                ContactPurpose::SafeguardingReferral as i32,
            ],
            hours: ffd_hours(),
            always_open: false,
            notes: "Telephone during working hours: 9.00am-5.00pm Monday to Thursday, \
                    9.00am-4.30pm Friday; closed on bank holidays and local closures (working \
                    hours; the text does not mention bank holidays, see gaps). Points of referral \
                    and advice; it does not actively collect and analyse intelligence, which \
                    should not be passed through this route. An urgent referral: telephone call \
                    first, then follow up with the online Children's Social Care Referral Form; a \
                    concern that is not immediate: the online form \
                    (www.worcestershire.gov.uk/areyouworriedaboutachild; Appendix 3 gives \
                    www.worcestershire.gov.uk/childrenreferral, see conflicts). Forms and \
                    guidance: www.worcestershire.gov.uk/safeguardingchildren."
                .to_owned(),
            how_to_reach: "Telephone the Family Front Door on 01905 822666 during working hours, then \
                           follow up with the online referral to Children's Social Care."
                .to_owned(),
            citation: Some(c(
                S_APP2,
                "During the following working hours telephone 01905 822666 ... 9.00am-5.00pm – Monday to Thursday ... 9.00am-4.30pm - Friday",
            )),
            phone_option: String::new(),
            ages: None,
        },
        ContactPoint {
            code: FFD_OOH.to_owned(),
            name: "Family Front Door out of hours".to_owned(),
            phone: "01905 768020".to_owned(),
            email: String::new(),
            web_form: String::new(),
            purposes: vec![ContactPurpose::SafeguardingReferral as i32],
            hours: ooh_hours(),
            always_open: false,
            notes: "Out of hours or at weekends: outside the Family Front Door's working hours \
                    (weekday evenings and nights to 9.00am, from 4.30pm on Friday, the weekend, \
                    and all day on a bank holiday, which is outside working hours). Appendix 6 \
                    calls it \"out of office hours emergency only\": it is offered for an urgent \
                    safeguarding referral (or one whose urgency is not said), not for advice or a \
                    concern that is not immediate (see conflicts)."
                .to_owned(),
            how_to_reach: "Out of hours or at weekends: telephone 01905 768020 (emergencies only)."
                .to_owned(),
            citation: Some(c(S_APP2, FFD_HOURS_QUOTE)),
            phone_option: String::new(),
            ages: None,
        },
        ContactPoint {
            code: POLICE.to_owned(),
            name: "Police (emergency)".to_owned(),
            phone: "999".to_owned(),
            email: String::new(),
            web_form: String::new(),
            purposes: vec![ContactPurpose::Emergency as i32],
            hours: Vec::new(),
            always_open: true,
            notes: "A child at immediate risk of harm: contact the Police on 999, then refer to \
                    Children's Social Care via the Family Front Door (01905 822666, out of hours \
                    01905 768020)."
                .to_owned(),
            how_to_reach: "In an emergency always dial 999.".to_owned(),
            citation: Some(c(S_APP2, "In an emergency always dial 999")),
            phone_option: String::new(),
            ages: None,
        },
        ContactPoint {
            code: EH_REQUEST.to_owned(),
            name: "Early Help Family Support request (online form)".to_owned(),
            phone: String::new(),
            email: String::new(),
            web_form: "www.worcestershire.gov.uk/requestfamilysupport".to_owned(),
            purposes: vec![ContactPurpose::EarlyHelpRequest as i32],
            hours: Vec::new(),
            always_open: true,
            notes: "An online form for level 2 and 3 needs not met by the professional or any \
                    other service; it can be submitted at any time (the text gives no hours for \
                    it). Not sure? Speak to the Early Intervention Family Support team (Level 2) \
                    or Targeted Family Support team (Level 3) in your local area (the text gives \
                    no number). Not for a child at risk of significant harm."
                .to_owned(),
            how_to_reach: "Complete the online form at www.worcestershire.gov.uk/requestfamilysupport. \
                           Not sure? Speak to the Early Intervention Family Support team (Level 2) or \
                           Targeted Family Support team (Level 3) in your local area."
                .to_owned(),
            citation: Some(c(
                S_APP3,
                "Request services from Early Help Family Support by completing an online form at:",
            )),
            phone_option: String::new(),
            ages: None,
        },
        ContactPoint {
            code: SOCIAL_WORKER.to_owned(),
            name: "The child's allocated social worker".to_owned(),
            phone: String::new(),
            email: String::new(),
            web_form: String::new(),
            purposes: vec![
                ContactPurpose::SafeguardingReferral as i32,
                ContactPurpose::EarlyHelpRequest as i32,
            ],
            hours: Vec::new(),
            // The text gives no number or hours (see the gap "Allocated social worker: number
            // and hours"): "always open" says only that passing the information on is never
            // told to wait, not that the social worker is on duty at all hours.
            always_open: true,
            notes: "For new information about a child whose case is allocated to a social worker \
                    (level 4): pass it to the social worker without delay. The text gives no \
                    number or hours; \"always open\" means only that the information must not \
                    wait. Out of hours, an urgent concern can also go to the out-of-hours line \
                    (01905 768020); a child in immediate danger: 999."
                .to_owned(),
            how_to_reach: "Pass the new information to the child's allocated social worker without \
                           delay, using the contact details the social worker or their team has \
                           given (the text gives no number)."
                .to_owned(),
            citation: Some(c(S_APP2, ALLOCATED_CASE_QUOTE)),
            phone_option: String::new(),
            ages: None,
        },
        ContactPoint {
            code: TFS_EIFS_MANAGER.to_owned(),
            name: "The allocated TFS Team Leader / EIFS Coordinator (open early help case)"
                .to_owned(),
            phone: String::new(),
            email: String::new(),
            web_form: String::new(),
            purposes: vec![
                ContactPurpose::SafeguardingReferral as i32,
                ContactPurpose::EarlyHelpRequest as i32,
            ],
            hours: Vec::new(),
            // No hours or number in the text for this route (see the gap "Open early help case:
            // the TFS Team Leader / EIFS Coordinator's number and hours").
            always_open: true,
            notes: "For a safeguarding concern on a case open to Targeted Family Support (level \
                    3) or Early Intervention Family Support (level 2) that is not an immediate \
                    child protection concern: discuss it with the allocated TFS Team Leader / \
                    EIFS Coordinator, who has line management responsibilities, not the lead \
                    worker. The text gives no number or hours for this route (Appendix 5 lists \
                    2019 district numbers for step down); \"always open\" means only that the \
                    discussion is not told to wait. An immediate child protection concern goes \
                    to the Family Front Door by telephone instead."
                .to_owned(),
            how_to_reach: "Discuss the concerns with the allocated TFS Team Leader / EIFS \
                           Coordinator of the family's open case (not the lead worker, as this is \
                           an escalation of risk)."
                .to_owned(),
            citation: Some(c(S_APP6, OPEN_CASE_NOT_IMMEDIATE_QUOTE)),
            phone_option: String::new(),
            ages: None,
        },
    ]
}

/// The contact point with this code (always one of those above).
pub(crate) fn contact_point(code: &str) -> ContactPoint {
    contact_points()
        .into_iter()
        .find(|cp| cp.code == code)
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Panels
// ---------------------------------------------------------------------------------------------

pub(crate) const P_FFD: &str = "FAMILY_FRONT_DOOR_DECISION";
pub(crate) const P_STEP_UP: &str = "MASH_STEP_UP_CONVERSATION";
pub(crate) const P_STEP_DOWN: &str = "STEP_DOWN_CASE_DISCUSSION";
pub(crate) const P_OPEN_CASE: &str = "OPEN_CASE_CONCERN_DISCUSSION";
pub(crate) const P_EH_REVIEW: &str = "EARLY_HELP_REVIEW";

const ESCALATION: &str = "THE ESCALATION POLICY SHOULD BE INVOKED IF THERE IS NOT AGREEMENT";

/// One decision a panel or meeting may take: what it does to the item decided (`effect`) and,
/// for an accept, the level the case opens at or moves to where the text names one.
fn decision(
    code: &str,
    label: &str,
    effect: PanelEffect,
    level_code: &str,
    section: &str,
    quote: &str,
) -> PanelDecisionOption {
    PanelDecisionOption {
        code: code.to_owned(),
        label: label.to_owned(),
        // A decline tells the referrer or the worker why.
        requires_reason: effect == PanelEffect::Decline,
        citation: Some(c(section, quote)),
        effect: effect as i32,
        level_code: level_code.to_owned(),
    }
}

/// "No agreement: invoke the escalation policy", which every flow chart of Appendices 4-6 ends
/// with. It neither accepts nor declines: the item stays undecided until the disagreement is
/// resolved, so it is encoded as a deferral (see the gap "Panel decisions: no agreement").
fn no_agreement(section: &str) -> PanelDecisionOption {
    decision(
        "NO_AGREEMENT_ESCALATE",
        "No agreement: invoke the escalation policy (undecided until the disagreement is resolved)",
        PanelEffect::Defer,
        "",
        section,
        ESCALATION,
    )
}

/// The decision-making meetings the text describes. None has a weekday in the text; all sit as
/// needed. The first is the main one (asked for with an empty panel code).
///
/// No transition waits for any of them as a panel agenda item: the text's step up, step down and
/// review decisions are taken in meetings the service records (a Step Up conversation, a step
/// down case discussion, a review), so `check_transition` names a MEETING (or a MANAGER) as the
/// decider. The options below say what each meeting may decide, with the effect on the item.
pub(crate) fn panels() -> Vec<Panel> {
    use PanelEffect::{Accept, Decline, Defer};
    vec![
        Panel {
            code: P_FFD.to_owned(),
            name: "Family Front Door threshold decision".to_owned(),
            purpose: "Decides on each referral to children's social care whether the threshold \
                      for a social care assessment is met (the initial contact and referral team \
                      who made the decision, Appendix 6). Meets as needed: the text gives no day."
                .to_owned(),
            cadence: Cadence::AsNeeded as i32,
            weekday: Weekday::Unspecified as i32,
            decisions: vec![
                decision(
                    "THRESHOLD_MET",
                    "Threshold met: referred to the appropriate social care team (level 4)",
                    Accept,
                    "L4",
                    S_APP2,
                    "If the threshold is met for a social care assessment, the case will be referred to the appropriate social care team",
                ),
                decision(
                    "THRESHOLD_NOT_MET",
                    "Threshold not met: referrer informed and signposted to the appropriate service",
                    Decline,
                    "",
                    S_APP2,
                    "If the threshold is not met for a social care assessment, you will be informed and signposted to the appropriate service",
                ),
            ],
            citation: Some(c(
                S_APP2,
                "If the threshold is not met for a social care assessment, you will be informed and signposted to the appropriate service",
            )),
        },
        Panel {
            code: P_STEP_UP.to_owned(),
            name: "Step Up conversation (MASH Manager)".to_owned(),
            purpose: "Requested by a TFS Team Leader / EIFS Coordinator by telephoning the MASH \
                      Manager with the FWi number when concerns are emerging and escalating; held \
                      within 24 hours of the request; decides whether the case steps up to level \
                      4. A step up from level 2 or 3 waits for it as a meeting (the Step Up \
                      conversation), not as a panel agenda item."
                .to_owned(),
            cadence: Cadence::AsNeeded as i32,
            weekday: Weekday::Unspecified as i32,
            decisions: vec![
                decision(
                    "LEVEL_4_AGREED",
                    "Level 4 agreed (or proceed to a MASH case discussion): seek consent from the \
                     family and make a Social Care referral",
                    Accept,
                    "L4",
                    S_APP4,
                    "If outcome is agreed for Level 4 or to proceed ... with a MASH case discussion. TFS Team ... Leaders / EIFS Coordinators to seek consent ... from family and make a Social Care referral.",
                ),
                decision(
                    "LEVEL_4_NOT_AGREED",
                    "Level 4 not agreed: early help continues; decision and rationale recorded in \
                     a case note in FWi",
                    Decline,
                    "",
                    S_APP4,
                    "If Level 4 is not agreed, TFS/EIFS manager ... to record the agreed decision and rationale ... with any additional actions identified or ... required in a case note in FWI and the date of the case discussion.",
                ),
                no_agreement(S_APP4),
            ],
            citation: Some(c(
                S_APP4,
                "This Conversation to be held within 24 hrs ... of the request for step up conversation.",
            )),
        },
        Panel {
            code: P_STEP_DOWN.to_owned(),
            name:
                "Step down case discussion (TFS Team Leader / EIFS Coordinator and Social Worker)"
                    .to_owned(),
            purpose: "On receiving a request for service from children's social care, the TFS \
                      Team Leader / EIFS Coordinator holds a case discussion with the Social \
                      Worker to prepare for the case allocation. A step down from level 4 waits \
                      for it as a meeting (the step down meeting), not as a panel agenda item."
                .to_owned(),
            cadence: Cadence::AsNeeded as i32,
            weekday: Weekday::Unspecified as i32,
            decisions: vec![
                decision(
                    "ACCEPT_CASE_TRANSFER",
                    "Case transfer accepted: allocated within the service and the early help plan \
                     progressed (at the level of need the transfer identifies)",
                    Accept,
                    "",
                    S_APP5,
                    "TFS Team Leader/EIFS Coordinator to review request for support as recorded acceptance of case transfer and identified plan. The case will then be allocated within the service and the early help plan progressed.",
                ),
                no_agreement(S_APP5),
            ],
            citation: Some(c(
                S_APP5,
                "Once the request for service is received, the TFS Team Leader/EIFS Coordinator will contact the Social Worker for a case discussion to prepare for the case allocation",
            )),
        },
        Panel {
            code: P_OPEN_CASE.to_owned(),
            name: "Safeguarding concern on an open TFS / EIFS case (discussion with the allocated \
                   TFS Team Leader / EIFS Coordinator)"
                .to_owned(),
            purpose: "When a concern on an open TFS / EIFS case is not an immediate child \
                      protection concern, it is discussed with the allocated TFS Team Leader / \
                      EIFS Coordinator (not the lead worker), who decides between a possible \
                      level 4 referral and the case remaining at its current level."
                .to_owned(),
            cadence: Cadence::AsNeeded as i32,
            weekday: Weekday::Unspecified as i32,
            decisions: vec![
                decision(
                    "POSSIBLE_LEVEL_4",
                    "Possible level 4: the professional with the safeguarding concern makes a \
                     children's social care referral (the Family Front Door then decides)",
                    Accept,
                    "L4",
                    S_APP6,
                    "make a children's social care referral as above. This will remain your responsibility as you have the new information that has identified increased risk.",
                ),
                decision(
                    "REMAINS_AT_CURRENT_LEVEL",
                    "Case remains at current level: Early Help multi agency meeting within three \
                     days to address the new concerns and revise the EH plan",
                    Decline,
                    "",
                    S_APP6,
                    "An Early Help multi agency meeting is held with parents and professionals within three days to address new concerns and revise EH plan",
                ),
                no_agreement(S_APP6),
            ],
            citation: Some(c(
                S_APP6,
                "Discuss concerns with allocated TFS Team Leader/ EIFS Coordinator who have line management responsibilities (not lead worker as this is an escalation of risk)",
            )),
        },
        Panel {
            code: P_EH_REVIEW.to_owned(),
            name: "Early Help review (multi-agency meeting or telephone call)".to_owned(),
            purpose: "Reviews the early help plan every 6-12 weeks, led by the lead professional; \
                      may be brought forward if the plan is not progressing or needs escalate. \
                      The cadence is per family (every 6-12 weeks), which no fixed cadence \
                      expresses, so it is encoded as as-needed; see the timescales. A step down \
                      or closure within early help waits for it as a meeting (a review), not as \
                      a panel agenda item: ending the plan accepts the move; continuing it defers \
                      the question to the next review."
                .to_owned(),
            cadence: Cadence::AsNeeded as i32,
            weekday: Weekday::Unspecified as i32,
            decisions: vec![
                decision(
                    "CONTINUE_AS_IS",
                    "Continue the plan as is (further reviews take place)",
                    Defer,
                    "",
                    S_APP3,
                    "The decision is made to continue as is/amend the plan/to end the plan as the needs are fully met, or to end the plan and a single agency will meet the need or that only universal services are required",
                ),
                decision(
                    "AMEND_PLAN",
                    "Amend the plan (further reviews take place)",
                    Defer,
                    "",
                    S_APP3,
                    "The decision is made to continue as is/amend the plan",
                ),
                decision(
                    "NEW_PLAN",
                    "Plan not progressing: review and update the assessment and develop a new plan",
                    Defer,
                    "",
                    S_APP3,
                    "If the plan is not progressing: review and update the assessment, develop a new plan and consider who else may need to be involved",
                ),
                decision(
                    "END_PLAN_NEEDS_MET",
                    "End the plan: needs fully met",
                    Accept,
                    "",
                    S_APP3,
                    "to end the plan as the needs are fully met",
                ),
                decision(
                    "END_PLAN_SINGLE_AGENCY",
                    "End the plan: a single agency will meet the need",
                    Accept,
                    "",
                    S_APP3,
                    "to end the plan and a single agency will meet the need",
                ),
                decision(
                    "END_PLAN_UNIVERSAL_SERVICES",
                    "End the plan: only universal services are required (level 1, Universal \
                     Services)",
                    Accept,
                    "L1",
                    S_APP3,
                    "or that only universal services are required",
                ),
            ],
            citation: Some(c(
                S_APP3,
                "Multi-agency meeting (or telephone call) every 6-12 weeks to review the plan.",
            )),
        },
    ]
}

// ---------------------------------------------------------------------------------------------
// Timescales
// ---------------------------------------------------------------------------------------------

// Each deadline names the case events that meet it (`met_by`): the first of them after the
// deadline starts meets it, and a recurring deadline starts again from that event.

/// The MASH Step Up conversation, held within 24 hours of the request for it.
///
/// Started by the step up request itself: the service fires STEP_UP_REQUESTED at the case's
/// current level when a step up is asked for, before the move (which, from level 2 or 3 to
/// level 4, waits for this conversation: `WOR-STEP-UP-CONVERSATION` in `transition.rs`). Met by
/// the conversation being held: "This Conversation to be held within 24 hrs ... of the request
/// for step up conversation." (Appendix 4).
fn step_up_conversation() -> Deadline {
    Deadline {
        code: "WOR-STEP-UP-CONVERSATION".to_owned(),
        description: "Step Up conversation with the MASH Manager, held within 24 hours of the \
                      request; the TFS / EIFS team is case responsible and follows it up. Started \
                      when a step up is requested on an open early help case (level 2 or 3) and \
                      met by the Step Up conversation being held (STEP_UP_CONVERSATION_HELD): \
                      \"This Conversation to be held within 24 hrs ... of the request for step up \
                      conversation\" (Appendix 4). Interpretation: the text's request is for a \
                      step up to social work (level 4); a step up within early help (level 2 to \
                      3) is asked for with the same event, but it needs no conversation and moves \
                      at once, and the level change then cancels the deadline. See the gap \
                      \"Step Up conversation: start event\"."
            .to_owned(),
        due_in: Some(time::hours(24)),
        repeat_every: None,
        at_most: None,
        citation: Some(c(
            S_APP4,
            "This Conversation to be held within 24 hrs ... of the request for step up conversation. It is the responsibility of the TFS / EIFS to follow this up as they are case responsible.",
        )),
        met_by: vec![CaseEvent::StepUpConversationHeld as i32],
    }
}

/// The Early Help multi agency meeting within three days of new concerns on an open case that
/// remains at its level (Appendix 6). Met by a multi-agency (team) meeting, or by a review
/// brought forward ("The review can be brought forward if the plan is not progressing or the
/// needs escalate", Appendix 3).
fn open_case_meeting() -> Deadline {
    Deadline {
        code: "WOR-EH-MEETING-NEW-CONCERNS".to_owned(),
        description: "Where the case remains at its current level: an Early Help multi agency \
                      meeting with parents and professionals within three days to address the new \
                      concerns and revise the EH plan. The text does not say whether these are \
                      working days; calendar days (the shorter reading) are used. Met by a \
                      multi-agency meeting being held (TEAM_MEETING_HELD) or by a review \
                      (REVIEW_HELD). Interpretation: the text names \"An Early Help multi agency \
                      meeting\", which the service records as a team meeting; a review is the \
                      pathway's multi-agency meeting on the plan and \"can be brought forward if \
                      the plan is not progressing or the needs escalate\" (Appendix 3), so a \
                      review held to address the new concerns meets it too. If the case steps up \
                      instead, the level change cancels the deadline."
            .to_owned(),
        due_in: Some(time::days(3)),
        repeat_every: None,
        at_most: None,
        citation: Some(c(
            S_APP6,
            "An Early Help multi agency meeting is held with parents and professionals within three days to address new concerns and revise EH plan",
        )),
        met_by: vec![
            CaseEvent::TeamMeetingHeld as i32,
            CaseEvent::ReviewHeld as i32,
        ],
    }
}

/// The review of the early help plan, every 6-12 weeks (Appendix 3). Met by a review, or by a
/// multi-agency (team) meeting on the plan, since the text's review is "Multi-agency meeting (or
/// telephone call) every 6-12 weeks to review the plan."
fn plan_review() -> Deadline {
    Deadline {
        code: "WOR-EH-PLAN-REVIEW".to_owned(),
        description: "Review of the early help plan by multi-agency meeting (or telephone call), \
                      led by the lead professional, every 6-12 weeks; it can be brought forward if \
                      the plan is not progressing or the needs escalate. Met by a review being \
                      held (REVIEW_HELD) or a multi-agency meeting (TEAM_MEETING_HELD). \
                      Interpretation: the text's review is the \"Multi-agency meeting (or \
                      telephone call) every 6-12 weeks to review the plan\", so a multi-agency \
                      meeting recorded as a team meeting counts as the review; the next review is \
                      then due 6 (at most 12) weeks after it."
            .to_owned(),
        due_in: Some(time::weeks(6)),
        repeat_every: Some(time::weeks(6)),
        at_most: Some(time::weeks(12)),
        citation: Some(c(
            S_APP3,
            "Multi-agency meeting (or telephone call) every 6-12 weeks to review the plan.",
        )),
        met_by: vec![
            CaseEvent::ReviewHeld as i32,
            CaseEvent::TeamMeetingHeld as i32,
        ],
    }
}

/// Which deadlines each case event starts, by level. Early help (Appendices 3, 4 and 6) is
/// levels 2 and 3 ("'Early help' is used to describe services that are available to children
/// and families at level 2 (additional support) and level 3 (targeted support)").
///
/// A step up requested from level 2 or 3 starts the 24-hour Step Up conversation. Nothing is
/// started by STEPPED_UP, STEP_DOWN_AGREED or TRANSFER_IN (fired at the level the case moves
/// to): the text gives them no timescale (see the gaps "Step down timescale" and "Transfer in").
pub(crate) fn timescales() -> Vec<TimescaleRule> {
    let mut rules = Vec::new();
    for level in ["L2", "L3"] {
        // The text gives no timescale for a circumstance (pre-birth, looked after, disabled):
        // every rule is for every child (see the gap "Pre-birth timescales").
        let rule = |event: CaseEvent, deadlines: Vec<Deadline>| TimescaleRule {
            event: event as i32,
            level_code: level.to_owned(),
            deadlines,
            only_if: Circumstance::Unspecified as i32,
        };
        rules.push(rule(
            CaseEvent::ConcernOnOpenCase,
            vec![open_case_meeting()],
        ));
        rules.push(rule(
            CaseEvent::StepUpRequested,
            vec![step_up_conversation()],
        ));
        rules.push(rule(CaseEvent::PlanAgreed, vec![plan_review()]));
        rules.push(rule(CaseEvent::ReviewHeld, vec![plan_review()]));
    }
    rules
}

// ---------------------------------------------------------------------------------------------
// Forms
// ---------------------------------------------------------------------------------------------

pub(crate) fn forms() -> Vec<Form> {
    let form = |code: &str, name: &str, section: &str, quote: &str| Form {
        code: code.to_owned(),
        name: name.to_owned(),
        citation: Some(c(section, quote)),
    };
    vec![
        form(
            F_EHA,
            "Early Help Assessment",
            S_EARLY_HELP,
            "In Worcestershire professionals are encouraged to use the Early Help Assessment to identify children and young people in need of additional or targeted support.",
        ),
        form(
            F_FAMILY_PLAN,
            "Family Plan (early help support plan)",
            S_EARLY_HELP,
            "co-ordinate the delivery of support services as part of the Family Plan",
        ),
        form(
            F_REFERRAL,
            "Referral to Children's Social Care (online Children's Social Care Referral Form)",
            S_JUDGEMENT,
            "If you believe a child is at risk of significant harm, the child must always be referred to children's social care without delay via Worcestershire's Family Front Door using the Referral to Children's Social Care",
        ),
        form(
            F_EH_REQUEST,
            "Request for Early Help Family Support (online form)",
            S_APP3,
            "Request services from Early Help Family Support by completing an online form at:",
        ),
        form(
            F_TRANSFER,
            "Transfer of need episode (FWi)",
            S_APP5,
            "If support is required by TFS/EIFS, then a transfer of need episode should be completed in FWi identifying the continued needs and plan required for EIFS / TFS services by the allocated social worker.",
        ),
        form(
            F_TEH_PLAN,
            "Targeted Early Help plan",
            S_APP5,
            "At this final meeting a Targeted Early Help plan should be drawn up with named Lead Professional and current professional.",
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Gaps
// ---------------------------------------------------------------------------------------------

/// The number of distinct matched examples at the highest level, spread over at least two
/// domains, that the plugin treats as "an accumulation" (its own number, not the text's).
pub(crate) const ACCUMULATION_MIN_INDICATORS: usize = 3;
pub(crate) const ACCUMULATION_MIN_DOMAINS: usize = 2;
pub(crate) const ACCUMULATION_QUOTE: &str = "An accumulation of a number of these examples could increase a child's vulnerability and, as such, the type of response required.";

pub(crate) fn gaps() -> Vec<Gap> {
    let gap = |topic: &str, note: String, section: &str, quote: &str| Gap {
        topic: topic.to_owned(),
        note,
        citation: Some(c(section, quote)),
    };
    vec![
        gap(
            "Accumulation threshold",
            format!(
                "The text says an accumulation of examples could increase the response but gives \
                 no number. The plugin's rule (its number, not the text's): {ACCUMULATION_MIN_INDICATORS} \
                 or more distinct matched examples at the highest level found, spread over at least \
                 {ACCUMULATION_MIN_DOMAINS} domains, raise the recommendation one level, never above \
                 level 4. Level 1 examples describe children with no additional needs (strengths), \
                 so they never accumulate."
            ),
            S_LEVELS,
            ACCUMULATION_QUOTE,
        ),
        gap(
            "Upper age",
            format!(
                "The text gives no upper age: early help runs \"from pre-birth through to the \
                 teenage years\" and the text applies the Children Act 1989 (a child is under 18); \
                 level 4 examples also name care leavers and young people in court. The plugin \
                 encodes 0 to {MAX_AGE_YEARS} (until the 18th birthday) and no extension; older \
                 young people are assessed but flagged outside the range for professional judgement."
            ),
            S_EARLY_HELP,
            AGE_QUOTE,
        ),
        gap(
            "Unborn children: week of pregnancy",
            "Section 7 says \"pre-birth\" and gives no week of pregnancy; the age range serves \
             unborn children with unborn_from_gestation_weeks 0 (\"pre-birth\" with no week: any \
             unborn child). Appendix 3 says \"from birth\" instead: see the conflict \"Youngest \
             age served\"."
                .to_owned(),
            S_EARLY_HELP,
            AGE_QUOTE,
        ),
        gap(
            "Ages per level or per service",
            "The text gives no ages for a level or a service of its own (early help and social \
             care alike run \"from pre-birth through to the teenage years\"); no level or contact \
             point has ages of its own, so each serves the authority's range, and no age \
             extension (care leavers, disability) is encoded: the text names care leavers only \
             as a level 4 example, with no age."
                .to_owned(),
            S_EARLY_HELP,
            AGE_QUOTE,
        ),
        gap(
            "Pre-birth timescales",
            "The text gives no timescale of its own for an unborn child (or a looked-after or \
             disabled child): every timescale rule is for every child (only_if unspecified), so \
             an unborn child's case starts the same deadlines as any other."
                .to_owned(),
            S_EARLY_HELP,
            AGE_QUOTE,
        ),
        gap(
            "Publication date",
            "The document is dated \"May 2019 (Updated)\" with no day; its documents entry leaves \
             published empty rather than invent one."
                .to_owned(),
            S_TITLE,
            TITLE,
        ),
        gap(
            "Level 4 label",
            "Figure 1 (the levels diagram) is an image absent from the text. Levels 1-3 take their \
             labels from the Appendix 1 table headings (\"Universal Services\", \"Additional \
             Support\", \"Targeted Support\"); level 4's heading is \"Criteria for Statutory Social \
             Work Intervention\", so its label is \"Statutory Social Work Intervention\"."
                .to_owned(),
            S_APP1,
            "LEVEL FOUR Level of Need: Criteria for Statutory Social Work Intervention",
        ),
        gap(
            "Appendix 1 level 4 table layout",
            "The level 4 table is flattened with its area labels centred among the items; the \
             area of some examples (e.g. \"Drug and alcohol abuse / suspected dealing\" and \
             \"Significant development delay due to neglect / poor parenting\" before the Emotional \
             and Behavioural Development sub-heading, \"Persistent ongoing mental health needs ...\" \
             under Social Presentation) follows the text's order, not a reading of the original \
             table. Levels are unaffected."
                .to_owned(),
            S_APP1,
            "Emotional and Behavioural Development",
        ),
        gap(
            "Bank holidays",
            "The text gives working hours (Monday-Thursday 9.00am-5.00pm, Friday 9.00am-4.30pm) \
             and an out-of-hours number for \"out of hours or at weekends\", but says nothing about \
             bank holidays. A bank holiday or local closure (the request's closed dates, from the \
             host's calendar) is not a working day, so it is read as out of hours: the Family \
             Front Door's windows are CLOSED on one (it next opens at 9.00am on the next working \
             day that is not a closed date), and the out-of-hours line's weekday windows are \
             OPEN_ALL_DAY (from midnight to 9.00am the next morning)."
                .to_owned(),
            S_APP2,
            FFD_HOURS_QUOTE,
        ),
        gap(
            "Out-of-hours line hours",
            "The out-of-hours line's hours are given only as the complement of the Family Front \
             Door's working hours (\"Out of hours or at weekends\"). They are encoded as that \
             complement: Monday to Thursday 5.00pm to 9.00am the next morning, Friday 4.30pm to \
             Saturday 9.00am, Saturday and Sunday 9.00am for 24 hours (to Monday 9.00am), and all \
             day on a bank holiday. The line is not encoded as always open: the text does not say \
             it answers during working hours, when the Family Front Door does."
                .to_owned(),
            S_APP2,
            OOH_QUOTE,
        ),
        gap(
            "Urgency not said",
            "The text distinguishes an emergency / immediate concern (telephone first) from one \
             that is not immediate (the online form). When the caller does not say how urgent a \
             safeguarding referral is, the plugin treats it as urgent: the telephone route, and \
             out of hours the out-of-hours line, so that no urgent concern is sent to a form."
                .to_owned(),
            S_APP3,
            APP3_NOT_IMMEDIATE_QUOTE,
        ),
        gap(
            "Written follow-up of a telephone referral: timescale",
            "\"Telephone call first and follow up online social care referral with the on line \
             children's referral form\" gives no time for the written follow-up. No follow-up \
             deadline is returned with an urgent referral; the instruction says to follow up \
             with the form."
                .to_owned(),
            S_APP6,
            PHONE_FIRST_QUOTE,
        ),
        gap(
            "Allocated social worker: number and hours",
            "New information about an allocated case goes to the social worker \"without delay\", \
             but the text gives no number or hours. The allocated social worker is a contact \
             point with how_to_reach only, marked always open so that the information is never \
             told to wait (not a claim that the social worker is on duty at all hours). Outside \
             the Family Front Door's working hours, an urgent concern (or one whose urgency is \
             not said) is also given the out-of-hours line, the Appendix 2 pathway's number for \
             out of hours. A case is read as allocated to a social worker when it is open at \
             level 4 (Statutory Social Work Intervention); the text does not define \"allocated \
             case\"."
                .to_owned(),
            S_APP2,
            ALLOCATED_CASE_QUOTE,
        ),
        gap(
            "Open early help case: the TFS Team Leader / EIFS Coordinator's number and hours",
            "Appendix 6 sends a concern on an open TFS / EIFS case that is not an immediate child \
             protection concern to the allocated TFS Team Leader / EIFS Coordinator, with no \
             number or hours (Appendix 5's district numbers from May 2019 are for step down and \
             are not encoded, see below). It is a contact point with how_to_reach only, marked \
             always open. The plugin reads an open case at level 2 or 3 as open to EIFS or TFS \
             (\"Early Intervention Family Support team (Level 2) or Targeted Family Support team \
             (Level 3)\"), an urgent concern as an immediate child protection concern (the \
             Family Front Door by telephone), and a concern whose urgency is not said as urgent. \
             An early help request for a family already receiving EIFS or TFS support is an \
             escalation of need and goes the same way (Appendix 3 refers it to Appendix 6)."
                .to_owned(),
            S_APP6,
            OPEN_CASE_NOT_IMMEDIATE_QUOTE,
        ),
        gap(
            "A closed case",
            "The text says nothing about a child whose case has closed: a concern about such a \
             child is routed as a new concern, whatever the time since the case closed."
                .to_owned(),
            S_APP2,
            "If you have a new safeguarding concern regarding a child or young person",
        ),
        gap(
            "An open case at an unknown level",
            "Where the caller knows the child has an open case but not its level, the plugin \
             cannot tell an allocated (level 4) case from an early help one and routes the \
             concern as a new one, saying in its reasons to pass it to the allocated social \
             worker or follow Appendix 6 if the caller knows which it is."
                .to_owned(),
            S_APP2,
            ALLOCATED_CASE_QUOTE,
        ),
        gap(
            "Community Social Worker and local EIFS / TFS advice contacts",
            "Section 7 says Appendix 3 shows how to contact a Community Social Worker for advice, \
             and Appendix 3 says to speak to the EIFS or TFS team in your local area, but the text \
             gives no number or hours for either. Advice is routed to the Family Front Door, which \
             the text calls a point of referral and advice and which has a number and hours; the \
             local EIFS / TFS teams are named, in words, in the early help request's \
             how_to_reach (\"Not sure? Speak to the ... team in your local area\"), not as a \
             contact point of their own, since the text gives them no hours."
                .to_owned(),
            S_EARLY_HELP,
            "including how to contact a Community Social Worker for advice and guidance on how to respond.",
        ),
        gap(
            "District TFS Team Leader and EIFS Coordinator numbers",
            "Appendix 5 lists named district TFS Team Leaders and EIFS Coordinators with personal \
             telephone numbers (May 2019) for step down discussions, with no hours. They are not \
             encoded as contact points: a contact point needs hours, and individuals' numbers from \
             2019 are not a routing target."
                .to_owned(),
            S_APP5,
            "You can call the following numbers to talk to the District Targeted Family Support Team Leaders:",
        ),
        gap(
            "Online forms: hours",
            "The online Early Help Family Support request and Children's Social Care referral \
             forms have no stated hours or response times; the early help request form is encoded \
             as always open (it can be submitted at any time)."
                .to_owned(),
            S_APP3,
            "Request services from Early Help Family Support by completing an online form at:",
        ),
        gap(
            "Equality Manager contact",
            "The text gives the Equality Manager's email (equality@worcestershire.gov.uk) for \
             advice on communication needs but no hours; it is recorded as a role, not a routed \
             contact point."
                .to_owned(),
            S_EQUALITY,
            "If you require further information and advice you can contact the Equality Manager at the County Council: equality@worcestershire.gov.uk",
        ),
        gap(
            "Panel days",
            "None of the meetings the text describes (Family Front Door decision, Step Up \
             conversation, step down case discussion, open-case concern discussion, early help \
             review) has a weekday; next_panel gives no date."
                .to_owned(),
            S_APP4,
            "This Conversation to be held within 24 hrs ... of the request for step up conversation.",
        ),
        gap(
            "Referral decision timescale",
            "The text requires referral \"without delay\" / \"immediately\" but gives no number for \
             the referral itself or for the Family Front Door's decision; no deadline is encoded for \
             REFERRAL_RECEIVED."
                .to_owned(),
            S_JUDGEMENT,
            "the child must always be referred to children's social care without delay",
        ),
        gap(
            "New information on an allocated (level 4) case",
            "\"Without delay\" has no number; no deadline is encoded for a concern on an open \
             level 4 case."
                .to_owned(),
            S_APP2,
            "New information about an allocated case should be passed to the social worker without delay",
        ),
        gap(
            "\"Within three days\": unit",
            "Appendix 6 does not say working or calendar days; the plugin uses calendar days, the \
             shorter reading."
                .to_owned(),
            S_APP6,
            "within three days to address new concerns and revise EH plan",
        ),
        gap(
            "Step Up conversation: start event",
            "The 24 hours run from \"the request for step up conversation\". The service fires \
             STEP_UP_REQUESTED at the case's current level when a step up is asked for, so the \
             deadline is started there, at levels 2 and 3 (the TFS / EIFS open cases Appendix 4 \
             is about), and met by the Step Up conversation being held. The event does not say \
             which level is asked for: a step up from level 2 to level 3 starts the deadline too, \
             but needs no conversation and moves at once, and the level change cancels it. The \
             text also lets the TFS Team Leader / EIFS Coordinator discuss the case with their \
             line manager instead of requesting the conversation; only a step up requested in \
             the service starts the clock."
                .to_owned(),
            S_APP4,
            "TFS Team Leaders / EIFS Coordinators can either discuss this case with their line manager or to telephone MASH Manager with FWi number requesting a Step Up",
        ),
        gap(
            "Step down timescale",
            "Appendix 5 asks both sides to prioritise the transfer so it is not delayed, but gives \
             no number; no deadline is encoded for STEP_DOWN_AGREED."
                .to_owned(),
            S_APP5,
            "Professionals on both sides should prioritise this activity to ensure professional availability does not cause delay in the case transferring to Targeted Family Support and the family receives seamless service.",
        ),
        gap(
            "Immediate child protection concern on a TFS / EIFS case: timescale",
            "\"Immediate decision required\" has no number; no deadline is encoded beyond the \
             immediate referral to the Family Front Door."
                .to_owned(),
            S_APP4,
            "Immediate decision required – TFS Team Leaders / EIFS Coordinators to call Family Front Door (FFD) directly and make a referral as ... per LSCB procedure.",
        ),
        gap(
            "Step across",
            "The text describes step up (Appendix 4) and step down (Appendix 5) only; there is no \
             step-across procedure, so a step across is refused with that reason."
                .to_owned(),
            S_LEVELS,
            "see Appendices 4 and 5 for step up/ step down procedures",
        ),
        gap(
            "Closure of a level 4 case",
            "The text describes no closure of a children's social care case, only step down to \
             TFS / EIFS; closing a level 4 case is refused with that reason."
                .to_owned(),
            S_APP5,
            "If a Safeguarding Locality Team Manager agrees a Child's Plan has been completed, the risk has been reduced and the plan can be continued with partner agencies in the community at level 3 or 2 needs.",
        ),
        gap(
            "Transfer in",
            "The text lists \"Transferring in cases from other Local Authorities e.g. CIN and CP, \
             Final Court orders\" as a level 4 example but gives no transfer-in procedure or \
             timescale; a transfer in at level 4 needs a Referral to Children's Social Care via the \
             Family Front Door, and one at levels 2-3 the early help entry conditions."
                .to_owned(),
            &app1_level(4),
            "Transferring in cases from other Local Authorities e.g. CIN and CP, Final Court orders",
        ),
        gap(
            "Step up: line manager or Step Up conversation",
            "Appendix 4 lets TFS / EIFS \"either discuss this case with their line manager or\" \
             request a Step Up conversation, but only the conversation leads to an agreed level 4 \
             outcome; the plugin requires the Step Up conversation (unless significant harm is \
             suspected, when the referral is made directly)."
                .to_owned(),
            S_APP4,
            "TFS Team Leaders / EIFS Coordinators can either discuss this case with their line manager or to telephone MASH Manager with FWi number requesting a Step Up",
        ),
        gap(
            "Step up: line manager or Step Up conversation",
            "Appendix 4 lets TFS / EIFS \"either discuss this case with their line manager or\" \
             request a Step Up conversation, but only the conversation leads to an agreed level 4 \
             outcome. A step up from level 2 or 3 to level 4 therefore waits for the Step Up \
             conversation (decided by a MEETING: the Step Up conversation being held); a line \
             manager's agreement does not replace it. With significant harm suspected the \
             referral is made directly and nothing waits."
                .to_owned(),
            S_APP4,
            "TFS Team Leaders / EIFS Coordinators can either discuss this case with their line manager or to telephone MASH Manager with FWi number requesting a Step Up",
        ),
        gap(
            "Step up: consent and referral follow the conversation",
            "Appendix 4 puts seeking the family's consent and making the Social Care referral \
             after the Step Up conversation has agreed level 4. A step up requested before the \
             conversation therefore waits for the conversation alone; consent to the referral \
             and the Referral to Children's Social Care are conditions once the conversation has \
             been held (nobody can decide them away). If they are still missing when the move is \
             checked again after the conversation, the move is refused until the consent (or \
             significant harm) and the referral are recorded."
                .to_owned(),
            S_APP4,
            "If outcome is agreed for Level 4 or to proceed ... with a MASH case discussion. TFS Team ... Leaders / EIFS Coordinators to seek consent ... from family and make a Social Care referral.",
        ),
        gap(
            "Step up: the Family Front Door's decision on the referral",
            "After a Step Up conversation agrees level 4, or a professional with a concern on an \
             open case makes a referral (Appendix 6), the referral goes to the Family Front Door, \
             whose threshold decision the text says to await. The plugin does not make that \
             decision a further condition of the step up: the move waits for the Step Up \
             conversation (or, with significant harm, for nothing), as Appendix 4 describes the \
             step up. The Appendix 6 option \"Possible Level 4\" is encoded as an accept at \
             level 4 although the Family Front Door then decides."
                .to_owned(),
            S_APP6,
            "Await decision on your referral and discuss any concerns with the initial contact and referral team who made the decision",
        ),
        gap(
            "Panel decisions: no agreement",
            "Appendices 4, 5 and 6 each end \"THE ESCALATION POLICY SHOULD BE INVOKED IF THERE \
             IS NOT AGREEMENT\": that is neither an accept nor a decline. It is encoded as a \
             deferral (NO_AGREEMENT_ESCALATE, effect DEFER): the item stays undecided while the \
             Worcestershire Safeguarding Children Board's escalation policy resolves the \
             disagreement; the text gives that policy no timescale."
                .to_owned(),
            S_APP4,
            ESCALATION,
        ),
        gap(
            "Step down case discussion: no decline",
            "Appendix 5 describes the TFS Team Leader / EIFS Coordinator recording acceptance of \
             the case transfer, and escalation if there is no agreement, but no decision to \
             decline a transfer; none is encoded."
                .to_owned(),
            S_APP5,
            "TFS Team Leader/EIFS Coordinator to review request for support as recorded acceptance of case transfer and identified plan.",
        ),
        gap(
            "Early help review decisions: effects and levels",
            "The review decides \"to continue as is/amend the plan/to end the plan as the needs \
             are fully met, or to end the plan and a single agency will meet the need or that only \
             universal services are required\". Continuing, amending or replacing the plan is \
             encoded as a deferral (\"If the plan continues, further reviews take place\"); \
             ending it as an accept of the step down or closure. Only \"only universal services \
             are required\" names a level (level 1, \"Universal Services\" in Appendix 1); the \
             text does not say at which level \"a single agency will meet the need\", so that \
             option takes the level asked for."
                .to_owned(),
            S_APP3,
            "If the plan continues, further reviews take place",
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Conflicts
// ---------------------------------------------------------------------------------------------

/// Where two parts of the text disagree, what each says and which the plugin follows.
pub(crate) fn conflicts() -> Vec<SourceConflict> {
    vec![
        SourceConflict {
            topic: "Out-of-hours number 01905 768020: any referral out of hours, or emergencies \
                    only"
                .to_owned(),
            claims: vec![
                c(S_APP2, OOH_QUOTE),
                c(S_APP6, OOH_EMERGENCY_ONLY_QUOTE),
                c(S_APP3, APP3_EMERGENCY_QUOTE),
            ],
            followed: 1,
            reason: "Appendix 6 says who the line is for (\"emergency only\"), which Appendix 2's \
                     contact list does not, and Appendix 3 agrees: it gives the out-of-hours \
                     number for a referral \"in an emergency\" and sends a concern that is not \
                     immediate to the online form. So the line is offered out of hours for an \
                     urgent safeguarding referral, and for one whose urgency is not said (the \
                     child's safety first), but not for advice or a concern the caller says is \
                     not urgent, which go to the online form or wait for the Family Front Door. \
                     Its hours remain Appendix 2's: out of hours or at weekends."
                .to_owned(),
        },
        SourceConflict {
            topic: "Address of the online referral to Children's Social Care".to_owned(),
            claims: vec![
                c(S_APP2, ONLINE_REFERRAL_QUOTE),
                c(
                    S_APP3,
                    "If the concern is not immediate, use the online form to raise the concern: www. worcestershire. gov.uk/ childrenreferral.",
                ),
            ],
            followed: 0,
            reason: "Appendix 2 is the Safeguarding Children's Social Care Pathway that section 3 \
                     sends every referral to (\"see Appendix 2\"), and its address is printed \
                     whole; the Family Front Door's web_form is that address. Appendix 3's \
                     address is kept in the contact point's notes."
                .to_owned(),
        },
        SourceConflict {
            topic: "Youngest age served: pre-birth or birth".to_owned(),
            claims: vec![
                c(S_EARLY_HELP, AGE_QUOTE),
                c(
                    S_APP3,
                    "This could be at any point in a child's life, from birth to the teenage years.",
                ),
            ],
            followed: 0,
            reason: "Section 7 is the guidance's own statement of early help's scope and \
                     includes unborn children, whom the level 3 examples also name (\"Non \
                     engagement with ante-natal appointments\"); Appendix 3 is a pathway summary. \
                     Following section 7 excludes no unborn child."
                .to_owned(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(panel: &str) -> Vec<(String, PanelEffect, String, bool)> {
        panels()
            .into_iter()
            .find(|p| p.code == panel)
            .map(|p| p.decisions)
            .unwrap_or_default()
            .into_iter()
            .map(|o| {
                (
                    o.code,
                    PanelEffect::try_from(o.effect).unwrap_or(PanelEffect::Unspecified),
                    o.level_code,
                    o.requires_reason,
                )
            })
            .collect()
    }

    fn o(code: &str, effect: PanelEffect, level: &str) -> (String, PanelEffect, String, bool) {
        (
            code.to_owned(),
            effect,
            level.to_owned(),
            effect == PanelEffect::Decline,
        )
    }

    /// Each meeting's decisions, exactly as the text gives them, with what they do.
    #[test]
    fn every_decision_option_says_what_it_does() {
        use PanelEffect::{Accept, Decline, Defer};
        // Appendix 2: "If the threshold is met for a social care assessment, the case will be
        // referred to the appropriate social care team" / "If the threshold is not met ... you
        // will be informed and signposted to the appropriate service".
        assert_eq!(
            options(P_FFD),
            [
                o("THRESHOLD_MET", Accept, "L4"),
                o("THRESHOLD_NOT_MET", Decline, ""),
            ]
        );
        // Appendix 4: "If outcome is agreed for Level 4" / "If Level 4 is not agreed, TFS/EIFS
        // manager to record the agreed decision and rationale" / the escalation policy.
        assert_eq!(
            options(P_STEP_UP),
            [
                o("LEVEL_4_AGREED", Accept, "L4"),
                o("LEVEL_4_NOT_AGREED", Decline, ""),
                o("NO_AGREEMENT_ESCALATE", Defer, ""),
            ]
        );
        // Appendix 5: "recorded acceptance of case transfer" / the escalation policy.
        assert_eq!(
            options(P_STEP_DOWN),
            [
                o("ACCEPT_CASE_TRANSFER", Accept, ""),
                o("NO_AGREEMENT_ESCALATE", Defer, ""),
            ]
        );
        // Appendix 6: "Possible Level 4" / "Case Remains at Current Level" / escalation.
        assert_eq!(
            options(P_OPEN_CASE),
            [
                o("POSSIBLE_LEVEL_4", Accept, "L4"),
                o("REMAINS_AT_CURRENT_LEVEL", Decline, ""),
                o("NO_AGREEMENT_ESCALATE", Defer, ""),
            ]
        );
        // Appendix 3: "to continue as is/amend the plan/to end the plan as the needs are fully
        // met, or to end the plan and a single agency will meet the need or that only universal
        // services are required"; "If the plan continues, further reviews take place".
        assert_eq!(
            options(P_EH_REVIEW),
            [
                o("CONTINUE_AS_IS", Defer, ""),
                o("AMEND_PLAN", Defer, ""),
                o("NEW_PLAN", Defer, ""),
                o("END_PLAN_NEEDS_MET", Accept, ""),
                o("END_PLAN_SINGLE_AGENCY", Accept, ""),
                o("END_PLAN_UNIVERSAL_SERVICES", Accept, "L1"),
            ]
        );
        // None has a day in the text.
        for p in panels() {
            assert_eq!(p.weekday, Weekday::Unspecified as i32, "{}", p.code);
            assert_eq!(p.cadence, Cadence::AsNeeded as i32, "{}", p.code);
        }
    }

    /// The 24-hour Step Up conversation runs from the request for a step up on an open early
    /// help case; the new-concerns meeting from the concern.
    #[test]
    fn the_step_up_conversation_runs_from_the_request() {
        let codes = |event: CaseEvent, level: &str| -> Vec<String> {
            timescales()
                .into_iter()
                .filter(|r| r.event == event as i32 && r.level_code == level)
                .flat_map(|r| r.deadlines)
                .map(|d| d.code)
                .collect()
        };
        for level in ["L2", "L3"] {
            assert_eq!(
                codes(CaseEvent::StepUpRequested, level),
                ["WOR-STEP-UP-CONVERSATION"]
            );
            assert_eq!(
                codes(CaseEvent::ConcernOnOpenCase, level),
                ["WOR-EH-MEETING-NEW-CONCERNS"]
            );
        }
        for level in ["L1", "L4"] {
            assert!(codes(CaseEvent::StepUpRequested, level).is_empty());
        }
        for level in ["L1", "L2", "L3", "L4"] {
            assert!(codes(CaseEvent::SteppedUp, level).is_empty());
        }
    }

    /// Every contact point says, in words, how to reach it; only the police line serves an
    /// emergency, and it serves nothing else.
    #[test]
    fn every_contact_point_says_how_to_reach_it() {
        for cp in contact_points() {
            assert!(!cp.how_to_reach.trim().is_empty(), "{}", cp.code);
            let emergency = cp.purposes.contains(&(ContactPurpose::Emergency as i32));
            assert_eq!(emergency, cp.code == POLICE, "{}", cp.code);
            if emergency {
                assert_eq!(cp.purposes, [ContactPurpose::Emergency as i32]);
            }
        }
    }
}
