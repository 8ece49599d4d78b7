//! The static half of the plugin: levels, roles, age range, indicator catalogue, forms, gaps.

use continuum_plugin_api::pb::{
    AgeExtension, AgeRange, Circumstance, Citation, Domain, Form, Gap, Indicator, Level, Response,
    Role, Source, SourceConflict,
};

use crate::cite::*;

pub(crate) const L1: &str = "L1";
pub(crate) const L2: &str = "L2";
pub(crate) const L3: &str = "L3";
pub(crate) const L4: &str = "L4";

/// Level codes, least to most need.
pub(crate) const LEVEL_CODES: [&str; 4] = [L1, L2, L3, L4];

/// The 1-based rank of a level code, or `None` for a code that is not a level.
pub(crate) fn rank(code: &str) -> Option<u32> {
    LEVEL_CODES
        .iter()
        .position(|c| *c == code)
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// The level code of a rank (1-based), or `None` when out of range.
pub(crate) fn code_of(rank: u32) -> Option<&'static str> {
    let index = usize::try_from(rank.checked_sub(1)?).ok()?;
    LEVEL_CODES.get(index).copied()
}

/// "3" for "L3".
pub(crate) fn level_number(code: &str) -> &str {
    code.strip_prefix('L').unwrap_or(code)
}

pub(crate) fn response_of(code: &str) -> Response {
    match code {
        L1 => Response::Universal,
        L2 => Response::AdditionalSupport,
        L3 => Response::TargetedEarlyHelp,
        _ => Response::StatutorySocialCare,
    }
}

fn strings(codes: &[&str]) -> Vec<String> {
    codes.iter().map(|c| (*c).to_owned()).collect()
}

pub(crate) fn levels() -> Vec<Level> {
    // The response in the text's own words: each level's names its kind only. No level has
    // ages of its own: the texts give one age range for all of them (the glossary's "children,
    // young people").
    let level = |code: &str,
                 label: &str,
                 description: &str,
                 roles: &[&str],
                 citation: Citation,
                 response_text: &str| Level {
        code: code.to_owned(),
        label: label.to_owned(),
        description: description.to_owned(),
        rank: rank(code).unwrap_or_default(),
        response: response_of(code) as i32,
        role_codes: strings(roles),
        citation: Some(citation),
        response_text: response_text.to_owned(),
        ages: None,
    };
    vec![
        level(
            L1,
            "Level 1 - Universal services",
            "Universal services: building resilient children and young people. Needs are met by \
             locality based universal services (education, Children's Centres, health visitors, \
             school nurses, midwives, general practitioners, voluntary services, police, Youth \
             Service, Personal Advisors) without a referral. The \"Universal services\" tier of A \
             Model for Child-Centred Working; the Level 3 text numbers the levels but does not \
             describe Level 1.",
            &[
                "HEALTH_VISITOR",
                "SCHOOL_NURSE",
                "MIDWIFE",
                "GENERAL_PRACTITIONER",
                "LEARNING_MENTOR",
                "PERSONAL_ADVISOR",
                "YOUTH_SERVICE_STAFF",
            ],
            m(M_FOREWORD, Q_UNIVERSAL),
            Q_UNIVERSAL,
        ),
        level(
            L2,
            "Level 2 - Prevention and early intervention (emerging needs)",
            "Prevention and early intervention services: early support for children with \
             emerging or additional needs, by a universal service with extra help or, where your \
             own agency cannot meet the needs, by a common assessment (CAF, with consent), a Team \
             Around the Child/Family and a Lead Practitioner coordinating an Action Plan. The \
             \"Prevention and early intervention\" tier of A Model for Child-Centred Working; the \
             Level 3 text's \"Level 2 response\" (a Lead Practitioner is agreed).",
            &[
                "LEAD_PRACTITIONER",
                "SCHOOL_NURSE",
                "LEARNING_MENTOR",
                "PERSONAL_ADVISOR",
                "YOUTH_SERVICE_STAFF",
                "CAF_ADMINISTRATION_TEAM",
            ],
            m(M_FOREWORD, Q_PREVENTION),
            Q_PREVENTION,
        ),
        level(
            L3,
            "Level 3 - Targeted support (complex needs)",
            "The child's needs are more complex and need an assessment of their range, depth or \
             significance; the Lead Practitioner has assessed that the child is not achieving \
             outcomes with the support of the Team Around the Family, or that the needs cannot \
             reasonably be met through normally resourced local mainstream provision. Referral on \
             01274 433999; a Family Support Worker is allocated, becomes Lead Practitioner and \
             chairs the TAF meetings. Corresponds to the \"Targeted Child and Family Support \
             services\" tier (complex needs; children in need under section 17 of the Children Act \
             1989) of A Model for Child-Centred Working.",
            &[
                "FAMILY_SUPPORT_WORKER",
                "LEAD_PRACTITIONER",
                "SAFEGUARDING_LEAD",
                "SCHOOL_NURSE",
                "YOUTH_SERVICE_STAFF",
            ],
            t(T_LEVEL3, Q_L3_DESCRIPTION),
            Q_FSW,
        ),
        level(
            L4,
            "Level 4 - Statutory and safeguarding (Children's Social Care)",
            "A Level 4 statutory response from Children's Social Care: children looked after or \
             at risk of significant harm. Referral without delay (01274 433999 in office hours, \
             Emergency Duty Team 01274 431010 at all other times, police on 999 when a child is at \
             immediate risk of harm). The \"Statutory and Safeguarding services\" tier of A Model \
             for Child-Centred Working.",
            &["CHILDRENS_SOCIAL_CARE", "SAFEGUARDING_LEAD", "LINE_MANAGER"],
            t(T_INCREASES, Q_UP_TAF),
            "a Level 4 statutory response from Childrens Social Care",
        ),
    ]
}

pub(crate) fn roles() -> Vec<Role> {
    let role = |code: &str, label: &str, description: &str, citation: Citation| Role {
        code: code.to_owned(),
        label: label.to_owned(),
        description: description.to_owned(),
        citation: Some(citation),
    };
    const HEALTH: &str = "Health: Health visitors; school nurses; midwife; general practitioners";
    vec![
        role(
            "LEAD_PRACTITIONER",
            "Lead Practitioner",
            "One identified individual who is the contact point and source of information for the \
             child and other practitioners, coordinates the services offered and keeps the \
             assessment and action plan shared, reviewed and up to date (Levels 2 and 3; at Level \
             3 the Family Support Worker takes over the role).",
            m(
                M_G_LEAD,
                "One identified individual who acts as a contact point and source of information for the child / young person and other involved practitioners.",
            ),
        ),
        role(
            "FAMILY_SUPPORT_WORKER",
            "Family Support Worker (FSW)",
            "Allocated at Level 3; takes over the role of Lead Practitioner and chairs/leads the \
             Team Around the Family meetings.",
            t(T_LEVEL3, Q_FSW),
        ),
        role(
            "SAFEGUARDING_LEAD",
            "Safeguarding Lead (in the referrer's own organisation)",
            "Practitioners speak with their own organisation's Safeguarding Lead before making a \
             referral.",
            t(
                T_BEFORE_REFERRAL,
                "Speak with their Safeguarding Lead within their own organisation",
            ),
        ),
        role(
            "LINE_MANAGER",
            "Line manager",
            "Told of any concern that a child is being abused or at risk of significant harm; \
             consulted when practitioners disagree.",
            m(
                M_WHAT_TO_DO,
                "You need to ensure that you talk to your line manager, speak to the appropriate organisations who can listen to and record your concern, and then take appropriate action.",
            ),
        ),
        role(
            "CAF_ADMINISTRATION_TEAM",
            "CAF Administration Team",
            "Keeps the electronic register of all common assessments in Bradford; opens, steps \
             up and closes CAFs on the register.",
            m(
                M_G_CAF_ADMIN,
                "Keep and maintain an electronic register of all the common assessments undertaken in Bradford.",
            ),
        ),
        role(
            "HEALTH_VISITOR",
            "Health visitor",
            "Universal health service.",
            m(M_UNIVERSAL, HEALTH),
        ),
        role(
            "SCHOOL_NURSE",
            "School nurse",
            "Universal, prevention and targeted health and education services.",
            m(M_UNIVERSAL, HEALTH),
        ),
        role(
            "MIDWIFE",
            "Midwife",
            "Universal health service.",
            m(M_UNIVERSAL, HEALTH),
        ),
        role(
            "GENERAL_PRACTITIONER",
            "General practitioner",
            "Universal health service.",
            m(M_UNIVERSAL, HEALTH),
        ),
        role(
            "LEARNING_MENTOR",
            "Learning mentor",
            "Universal education service; targeted work at prevention and early intervention.",
            m(
                M_UNIVERSAL,
                "Education: Learning mentors; school nurses; parental involvement workers; extended services.",
            ),
        ),
        role(
            "PERSONAL_ADVISOR",
            "Personal Advisor",
            "Universal and prevention and early intervention services.",
            m(M_UNIVERSAL, "Personal Advisors"),
        ),
        role(
            "YOUTH_SERVICE_STAFF",
            "Youth Service staff",
            "Universal, prevention and targeted services.",
            m(M_UNIVERSAL, "Youth Service Staff"),
        ),
        role(
            "CHILDRENS_SOCIAL_CARE",
            "Children's Social Care",
            "The Level 4 statutory response: services for children looked after or at risk of \
             significant harm.",
            m(
                M_STATUTORY,
                "Objective: Provide services for children 'looked after' or at risk of \"significant harm\". Social Care.",
            ),
        ),
    ]
}

pub(crate) const UNBORN_FROM_WEEKS: u32 = 24;
pub(crate) const MAX_AGE: u32 = 17;
pub(crate) const MAX_EXTENDED_AGE: u32 = 24;
pub(crate) const LOOKED_AFTER_MAX_AGE: u32 = 20;

pub(crate) fn age_range() -> AgeRange {
    let ext = |condition: &str, max: u32, quote: &str, circumstance: Circumstance| AgeExtension {
        condition: condition.to_owned(),
        max_age_years: max,
        citation: Some(m(M_G_AGES, quote)),
        circumstance: circumstance as i32,
    };
    AgeRange {
        serves_unborn: true,
        unborn_from_gestation_weeks: UNBORN_FROM_WEEKS,
        min_age_years: 0,
        max_age_years: MAX_AGE,
        extensions: vec![
            ext(
                "The child or young person has been looked after",
                LOOKED_AFTER_MAX_AGE,
                Q_AGES_LOOKED_AFTER,
                Circumstance::LookedAfter,
            ),
            ext(
                "The young person has a learning difficulty or disability",
                MAX_EXTENDED_AGE,
                Q_AGES_LDD,
                Circumstance::LearningDifficultyOrDisability,
            ),
            ext(
                "In some agencies, where services are appropriate to enable a smooth transition \
                 to adult services",
                MAX_EXTENDED_AGE,
                Q_AGES_TRANSITION,
                // Some agencies' judgement of what is appropriate: not a fact the service knows.
                Circumstance::Unspecified,
            ),
        ],
        citation: Some(m(M_G_AGES, Q_AGES)),
    }
}

/// One entry of the indicator catalogue.
pub(crate) struct IndicatorDef {
    pub code: &'static str,
    pub level: &'static str,
    pub domain: Domain,
    pub area: &'static str,
    pub text: &'static str,
    /// true: the Level 3 text; false: A Model for Child-Centred Working.
    pub newer: bool,
    pub section: &'static str,
    pub quote: &'static str,
    /// The indicator is itself a suspicion of significant harm.
    pub harm: bool,
}

impl IndicatorDef {
    pub(crate) fn citation(&self) -> Citation {
        if self.newer {
            t(self.section, self.quote)
        } else {
            m(self.section, self.quote)
        }
    }

    fn to_pb(&self) -> Indicator {
        Indicator {
            code: self.code.to_owned(),
            level_code: self.level.to_owned(),
            domain: self.domain as i32,
            area: self.area.to_owned(),
            text: self.text.to_owned(),
            citation: Some(self.citation()),
        }
    }
}

const CDN: Domain = Domain::ChildDevelopmentalNeeds;
const PC: Domain = Domain::ParentingCapacity;
const FEF: Domain = Domain::FamilyAndEnvironmentalFactors;
/// Not domain-specific: a level's description (or the test for it), not a sign in one domain.
const NONE: Domain = Domain::Unspecified;

const Q_SCHOOL: &str = "Meanwhile, school have their own concerns in relation to deterioration in Sally's behaviour and potential drug misuse.";
const Q_TEARFUL: &str = "Sally herself has been very tearful recently and discussed domestic abuse in the home between her parents whom she describes as “constantly arguing”";
const Q_HARM: &str = "‘Harm’ means ill-treatment or the impairment of health or development, including for example impairment suffered from seeing or hearing the ill-treatment of another";

pub(crate) const INDICATORS: &[IndicatorDef] = &[
    IndicatorDef {
        code: "BRA-L1-RESILIENT",
        level: L1,
        domain: NONE,
        area: "Universal needs",
        text: "Needs met by universal services: building resilient children and young people.",
        newer: false,
        section: M_UNIVERSAL,
        quote: "Objective: Building resilient children and young people.",
        harm: false,
    },
    IndicatorDef {
        code: "BRA-L1-PARENTING-WORRY",
        level: L1,
        domain: PC,
        area: "Basic care",
        text: "A young expectant parent worried about her parenting ability and the support she \
               will get after the birth, met by universal support (e.g. neo-natal support from a \
               Children's Centre) (case study).",
        newer: false,
        section: M_CASE_UNIVERSAL,
        quote: "Sally has expressed concerns to Health staff about her parenting ability and what support she will get after the birth of her baby.",
        harm: false,
    },
    IndicatorDef {
        code: "BRA-L2-EMERGING-NEEDS",
        level: L2,
        domain: NONE,
        area: "Emerging needs",
        text: "Emerging or additional needs calling for early support.",
        newer: false,
        section: M_PREVENTION,
        quote: "Objective: Early support for children with emerging or additional needs.",
        harm: false,
    },
    IndicatorDef {
        code: "BRA-L2-ANOTHER-AGENCY-NEEDED",
        level: L2,
        domain: NONE,
        area: "Inter-agency support",
        text: "Your own agency cannot meet the child's or young person's needs and the help and \
               support of another agency is required (consider a common assessment).",
        newer: false,
        section: M_G_PRE_CAF,
        quote: "Generally, you would consider this if your own agency or organisation is unable to meet the needs of the child or young person and you believe that the help and support of another agency is required.",
        harm: false,
    },
    IndicatorDef {
        code: "BRA-L2-BEHAVIOUR",
        level: L2,
        domain: CDN,
        area: "Emotional and behavioural development",
        text: "Deterioration in behaviour noticed by school (case study).",
        newer: false,
        section: M_CASE_UNIVERSAL,
        quote: Q_SCHOOL,
        harm: false,
    },
    IndicatorDef {
        code: "BRA-L2-DRUG-MISUSE",
        level: L2,
        domain: CDN,
        area: "Health",
        text: "Potential drug misuse (case study).",
        newer: false,
        section: M_CASE_UNIVERSAL,
        quote: Q_SCHOOL,
        harm: false,
    },
    IndicatorDef {
        code: "BRA-L2-TEARFUL",
        level: L2,
        domain: CDN,
        area: "Emotional and behavioural development",
        text: "The young person has been very tearful recently (case study).",
        newer: false,
        section: M_CASE_UNIVERSAL,
        quote: Q_TEARFUL,
        harm: false,
    },
    IndicatorDef {
        code: "BRA-L2-DOMESTIC-ABUSE-PARENTS",
        level: L2,
        domain: FEF,
        area: "Family functioning",
        text: "Domestic abuse in the home between the parents, described as \"constantly \
               arguing\" (case study; where it impairs the child, see BRA-L4-WITNESSING-ILL-TREATMENT).",
        newer: false,
        section: M_CASE_UNIVERSAL,
        quote: Q_TEARFUL,
        harm: false,
    },
    IndicatorDef {
        code: "BRA-L3-COMPLEX-NEEDS",
        level: L3,
        domain: NONE,
        area: "Complex needs",
        text: "The child's needs are more complex and require an assessment to understand their \
               range, depth or significance; they may require a more intensive response.",
        newer: true,
        section: T_LEVEL3,
        quote: Q_L3_DESCRIPTION,
        harm: false,
    },
    IndicatorDef {
        code: "BRA-L3-NOT-ACHIEVING-WITH-TAF",
        level: L3,
        domain: NONE,
        area: "Outcomes",
        text: "The Lead Practitioner has assessed that the child or young person is not achieving \
               outcomes with the support of the Team Around the Family.",
        newer: true,
        section: T_LEVEL3,
        quote: Q_L3_ASSESSED,
        harm: false,
    },
    IndicatorDef {
        code: "BRA-L3-BEYOND-MAINSTREAM",
        level: L3,
        domain: NONE,
        area: "Mainstream provision",
        text: "The needs cannot reasonably be met through normally resourced local mainstream \
               provision.",
        newer: true,
        section: T_LEVEL3,
        quote: Q_L3_ASSESSED,
        harm: false,
    },
    IndicatorDef {
        code: "BRA-L3-IN-NEED-DISABLED",
        level: L3,
        domain: CDN,
        area: "Health",
        text: "The child or young person is disabled (in need under the Children Act 1989).",
        newer: false,
        section: M_G_IN_NEED,
        quote: "A child or young person is \"disabled\", or",
        harm: false,
    },
    IndicatorDef {
        code: "BRA-L3-IN-NEED-IMPAIRED",
        level: L3,
        domain: CDN,
        area: "Health and development",
        text: "The child's health or development would be impaired, or they would not achieve a \
               reasonable standard, without services provided by or on behalf of the Local \
               Authority (in need under the Children Act 1989).",
        newer: false,
        section: M_G_IN_NEED,
        quote: "Their health or development would be \"impaired\" or they would not achieve a \"reasonable\" standard without services provided by, or on behalf of, the Local Authority.",
        harm: false,
    },
    IndicatorDef {
        code: "BRA-L3-BEYOND-CURRENT-TEAM",
        level: L3,
        domain: NONE,
        area: "Inter-agency support",
        text: "Needs have increased: the child is in need and the services required cannot be \
               provided by the practitioners currently in the multi-agency team (case study).",
        newer: false,
        section: M_CASE_COMPLEX,
        quote: "The services required cannot be provided by those practitioners who are currently part of the multi-agency team.",
        harm: false,
    },
    IndicatorDef {
        code: "BRA-L4-SIGNIFICANT-HARM",
        level: L4,
        domain: PC,
        area: "Ensuring safety",
        text: "Reasonable cause to suspect that the child is suffering, or is likely to suffer, \
               significant harm (section 47, Children Act 1989).",
        newer: false,
        section: M_G_HARM,
        quote: "Section 47 of the Children Act 1989 places a duty on local authorities to make enquiries, or cause enquiries to be made, where it has reasonable cause to suspect that a child who lives, or is found in their area is suffering, or is likely to suffer significant harm",
        harm: true,
    },
    IndicatorDef {
        code: "BRA-L4-ABUSE-OR-NEGLECT",
        level: L4,
        domain: PC,
        area: "Ensuring safety",
        text: "You think the child is being abused, or is at risk of significant harm or neglect.",
        newer: false,
        section: M_WHAT_TO_DO,
        quote: "What to do if you think a child is being abused, or is at risk of significant harm or neglect:",
        harm: true,
    },
    IndicatorDef {
        code: "BRA-L4-ILL-TREATMENT",
        level: L4,
        domain: PC,
        area: "Ensuring safety",
        text: "Ill-treatment of the child, including sexual abuse and forms of ill-treatment that \
               are not physical.",
        newer: false,
        section: M_G_HARM,
        quote: "‘Ill-treatment’ includes sexual abuse and forms of ill-treatment that are not physical.",
        harm: true,
    },
    IndicatorDef {
        code: "BRA-L4-WITNESSING-ILL-TREATMENT",
        level: L4,
        domain: FEF,
        area: "Family functioning",
        text: "Impairment suffered from seeing or hearing the ill-treatment of another.",
        newer: false,
        section: M_G_HARM,
        quote: Q_HARM,
        harm: true,
    },
    IndicatorDef {
        code: "BRA-L4-IMPAIRMENT",
        level: L4,
        domain: CDN,
        area: "Health and development",
        text: "Impairment of the child's health (physical or mental) or development (physical, \
               intellectual, emotional, social or behavioural) amounting to harm.",
        newer: false,
        section: M_G_HARM,
        quote: "‘Development’ means physical, intellectual, emotional, social or behavioural development; ‘Health’ means physical or mental health",
        harm: true,
    },
    IndicatorDef {
        code: "BRA-L4-LOOKED-AFTER",
        level: L4,
        domain: FEF,
        area: "Looked after",
        text: "The child or young person is looked after by the local authority.",
        newer: false,
        section: M_STATUTORY,
        quote: "Objective: Provide services for children 'looked after' or at risk of \"significant harm\".",
        harm: false,
    },
];

pub(crate) fn indicator(code: &str) -> Option<&'static IndicatorDef> {
    INDICATORS.iter().find(|x| x.code == code)
}

pub(crate) fn indicators() -> Vec<Indicator> {
    INDICATORS.iter().map(IndicatorDef::to_pb).collect()
}

pub(crate) const PRE_CAF_CHECKLIST: &str = "PRE_CAF_CHECKLIST";
pub(crate) const AGENCY_SPECIFIC_TOOL: &str = "AGENCY_SPECIFIC_TOOL";
pub(crate) const CAF_FORM: &str = "CAF_FORM";
pub(crate) const CAF_ACTION_PLAN: &str = "CAF_ACTION_PLAN";
pub(crate) const CAF_REVIEW_FORM: &str = "CAF_REVIEW_FORM";
pub(crate) const TARGETED_WORK_SUMMARY: &str = "TARGETED_WORK_SUMMARY";

pub(crate) fn forms() -> Vec<Form> {
    let form = |code: &str, name: &str, citation: Citation| Form {
        code: code.to_owned(),
        name: name.to_owned(),
        citation: Some(citation),
    };
    vec![
        form(
            PRE_CAF_CHECKLIST,
            "Pre-CAF Checklist",
            m(
                M_G_PRE_CAF,
                "This document allows you to decide whether it is appropriate to initiate an inter-agency \"Common Assessment\".",
            ),
        ),
        form(
            AGENCY_SPECIFIC_TOOL,
            "Agency specific tool (in place of the Pre-CAF Checklist)",
            m(M_CASE_UNIVERSAL, Q_PRE_CAF),
        ),
        form(
            CAF_FORM,
            "CAF Form (Common Assessment Framework assessment)",
            m(
                M_G_CAF,
                "It combines guidance on good working practices with a specific document to record an inter-agency assessment and action plan to meet the needs of children and young people.",
            ),
        ),
        form(
            CAF_ACTION_PLAN,
            "CAF Action Plan",
            m(
                M_G_ACTION_PLAN,
                "The Action plan records: “What needs to change”, “who will do it”, “by when” and “how will you know when things have improved?”",
            ),
        ),
        form(
            CAF_REVIEW_FORM,
            "CAF Review Form",
            m(M_CASE_REVIEW, Q_REVIEW_FORM),
        ),
        form(
            TARGETED_WORK_SUMMARY,
            "Summary of targeted work (agency specific document, updated holistic assessment or \
             bespoke report)",
            m(
                M_CASE_TARGETED_REVIEW,
                "Once the targeted work is completed the relevant practitioner completes a summary of their work (Using an agency specific document, an updated holistic assessment or a bespoke report.)",
            ),
        ),
    ]
}

pub(crate) fn sources() -> Vec<Citation> {
    vec![
        t(T_LEVEL3, "Level 3 Targeted Support"),
        m(
            M_SUMMARY,
            "This practice tool replaces IWG 10 “Thresholds of Need for Intervention”.",
        ),
    ]
}

/// The two texts, by the file paths the citations name. Neither states a date: the Level 3 page
/// ends "Last updated:" with none, so `published` is empty.
pub(crate) fn documents() -> Vec<Source> {
    let doc = |id: &str, title: &str| Source {
        id: id.to_owned(),
        title: title.to_owned(),
        url: String::new(),
        reference: id.rsplit('/').next().unwrap_or(id).to_owned(),
        published: String::new(),
        retrieved: String::new(),
    };
    vec![
        doc(TARGETED, "Level 3 Targeted Support"),
        doc(
            MODEL,
            "Meeting need... “A Model for Child-Centred Working”. For managers and staff working \
             with Children & Young People in the Bradford District",
        ),
    ]
}

/// Where the texts (or two sections of one) disagree, what each says and which the plugin
/// follows.
pub(crate) fn conflicts() -> Vec<SourceConflict> {
    vec![
        SourceConflict {
            topic: "Office-hours advice and referral number".into(),
            claims: vec![
                m(M_WHAT_TO_DO, Q_ICP),
                t(T_HOW_TO_REFER, Q_NOW_HAS_LINE),
                t(T_HOW_TO_REFER, Q_CALL),
            ],
            followed: 1,
            reason: "The older text gives the Initial Contact Point, 01274 437500, as the number \
                     to ring in office hours \"for advice and to make a referral\"; the newer \
                     text says Children's Services \"now has\" a dedicated practitioners' advice \
                     and referral number, 01274 433999, with the same hours. The newer text is \
                     followed (its \"now has\" reads as replacing the earlier arrangement): \
                     advice, early help requests and safeguarding referrals in office hours go to \
                     01274 433999; the Initial Contact Point is listed for reference only. The \
                     out-of-hours Emergency Duty Team (01274 431010) and the police (999) are in \
                     the older text only and are kept."
                .into(),
        },
        SourceConflict {
            topic: "CAF Administration Team e-mail address (two sections of the older text)".into(),
            claims: vec![
                m(M_SUMMARY, Q_CAF_ADMIN_HEADER),
                m(M_G_CAF_ADMIN, Q_CAF_ADMIN_CONTACT),
            ],
            followed: 1,
            reason: "The contacts under the summary give \"cafhelppdesk.bradford.gov.uk\", which \
                     is not an e-mail address (it has no @); the glossary gives \
                     \"cafhelppdesk@bradford.gov.uk\". The glossary's address is followed. The \
                     two sections agree on the telephone numbers."
                .into(),
        },
    ]
}

pub(crate) fn gaps() -> Vec<Gap> {
    let gap = |topic: &str, note: &str, citation: Citation| Gap {
        topic: topic.to_owned(),
        note: note.to_owned(),
        citation: Some(citation),
    };
    vec![
        gap(
            "Which text is newer",
            "Neither text is dated. The Level 3 Targeted Support page is treated as newer: it \
             says Children's Services \"now has\" a dedicated practitioners' advice and referral \
             number, numbers the levels 1-4 and refers to the Continuum of Need document, Family \
             Support Workers and Team Around the Family meetings. A Model for Child-Centred \
             Working is treated as older: it is framed by Every Child Matters, the Children's \
             Trust, the Bradford Safeguarding Children Board, DCSF web links, the CAF and \
             \"Enhanced Criminal Records Bureau\" checks. Where they differ the Level 3 text \
             stands.",
            t(T_HOW_TO_REFER, Q_NOW_HAS_LINE),
        ),
        gap(
            "Mapping the four tiers to Levels 1-4",
            "The older text has four tiers (Universal; Prevention and early intervention; \
             Targeted child and family support; Statutory and safeguarding); the newer text \
             numbers levels and describes Level 3 (targeted support, Family Support Worker), \
             Level 2 (a Lead Practitioner response) and Level 4 (statutory response from \
             Children's Social Care). The plugin maps the tiers to Levels 1-4 in order. The older \
             text places children \"in need\" under section 17 in the targeted tier, so section 17 \
             indicators are at Level 3; the referral of a child in need to Children's Social Care \
             is a Level 4 decision taken in the TAF or at an allocation meeting.",
            m(
                M_FOREWORD,
                "Targeted Child and Family Support services: Supporting “children in need” under Section 17 of the Children Act 1989.",
            ),
        ),
        gap(
            "Indicator catalogue",
            "Neither text has a catalogue of indicators per level and domain; the older text \
             says it does not give hard and fast definitions. The catalogue holds the level \
             descriptions, the Pre-CAF and \"in need\" tests, the statutory definitions of harm and \
             the case study's concerns, each at the level the text puts it. Domains and areas are \
             the plugin's assignment; the text does not give them. The level descriptions (and the \
             Pre-CAF and \"cannot be provided by the current team\" tests) are not \
             domain-specific, so their domain is left unspecified. Other concerns are entered as \
             free text and need professional judgement.",
            m(M_FOREWORD, Q_NOT_HARD_AND_FAST),
        ),
        gap(
            "Accumulation of concerns",
            "The texts state no accumulation rule (no number of lower-level concerns that adds \
             up to a higher level). The case study steps up to emerging needs because of several \
             concerns together and the likely need for inter-agency support, through the Pre-CAF \
             Checklist, i.e. by judgement. The plugin recommends the highest level among the \
             matched indicators and never raises a level by counting.",
            m(M_CASE_UNIVERSAL, Q_PRE_CAF),
        ),
        gap(
            "Proceeding without consent",
            "The texts do not state the rule that a child at risk of significant harm is \
             referred even when consent is refused; the older text refers practitioners to the \
             Bradford Information Sharing Guidance for when to act without consent, and says you \
             must not keep such concerns to yourself. The plugin applies the rule (refer without \
             delay, record the reason for proceeding without consent).",
            m(M_G_CONSENT, Q_CONSENT_WITHOUT),
        ),
        gap(
            "Consent for a Level 3 referral and a Level 4 referral without significant harm",
            "The Level 3 text says nothing about consent. The plugin takes consent as required \
             for Levels 2 and 3 from the older text's case study (\"obtaining both consent\", \
             \"With Sally's consent\") and, conservatively, for a Level 4 referral where \
             significant harm is not suspected.",
            m(M_CASE_COMPLEX, Q_TARGETED_CONSENT),
        ),
        gap(
            "CAF Administration Team hours",
            "The text gives the CAF Administration Team's numbers and e-mail but no hours. The \
             plugin lists it with the office hours the same text gives for the Initial Contact \
             Point, closed on bank holidays (an assumption, marked in the contact point's notes).",
            m(M_G_CAF_ADMIN, Q_CAF_ADMIN_CONTACT),
        ),
        gap(
            "Out-of-hours line for early help requests",
            "The texts name no out-of-hours line for requests for early help; the Emergency Duty \
             Team is named for concerns about abuse or significant harm, the police for immediate \
             risk. An early help request waits for 01274 433999 to open.",
            t(T_OPENING_HOURS, Q_HOURS),
        ),
        gap(
            "Panel sittings",
            "No panel or meeting has a stated day or cadence: not the locality team that accepts \
             Level 3 cases, not the Children's Social Care allocation meeting, not the TAF/TAC \
             meetings (which are per case: first within 8 weeks of allocation, then 8-weekly at \
             Level 3). The plugin gives cadence \"as needed\", weekday unspecified and no next \
             sitting.",
            t(T_INCREASES, Q_UP_ALLOCATION),
        ),
        gap(
            "Locality team decisions: no decline or deferral",
            "The Level 3 text says only that a case is \"accepted in the locality team\" and then \
             allocated to a Family Support Worker. It does not say whether or how the locality \
             team declines a Level 3 request, with or without reasons, or defers one to a later \
             sitting. The locality team's only decision option is ACCEPT_ALLOCATE_FSW (accept at \
             Level 3); no decline or deferral option is invented.",
            t(T_CONTACT_TIMESCALES, Q_ALLOCATED_48H),
        ),
        gap(
            "Allocation meeting decisions: reasons for not stepping up; no deferral",
            "The texts speak of \"a decision not to increase the response to Level 4\" that a \
             professional can escalate, which is the allocation meeting's DO_NOT_STEP_UP option \
             (decline); they do not say that it must give reasons: the plugin requires reasons \
             (conservative) because the decision can be escalated. They say nothing of deferring \
             a step up to a later allocation meeting: no deferral option.",
            t(T_INCREASES, Q_ESCALATE),
        ),
        gap(
            "Step up or transfer in to Level 3 waits for the locality team",
            "The Level 3 text says a case is allocated to a Family Support Worker after \"it being \
             accepted in the locality team\", but not how a Level 2 case (or a family moving in) \
             reaches the team. The plugin reads a step up or transfer in to Level 3 as a Level 3 \
             referral: the move waits for the locality team (the main panel) to accept the case \
             (BRA-TR-LOCALITY-ACCEPTED, decided by the panel, met by ACCEPT_ALLOCATE_FSW). A step \
             down from Level 4 to Level 3 is not put to the locality team: the texts are silent.",
            t(T_CONTACT_TIMESCALES, Q_ALLOCATED_48H),
        ),
        gap(
            "Who decides a step up to Level 4",
            "The Level 3 text gives two routes: a \"multi-agency decision\" within TAF meetings, \
             and the Family Support Worker attending an allocation meeting with Children's Social \
             Care at any point to discuss the step up. A condition has one decider: the \
             plugin names the TAF meeting (the sentence that calls it a decision), and also \
             counts the allocation meeting's STEP_UP_TO_LEVEL_4 decision, or an allocation \
             meeting held, as meeting it; its DO_NOT_STEP_UP decision leaves it unmet.",
            t(T_INCREASES, Q_UP_TAF),
        ),
        gap(
            "TAF and review meetings are not panels",
            "The TAF / TAC and review meetings decide a step up to Level 4, a step down and a \
             closure (the review meeting's \"3 general outcomes\"), but they are held per case, \
             not as sittings of a panel: the conditions they decide are decided by a meeting \
             (met once a meeting of the right kind is held; the request carries no meeting \
             outcome, so the outcome is for the practitioner to record), and they are not listed \
             as panels.",
            m(M_CASE_REVIEW, Q_THREE_OUTCOMES),
        ),
        gap(
            "No transition waits for a manager",
            "The texts give line managers a part in safeguarding concerns (\"talk to your line \
             manager\") and in resolving differences between practitioners, but no step up, step \
             down or closure is decided by a manager: no condition is decided by a manager, and \
             a manager's agreement on a request changes nothing.",
            m(
                M_RESOLVING,
                "5) The respective line managers pursue the matter to a conclusion.",
            ),
        ),
        gap(
            "Escalation procedure",
            "The Level 3 text says \"there is a mechanism in place to escalate\" without \
             describing it; the older text's resolving-differences steps and BSCB Procedures \
             section 7.1.2 are the closest description.",
            m(
                M_RESOLVING,
                "In respect of differences of opinion regarding Safeguarding issues, there is a formal procedure which can be accessed via Section 7.1.2 of the BSCB Procedures.",
            ),
        ),
        gap(
            "Level 2 review interval",
            "The older text says the TAC meeting arranges a review date and the Action Plan says \
             when a review meeting will take place, but gives no interval. No Level 2 timescale \
             is encoded.",
            m(M_CASE_EMERGING, Q_REVIEW_DATE),
        ),
        gap(
            "45-day assessment: calendar or working days",
            "The Level 3 text says \"within 45 days of allocation\" without saying working days; \
             elsewhere it says \"working days\" when it means them. The plugin reads calendar \
             days (the earlier deadline).",
            t(
                T_MEETING_TIMESCALES,
                "An assessment will be completed within 45 days of allocation.",
            ),
        ),
        gap(
            "First home visit: counted from",
            "\"The visit should take place within a 2-week period (10 working days)\" does not say \
             from what (allocation or the phone call). The plugin counts from allocation (the \
             earlier deadline).",
            t(
                T_CONTACT_TIMESCALES,
                "The visit should take place within a 2-week period (10 working days).",
            ),
        ),
        gap(
            "Timescales for referral decisions, step up, step down and Levels 1, 2 and 4",
            "The texts give no timescale for deciding on a referral, for a step up or step down, \
             or for any Level 1, 2 or 4 event; the timescales answer is empty for them. A case \
             stepped up or transferred in to Level 3 moves once the locality team accepted it, so \
             the 48-hour allocation to a Family Support Worker starts when it has stepped up \
             (STEPPED_UP) or transferred in, as for an accepted referral; a case stepped down to \
             Level 3 is read as accepted when it arrives (an interpretation).",
            t(T_CONTACT_TIMESCALES, Q_ALLOCATED_48H),
        ),
        gap(
            "What meets the 45-day assessment",
            "The text says an assessment is completed within 45 days of allocation but no case \
             event records an assessment as completed. The plugin takes agreeing the plan \
             (PLAN_AGREED) as meeting it: the older text says the purpose of the assessment is to \
             agree an Action Plan, and the newer text's first TAF meeting agrees \"the assessment \
             and plan\" together.",
            m(
                M_G_ACTION_PLAN,
                "The purpose of assessment process is to agree an “Action Plan” involving the Team Around the Child and the child / young person and their family.",
            ),
        ),
        gap(
            "Which meetings are TAF meetings; visits",
            "The timescales name TAF meetings and visits; the case records meetings by kind and \
             contacts by kind. The plugin counts a team meeting, a review, a step-down meeting \
             and the final meeting as TAF meetings for the 8-weekly cadence (the text reviews \
             the level of need and decides a step down within TAF meetings, and holds a final \
             TAF meeting), a team meeting or a review as the first TAF meeting, and only home \
             visits as the 3-weekly visits (the section speaks of the \"first home visit\").",
            t(T_DECREASES, Q_DOWN),
        ),
        gap(
            "Final TAF meeting before closure",
            "\"Final TAF meeting to be held before case is closed\" states an order, not a span, \
             so it is not a deadline: the transition check (BRA-TR-FINAL-TAF) refuses to close a \
             Level 3 case, or step it down below Level 2, without a final meeting, and a final \
             meeting meets the 8-weekly TAF deadline.",
            t(T_MEETING_TIMESCALES, Q_FINAL_TAF),
        ),
        gap(
            "Step down and closure from Level 4",
            "The texts set no conditions for stepping down or closing from Level 4. The plugin \
             requires a multi-agency meeting (TAF/review) so that no agency disengages before \
             colleagues are informed.",
            m(M_G_STEP, Q_NO_DISENGAGE),
        ),
        gap(
            "Step across",
            "The texts do not describe a step across. The plugin requires a team or review \
             meeting at which the agency leaving updates the Team Around the Child and Lead \
             Practitioner.",
            m(M_G_STEP, Q_DISENGAGE_UPDATE),
        ),
        gap(
            "Transfer in",
            "The texts say nothing about families moving in from another authority. The plugin \
             applies the consent and significant-harm rules of the level the case comes in at, \
             and at Level 3 waits for the locality team to accept the case.",
            m(M_G_STEP, Q_DIFFERENT_SERVICES),
        ),
        gap(
            "Age range extensions",
            "The text extends the range to 24 \"In some agencies where services are appropriate \
             to enable the young person to have a smooth transition to adult services\": which \
             agencies, and when it is appropriate, is their judgement, not a fact the service \
             holds, so that extension's circumstance is unspecified and it is never applied (an \
             18- to 24-year-old without another extension is outside the range). The looked-after \
             (to 20) and learning difficulty or disability (to 24) extensions are applied from \
             the request's ChildAge.",
            m(M_G_AGES, Q_AGES_TRANSITION),
        ),
        gap(
            "Ages of levels and services",
            "The texts give one age range (unborn from 24 weeks of gestation to 17, with its \
             extensions) for \"children, young people\" throughout; no level, service or contact \
             point states ages of its own, so none has `ages` set.",
            m(M_G_AGES, Q_AGES),
        ),
        gap(
            "Timescales for an unborn child",
            "The texts give no timescales of their own for an unborn child (no pre-birth \
             assessment or meeting dates): the Level 3 Family Support Worker timescales apply to \
             every child, unborn children included (the case study's young person is 5 months \
             pregnant, with no different timescales). No rule is only for a circumstance.",
            t(T_CONTACT_TIMESCALES, Q_ALLOCATED_48H),
        ),
        gap(
            "Advice and referral line on bank holidays",
            "The Level 3 text gives the line's hours as \"Monday to Thursday 8.30am to 5.00pm\" \
             and \"Fridays 8.30am to 4.30pm\" and says nothing about bank holidays. The plugin \
             reads the line as closed on bank holidays (an office-hours line), so on a bank \
             holiday it next opens on the next working day, and a safeguarding referral or a \
             request for advice is pointed to the Emergency Duty Team meanwhile.",
            t(T_OPENING_HOURS, Q_HOURS),
        ),
        gap(
            "Office hours and the Emergency Duty Team on bank holidays",
            "The older text gives office hours (\"8.30 - 5.00 Monday to Thursday, 4.30 on \
             Friday\") for the Initial Contact Point and the Emergency Duty Team \"At all other \
             times\"; it does not name bank holidays. The plugin reads bank holidays as outside \
             office hours: the Initial Contact Point (and the CAF Administration Team, given the \
             same hours) closed, the Emergency Duty Team open all day, from midnight until 8.30 \
             the next morning. On other days the Emergency Duty Team's hours run past midnight: \
             from 5.00pm (4.30pm on Friday) to 8.30 the next morning, and round the clock at the \
             weekend.",
            m(M_WHAT_TO_DO, Q_EDT),
        ),
        gap(
            "The allocated worker's and the Lead Practitioner's number and hours",
            "The Level 3 text says that once a case is allocated the caller is given the name and \
             direct contact details of the worker supporting the family; the older text makes the \
             Lead Practitioner the single point of contact for colleagues and families. Neither \
             gives a number or hours: the contact points say how to reach them (with the advice \
             and referral line, or the CAF Administration Team's register, when the caller lacks \
             the details) and carry the advice and referral line's hours, closed on bank \
             holidays, as the plugin's assumption.",
            t(T_HOW_TO_REFER, Q_ALLOCATED_WORKER),
        ),
        gap(
            "Contacts about a child with an open case",
            "Only an allocated Level 3 case has a worker whose direct contact details the caller \
             is given; a Level 2 case has its Lead Practitioner. Advice and early help requests \
             about such a child go to them. The texts name no contact for an open Level 1 or \
             Level 4 case or one whose level the caller does not know: those go to the advice and \
             referral line. A concern that a child is being abused or at risk of significant harm \
             is referred on the advice and referral numbers (the Emergency Duty Team out of \
             hours) whatever the case history: the texts route such concerns there and say \
             \"You must not keep these concerns to yourself\".",
            m(M_WHAT_TO_DO, Q_NOT_KEEP),
        ),
        gap(
            "Contacts after a case has closed",
            "The texts say nothing of contacts about a child whose case has closed (nor of \
             re-referral within some period): the plugin routes them as new contacts. At a Level 3 \
             case's final TAF meeting a Lead Practitioner is identified and agreed, who may still \
             be involved; the request does not say so, so the route does not depend on it.",
            t(T_MEETING_TIMESCALES, Q_FINAL_TAF),
        ),
        gap(
            "Urgency, channel and follow-ups",
            "The texts give telephone numbers (\"Call 01274 433999\", \"the numbers that you can \
             ring\") and no form or e-mail for referrals, do not route urgent and non-urgent \
             contacts differently, and oblige the caller to nothing after the call (no written \
             follow-up). The plugin answers by telephone (the allocated worker and Lead \
             Practitioner as how_to_reach says), whatever the urgency, with no follow-ups.",
            t(T_HOW_TO_REFER, Q_CALL),
        ),
    ]
}
