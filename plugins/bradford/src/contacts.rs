//! Contact points and contact routing.

use continuum_plugin_api::pb::{
    BankHoliday, CaseHistory, Channel, ContactAnswer, ContactPoint, ContactPurpose, ContactRequest,
    OpeningWindow, RuleOutcome, Urgency, Weekday,
};
use continuum_plugin_api::{PluginError, pb::Citation, rule, time};

use crate::catalogue::{L2, L3};
use crate::cite::*;

pub(crate) const ADVICE_AND_REFERRAL: &str = "PRACTITIONER_ADVICE_AND_REFERRAL";
pub(crate) const INITIAL_CONTACT_POINT: &str = "INITIAL_CONTACT_POINT";
pub(crate) const EMERGENCY_DUTY_TEAM: &str = "EMERGENCY_DUTY_TEAM";
pub(crate) const POLICE: &str = "POLICE_999";
pub(crate) const CAF_ADMINISTRATION_TEAM: &str = "CAF_ADMINISTRATION_TEAM";
pub(crate) const ALLOCATED_WORKER: &str = "ALLOCATED_WORKER";
pub(crate) const LEAD_PRACTITIONER: &str = "LEAD_PRACTITIONER";

/// Office hours as both texts give them: Monday to Thursday 8.30-5.00, Friday 8.30-4.30. Neither
/// text mentions bank holidays; an office-hours line is read as closed on them (the older text's
/// "At all other times" goes to the Emergency Duty Team), recorded as a gap.
pub(crate) fn office_hours() -> Vec<OpeningWindow> {
    let mut hours = time::windows(
        &time::MONDAY_TO_THURSDAY,
        "08:30",
        "17:00",
        BankHoliday::Closed,
    );
    hours.push(time::window(
        Weekday::Friday,
        "08:30",
        "16:30",
        BankHoliday::Closed,
    ));
    hours
}

/// "At all other times": the complement of office hours, as windows that run past midnight to
/// the next 8.30 (Monday to Thursday from 5.00pm, Friday from 4.30pm, then Saturday and Sunday
/// round the clock), and all day on a bank holiday, when the office is closed.
pub(crate) fn outside_office_hours() -> Vec<OpeningWindow> {
    let mut hours = time::windows(
        &time::MONDAY_TO_THURSDAY,
        "17:00",
        "08:30",
        BankHoliday::OpenAllDay,
    );
    hours.push(time::window(
        Weekday::Friday,
        "16:30",
        "08:30",
        BankHoliday::OpenAllDay,
    ));
    // 08:30 to 08:30: 24 hours, Saturday morning to Sunday morning and Sunday to Monday.
    hours.push(time::window(
        Weekday::Saturday,
        "08:30",
        "08:30",
        BankHoliday::OpenAllDay,
    ));
    hours.push(time::window(
        Weekday::Sunday,
        "08:30",
        "08:30",
        BankHoliday::OpenAllDay,
    ));
    hours
}

fn purposes(list: &[ContactPurpose]) -> Vec<i32> {
    list.iter().map(|p| *p as i32).collect()
}

pub(crate) fn advice_and_referral() -> ContactPoint {
    ContactPoint {
        code: ADVICE_AND_REFERRAL.into(),
        name: "Bradford Children's Services practitioners' advice and referral line".into(),
        phone: "01274 433999".into(),
        email: String::new(),
        web_form: String::new(),
        purposes: purposes(&[
            ContactPurpose::Advice,
            ContactPurpose::EarlyHelpRequest,
            ContactPurpose::SafeguardingReferral,
        ]),
        hours: office_hours(),
        always_open: false,
        notes: "Call if you want to seek support for a child, young person and their family. \
                Before referring: speak with your organisation's Safeguarding Lead, ask \"Have \
                I/we done everything I/we can to help and support the family?\" and refer to the \
                Continuum of Need document. Once a case is allocated you are given the worker's \
                name and direct contact details. The newer text's number; it stands over the \
                older Initial Contact Point number (01274 437500, same hours). The text gives no \
                bank-holiday hours: read as closed on bank holidays (a gap)."
            .into(),
        how_to_reach: String::new(),
        phone_option: String::new(),
        ages: None,
        citation: Some(t(T_HOW_TO_REFER, Q_CALL)),
    }
}

fn initial_contact_point() -> ContactPoint {
    ContactPoint {
        code: INITIAL_CONTACT_POINT.into(),
        name: "Children's Social Services Initial Contact Point".into(),
        phone: "01274 437500".into(),
        email: String::new(),
        web_form: String::new(),
        purposes: purposes(&[ContactPurpose::Advice, ContactPurpose::SafeguardingReferral]),
        hours: office_hours(),
        always_open: false,
        notes: "From the older text (A Model for Child-Centred Working), for concerns that a \
                child is being abused or at risk of significant harm or neglect. The newer text's \
                dedicated practitioners' advice and referral number (01274 433999, same hours) \
                stands where the texts differ, so routing uses that line; listed for reference."
            .into(),
        how_to_reach: String::new(),
        phone_option: String::new(),
        ages: None,
        citation: Some(m(M_WHAT_TO_DO, Q_ICP)),
    }
}

pub(crate) fn emergency_duty_team() -> ContactPoint {
    ContactPoint {
        code: EMERGENCY_DUTY_TEAM.into(),
        name: "Social Services Emergency Duty Team".into(),
        phone: "01274 431010".into(),
        email: String::new(),
        web_form: String::new(),
        purposes: purposes(&[
            ContactPurpose::Advice,
            ContactPurpose::SafeguardingReferral,
            ContactPurpose::Emergency,
        ]),
        hours: outside_office_hours(),
        always_open: false,
        notes: "At all other times, i.e. outside office hours (8.30 - 5.00 Monday to Thursday, \
                4.30 on Friday): evenings and nights (to 8.30 the next morning), weekends, and all \
                day on bank holidays, when the office is closed. For advice and to make a referral \
                about a child being abused or at risk of significant harm or neglect."
            .into(),
        how_to_reach: String::new(),
        phone_option: String::new(),
        ages: None,
        citation: Some(m(M_WHAT_TO_DO, Q_EDT)),
    }
}

pub(crate) fn police() -> ContactPoint {
    ContactPoint {
        code: POLICE.into(),
        name: "Police (emergency)".into(),
        phone: "999".into(),
        email: String::new(),
        web_form: String::new(),
        purposes: purposes(&[ContactPurpose::Emergency]),
        hours: Vec::new(),
        always_open: true,
        notes: "If you have reason to believe that a child is at immediate risk of harm.".into(),
        how_to_reach: String::new(),
        phone_option: String::new(),
        ages: None,
        citation: Some(m(M_WHAT_TO_DO, Q_999)),
    }
}

fn caf_administration_team() -> ContactPoint {
    ContactPoint {
        code: CAF_ADMINISTRATION_TEAM.into(),
        name: "CAF Administration Team".into(),
        phone: "01274 437902 or 437685".into(),
        email: "cafhelppdesk@bradford.gov.uk".into(),
        web_form: String::new(),
        purposes: purposes(&[ContactPurpose::Advice]),
        hours: office_hours(),
        always_open: false,
        notes: "Keeps the register of common assessments: check whether a CAF is already open, \
                send completed CAF forms (by secure e-mail) and review outcomes. The text gives \
                no hours: the office hours shown are the plugin's assumption (those the same text \
                gives for the Initial Contact Point, closed on bank holidays). Not a referral \
                line."
            .into(),
        how_to_reach: String::new(),
        phone_option: String::new(),
        ages: None,
        citation: Some(m(M_G_CAF_ADMIN, Q_CAF_ADMIN_CONTACT)),
    }
}

/// The worker a Level 3 case is allocated to (the Family Support Worker): the text gives no
/// number, only that the caller is given the worker's direct contact details.
pub(crate) fn allocated_worker() -> ContactPoint {
    ContactPoint {
        code: ALLOCATED_WORKER.into(),
        name: "The worker supporting the family (allocated Family Support Worker)".into(),
        phone: String::new(),
        email: String::new(),
        web_form: String::new(),
        purposes: purposes(&[ContactPurpose::Advice, ContactPurpose::EarlyHelpRequest]),
        hours: office_hours(),
        always_open: false,
        notes: "For a child whose Level 3 case is allocated: the Family Support Worker takes over \
                as Lead Practitioner and chairs the Team Around the Family meetings. The text \
                gives no number and no hours for the worker: the hours shown are the advice and \
                referral line's (the plugin's assumption, recorded as a gap)."
            .into(),
        how_to_reach: "Use the name and direct contact details of the worker supporting the \
                       family, given to you once the case was allocated. If you do not have \
                       them, call the practitioners' advice and referral line on 01274 433999."
            .into(),
        phone_option: String::new(),
        ages: None,
        citation: Some(t(T_HOW_TO_REFER, Q_ALLOCATED_WORKER)),
    }
}

/// The Lead Practitioner of a Level 2 case (a common assessment with a Team Around the Child).
pub(crate) fn lead_practitioner() -> ContactPoint {
    ContactPoint {
        code: LEAD_PRACTITIONER.into(),
        name: "The child's Lead Practitioner (Team Around the Child)".into(),
        phone: String::new(),
        email: String::new(),
        web_form: String::new(),
        purposes: purposes(&[ContactPurpose::Advice, ContactPurpose::EarlyHelpRequest]),
        hours: office_hours(),
        always_open: false,
        notes: "For a child with an open Level 2 case: the Lead Practitioner coordinates the \
                services and is the single point of information and contact for colleagues and \
                the family; when needs increase, the Lead Practitioner organises the \
                consultation and liaison to engage the appropriate services. The text gives no \
                number and no hours: the hours shown are the advice and referral line's (the \
                plugin's assumption, recorded as a gap)."
            .into(),
        how_to_reach: "Contact the Lead Practitioner identified at the Team Around the Child \
                       meeting. If you do not know who it is, the CAF Administration Team \
                       (01274 437902 or 437685) keeps the register of common assessments."
            .into(),
        phone_option: String::new(),
        ages: None,
        citation: Some(m(M_FOREWORD, Q_LEAD_CONTACT)),
    }
}

pub(crate) fn contact_points() -> Vec<ContactPoint> {
    vec![
        advice_and_referral(),
        initial_contact_point(),
        emergency_duty_team(),
        police(),
        caf_administration_team(),
        allocated_worker(),
        lead_practitioner(),
    ]
}

fn reason(rule_id: &str, text: impl Into<String>, citation: Citation) -> RuleOutcome {
    rule(rule_id, text, citation)
}

/// The level of the child's open case, when the caller knows it is one of Bradford's levels.
fn open_level(history: Option<&CaseHistory>) -> Option<&str> {
    history
        .filter(|h| h.open_case)
        .map(|h| h.open_level.as_str())
}

/// Who takes a non-emergency contact, and why: the worker of an open case where the texts name
/// one, otherwise the practitioners' advice and referral line.
fn choose(
    purpose: ContactPurpose,
    history: Option<&CaseHistory>,
    reasons: &mut Vec<RuleOutcome>,
) -> ContactPoint {
    let asking = matches!(
        purpose,
        ContactPurpose::Advice | ContactPurpose::EarlyHelpRequest
    );
    match open_level(history) {
        Some(L3) if asking => {
            reasons.push(reason(
                "BRA-CONTACT-ALLOCATED-WORKER",
                "The child has an open Level 3 case: contact the worker supporting the family \
                 (the allocated Family Support Worker, who is the Lead Practitioner), using the \
                 name and direct contact details given once the case was allocated.",
                t(T_HOW_TO_REFER, Q_ALLOCATED_WORKER),
            ));
            return allocated_worker();
        }
        Some(L2) if asking => {
            reasons.push(reason(
                "BRA-CONTACT-LEAD-PRACTITIONER",
                "The child has an open Level 2 case: contact the Lead Practitioner, the single \
                 point of information and contact for colleagues and families; when needs \
                 increase, the Lead Practitioner organises the liaison to engage the appropriate \
                 services.",
                m(M_FOREWORD, Q_LEAD_CONTACT),
            ));
            return lead_practitioner();
        }
        Some(level) if asking => reasons.push(reason(
            "BRA-CONTACT-OPEN-CASE-NO-WORKER",
            format!(
                "The child has an open case{}: the texts give a worker's direct contact details \
                 only for an allocated Level 3 case (and a Lead Practitioner at Level 2), so the \
                 contact goes to the practitioners' advice and referral line.",
                if level.is_empty() {
                    " (level not known)".to_owned()
                } else {
                    format!(" at {level}")
                }
            ),
            t(T_HOW_TO_REFER, Q_ALLOCATED_WORKER),
        )),
        Some(_) => reasons.push(reason(
            "BRA-CONTACT-OPEN-CASE-REFERRAL",
            "The child has an open case, but a concern that a child is being abused or is at risk \
             of significant harm or neglect is still referred on the advice and referral numbers: \
             you must not keep these concerns to yourself.",
            m(M_WHAT_TO_DO, Q_NOT_KEEP),
        )),
        None => {}
    }
    if history.is_some_and(|h| !h.open_case && h.closed_case) {
        reasons.push(reason(
            "BRA-CONTACT-CLOSED-CASE",
            "The child's last case is closed: the texts say nothing of contacts after a case \
             closes, so this is routed as a new contact (a Lead Practitioner agreed at a Level 3 \
             case's final TAF meeting may still be involved).",
            t(T_MEETING_TIMESCALES, Q_FINAL_TAF),
        ));
    }
    match purpose {
        ContactPurpose::EarlyHelpRequest => reasons.push(reason(
            "BRA-CONTACT-EARLY-HELP",
            "To seek support for a child, young person and family (e.g. a Level 3 targeted \
             support referral), call 01274 433999, after speaking with your Safeguarding Lead.",
            t(T_HOW_TO_REFER, Q_CALL),
        )),
        ContactPurpose::SafeguardingReferral => reasons.push(reason(
            "BRA-CONTACT-SAFEGUARDING",
            "A child being abused or at risk of significant harm or neglect: you must not keep \
             the concern to yourself; refer in office hours on Children's Services' dedicated \
             practitioners' advice and referral number 01274 433999 (the newer text's number, \
             which stands over the older Initial Contact Point 01274 437500).",
            t(T_HOW_TO_REFER, Q_NOW_HAS_LINE),
        )),
        _ => reasons.push(reason(
            "BRA-CONTACT-ADVICE",
            "Practitioners' advice: Children's Services' dedicated practitioners' advice and \
             referral number 01274 433999.",
            t(T_HOW_TO_REFER, Q_NOW_HAS_LINE),
        )),
    }
    advice_and_referral()
}

/// What the caller should do, in the text's words, where the text says more than the contact
/// point.
fn instruction(purpose: ContactPurpose, contact: &ContactPoint) -> String {
    if contact.code != ADVICE_AND_REFERRAL {
        return String::new();
    }
    match purpose {
        ContactPurpose::EarlyHelpRequest => Q_BEFORE_REFERRAL_STEPS.to_owned(),
        ContactPurpose::SafeguardingReferral => Q_TALK_TO_MANAGER_STEPS.to_owned(),
        _ => String::new(),
    }
}

pub(crate) fn route(request: &ContactRequest) -> Result<ContactAnswer, PluginError> {
    let purpose = match ContactPurpose::try_from(request.purpose) {
        Ok(ContactPurpose::Unspecified) | Err(_) => {
            return Err(PluginError::invalid(
                "purpose",
                format!(
                    "{} is not a contact purpose (ADVICE, EARLY_HELP_REQUEST, SAFEGUARDING_REFERRAL or EMERGENCY)",
                    request.purpose
                ),
            ));
        }
        Ok(p) => p,
    };
    let at = time::parse_date_time("local_time", &request.local_time)?;
    // The bank holidays and local closures the host's calendar gives for the next 14 days.
    let closed = time::ClosedDates::of(request, at)?;
    let mut reasons = Vec::new();

    if purpose == ContactPurpose::Emergency {
        reasons.push(reason(
            "BRA-CONTACT-EMERGENCY",
            "A child at immediate risk of harm: call the police on 999 (always open), then refer \
             to Children's Social Care.",
            m(M_WHAT_TO_DO, Q_999),
        ));
        return Ok(ContactAnswer {
            contact: Some(police()),
            open_now: true,
            next_opening: String::new(),
            out_of_hours: None,
            emergency: Some(police()),
            reasons,
            channel: Channel::Phone as i32,
            instruction: String::new(),
            follow_ups: Vec::new(),
        });
    }

    let contact = choose(purpose, request.history.as_ref(), &mut reasons);
    let line = if contact.code == ADVICE_AND_REFERRAL {
        "The line"
    } else {
        "The worker (assumed to keep the advice and referral line's hours: the text gives none)"
    };
    let open_now = time::is_open(&contact.hours, at, &closed);
    let mut next_opening = String::new();
    let mut out_of_hours = None;
    if open_now {
        reasons.push(reason(
            "BRA-CONTACT-HOURS",
            format!(
                "{line} is open now (Monday to Thursday 8.30am to 5.00pm, Fridays 8.30am to \
                 4.30pm)."
            ),
            t(T_OPENING_HOURS, Q_HOURS),
        ));
    } else {
        // The next opening skips every closed date (the office-hours windows are closed on bank
        // holidays), so after a bank holiday it is the next working day's opening time.
        let next = time::next_opening(&contact.hours, at, &closed);
        next_opening = next.map(time::format_date_time).unwrap_or_default();
        let when = if closed.contains(at.date()) {
            "it is a bank holiday (or local closure), and the text gives no bank-holiday hours"
        } else {
            "it is outside Monday to Thursday 8.30am to 5.00pm and Fridays 8.30am to 4.30pm"
        };
        reasons.push(reason(
            "BRA-CONTACT-HOURS",
            format!("{line} is closed because {when}; it next opens {next_opening}."),
            t(T_OPENING_HOURS, Q_HOURS),
        ));
        if purpose == ContactPurpose::EarlyHelpRequest {
            reasons.push(reason(
                "BRA-CONTACT-NO-OUT-OF-HOURS",
                "The texts name no out-of-hours line for early help requests: call when the line \
                 opens. If you think the child is being abused or at risk of significant harm, \
                 call the Emergency Duty Team on 01274 431010; if at immediate risk, the police \
                 on 999.",
                m(M_WHAT_TO_DO, Q_EDT),
            ));
        } else {
            out_of_hours = Some(emergency_duty_team());
            reasons.push(reason(
                "BRA-CONTACT-OUT-OF-HOURS",
                "At all other times (evenings and nights to 8.30am, weekends, and all day on bank \
                 holidays) the Social Services Emergency Duty Team on 01274 431010 gives advice \
                 and takes referrals.",
                m(M_WHAT_TO_DO, Q_EDT),
            ));
        }
    }
    if request.urgency != Urgency::Unspecified as i32 {
        reasons.push(reason(
            "BRA-CONTACT-URGENCY",
            "The texts do not route urgent and non-urgent contacts differently (they give \
             telephone numbers only, no form): the route is the same, by telephone where a \
             number is given.",
            t(T_HOW_TO_REFER, Q_CALL),
        ));
    }
    reasons.push(reason(
        "BRA-CONTACT-IMMEDIATE-RISK",
        "If a child is at immediate risk of harm, call the police on 999 at any time.",
        m(M_WHAT_TO_DO, Q_999),
    ));

    // "Call 01274 433999 ..." / "the numbers that you can ring": by telephone; a worker or
    // Lead Practitioner as how_to_reach says.
    let channel = if contact.phone.is_empty() {
        Channel::Other
    } else {
        Channel::Phone
    };
    let instruction = instruction(purpose, &contact);
    Ok(ContactAnswer {
        contact: Some(contact),
        open_now,
        next_opening,
        out_of_hours,
        emergency: Some(police()),
        reasons,
        channel: channel as i32,
        instruction,
        // The texts oblige the caller to nothing after the call (no form to follow up with).
        follow_ups: Vec::new(),
    })
}
