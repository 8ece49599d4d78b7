//! The two Bradford source texts and citation helpers.

use continuum_plugin_api::{cite, pb::Citation};

/// "Level 3 Targeted Support" (Bradford Children's Services web page). The newer text: it says
/// Children's Services "now has" a dedicated practitioners' advice and referral number, numbers
/// the levels 1-4 (Level 4 = statutory response from Children's Social Care), refers to the
/// Continuum of Need document and to Family Support Workers and Team Around the Family meetings.
pub(crate) const TARGETED: &str = "shared/seeds/000_71bedd854c988f75.txt";

/// "Meeting need... A Model for Child-Centred Working" (Bradford District practice tool). The
/// older text: it replaces IWG 10, is framed by the Every Child Matters agenda, the Children's
/// Trust, the Bradford Safeguarding Children Board, DCSF web links, the CAF and "Enhanced
/// Criminal Records Bureau" checks, all of which predate the newer text.
pub(crate) const MODEL: &str = "shared/seeds/002_2258f4b7c0005b84.txt";

/// Cite the Level 3 Targeted Support text (the newer text).
pub(crate) fn t(section: &str, quote: &str) -> Citation {
    cite(TARGETED, section, quote)
}

/// Cite "A Model for Child-Centred Working" (the older text).
pub(crate) fn m(section: &str, quote: &str) -> Citation {
    cite(MODEL, section, quote)
}

// Section headings, as the texts give them.
pub(crate) const T_LEVEL3: &str = "Level 3 Targeted Support";
pub(crate) const T_HOW_TO_REFER: &str = "How to refer a child/family";
pub(crate) const T_BEFORE_REFERRAL: &str = "How to refer a child/family: Before making a referral";
pub(crate) const T_OPENING_HOURS: &str = "How to refer a child/family: Opening hours";
pub(crate) const T_CONTACT_TIMESCALES: &str =
    "Family Support Workers Role and Reponsibilities: Timescales for contact";
pub(crate) const T_MEETING_TIMESCALES: &str =
    "Family Support Workers Role and Reponsibilities: Timescales for assessments and meetings";
pub(crate) const T_INCREASES: &str = "If the level of need increases";
pub(crate) const T_DECREASES: &str = "If the level decreases";

pub(crate) const M_SUMMARY: &str = "Summary";
pub(crate) const M_FOREWORD: &str = "Foreword";
pub(crate) const M_WHAT_TO_DO: &str =
    "What to do if you think a child is being abused, or is at risk of significant harm or neglect";
pub(crate) const M_UNIVERSAL: &str =
    "An explanation of levels of need and service provision: Universal Services";
pub(crate) const M_PREVENTION: &str = "An explanation of levels of need and service provision: Prevention and early intervention services";
pub(crate) const M_STATUTORY: &str =
    "An explanation of levels of need and service provision: Statutory and Safeguarding services";
pub(crate) const M_INTER_AGENCY: &str = "Inter-agency liaison and dialogue";
pub(crate) const M_RESOLVING: &str = "Resolving differences";
pub(crate) const M_CASE_UNIVERSAL: &str =
    "The Step-Up / Step-Down process ...A Case Study: Universal needs and services";
pub(crate) const M_CASE_EMERGING: &str = "The Step-Up / Step-Down process ...A Case Study: Step-up to Emerging Needs: Prevention and Early Intervention";
pub(crate) const M_CASE_REVIEW: &str = "The Step-Up / Step-Down process ...A Case Study: Reviewing Progress: Review of the CAF Action Plan";
pub(crate) const M_CASE_COMPLEX: &str = "The Step-Up / Step-Down process ...A Case Study: Complex Needs: Targeted Child and family Support";
pub(crate) const M_CASE_TARGETED_REVIEW: &str = "The Step-Up / Step-Down process ...A Case Study: Review of the Targeted Child and Family Support Work";
pub(crate) const M_G_CONSENT: &str =
    "Glossary: Address Consent Issues / Consent / Information Sharing";
pub(crate) const M_G_CAF: &str = "Glossary: The Common Assessment Framework (CAF)";
pub(crate) const M_G_ACTION_PLAN: &str = "Glossary: CAF Action Plan";
pub(crate) const M_G_CAF_ADMIN: &str = "Glossary: The CAF Administration Team";
pub(crate) const M_G_AGES: &str = "Glossary: children, young people";
pub(crate) const M_G_IN_NEED: &str = "Glossary: In Need under the Children Act 1989";
pub(crate) const M_G_LEAD: &str = "Glossary: Lead Practitioner";
pub(crate) const M_G_PRE_CAF: &str = "Glossary: The Pre-CAF Checklist";
pub(crate) const M_G_HARM: &str = "Glossary: Risk of significant harm";
pub(crate) const M_G_STEP: &str = "Glossary: Step-up, Step down";

// Sentences relied on in more than one place.
pub(crate) const Q_NOW_HAS_LINE: &str = "Bradford Children’s Services now has a dedicated practitioners’ advice and referral contact number.";
pub(crate) const Q_CALL: &str =
    "Call 01274 433999 if you want to seek support for a child, young person and their family.";
pub(crate) const Q_HOURS: &str = "Monday to Thursday 8.30am to 5.00pm ... Fridays 8.30am to 4.30pm";
pub(crate) const Q_ICP: &str = "During office hours (8.30 - 5.00 Monday to Thursday, 4.30 on Friday) call Children's Social Services Initial Contact Point - 01274 437500";
pub(crate) const Q_EDT: &str =
    "At all other times, Social Services Emergency Duty Team - 01274 431010";
pub(crate) const Q_999: &str = "If you have reason to believe that a child is at immediate risk of harm, contact the police on 999";
pub(crate) const Q_NOT_KEEP: &str = "You must not keep these concerns to yourself.";
pub(crate) const Q_NUMBERS: &str =
    "In Bradford, these are the numbers that you can ring for advice and to make a referral:";
pub(crate) const Q_NOT_HARD_AND_FAST: &str = "It is designed to inform inter-agency discussions centred around the child or young person and does not provide hard and fast definitions of need and service response.";
pub(crate) const Q_DISCUSSION: &str = "The guidance in this practice tool cannot and should not replace the requirement for discussion between individual practitioners around the needs of the individual child or young person.";
pub(crate) const Q_CONSENT_AGREEMENT: &str = "The majority of the work we do with children, young people and their families is done with their agreement.";
pub(crate) const Q_CONSENT_WITHOUT: &str = "Whether we seek the consent of the parent, or the young person or, in certain circumstances, act without their consent are all issues covered by information available from:";
pub(crate) const Q_CAF_CONSENT: &str = "School approach Sally and her parents obtaining both consent and details of other involved practitioners.";
pub(crate) const Q_TARGETED_CONSENT: &str = "With Sally's consent, the Lead Practitioner organises the necessary liaison with the appropriate agencies and organisations providing targeted Child and Family support";
pub(crate) const Q_L3_DESCRIPTION: &str = "The child’s needs are more complex and require an assessment to understand the range, depth or significance of the needs which may require a more intensive response.";
pub(crate) const Q_L3_ASSESSED: &str = "At level 3 the Lead Practitioner has assessed that a child or young person is not achieving outcomes with the support of the Team Around the Family or that their needs cannot be reasonably met through normally resourced local mainstream provision.";
pub(crate) const Q_FSW: &str = "The child/family will be allocated a Family Support Worker, who will take over the role of Lead Practitioner and as such will then chair/lead the Team Around the Family (TAF) meetings.";
pub(crate) const Q_UP_TAF: &str = "Within TAF meetings the level of need will be reviewed and there will be a multi-agency decision as to whether the child/family need to be referred to a Level 4 statutory response from Childrens Social Care.";
pub(crate) const Q_UP_ALLOCATION: &str = "At any point a Family Support Worker can decide to attend an allocation meeting with Childrens Social Care to discuss the needs to step-up the case to Childrens Social Care.";
pub(crate) const Q_ESCALATE: &str = "If a professional within the TAF disagrees with a decision not to increase the response to Level 4 statutory response, there is a mechanism in place to escalate their concerns.";
pub(crate) const Q_DOWN: &str = "Within TAF meetings the level of need will be reviewed and there will be a multi-agency decision as to whether the child/family can be stepped down to Level 2.";
pub(crate) const Q_DOWN_LEAD: &str =
    "They would agree a Lead Practitioner and follow steps for a Level 2 response.";
pub(crate) const Q_CLOSE: &str = "If the child/family's needs are fully met, they may decide that it's appropriate to close the case.";
pub(crate) const Q_FINAL_TAF: &str = "Final TAF meeting to be held before case is closed - a Lead Practitioner will be identified and agreed at this meeting.";
pub(crate) const Q_ALLOCATED_48H: &str = "A case is usually allocated to a Family Support Worker (FSW) within 48 hours of it being accepted in the locality team.";
pub(crate) const Q_PRE_CAF: &str = "As a result of the situation and the likely need for inter-agency support the Head of Year at the school completes an agency specific tool, or the Pre-CAF Checklist and decides that a common assessment would be appropriate.";
pub(crate) const Q_REVIEW_FORM: &str = "The Lead Practitioner records the meeting on the CAF Review Form and verbally summarises its content to ensure that there is agreement and that any continuing disagreement is accurately recorded.";
pub(crate) const Q_THREE_OUTCOMES: &str = "The Review meeting may have 3 general outcomes:";
pub(crate) const Q_OUTCOME_2: &str =
    "2. Agree that the outcomes have been achieved and that a CAF is no longer necessary.";
pub(crate) const Q_OUTCOME_3: &str = "3. Identify that Sally is in need under CA '89 and requires targeted services which cannot be provided by the current practitioners.";
pub(crate) const Q_SHARED_DOCUMENTS: &str = "The CAF Form, most recent CAF Review, and the latest Action Plan are shared with appropriate agencies with any additional verbal information which is required.";
pub(crate) const Q_NO_DISENGAGE: &str = "No agency disengages without ensuring that colleagues in other agencies are sufficiently informed to continue working with the child or young person.";
pub(crate) const Q_DISENGAGE_UPDATE: &str = "At the point where an agency disengages from the CAF process as needs decrease or their work is finished, they update the TAC and Lead Practitioner with the work they have done.";
pub(crate) const Q_DIFFERENT_SERVICES: &str = "Different services are engaged as needs increase.";
pub(crate) const Q_AGES: &str = "Unborn children (from 24 weeks of gestation) up to and including young people of 17 years of age.";
pub(crate) const Q_AGES_LOOKED_AFTER: &str = "If a child or young person has been looked after, that age range is up to and including young people of 20 years of age.";
pub(crate) const Q_AGES_LDD: &str = "If the young person has a learning difficulty or disability, the age range is up to and including young people of 24 years of age.";
pub(crate) const Q_AGES_TRANSITION: &str = "In some agencies where services are appropriate to enable the young person to have a smooth transition to adult services, the age range is up to and including young people of 24 years of age.";
pub(crate) const Q_UNIVERSAL: &str =
    "Universal services: Building resilient children and young people.";
pub(crate) const Q_PREVENTION: &str = "Prevention and Early intervention services: Providing support for children with emerging or additional needs.";
pub(crate) const Q_CAF_ADMIN_CONTACT: &str = "They can be contacted by telephone on 01274 437902 or 437685, or by e-mail: cafhelppdesk@bradford.gov.uk";
pub(crate) const Q_REVIEW_DATE: &str = "The meeting arranges a review date, to check on progress.";
pub(crate) const Q_ALLOCATED_WORKER: &str = "Once a case is allocated you will be given a name and direct contact details of the worker supporting the family.";
pub(crate) const Q_LEAD_CONTACT: &str = "a “Lead Practitioner” to coordinate services and act as a single point of information / contact for both colleagues and families.";
/// The steps before a referral, in the text's words (its bullet points joined with "; ").
pub(crate) const Q_BEFORE_REFERRAL_STEPS: &str = "Prior to making a referral, all practitioners need to: Speak with their Safeguarding Lead within their own organisation; Ask themselves “Have I/we done everything I/we can to help and support the family?”; Refer to the Continuum of Need document";
pub(crate) const Q_TALK_TO_MANAGER_STEPS: &str = "You must not keep these concerns to yourself. Keeping children safe is everyone's responsibility. You need to ensure that you talk to your line manager, speak to the appropriate organisations who can listen to and record your concern, and then take appropriate action.";
pub(crate) const Q_CAF_ADMIN_HEADER: &str =
    "CAF Administration Team: 01274 437902 or 437685, email: cafhelppdesk.bradford.gov.uk";
