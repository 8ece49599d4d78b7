//! Who to contact for a purpose at a local time.

use chrono::{Duration, NaiveDateTime, NaiveTime};
use continuum_plugin_api::pb::{
    BankHoliday, Channel, ContactAnswer, ContactPoint, ContactPurpose, ContactRequest, RuleOutcome,
    Urgency,
};
use continuum_plugin_api::{PluginError, rule, time};

use crate::catalogue::{
    self, ASSESSMENT, CRT, ENHANCED, POLICE_999, PROTECTIVE, TAF_BOX, TARGETED,
};
use crate::text::*;
use crate::threshold::age_check;

pub fn route(request: &ContactRequest) -> Result<ContactAnswer, PluginError> {
    let purpose = ContactPurpose::try_from(request.purpose)
        .ok()
        .filter(|p| *p != ContactPurpose::Unspecified)
        .ok_or_else(|| {
            PluginError::invalid(
                "purpose",
                format!(
                    "{} is not a contact purpose (advice, early help request, safeguarding referral or emergency)",
                    request.purpose
                ),
            )
        })?;
    let at = time::parse_date_time("local_time", &request.local_time)?;
    let urgency = Urgency::try_from(request.urgency).unwrap_or(Urgency::Unspecified);
    let history = History::of(request)?;

    let mut route = match purpose {
        ContactPurpose::EarlyHelpRequest => early_help(urgency, history),
        ContactPurpose::Advice => Route {
            code: TAF_BOX,
            // The only TAF address the text gives: "If unclear, then CRT can phone, or e mail a
            // TAF Coordinator or the Manager to discuss."
            channel: Channel::Email,
            instruction: String::new(),
            reasons: vec![rule(
                "CAR-ROUTE-ADVICE",
                "The text names no advice line. Where it is unclear whether TAF fits, a TAF Coordinator or the TAF Manager can be asked by e-mail: the only TAF address the text gives is the TAF box, TAF@carmarthenshire.gov.uk. For a child at risk of harm, refer to the Central Referral Team (CRT) instead.",
                c(S_STEP_ACROSS, Q_SA_UNCLEAR),
            )],
        },
        ContactPurpose::SafeguardingReferral => safeguarding(urgency, history),
        // Emergency (and any purpose added later) goes to the emergency line.
        _ => Route {
            code: POLICE_999,
            channel: Channel::Phone,
            instruction: String::new(),
            reasons: vec![rule(
                "CAR-ROUTE-EMERGENCY",
                "A child in immediate danger: call the police on 999 (the national emergency number; the text names none, see Gaps), then refer to the Central Referral Team (CRT).",
                c(S_STEP_UP, Q_SU_IMMEDIATE),
            )],
        },
    };
    if matches!(
        purpose,
        ContactPurpose::EarlyHelpRequest | ContactPurpose::Advice
    ) && let Some(age) = request.age.as_ref()
    {
        let (_, text) = age_check(Some(age));
        route
            .reasons
            .push(rule("CAR-AGE-RANGE", text, c(S_INTRO, Q_AGE)));
    }

    let closed = time::ClosedDates::of(request, at)?;
    let contact = known(route.code)?;
    let emergency = known(POLICE_999)?;
    let (open_now, next_opening) = status(&contact, at, &closed);
    if !open_now {
        route.reasons.push(closed_reason(&contact, &next_opening));
    } else if route.code == TAF_BOX && closed.contains(at.date()) {
        route.reasons.push(bank_holiday_reason(at, &closed));
    }
    Ok(ContactAnswer {
        contact: Some(contact),
        open_now,
        next_opening,
        // The text names no out-of-hours service (see Gaps).
        out_of_hours: None,
        emergency: Some(emergency),
        reasons: route.reasons,
        channel: route.channel as i32,
        instruction: route.instruction,
        // The text gives no timescale for what follows a contact (see Gaps).
        follow_ups: Vec::new(),
    })
}

/// Where a contact goes, how, and why.
struct Route {
    code: &'static str,
    channel: Channel,
    instruction: String,
    reasons: Vec<RuleOutcome>,
}

/// What the caller knows of the child's history, as far as the text routes on it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum History {
    /// Nothing known, or nothing the text routes on.
    None,
    /// An open case supported by TAF: single agency (enhanced support) when true, else
    /// multi-agency (targeted support).
    OpenToTaf { single_agency: bool },
    /// An open case with statutory Children's Social Services.
    OpenToSocialServices,
    /// A case that is now closed.
    Closed,
}

impl History {
    fn of(request: &ContactRequest) -> Result<Self, PluginError> {
        let Some(h) = request.history.as_ref() else {
            return Ok(History::None);
        };
        let level = h.open_level.trim();
        if !level.is_empty() && catalogue::level(level).is_none() {
            return Err(PluginError::invalid(
                "history.open_level",
                format!("{level:?} is not a Carmarthenshire category of support"),
            ));
        }
        Ok(match (h.open_case, level) {
            (true, ENHANCED) => History::OpenToTaf {
                single_agency: true,
            },
            (true, TARGETED) => History::OpenToTaf {
                single_agency: false,
            },
            (true, ASSESSMENT | PROTECTIVE) => History::OpenToSocialServices,
            (true, _) => History::None,
            (false, _) if h.closed_case => History::Closed,
            (false, _) => History::None,
        })
    }
}

/// A referral to TAF: JAFF Part 1 e-mailed to the TAF box, whatever the urgency (the text gives
/// no other way in); a child open to social services is stepped down by the social worker.
fn early_help(urgency: Urgency, history: History) -> Route {
    let mut reasons = vec![
        rule(
            "CAR-ROUTE-TAF-REFERRAL",
            "Referrals to Team Around the Family are made on JAFF Part 1 (on the TAF page of the FIS website, www.fis.carmarthenshire.gov.uk), with clear outcomes and the family's consent, and come to the next weekly TAF allocation meeting.",
            c(S_REFERRALS, Q_REFERRALS_JAFF),
        ),
        rule(
            "CAR-TAF-BOX",
            "Send the form to the TAF box, TAF@carmarthenshire.gov.uk: a mailbox that accepts forms at any time. An incomplete form is returned to the referrer.",
            c(S_SD_UNDER_8, Q_TAF_BOX_AT),
        ),
    ];
    let mut channel = Channel::Email;
    let mut instruction = "Complete Joint Assessment Family Framework Part 1 (on the TAF page on FIS website www.fis.carmarthenshire.gov.uk) with clear outcomes identified with the family and the family's consent; the form is to be sent to the TAF box at TAF@carmarthenshire.gov.uk.".to_owned();
    match history {
        History::OpenToSocialServices => {
            instruction = "A case open to social services is stepped down by the social worker. Open for 8 weeks or more: the Social Worker needs to fully complete Joint Assessment Family Framework (JAFF) part 1 form with clear outcomes for intervention identified with the family and signed family consent for the referral and information sharing. Open to an assessment team for less than 8 weeks with no further need of social service intervention: the case is closed, and the family are assisted to complete Part 1 of the JAFF (verbal consent noted on the form) or given the paperwork to self-refer. Either way, this form is to be sent to the TAF box; at TAF@carmarthenshire.gov.uk.".to_owned();
            reasons.push(rule(
                "CAR-ROUTE-STEP-DOWN",
                "The child's case is open to social services: a request for TAF is a step down, for cases where the need for an acute high end service is no longer the case but the family still have a need and are accepting of support.",
                c(S_STEP_DOWN, Q_SD_PRIMARY),
            ));
            reasons.push(rule(
                "CAR-ROUTE-STEP-DOWN-8-WEEKS",
                "Open for 8 weeks or more: the social worker fully completes JAFF Part 1 with signed family consent.",
                c(S_SD_OVER_8, Q_OVER_8_JAFF),
            ));
            reasons.push(rule(
                "CAR-ROUTE-STEP-DOWN-UNDER-8-WEEKS",
                "Open less than 8 weeks: the family are assisted to complete Part 1 of the JAFF, or given the paperwork to self-refer to TAF.",
                c(S_SD_UNDER_8, Q_UNDER_8_JAFF),
            ));
        }
        History::Closed => reasons.push(rule(
            "CAR-REFER-AGAIN",
            "The child's case has closed: families can be referred more than once, on JAFF Part 1 to the TAF box as any referral.",
            c(S_REFERRALS, Q_REFER_AGAIN),
        )),
        // "With single agency cases before stepping up the keyworker consults with the TAF
        // manager or coordinator": the text says nothing of a multi-agency case asking again.
        History::OpenToTaf {
            single_agency: true,
        } => {
            channel = Channel::Other;
            instruction = "The child is already supported by TAF. With single agency cases before stepping up the keyworker consults with the TAF manager or coordinator if a multi-agency team should be the next step; the only TAF address the text gives is the TAF box, TAF@carmarthenshire.gov.uk.".to_owned();
            reasons.push(rule(
                "CAR-ROUTE-OPEN-TAF-CASE",
                "The child's case is open to TAF: moving from single agency to a multi-agency team is the keyworker's consultation with the TAF manager or coordinator, not a new referral.",
                c(S_STEP_UP, Q_SU_SINGLE),
            ));
        }
        History::OpenToTaf {
            single_agency: false,
        }
        | History::None => {}
    }
    if urgency == Urgency::Urgent {
        reasons.push(rule(
            "CAR-TAF-NO-URGENT-ROUTE",
            "The text gives no urgent route into TAF: every referral comes to the next weekly allocation meeting. Where concerns arise concerning the safety of a child the step-up procedure is followed: make a safeguarding referral to the Central Referral Team (CRT); in an emergency call the police on 999.",
            c(S_INTRO, Q_SAFETY_STEP_UP),
        ));
    }
    Route {
        code: TAF_BOX,
        channel,
        instruction,
        reasons,
    }
}

/// A safeguarding referral goes to the Central Referral Team; urgently, with a telephone
/// communication with its Manager (no number in the text); from an open TAF case, through the
/// TAF coordinator and TAF Manager.
fn safeguarding(urgency: Urgency, history: History) -> Route {
    let mut reasons = vec![
        rule(
            "CAR-ROUTE-SAFEGUARDING",
            "A child at risk of harm, in need of protection, or a disclosure: refer to the Central Referral Team (CRT) without delay, with a multi-agency referral (MARF) and a telephone call to the CRT Manager or deputy where a child needs protection and urgent safeguarding. The text gives no telephone number, email or hours for CRT (see Gaps): use the council's published CRT contact details. If the child is in immediate danger, call the police on 999.",
            c(S_STEP_UP, Q_SU_IMMEDIATE),
        ),
        rule(
            "CAR-ROUTE-SAFEGUARDING-PROTECTION",
            "From an open TAF case, the TAF keyworker completes the multi-agency referral, supported by the TAF coordinator or TAF Manager, with a telephone call to the CRT Manager.",
            c(S_STEP_UP, Q_SU_PROTECTION),
        ),
        rule(
            "CAR-CRT-GATEWAY",
            "The Central Referral Team is the 'gateway' into social care services for children and families.",
            c(S_STEP_ACROSS, Q_SA_GATEWAY),
        ),
    ];
    let urgent = urgency == Urgency::Urgent;
    let open_to_taf = matches!(history, History::OpenToTaf { .. });
    let (channel, instruction) = match (urgent, open_to_taf) {
        (true, true) => (
            Channel::Other,
            "A child in need of protection and urgent safeguarding: a multiagency referral is to be completed by the TAF keyworker, with support from the TAF coordinator or the TAF manager, along with a telephone communication with the Manager (or deputy) of CRT. The text gives no CRT telephone number: use the council's published CRT contact details.",
        ),
        (true, false) => (
            Channel::Other,
            "A child in need of protection and urgent safeguarding: a multiagency referral along with a telephone communication with the Manager (or deputy) of CRT. The text gives no CRT telephone number: use the council's published CRT contact details.",
        ),
        (false, true) => (
            Channel::Other,
            "The TAF Coordinator will discuss the case with the TAF Manager regarding their concerns. If it is agreed, the coordinator may contact the Central Referral Team (CRT) Manager for a consultation. If TAF manager not available, then discussion is direct with manager of CRT. At no time should there be any delay that could leave a child exposed to risk of significant harm.",
        ),
        // The text gives no channel for a referral to CRT that is not urgent.
        (false, false) => (Channel::Unspecified, ""),
    };
    if urgent {
        reasons.push(rule(
            "CAR-ROUTE-URGENT-SAFEGUARDING",
            "Urgent: a multiagency referral along with a telephone communication with the Manager or deputy of CRT. The text gives no number for that call (see Gaps): use the council's published CRT contact details.",
            c(S_PW_UP, Q_PW_UP_URGENT),
        ));
    }
    if open_to_taf {
        reasons.push(rule(
            "CAR-ROUTE-OPEN-TAF-CASE",
            if urgent {
                "The child is supported by a TAF plan: the TAF keyworker completes the referral, with support from the TAF coordinator or TAF manager."
            } else {
                "The child is supported by a TAF plan: a step up. The TAF Coordinator discusses the concerns with the TAF Manager and, if agreed, contacts the CRT Manager for a consultation (directly, if the TAF manager is not available)."
            },
            c(S_STEP_UP, Q_SU_DISCUSS_AGREED),
        ));
        if !urgent {
            reasons.push(rule(
                "CAR-ROUTE-TAF-MANAGER-UNAVAILABLE",
                "If the TAF manager is not available, the discussion is direct with the manager of CRT.",
                c(S_PW_UP, Q_PW_UP_NOT_AVAILABLE),
            ));
        }
    }
    Route {
        code: CRT,
        channel,
        instruction: instruction.to_owned(),
        reasons,
    }
}

fn known(code: &str) -> Result<ContactPoint, PluginError> {
    catalogue::contact_point(code)
        .ok_or_else(|| PluginError::Failed(format!("contact point {code} is not declared")))
}

/// Whether a contact point is open at `at`, and when it next opens if it is not
/// ("" when open or when it opens within no window in the next two weeks). A line with office
/// hours is closed on the request's closed dates (bank holidays, local closures) and next opens
/// on a day that is not one.
pub fn status(
    contact: &ContactPoint,
    at: NaiveDateTime,
    closed: &time::ClosedDates,
) -> (bool, String) {
    if contact.always_open {
        return (true, String::new());
    }
    if time::is_open(&contact.hours, at, closed) {
        return (true, String::new());
    }
    let next = time::next_opening(&contact.hours, at, closed)
        .map(time::format_date_time)
        .unwrap_or_default();
    (false, next)
}

/// The first weekday after `at`'s date that is not a closed date ("" if none in two weeks).
fn next_working_day(at: NaiveDateTime, closed: &time::ClosedDates) -> String {
    let tomorrow = (at.date() + Duration::days(1)).and_time(NaiveTime::MIN);
    time::next_opening(
        &time::weekdays("00:00", "24:00", BankHoliday::Closed),
        tomorrow,
        closed,
    )
    .map(|t| time::format_date(t.date()))
    .unwrap_or_default()
}

/// The TAF box is a mailbox: it takes forms on a bank holiday too, but the text gives no TAF
/// office hours, so the plugin says only when the next working day is.
fn bank_holiday_reason(at: NaiveDateTime, closed: &time::ClosedDates) -> RuleOutcome {
    let next = next_working_day(at, closed);
    let next = if next.is_empty() {
        String::new()
    } else {
        format!(" The next working day is {next}.")
    };
    rule(
        "CAR-TAF-BOX-BANK-HOLIDAY",
        format!(
            "Today is a bank holiday or local closure. The TAF box, TAF@carmarthenshire.gov.uk, is a mailbox and still accepts forms; the text gives no TAF telephone number or office hours (see Gaps), so it cannot say when the box is read.{next} The referral comes to the next weekly TAF allocation meeting. For a child at risk of harm, refer to the Central Referral Team (CRT); in an emergency call the police on 999."
        ),
        c(S_SD_UNDER_8, Q_TAF_BOX),
    )
}

fn closed_reason(contact: &ContactPoint, next_opening: &str) -> RuleOutcome {
    rule(
        "CAR-CLOSED",
        format!(
            "{} is closed now (next opens {next_opening}); the text names no out-of-hours service. In an emergency call the police on 999.",
            contact.name
        ),
        contact
            .citation
            .clone()
            .unwrap_or_else(|| c(S_STEP_UP, Q_SU_IMMEDIATE)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use continuum_plugin_api::pb::Weekday;

    fn at(s: &str) -> NaiveDateTime {
        time::parse_date_time("t", s).unwrap()
    }

    fn closed(dates: &[&str]) -> time::ClosedDates {
        time::ClosedDates::from_dates(
            dates
                .iter()
                .map(|d| time::parse_date("d", d).unwrap())
                .collect(),
        )
    }

    /// An office-hours line, for the helper: the text gives Carmarthenshire none.
    fn office_line() -> ContactPoint {
        let mut line = ContactPoint {
            name: "Test line".into(),
            hours: time::weekdays("09:00", "17:00", BankHoliday::Closed),
            ..Default::default()
        };
        line.hours.push(time::window(
            Weekday::Saturday,
            "10:00",
            "12:00",
            BankHoliday::Closed,
        ));
        line
    }

    #[test]
    fn a_line_with_hours_reports_when_it_next_opens() {
        let mut line = office_line();
        let none = time::ClosedDates::none();
        assert_eq!(
            status(&line, at("2026-11-23T10:00:00"), &none),
            (true, String::new())
        );
        assert_eq!(
            status(&line, at("2026-11-27T17:30:00"), &none),
            (false, "2026-11-28T10:00:00".to_owned())
        );
        assert_eq!(
            status(&line, at("2026-11-23T10:00:00"), &closed(&["2026-11-23"])),
            (false, "2026-11-24T09:00:00".to_owned())
        );
        line.always_open = true;
        line.hours.clear();
        assert_eq!(
            status(&line, at("2026-11-28T23:00:00"), &closed(&["2026-11-28"])),
            (true, String::new())
        );
    }

    #[test]
    fn an_office_hours_line_is_closed_on_a_bank_holiday() {
        let line = ContactPoint {
            name: "Test line".into(),
            hours: time::weekdays("09:00", "17:00", BankHoliday::Closed),
            ..Default::default()
        };
        // Monday 28 December 2026 (Boxing Day's substitute) and Friday 1 January 2027.
        let holidays = closed(&["2026-12-28", "2027-01-01"]);
        assert_eq!(
            status(&line, at("2026-12-28T11:00:00"), &holidays),
            (false, "2026-12-29T09:00:00".to_owned())
        );
        // Christmas Eve evening: Friday 25 and Monday 28 December are both closed.
        let christmas = closed(&["2026-12-25", "2026-12-28"]);
        assert_eq!(
            status(&line, at("2026-12-24T18:00:00"), &christmas),
            (false, "2026-12-29T09:00:00".to_owned())
        );
        assert_eq!(
            next_working_day(at("2026-12-24T18:00:00"), &christmas),
            "2026-12-29"
        );
        assert_eq!(
            next_working_day(at("2026-12-31T18:00:00"), &holidays),
            "2027-01-04"
        );
    }
}
