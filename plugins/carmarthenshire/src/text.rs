//! The source text: its file, section headings and the sentences the rules rely on, verbatim.

use continuum_plugin_api::cite;
use continuum_plugin_api::pb::Citation;

/// The one published procedure this plugin encodes.
pub const SOURCE: &str = "shared/seeds/004_409172220b5d16c4.txt";

pub const TITLE: &str = "Appendix 5 - Protocols for STEP UP, STEP DOWN and step across for Team Around the Family (TAF) and statutory Children's Social Services (Carmarthenshire), October 2017, reviewed October 2021";

/// The document's title, as its heading gives it.
pub const DOC_TITLE: &str = "APPENDIX 5: Protocols for STEP UP, STEP DOWN and step across for Team Around the Family (TAF) and statutory Children's Social Services (Carmarthenshire)";

/// The file name, as a document reference.
pub const FILE_NAME: &str = "004_409172220b5d16c4.txt";

// Section headings, as the text gives them.
pub const S_HEADING: &str = "APPENDIX 5";
pub const S_INTRO: &str = "1. Introduction";
pub const S_AIM: &str = "2. The aim of the protocol";
pub const S_REFERRALS: &str = "4. Referrals to TAF";
pub const S_PROCESS: &str = "5. Process";
pub const S_STEP_DOWN: &str = "6. Step Down Cases";
pub const S_SD_UNDER_8: &str =
    "6. Step Down Cases - For Cases open to social services, less than 8 weeks";
pub const S_SD_OVER_8: &str =
    "6. Step Down Cases - For Cases open to Social Services for 8 weeks or more";
pub const S_STEP_UP: &str = "7. Step Up Cases";
pub const S_STEP_ACROSS: &str = "8. Step Across";
pub const S_PW_UP: &str =
    "Pathway to step up from TAF to statutory services both single agency and multi agency";
pub const S_PW_DOWN: &str = "Pathway to step down from statutory services to TAF";
pub const S_PW_ACROSS: &str = "Pathway to step across from CRT to TAF";

// The heading: the document's review date (a month and a year, no day).
pub const Q_REVIEWED: &str = "Reviewed: October 2021";

// 1. Introduction
pub const Q_TITLE: &str = "Protocols for STEP UP, STEP DOWN and step across for Team Around the Family (TAF) and statutory Children's Social Services (Carmarthenshire)";
pub const Q_AGE: &str = "We work with children and young people from 0 until 25.";
pub const Q_WELLBEING: &str = "Well-being means a person is happy, healthy and is comfortable with their life and what they do.";
pub const Q_EXTRA_HELP: &str = "Everyone is entitled to well-being, and everyone has responsibility for their own well-being, but some people need extra help to achieve this";
pub const Q_ADVERSE: &str = "It is part of the preventative services that help to support families facing adverse circumstances often experienced by us all in our day to day lives, but where a family needs extra support, help and guidance.";
pub const Q_VOLUNTARY: &str =
    "It is a voluntary approach, and a family can withdraw at any time, or refuse the service.";
pub const Q_NOT_ENGAGE: &str =
    "TAF do not engage with a family if they do not want the team involved.";
pub const Q_OVERRIDE: &str = "This is overridden (in line with the All Wales Child Protection Procedures) where there are concerns regarding a child being exposed to the risk of significant harm.";
pub const Q_SAFETY_STEP_UP: &str =
    "Where concerns arise concerning the safety of a child the step-up procedure is followed.";
pub const Q_FIVE: &str = "Within the Mid and West Wales Collaboration Document, 'The Right Help at the Right Time' five categories of support have been identified";
pub const Q_UNIVERSAL: &str = "Universal support,";
pub const Q_TAF_ARENAS: &str =
    "TAF can operate within the enhanced support and targeted support arenas.";
pub const Q_TAF_PRIMARILY: &str = "However it primarily works in the targeted support arena with families and young people who are experiencing difficulties and need a coordinated response.";

// 2. The aim of the protocol
pub const Q_STEP_UP_DEF: &str = "Step up is where a service request is made to Children's Social Services in relation to a child or young person currently supported by a TAF support plan.";
pub const Q_STEP_DOWN_DEF: &str = "Step down is where a request is made by the statutory service in relation to a child currently supported by them, for a coordinated, multi-agency preventative response that allows the case to be closed to the statutory service.";
pub const Q_STEP_ACROSS_DEF: &str = "Step across is where a person has contacted the Central Referral Team, and the threshold for statutory intervention has not been met but the family are requesting support.";

// 4. Referrals to TAF
pub const Q_REFERRALS_JAFF: &str =
    "All referrals that come into TAF should be on Joint Assessment Family Framework Part 1.";
pub const Q_ALLOC_WEEKLY: &str = "Allocation meetings are held weekly at which the TAF coordinator is appointed, and possible supporting agencies identified.";
pub const Q_KEYWORKER_PART2: &str = "The keyworker is responsible for completing part 2 of the Joint Assessment and build a plan of support for the family or young person.";
pub const Q_REVIEW: &str = "This plan is regularly reviewed with the family, at least 3 monthly.";
pub const Q_OVERALL_AIM: &str = "The overall aim is to support a family to a position when they can once again function without outside support by building links within the wider family and community.";
pub const Q_REFER_AGAIN: &str = "Some people will require help on and off throughout their lives and families can be referred more than once.";

// 5. Process
pub const Q_CYSUR_BASIS: &str = "TAF conforms to the Mid and West Wales approach as described within the CYSUR document 'The Right Help at the Right Time' and will use the eligibility for support in this document as the basis of discussion in step up/ step down procedures.";

// 6. Step Down Cases
pub const Q_SD_PRIMARY: &str = "This is primarily for cases open to social services where the need for an acute high end service is no longer the case but the family still have a need, and are accepting of support.";
pub const Q_SAFETY_PLAN: &str =
    "The family must be able to manage their own safety plan as TAF do not manage safety plans.";
pub const Q_UNDER_8_CLOSE: &str = "Where a case has been open to an assessment team, for less than 8 weeks, to complete an investigation, or an assessment, and the decision at the end of this process is that there is no further need of social service intervention; the case should be closed to the department as no further action is required.";
pub const Q_UNDER_8_JAFF: &str = "However, should the family in discussion with the social worker wish – or need to receive ongoing support they should be assisted to complete Part 1 of the JAFF and proceed as below, or simply be provided with the paperwork for them to make the choice of self- referring to TAF.";
pub const Q_VERBAL_NOTE: &str =
    "Where the family have given verbal consent the social worker needs to note this on the form.";
pub const Q_TAF_BOX: &str = "This form is to be sent to the TAF box";
/// The same sentence with the address the text gives (a link in the source).
pub const Q_TAF_BOX_AT: &str =
    "This form is to be sent to the TAF box; at TAF@carmarthenshire.gov.uk";
pub const Q_OVER_8_OPEN: &str = "Where a case has been open to the social services either at Assessment Team, or Child care Team, for 8 weeks or longer";
pub const Q_OVER_8_JAFF: &str = "The Social Worker needs to fully complete Joint Assessment Family Framework (JAFF) part 1 form and to include clear outcomes for intervention identified with the family; signed family consent for the referral and information sharing.";
pub const Q_NEXT_ALLOC_WED: &str = "The referral will come to the next TAF allocation meeting (weekly, on a Wednesday at the present time) for consideration, it is here where suitability for TAF will be discussed.";
pub const Q_DECISIONS: &str = "The case will either be accepted for the TAF multi-agency, single agency, or declined as not appropriate.";
pub const Q_COORDINATOR_IDENTIFIED: &str = "A TAF coordinator will be identified, to process the support from this point if the referral is accepted as TAF, either single or multi agency";
pub const Q_DECLINE_REASONS: &str = "If the referral is declined, then the TAF coordinator will contact the referrer to explain the reasons or this, after the allocation meeting.";
pub const Q_SOCIAL_WORKER: &str = "The TAF coordinator will contact the social worker to discuss the decision made at allocation.";
pub const Q_STEPDOWN_MEETING: &str = "If the case is accepted by TAF, a stepdown meeting will take place, between the coordinator, the social worker, and the family to discuss contents of the JAFF part 1, in the interests of transparency.";

// 7. Step Up Cases
pub const Q_SU_KEYWORKER: &str = "This is when the keyworker, identifies with the TAF coordinator, that the situation in the family has reached a point whereby they think that the child and family are in need of an assessment for care and support by social services.";
pub const Q_SU_DISCUSS: &str =
    "The TAF Coordinator will discuss the case with the TAF Manager regarding their concerns.";
pub const Q_SU_CRT_CONSULT: &str = "If it is agreed, the coordinator may contact the Central Referral Team (CRT) Manager for a consultation.";
/// The two sentences together: the TAF Manager's agreement comes before a step up goes to CRT.
pub const Q_SU_DISCUSS_AGREED: &str = "The TAF Coordinator will discuss the case with the TAF Manager regarding their concerns. If it is agreed, the coordinator may contact the Central Referral Team (CRT) Manager for a consultation.";
pub const Q_SU_PROTECTION: &str = "If a child is in need of protection and urgent safeguarding a multiagency referral is to be completed by the TAF keyworker, with support from the TAF coordinator or the TAF manager along with a telephone communication with the Manager of CRT.";
pub const Q_SU_DISAGREE: &str = "If there are any disagreements over thresholds of intervention, the Manager of TAF and the Manager of CRT, will consult together";
pub const Q_SU_NO_DELAY: &str = "It is important that at no time should there be any delay in this process that would leave a child exposed to risk of significant harm.";
pub const Q_SU_IMMEDIATE: &str = "If a child is at risk of immediate harm or a disclosure has been made, a referral should be made to CRT.";
pub const Q_SU_S47: &str = "When TAF must step up a case and when a S47 is needed, TAF will not close the case until discussions regarding the outcome of the S47 has occurred between the teams.";
pub const Q_SU_SINGLE: &str = "With single agency cases before stepping up the keyworker consults with the TAF manager or coordinator if a multi-agency team should be the next step.";
pub const Q_SU_MARF: &str =
    "If this is not done the single agency reflects this in the MARF and the reasons for this.";

// 8. Step Across
pub const Q_SA_GATEWAY: &str = "The Central Referral Team are the 'gateway' into social care services for children and families.";
pub const Q_SA_SIGNPOST: &str = "The CRT can directly signpost a family to a single agency";
pub const Q_SA_TEAM: &str = "but where the issues appear to need a team approach the CRT will refer direct to the TAF central support and coordinating team for the weekly allocation discussion.";
pub const Q_SA_UNCLEAR: &str =
    "If unclear, then CRT can phone, or e mail a TAF Coordinator or the Manager to discuss.";
pub const Q_SA_JAFF: &str = "If referring to TAF for single or multi agency support, CRT are to complete Joint Assessment Family Framework (JAFF) part 1 form to include clear outcomes for intervention identified with the family and signed that family have given verbal consent for the referral and information sharing.";
pub const Q_SA_ALLOC: &str = "The referral will come to next TAF allocation meeting (weekly) for consideration, where the suitability for TAF will be discussed.";
pub const Q_SA_DECISIONS: &str =
    "The case will either be accepted as TAF multi-agency, TAF single agency, or be declined.";
pub const Q_SA_DECLINE: &str = "If the referral is declined, then the TAF coordinator will contact the referrer to explain the reasons, after the allocation meeting.";

// The pathways at the end of the text.
pub const Q_PW_UP_NO_DELAY: &str = "At no time should there be any delay in the process that could leave a child exposed to risk of significant harm, including differences in professional opinion.";
pub const Q_PW_UP_NOT_AVAILABLE: &str =
    "If TAF manager not available, then discussion is direct with manager of CRT.";
pub const Q_PW_UP_URGENT: &str = "If a child is in need of protection and urgent safeguarding a referral to be completed by the TAF keyworker, with support from TAF coordinator or TAF manager along with telephone communication with Manager or deputy of CRT.";
pub const Q_PW_DOWN_UNDER_8: &str = "If Case open to Social Services for under 8 weeks then case should be closed if no further intervention is required from statutory services.";
pub const Q_PW_DOWN_CLOSED: &str = "Case then closed to statutory Children's Services from this agreed date, provided records on Care First are complete.";
pub const Q_PW_ACROSS_JAFF: &str = "CRT to fully complete Joint Assessment Family Framework (JAFF) part 1 form to include clear outcomes for intervention identified with the family; signed that family have given verbal consent for the referral and information sharing.";

/// A citation of the source text.
pub fn c(section: &str, quote: &str) -> Citation {
    cite(SOURCE, section, quote)
}

/// Every quote above, for the test that they appear in the text.
#[cfg(test)]
pub const ALL_QUOTES: &[&str] = &[
    Q_REVIEWED,
    Q_TITLE,
    Q_AGE,
    Q_WELLBEING,
    Q_EXTRA_HELP,
    Q_ADVERSE,
    Q_VOLUNTARY,
    Q_NOT_ENGAGE,
    Q_OVERRIDE,
    Q_SAFETY_STEP_UP,
    Q_FIVE,
    Q_UNIVERSAL,
    Q_TAF_ARENAS,
    Q_TAF_PRIMARILY,
    Q_STEP_UP_DEF,
    Q_STEP_DOWN_DEF,
    Q_STEP_ACROSS_DEF,
    Q_REFERRALS_JAFF,
    Q_ALLOC_WEEKLY,
    Q_KEYWORKER_PART2,
    Q_REVIEW,
    Q_OVERALL_AIM,
    Q_REFER_AGAIN,
    Q_CYSUR_BASIS,
    Q_SD_PRIMARY,
    Q_SAFETY_PLAN,
    Q_UNDER_8_CLOSE,
    Q_UNDER_8_JAFF,
    Q_VERBAL_NOTE,
    Q_TAF_BOX,
    Q_TAF_BOX_AT,
    Q_OVER_8_OPEN,
    Q_OVER_8_JAFF,
    Q_NEXT_ALLOC_WED,
    Q_DECISIONS,
    Q_COORDINATOR_IDENTIFIED,
    Q_DECLINE_REASONS,
    Q_SOCIAL_WORKER,
    Q_STEPDOWN_MEETING,
    Q_SU_KEYWORKER,
    Q_SU_DISCUSS,
    Q_SU_CRT_CONSULT,
    Q_SU_DISCUSS_AGREED,
    Q_SU_PROTECTION,
    Q_SU_DISAGREE,
    Q_SU_NO_DELAY,
    Q_SU_IMMEDIATE,
    Q_SU_S47,
    Q_SU_SINGLE,
    Q_SU_MARF,
    Q_SA_GATEWAY,
    Q_SA_SIGNPOST,
    Q_SA_TEAM,
    Q_SA_UNCLEAR,
    Q_SA_JAFF,
    Q_SA_ALLOC,
    Q_SA_DECISIONS,
    Q_SA_DECLINE,
    Q_PW_UP_NO_DELAY,
    Q_PW_UP_NOT_AVAILABLE,
    Q_PW_UP_URGENT,
    Q_PW_DOWN_UNDER_8,
    Q_PW_DOWN_CLOSED,
    Q_PW_ACROSS_JAFF,
];
