//! Who to contact for a purpose at a local time.

use chrono::{Duration, NaiveDateTime, NaiveTime};
use continuum_plugin_api::pb::{
    ContactAnswer, ContactPoint, ContactPurpose, ContactRequest, RuleOutcome,
};
use continuum_plugin_api::{PluginError, rule, time};

use crate::catalogue::{self, CRT, POLICE_999, TAF_BOX};
use crate::text::*;

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

    let (code, mut reasons) = match purpose {
        ContactPurpose::EarlyHelpRequest => (
            TAF_BOX,
            vec![
                rule(
                    "CAR-ROUTE-TAF-REFERRAL",
                    "Referrals to Team Around the Family are made on JAFF Part 1 (on the TAF page of the FIS website, www.fis.carmarthenshire.gov.uk), with clear outcomes and the family's consent, and come to the next weekly TAF allocation meeting.",
                    c(S_REFERRALS, Q_REFERRALS_JAFF),
                ),
                rule(
                    "CAR-TAF-BOX",
                    "Send the form to the TAF box, TAF@carmarthenshire.gov.uk: a mailbox that accepts forms at any time. An incomplete form is returned to the referrer.",
                    c(S_SD_UNDER_8, Q_TAF_BOX),
                ),
            ],
        ),
        ContactPurpose::Advice => (
            TAF_BOX,
            vec![rule(
                "CAR-ROUTE-ADVICE",
                "The text names no advice line. Where it is unclear whether TAF fits, a TAF Coordinator or the TAF Manager can be asked by e-mail: the only TAF address the text gives is the TAF box, TAF@carmarthenshire.gov.uk. For a child at risk of harm, refer to the Central Referral Team (CRT) instead.",
                c(S_STEP_ACROSS, Q_SA_UNCLEAR),
            )],
        ),
        ContactPurpose::SafeguardingReferral => (
            CRT,
            vec![
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
            ],
        ),
        // Emergency (and any purpose added later) goes to the emergency line.
        _ => (
            POLICE_999,
            vec![rule(
                "CAR-ROUTE-EMERGENCY",
                "A child in immediate danger: call the police on 999 (the national emergency number; the text names none, see Gaps), then refer to the Central Referral Team (CRT).",
                c(S_STEP_UP, Q_SU_IMMEDIATE),
            )],
        ),
    };

    let closed = time::ClosedDates::of(request, at)?;
    let contact = known(code)?;
    let emergency = known(POLICE_999)?;
    let (open_now, next_opening) = status(&contact, at, &closed);
    if !open_now {
        reasons.push(closed_reason(&contact, &next_opening));
    } else if code == TAF_BOX && closed.contains(at.date()) {
        reasons.push(bank_holiday_reason(at, &closed));
    }
    Ok(ContactAnswer {
        contact: Some(contact),
        open_now,
        next_opening,
        // The text names no out-of-hours service (see Gaps).
        out_of_hours: None,
        emergency: Some(emergency),
        reasons,
    })
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
    time::next_opening(&time::weekdays("00:00", "24:00"), tomorrow, closed)
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
            hours: time::weekdays("09:00", "17:00"),
            ..Default::default()
        };
        line.hours
            .push(time::window(Weekday::Saturday, "10:00", "12:00"));
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
            hours: time::weekdays("09:00", "17:00"),
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
