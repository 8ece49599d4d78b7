//! Contact points and contact routing.

use continuum_plugin_api::pb::{
    ContactAnswer, ContactPoint, ContactPurpose, ContactRequest, OpeningWindow, RuleOutcome,
    Weekday,
};
use continuum_plugin_api::{PluginError, pb::Citation, rule, time};

use crate::cite::*;

pub(crate) const ADVICE_AND_REFERRAL: &str = "PRACTITIONER_ADVICE_AND_REFERRAL";
pub(crate) const INITIAL_CONTACT_POINT: &str = "INITIAL_CONTACT_POINT";
pub(crate) const EMERGENCY_DUTY_TEAM: &str = "EMERGENCY_DUTY_TEAM";
pub(crate) const POLICE: &str = "POLICE_999";
pub(crate) const CAF_ADMINISTRATION_TEAM: &str = "CAF_ADMINISTRATION_TEAM";

/// Office hours as both texts give them: Monday to Thursday 8.30-5.00, Friday 8.30-4.30.
pub(crate) fn office_hours() -> Vec<OpeningWindow> {
    let mut hours: Vec<OpeningWindow> = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
    ]
    .into_iter()
    .map(|day| time::window(day, "08:30", "17:00"))
    .collect();
    hours.push(time::window(Weekday::Friday, "08:30", "16:30"));
    hours
}

/// "At all other times": the complement of office hours.
fn outside_office_hours() -> Vec<OpeningWindow> {
    let mut hours = Vec::new();
    for day in [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
    ] {
        hours.push(time::window(day, "00:00", "08:30"));
        hours.push(time::window(day, "17:00", "24:00"));
    }
    hours.push(time::window(Weekday::Friday, "00:00", "08:30"));
    hours.push(time::window(Weekday::Friday, "16:30", "24:00"));
    hours.push(time::window(Weekday::Saturday, "00:00", "24:00"));
    hours.push(time::window(Weekday::Sunday, "00:00", "24:00"));
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
                older Initial Contact Point number (01274 437500, same hours)."
            .into(),
        how_to_reach: String::new(),
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
        notes: "At all other times, i.e. whenever the office-hours line is closed (evenings, \
                nights, weekends and public holidays), for advice and to make a referral about a \
                child being abused or at risk of significant harm or neglect."
            .into(),
        how_to_reach: String::new(),
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
                gives for the Initial Contact Point). Not a referral line."
            .into(),
        how_to_reach: String::new(),
        citation: Some(m(M_G_CAF_ADMIN, Q_CAF_ADMIN_CONTACT)),
    }
}

pub(crate) fn contact_points() -> Vec<ContactPoint> {
    vec![
        advice_and_referral(),
        initial_contact_point(),
        emergency_duty_team(),
        police(),
        caf_administration_team(),
    ]
}

fn reason(rule_id: &str, text: impl Into<String>, citation: Citation) -> RuleOutcome {
    rule(rule_id, text, citation)
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
        });
    }

    let contact = advice_and_referral();
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

    let open_now = time::is_open(&contact.hours, at, &closed);
    let mut next_opening = String::new();
    let mut out_of_hours = None;
    if open_now {
        reasons.push(reason(
            "BRA-CONTACT-HOURS",
            "The line is open now (Monday to Thursday 8.30am to 5.00pm, Fridays 8.30am to \
             4.30pm).",
            t(T_OPENING_HOURS, Q_HOURS),
        ));
    } else {
        // The next opening skips every closed date, so after a bank holiday it is the next
        // working day's opening time.
        let next = time::next_opening(&contact.hours, at, &closed);
        next_opening = next.map(time::format_date_time).unwrap_or_default();
        let when = if closed.contains(at.date()) {
            "it is a bank holiday (or local closure)"
        } else {
            "it is outside Monday to Thursday 8.30am to 5.00pm and Fridays 8.30am to 4.30pm"
        };
        reasons.push(reason(
            "BRA-CONTACT-HOURS",
            format!("The line is closed because {when}; it next opens {next_opening}."),
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
                "At all other times (including bank holidays) the Social Services Emergency \
                 Duty Team on 01274 431010 gives advice and takes referrals.",
                m(M_WHAT_TO_DO, Q_EDT),
            ));
        }
    }
    reasons.push(reason(
        "BRA-CONTACT-IMMEDIATE-RISK",
        "If a child is at immediate risk of harm, call the police on 999 at any time.",
        m(M_WHAT_TO_DO, Q_999),
    ));

    Ok(ContactAnswer {
        contact: Some(contact),
        open_now,
        next_opening,
        out_of_hours,
        emergency: Some(police()),
        reasons,
    })
}
