//! Who to contact for a purpose at a local time.

use chrono::NaiveDateTime;
use continuum_plugin_api::pb::{
    Channel, ContactAnswer, ContactPoint, ContactPurpose, ContactRequest, RuleOutcome, Urgency,
};
use continuum_plugin_api::{PluginError, facts, rule, time};

use crate::catalogue::{age_range, consultation_line, level_def, mash, police_999};
use crate::text::*;

/// What a caller making an early help request does, in the text's words (section 2): complete
/// the Request for Service and submit it to the MASH, having gained the family's consent.
pub(crate) fn early_help_instruction() -> String {
    format!("{Q_REQUEST} {Q_CONSENT}")
}

pub(crate) fn route(request: &ContactRequest) -> Result<ContactAnswer, PluginError> {
    let purpose = ContactPurpose::try_from(request.purpose)
        .ok()
        .filter(|p| *p != ContactPurpose::Unspecified)
        .ok_or_else(|| {
            PluginError::invalid(
                "purpose",
                format!(
                    "{} is not a contact purpose (advice, early help request, safeguarding \
                     referral or emergency)",
                    request.purpose
                ),
            )
        })?;
    let at = time::parse_date_time("local_time", &request.local_time)?;
    let closed = time::ClosedDates::of(request, at)?;

    // How to get in touch, only where the text says: the consultation line by telephone ("The
    // number to call is 01803 208525"); a Request for Service "completed and submitted" to the
    // MASH, which has no number, email or form in the text (as its how_to_reach says). The text
    // gives no channel for a safeguarding referral and no emergency route (see Gaps).
    let (channel, instruction) = match purpose {
        ContactPurpose::Advice => (Channel::Phone, String::new()),
        ContactPurpose::EarlyHelpRequest => (Channel::Other, early_help_instruction()),
        _ => (Channel::Unspecified, String::new()),
    };
    let (contact, mut reasons) = match purpose {
        ContactPurpose::Advice => (
            consultation_line(),
            vec![
                rule(
                    "TOR-ROUTE-ADVICE",
                    "Advice for professionals who think a family needs Early Help, or who are \
                     unsure of the level of need: the Early Help Professionals Consultation Line, \
                     01803 208525, staffed by a duty Social Worker.",
                    c(S_LINE, Q_LINE_PURPOSE),
                ),
                rule(
                    "TOR-LINE-HOURS",
                    "The consultation line is open weekday mornings from 9am to 12pm.",
                    c(S_LINE, Q_LINE_NUMBER),
                ),
            ],
        ),
        ContactPurpose::EarlyHelpRequest => (
            mash(),
            vec![
                rule(
                    "TOR-ROUTE-EARLY-HELP-REQUEST",
                    "A Targeted Help Request for Service is completed, with the family's \
                     consent, and submitted to the Multi-Agency Safeguarding Hub (MASH), which \
                     screens it and passes it to the weekly Targeted Help Panel. The text gives \
                     no MASH telephone number, email or web form (see Gaps): use the council's \
                     published MASH contact details.",
                    c(S_PATHWAY, Q_REQUEST),
                ),
                rule(
                    "TOR-ROUTE-UNSURE",
                    "If unsure of the level of need, call the Early Help Professionals \
                     Consultation Line first: 01803 208525, weekday mornings 9am to 12pm.",
                    c(S_PATHWAY, Q_UNSURE),
                ),
            ],
        ),
        ContactPurpose::SafeguardingReferral => (
            mash(),
            vec![rule(
                "TOR-ROUTE-SAFEGUARDING",
                "A child at risk of significant harm: refer to children's social care through \
                 the Multi-Agency Safeguarding Hub (MASH), which screens all referrals, without \
                 delay. The text gives no MASH contact details and no emergency duty team (see \
                 Gaps): use the council's published MASH contact details. If the child is in \
                 immediate danger, call the police on 999 first.",
                c(S_PATHWAY, Q_MASH_SCREENS),
            )],
        ),
        // Emergency, and any purpose added to the protocol later, goes to the emergency line.
        _ => (
            police_999(),
            vec![rule(
                "TOR-ROUTE-EMERGENCY",
                "A child in immediate danger: call the police on 999, then refer to children's \
                 social care through the MASH. The text names no emergency route; 999 is the \
                 national emergency number (see Gaps).",
                c(S_PATHWAY, Q_MASH_SCREENS),
            )],
        ),
    };

    if purpose != ContactPurpose::Emergency {
        reasons.extend(said_by_caller(purpose, request));
    }
    if matches!(
        purpose,
        ContactPurpose::EarlyHelpRequest | ContactPurpose::SafeguardingReferral
    ) {
        reasons.push(rule(
            "TOR-MASH-ANY-TIME",
            "The text gives the MASH no hours and names no out-of-hours or emergency duty team: \
             a written request or referral can be submitted to the MASH at any time, at night, \
             at weekends and on bank holidays alike, but the text does not say when the MASH \
             screens it (see Gaps). If the child is in immediate danger, call the police on 999.",
            c(S_PATHWAY, Q_MASH_SCREENS),
        ));
    }

    let (open_now, next_opening) = status(&contact, at, &closed);
    if !open_now {
        reasons.push(closed_reason(
            &contact,
            &next_opening,
            closed.contains(at.date()),
        ));
    }
    Ok(ContactAnswer {
        contact: Some(contact),
        open_now,
        next_opening,
        // The text names no out-of-hours service (see Gaps).
        out_of_hours: None,
        emergency: Some(police_999()),
        reasons,
        channel: channel as i32,
        instruction,
        // The text sets no time for anything after the contact (see Gaps).
        follow_ups: Vec::new(),
    })
}

/// What the caller says and knows (urgency, the child's history, the child's age), as far as the
/// text says anything about it: it routes none of them differently, and the reasons say so.
fn said_by_caller(purpose: ContactPurpose, request: &ContactRequest) -> Vec<RuleOutcome> {
    let mut reasons = Vec::new();
    if request.urgency == Urgency::Urgent as i32 {
        let route = if purpose == ContactPurpose::Advice {
            "the consultation line keeps its weekday-morning hours"
        } else {
            "the request or referral still goes to the MASH"
        };
        reasons.push(rule(
            "TOR-URGENT-SAME-ROUTE",
            format!(
                "Urgent: the text gives no faster route ({route}). A child at risk of \
                 significant harm is a safeguarding referral to the MASH without delay; a child \
                 in immediate danger is for the police on 999 (see Gaps)."
            ),
            c(S_PATHWAY, Q_MASH_SCREENS),
        ));
    }
    if let Some(h) = &request.history {
        if h.open_case {
            let level = level_def(h.open_level.trim())
                .map(|l| format!(" ({})", l.label))
                .unwrap_or_default();
            reasons.push(rule(
                "TOR-OPEN-CASE",
                format!(
                    "The child has an open case{level}. The case remains open on the children's \
                     data base until any support or intervention has been completed and the \
                     outcome recorded; the text gives no other route for a child already known, \
                     so the contact is routed as for any child (see Gaps)."
                ),
                c(S_PANEL, Q_CASE_OPEN),
            ));
        } else if h.closed_case {
            reasons.push(rule(
                "TOR-CLOSED-CASE",
                format!(
                    "The child's last case closed {} day(s) ago. The text says nothing of a \
                     contact after a case has closed: it is routed as for any child (see Gaps).",
                    h.days_since_closed
                ),
                c(S_PANEL, Q_CASE_OPEN),
            ));
        }
    }
    if let Some(age) = &request.age
        && !facts::serves(&age_range(), age)
    {
        reasons.push(rule(
            "TOR-OUTSIDE-AGE-RANGE",
            format!(
                "Aged {}: above the plugin's age range of under 18 (the text gives no age range; \
                 see Gaps). The contact is still routed as for any child.",
                age.years
            ),
            c(S_PANEL, Q_PANEL_INFO),
        ));
    }
    reasons
}

/// Whether a contact point is open at `at`, and when it next opens if it is not ("" when open).
/// Bank holidays and local closures (`closed`, from the request) close an office-hours line, and
/// the next opening skips them.
pub(crate) fn status(
    contact: &ContactPoint,
    at: NaiveDateTime,
    closed: &time::ClosedDates,
) -> (bool, String) {
    if contact.always_open || time::is_open(&contact.hours, at, closed) {
        return (true, String::new());
    }
    let next = time::next_opening(&contact.hours, at, closed)
        .map(time::format_date_time)
        .unwrap_or_default();
    (false, next)
}

fn closed_reason(contact: &ContactPoint, next_opening: &str, closed_today: bool) -> RuleOutcome {
    let holiday = if closed_today {
        " (a bank holiday or local closure)"
    } else {
        ""
    };
    rule(
        "TOR-LINE-CLOSED",
        format!(
            "{} is closed now{holiday}; it next opens {next_opening} (weekday mornings, bank \
             holidays and local closures excepted). The text names no out-of-hours service: in \
             an emergency call the police on 999.",
            contact.name
        ),
        c(S_LINE, Q_LINE_NUMBER),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use continuum_plugin_api::pb::{CaseHistory, ChildAge};

    fn ask(purpose: ContactPurpose, at: &str, holiday: bool) -> ContactAnswer {
        ask_closed(purpose, at, holiday, &[])
    }

    fn ask_closed(
        purpose: ContactPurpose,
        at: &str,
        holiday: bool,
        closed_dates: &[&str],
    ) -> ContactAnswer {
        route(&ContactRequest {
            purpose: purpose as i32,
            local_time: at.into(),
            public_holiday: holiday,
            closed_dates: closed_dates.iter().map(|d| (*d).to_owned()).collect(),
            ..Default::default()
        })
        .unwrap_or_default()
    }

    fn has_rule(a: &ContactAnswer, id: &str) -> bool {
        a.reasons.iter().any(|r| r.rule_id == id)
    }

    #[test]
    fn the_line_is_open_weekday_mornings_only() {
        // 2026-11-23 is a Monday.
        let a = ask(ContactPurpose::Advice, "2026-11-23T09:00:00", false);
        assert!(a.open_now);
        assert_eq!(a.next_opening, "");
        let a = ask(ContactPurpose::Advice, "2026-11-23T11:59:00", false);
        assert!(a.open_now);
        let a = ask(ContactPurpose::Advice, "2026-11-23T12:00:00", false);
        assert!(!a.open_now);
        assert_eq!(a.next_opening, "2026-11-24T09:00:00");
        assert!(a.out_of_hours.is_none());
        let a = ask(ContactPurpose::Advice, "2026-11-23T08:59:00", false);
        assert_eq!(a.next_opening, "2026-11-23T09:00:00");
        let a = ask(ContactPurpose::Advice, "2026-11-27T16:45:00", false);
        assert_eq!(a.next_opening, "2026-11-30T09:00:00");
        let a = ask(ContactPurpose::Advice, "2026-11-23T10:00:00", true);
        assert!(!a.open_now);
        assert_eq!(a.next_opening, "2026-11-24T09:00:00");
    }

    #[test]
    fn the_line_is_closed_on_a_bank_holiday_monday() {
        // Monday 28 December 2026 is a bank holiday in England (Boxing Day's substitute), as the
        // host's calendar says; Friday 1 January 2027 is ahead.
        let a = ask_closed(
            ContactPurpose::Advice,
            "2026-12-28T11:00:00",
            true,
            &["2026-12-28", "2027-01-01"],
        );
        assert_eq!(
            a.contact.as_ref().map(|c| c.code.as_str()),
            Some("CONSULTATION_LINE")
        );
        assert!(!a.open_now, "the line is open on a bank holiday");
        assert_eq!(a.next_opening, "2026-12-29T09:00:00");
        // The text names no out-of-hours service: the alternative given while the line is
        // closed is the always-open emergency contact, police 999.
        assert!(a.out_of_hours.is_none());
        assert!(
            a.emergency
                .as_ref()
                .is_some_and(|e| e.always_open && e.phone == "999")
        );
        assert!(has_rule(&a, "TOR-LINE-CLOSED"));
        assert!(
            a.reasons
                .iter()
                .any(|r| r.rule_id == "TOR-LINE-CLOSED" && r.text.contains("bank holiday"))
        );
        // The host may give the date only in closed_dates, without public_holiday.
        let a = ask_closed(
            ContactPurpose::Advice,
            "2026-12-28T11:00:00",
            false,
            &["2026-12-28", "2027-01-01"],
        );
        assert!(!a.open_now);
        assert_eq!(a.next_opening, "2026-12-29T09:00:00");
    }

    #[test]
    fn christmas_eve_evening_opens_next_after_the_bank_holidays() {
        // Thursday 24 December 2026, evening: Friday 25 and Monday 28 are bank holidays.
        let a = ask_closed(
            ContactPurpose::Advice,
            "2026-12-24T18:30:00",
            false,
            &["2026-12-25", "2026-12-28"],
        );
        assert!(!a.open_now);
        assert_eq!(a.next_opening, "2026-12-29T09:00:00");
        assert!(a.out_of_hours.is_none());
        // Without the closures the line would open on Friday morning.
        let a = ask(ContactPurpose::Advice, "2026-12-24T18:30:00", false);
        assert_eq!(a.next_opening, "2026-12-25T09:00:00");
        // New Year: Friday 1 January 2027 closed, the line opens on Monday 4 January.
        let a = ask_closed(
            ContactPurpose::Advice,
            "2026-12-31T12:30:00",
            false,
            &["2027-01-01"],
        );
        assert_eq!(a.next_opening, "2027-01-04T09:00:00");
    }

    #[test]
    fn emergency_is_always_open() {
        let a = ask(ContactPurpose::Emergency, "2026-11-29T03:00:00", true);
        assert!(a.open_now);
        assert_eq!(a.contact.map(|c| c.code).as_deref(), Some("POLICE_999"));
        assert!(a.emergency.is_some_and(|e| e.always_open));
    }

    /// Section 2: "The MASH screens all referrals ..." and a Targeted Help Request for Service
    /// is "submitted to the Multi-Agency Safeguarding Hub (MASH)". The text gives the MASH no
    /// number: it is named, with how to reach it in words, and never replaced by 999.
    #[test]
    fn referrals_and_requests_go_to_the_mash_never_to_999() {
        for purpose in [
            ContactPurpose::SafeguardingReferral,
            ContactPurpose::EarlyHelpRequest,
        ] {
            for (at, holiday, closed) in [
                ("2026-11-23T10:00:00", false, &[][..]),
                ("2026-11-29T23:00:00", false, &[][..]),
                (
                    "2026-12-28T11:00:00",
                    true,
                    &["2026-12-28", "2027-01-01"][..],
                ),
            ] {
                let a = ask_closed(purpose, at, holiday, closed);
                let contact = a.contact.clone().unwrap_or_default();
                assert_eq!(contact.code, "MASH", "{purpose:?} at {at}");
                assert!(contact.phone.is_empty());
                assert!(
                    contact
                        .how_to_reach
                        .contains("Multi-Agency Safeguarding Hub")
                );
                assert!(contact.how_to_reach.contains("no MASH telephone number"));
                assert!(a.open_now);
                assert_eq!(a.next_opening, "");
                assert!(
                    a.emergency
                        .as_ref()
                        .is_some_and(|e| e.phone == "999" && e.always_open)
                );
                assert_ne!(Some(contact.code), a.emergency.map(|e| e.code));
            }
        }
        let a = ask(
            ContactPurpose::EarlyHelpRequest,
            "2026-11-23T10:00:00",
            false,
        );
        assert!(has_rule(&a, "TOR-ROUTE-EARLY-HELP-REQUEST"));
        assert!(has_rule(&a, "TOR-ROUTE-UNSURE"));
        let a = ask(
            ContactPurpose::SafeguardingReferral,
            "2026-11-23T10:00:00",
            false,
        );
        assert!(has_rule(&a, "TOR-ROUTE-SAFEGUARDING"));
    }

    fn ask_with(
        purpose: ContactPurpose,
        urgency: Urgency,
        history: Option<CaseHistory>,
        age: Option<ChildAge>,
    ) -> ContactAnswer {
        route(&ContactRequest {
            purpose: purpose as i32,
            local_time: "2026-11-23T10:00:00".into(),
            urgency: urgency as i32,
            history,
            age,
            ..Default::default()
        })
        .unwrap_or_default()
    }

    /// Section 1: "The number to call is 01803 208525": advice is by telephone, and the
    /// consultation line closed on a bank-holiday morning next opens on the next working day.
    #[test]
    fn advice_is_by_phone_and_closed_on_a_bank_holiday_morning() {
        let a = ask_closed(
            ContactPurpose::Advice,
            "2026-12-28T09:30:00",
            false,
            &["2026-12-28", "2027-01-01"],
        );
        assert_eq!(a.channel, Channel::Phone as i32);
        assert!(a.instruction.is_empty());
        assert!(!a.open_now);
        assert_eq!(a.next_opening, "2026-12-29T09:00:00");
        assert!(a.follow_ups.is_empty());
        // Friday 1 January 2027: closed, next open Monday 4 January.
        let a = ask_closed(
            ContactPurpose::Advice,
            "2027-01-01T10:00:00",
            true,
            &["2027-01-01"],
        );
        assert!(!a.open_now);
        assert_eq!(a.next_opening, "2027-01-04T09:00:00");
    }

    /// Section 2: a Request for Service "should be completed and submitted to the Multi-Agency
    /// Safeguarding Hub (MASH)", with the family's consent gained first. The MASH has no number,
    /// email or form in the text: the channel is "as how_to_reach says" and the instruction is
    /// the text's. A safeguarding referral gets no channel: the text gives none.
    #[test]
    fn an_early_help_request_is_completed_and_submitted_to_the_mash() {
        let a = ask_with(
            ContactPurpose::EarlyHelpRequest,
            Urgency::NotUrgent,
            None,
            None,
        );
        assert_eq!(a.channel, Channel::Other as i32);
        assert!(a.instruction.contains("should be completed and submitted"));
        assert!(a.instruction.contains("consent is gained from the family"));
        assert!(a.follow_ups.is_empty());
        let a = ask_with(
            ContactPurpose::SafeguardingReferral,
            Urgency::Urgent,
            None,
            None,
        );
        assert_eq!(a.channel, Channel::Unspecified as i32);
        assert!(a.instruction.is_empty());
        assert!(has_rule(&a, "TOR-URGENT-SAME-ROUTE"));
        let a = ask_with(ContactPurpose::Emergency, Urgency::Urgent, None, None);
        assert_eq!(a.channel, Channel::Unspecified as i32);
        assert!(!has_rule(&a, "TOR-URGENT-SAME-ROUTE"));
    }

    /// Section 3: "The case will remain open on the children's data base until any support or
    /// intervention has been completed and the outcome recorded." The text gives no other route
    /// for a child already known (open, or closed 30 days ago): the MASH as for any child, and
    /// the reasons say so.
    #[test]
    fn a_child_already_known_is_routed_as_any_child() {
        let open = ask_with(
            ContactPurpose::EarlyHelpRequest,
            Urgency::NotUrgent,
            Some(CaseHistory {
                open_case: true,
                open_level: "L3".into(),
                ..Default::default()
            }),
            None,
        );
        assert_eq!(open.contact.as_ref().map(|c| c.code.as_str()), Some("MASH"));
        assert!(has_rule(&open, "TOR-OPEN-CASE"));
        assert!(
            open.reasons
                .iter()
                .any(|r| r.rule_id == "TOR-OPEN-CASE" && r.text.contains("Targeted Help"))
        );
        let closed = ask_with(
            ContactPurpose::SafeguardingReferral,
            Urgency::NotUrgent,
            Some(CaseHistory {
                closed_case: true,
                days_since_closed: 30,
                ..Default::default()
            }),
            None,
        );
        assert_eq!(
            closed.contact.as_ref().map(|c| c.code.as_str()),
            Some("MASH")
        );
        assert!(has_rule(&closed, "TOR-CLOSED-CASE"));
        assert!(!has_rule(&closed, "TOR-OPEN-CASE"));
    }

    /// A child above the plugin's age range (the text gives none) is still routed, and the
    /// reasons say the child is outside it; an unborn child is inside.
    #[test]
    fn a_young_person_of_18_is_routed_and_told_the_range() {
        let years = |years| ChildAge {
            years,
            ..Default::default()
        };
        let a = ask_with(
            ContactPurpose::Advice,
            Urgency::NotUrgent,
            None,
            Some(years(18)),
        );
        assert_eq!(
            a.contact.as_ref().map(|c| c.code.as_str()),
            Some("CONSULTATION_LINE")
        );
        assert!(has_rule(&a, "TOR-OUTSIDE-AGE-RANGE"));
        let a = ask_with(
            ContactPurpose::Advice,
            Urgency::NotUrgent,
            None,
            Some(years(17)),
        );
        assert!(!has_rule(&a, "TOR-OUTSIDE-AGE-RANGE"));
        let a = ask_with(
            ContactPurpose::Advice,
            Urgency::NotUrgent,
            None,
            Some(ChildAge {
                unborn: true,
                gestation_weeks: 8,
                ..Default::default()
            }),
        );
        assert!(!has_rule(&a, "TOR-OUTSIDE-AGE-RANGE"));
    }

    #[test]
    fn bad_requests_name_the_field() {
        let bad_time = route(&ContactRequest {
            purpose: ContactPurpose::Advice as i32,
            local_time: "soon".into(),
            ..Default::default()
        });
        assert!(
            matches!(bad_time, Err(PluginError::InvalidRequest { ref field, .. })
            if field == "local_time")
        );
        let bad_purpose = route(&ContactRequest {
            purpose: 0,
            local_time: "2026-11-23T10:00:00".into(),
            ..Default::default()
        });
        assert!(
            matches!(bad_purpose, Err(PluginError::InvalidRequest { ref field, .. })
            if field == "purpose")
        );
        let bad_closed = route(&ContactRequest {
            purpose: ContactPurpose::Advice as i32,
            local_time: "2026-12-24T18:30:00".into(),
            public_holiday: false,
            closed_dates: vec!["2026-12-25".into(), "28/12/2026".into()],
            ..Default::default()
        });
        assert!(
            matches!(bad_closed, Err(PluginError::InvalidRequest { ref field, .. })
            if field == "closed_dates[1]")
        );
    }
}
