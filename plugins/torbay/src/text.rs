//! The source text, its section headings, the sentences relied on, and the citation helper.

use continuum_plugin_api::{cite, pb::Citation};

/// South West Safeguarding and Child Protection Procedures, chapter 1.2.1 "Targeted Help"
/// (Torbay, Early Help Strategy 2017; updated November 2017). The only Torbay text.
pub(crate) const SOURCE: &str = "shared/seeds/003_36c46301cae4322f.txt";
/// The document's title, as its heading gives it.
pub(crate) const DOCUMENT_TITLE: &str = "1.2.1 Targeted Help";
/// The document's file name.
pub(crate) const DOCUMENT_REFERENCE: &str = "003_36c46301cae4322f.txt";

// Section headings, as the text gives them (sub-headings of section 4 after " - ").
pub(crate) const S_CHAPTER: &str = "1.2.1 Targeted Help";
pub(crate) const S_LINE: &str = "1. Early Help Professionals Consultation Line";
pub(crate) const S_PATHWAY: &str = "2. Targeted Help Pathway";
pub(crate) const S_PANEL: &str = "3. Targeted Help Panel";
pub(crate) const S_TAF: &str =
    "4. Targeted help Co-ordinator and Team around the Family - Team around the Family";
pub(crate) const S_COORD: &str =
    "4. Targeted help Co-ordinator and Team around the Family - Targeted Help Co-ordinator";
pub(crate) const S_FIT: &str =
    "4. Targeted help Co-ordinator and Team around the Family - Family Intervention Team (FIT)";

// The sentences relied on, verbatim (the text's curly apostrophes and spacing kept).

pub(crate) const Q_UPDATED: &str = "This chapter was updated in November 2017 with a new title ' Targeted Help', and should be read in its entirety.";

pub(crate) const Q_LINE_PURPOSE: &str = "The line is designed to provide advice to professionals who think that they have a family in need of Early Help.";
pub(crate) const Q_LINE_DUTY_SW: &str = "The consultation line is manned by a duty Social Worker who is able to provide advice and signposting for services that might be of support to the families that you are working with.";
pub(crate) const Q_LINE_NUMBER: &str =
    "The number to call is 01803 208525 and the line is open weekday mornings from 9am - 12pm.";

pub(crate) const Q_TWO_PATHWAYS: &str = "There are two pathways into targeted help.";
pub(crate) const Q_STEP_DOWN: &str = "The first is when a family are stepped down from statutory intervention at level 4 to targeted help at level 3 (please refer to the Step up Step down process) and the second is through the MASH.";
pub(crate) const Q_REQUEST: &str = "When the level of need is more complex and involves two or three needs that require several services to work together, then a Targeted Help Request for Service should be completed and submitted to the Multi-Agency Safeguarding Hub (MASH).";
pub(crate) const Q_MASH_SCREENS: &str = "The MASH screens all referrals and ensures that Targeted Help is the right level of support to offer, and that there is enough information in the Request for Service.";
pub(crate) const Q_THRESHOLD_DOC: &str =
    "Information on thresholds and levels of need can be found in TSCB Threshold Document.";
pub(crate) const Q_CONSENT: &str = "When completing a Targeted Help Request for Targeted Support assessment it’s critical that this is discussed with the family and consent is gained from the family prior to making the request.";
pub(crate) const Q_UNSURE: &str =
    "If you are unsure of the level of need please contact the Consultation Line for advice.";

pub(crate) const Q_PASSED: &str = "Once a request for Targeted Support has been screened and reviewed by MASH. This will be passed to Targeted Help.";
pub(crate) const Q_PANEL_WEEKLY: &str = "The Targeted Help panel is a weekly multi-agency meeting which explores and discusses support requests.";
pub(crate) const Q_PANEL_AIM: &str = "The aim of the panel is to make decisions about support and intervention for children and families and identify the most appropriate service to allocate a Targeted Help Co-ordinator \u{a0}to work with the family.";
pub(crate) const Q_PANEL_INFO: &str = "The panel will provide relevant information about children and young people already known to them and discuss the best support plan for the family.";
pub(crate) const Q_COORD_RECORDED: &str = "Once it has been determined during panel who the Targeted Help Co-ordinator is the targeted Help Team record them on both multi-agency panel minutes and on the child’s record.";
pub(crate) const Q_REVIEW: &str = "The Targeted help team will review the progress made against the plan initially at 6 weeks and up to a maximum of 12 weeks.";
pub(crate) const Q_REVIEW_CONTENT: &str = "The review will ascertain whether support is still being provided, who is working with the family and whether the support is proving effective in meeting the family’s needs.";
pub(crate) const Q_CASE_OPEN: &str = "The case will remain open on the children’s data base until any support or intervention has been completed and the outcome recorded.";

pub(crate) const Q_TAF_TERM: &str = "A Team around the Family is a term used when a family is receiving support from a range of people who are working together to improve outcomes for a family.";
pub(crate) const Q_TAF_SUPPORT: &str = "The support being provided to a family could include Universal Services, targeted intervention or support via the Community or Voluntary Sector.";
pub(crate) const Q_TAF_NEEDS: &str = "A family’s needs could be anything from an educational issue, a health difficulty, financial worries or perhaps housing, which require more than two or three professional’s expertise.";
pub(crate) const Q_TAF_DEVELOPMENT: &str = "A Team around the Family should be supporting any family need or difficulty that impact on children and without being addressed could affect a child’s developmental milestones and outcomes in the future.";
pub(crate) const Q_TAF_PARENT: &str = "As a parent if you are worried about lots of aspects of their life, other things can become more difficult to manage and things can feel beyond your control and unmanageable.";

pub(crate) const Q_COORD_ROLE: &str = "Within a Team around the Family the Targeted help Co-ordinator will provide advice, support and guidance to the family within the context of their role, while working closely with other agencies to create a Single TAF Plan.";
pub(crate) const Q_COORD_INVOLVEMENT: &str = "With a family’s involvement a Targeted help Co-ordinator coordinates services so needs are addressed progressively without feeling overwhelming.";
pub(crate) const Q_COORD_MEETING: &str = "The Targeted help Co-ordinator speaks to relevant professionals and organises an initial meeting so parents, young people (if they wish to be involved) and agencies can meet to develop a Single TAF Plan.";

pub(crate) const Q_FIT_OFFER: &str = "The Family Intervention team is Children’s Services level 3 offer who work with whole families who present with a range of needs and would benefit from a Team around the Family Single TAF Plan.";
pub(crate) const Q_FIT_COMPLEX: &str = "Families who work with the team present with complex needs and are likely to require a range of support from several professionals both at Universal level to more Specialist/Targeted Intervention and support.";
pub(crate) const Q_FIT_SKILLS: &str = "The team have skills in whole family working to include delivering evidence based parenting support using a variety of programmes, mediation support to improve family relationships, working with families who’ve experienced domestic abuse and complete direct work with children to understand their world and support their key outcomes.";
pub(crate) const Q_FIT_UNIVERSAL: &str = "The team aims to enable families with the confidence to engage with their community and universal services during intervention and when they want or need to in the future.";
pub(crate) const Q_FIT_ALLOCATED: &str = "The team are allocated cases through the Targeted Help Panel, which currently takes place once a week and is attended by a range of multi-agency partners.";
pub(crate) const Q_FIT_REVIEW: &str = "As part of on-going good practice cases are reviewed regularly at 6 weeks initially and then up to 12 weeks to inform the families plan and ensure the family are continuing to benefit from additional support.";

/// Cite the Torbay text: `section` as headed above, `quote` the words relied on.
pub(crate) fn c(section: &str, quote: &str) -> Citation {
    cite(SOURCE, section, quote)
}
