//! What plugin protocol v4 lets the plugin say that the text says: bank-holiday rules and the
//! out-of-hours line's hours, urgency and channel, case history, ages, documents and conflicts.
//! Every test quotes the sentence of shared/seeds/001_e8fa8c619eac9618.txt it checks.
//! 2026-11-23 is a Monday; Monday 28 December 2026 and Friday 1 January 2027 are bank holidays
//! in England.

use continuum_authority_worcestershire::Worcestershire;
use continuum_plugin_api::pb::{
    self, BankHoliday, CaseEvent, Channel, ChildAge, ContactAnswer, ContactPurpose, Response,
    TimeUnit, Urgency, Weekday,
};
use continuum_plugin_api::{Authority, facts, time};

const SOURCE: &str = "shared/seeds/001_e8fa8c619eac9618.txt";
const FFD: &str = "FAMILY_FRONT_DOOR";
const OOH: &str = "FAMILY_FRONT_DOOR_OUT_OF_HOURS";
const SOCIAL_WORKER: &str = "ALLOCATED_SOCIAL_WORKER";
const TFS_EIFS: &str = "ALLOCATED_TFS_TEAM_LEADER_OR_EIFS_COORDINATOR";
const CHRISTMAS: &[&str] = &["2026-12-28", "2027-01-01"];

struct Call {
    purpose: ContactPurpose,
    at: &'static str,
    closed: &'static [&'static str],
    urgency: Urgency,
    history: Option<pb::CaseHistory>,
}

fn call(purpose: ContactPurpose, at: &'static str) -> Call {
    Call {
        purpose,
        at,
        closed: &[],
        urgency: Urgency::Unspecified,
        history: None,
    }
}

impl Call {
    fn urgency(self, urgency: Urgency) -> Self {
        Call { urgency, ..self }
    }

    fn closed(self, closed: &'static [&'static str]) -> Self {
        Call { closed, ..self }
    }

    fn open_case(self, level: &str) -> Self {
        Call {
            history: Some(pb::CaseHistory {
                open_case: true,
                open_level: level.into(),
                ..Default::default()
            }),
            ..self
        }
    }

    fn closed_case(self, days: u32) -> Self {
        Call {
            history: Some(pb::CaseHistory {
                closed_case: true,
                days_since_closed: days,
                ..Default::default()
            }),
            ..self
        }
    }

    fn request(&self) -> pb::ContactRequest {
        pb::ContactRequest {
            purpose: self.purpose as i32,
            local_time: self.at.into(),
            public_holiday: self.closed.iter().any(|d| self.at.starts_with(d)),
            closed_dates: self.closed.iter().map(|d| (*d).to_owned()).collect(),
            urgency: self.urgency as i32,
            history: self.history.clone(),
            age: Some(ChildAge {
                years: 8,
                ..Default::default()
            }),
        }
    }

    fn answer(&self) -> ContactAnswer {
        Worcestershire
            .route_contact(&self.request())
            .unwrap_or_else(|e| panic!("{}: {e}", self.at))
    }
}

fn code(cp: Option<&pb::ContactPoint>) -> &str {
    cp.map(|c| c.code.as_str()).unwrap_or_default()
}

fn rules(a: &ContactAnswer) -> Vec<&str> {
    a.reasons.iter().map(|r| r.rule_id.as_str()).collect()
}

fn contact_point(code: &str) -> pb::ContactPoint {
    Worcestershire
        .describe()
        .contact_points
        .into_iter()
        .find(|c| c.code == code)
        .unwrap_or_else(|| panic!("no contact point {code}"))
}

fn at(s: &str) -> chrono::NaiveDateTime {
    time::parse_date_time("t", s).unwrap_or_default()
}

/// "During the following working hours telephone 01905 822666 / 9.00am-5.00pm – Monday to
/// Thursday / 9.00am-4.30pm - Friday / Out of hours or at weekends: 01905 768020": the Front
/// Door's windows are working hours, closed on a bank holiday; the out-of-hours line's run past
/// midnight and are open all day on one.
#[test]
fn every_window_says_what_it_does_on_a_bank_holiday() {
    let ffd = contact_point(FFD);
    assert_eq!(ffd.hours.len(), 5);
    for w in &ffd.hours {
        assert_eq!(w.on_bank_holiday, BankHoliday::Closed as i32, "{w:?}");
    }
    let ooh = contact_point(OOH);
    assert!(!ooh.always_open);
    let windows: Vec<(i32, &str, &str, i32)> = ooh
        .hours
        .iter()
        .map(|w| {
            (
                w.weekday,
                w.opens.as_str(),
                w.closes.as_str(),
                w.on_bank_holiday,
            )
        })
        .collect();
    let all_day = BankHoliday::OpenAllDay as i32;
    let as_usual = BankHoliday::AsUsual as i32;
    assert_eq!(
        windows,
        [
            (Weekday::Monday as i32, "17:00", "09:00", all_day),
            (Weekday::Tuesday as i32, "17:00", "09:00", all_day),
            (Weekday::Wednesday as i32, "17:00", "09:00", all_day),
            (Weekday::Thursday as i32, "17:00", "09:00", all_day),
            (Weekday::Friday as i32, "16:30", "09:00", all_day),
            (Weekday::Saturday as i32, "09:00", "09:00", as_usual),
            (Weekday::Sunday as i32, "09:00", "09:00", as_usual),
        ]
    );
    let quote = ooh.citation.unwrap_or_default().quote;
    assert!(quote.contains("Out of hours or at weekends: 01905 768020"));
    assert!(quote.contains("9.00am-4.30pm - Friday"));
}

/// The two lines together cover the whole week: exactly one is open at any minute of an
/// ordinary week, and on a bank holiday the out-of-hours line is.
#[test]
fn the_out_of_hours_line_is_the_complement_of_working_hours() {
    let ffd = contact_point(FFD).hours;
    let ooh = contact_point(OOH).hours;
    let none = time::ClosedDates::none();
    let mut t = at("2026-11-23T00:00:00");
    while t < at("2026-11-30T00:00:00") {
        let (a, b) = (time::is_open(&ffd, t, &none), time::is_open(&ooh, t, &none));
        assert!(a != b, "{t}: front door {a}, out of hours {b}");
        t += chrono::Duration::minutes(15);
    }
    let christmas = time::ClosedDates::from_dates(vec![at("2026-12-28T00:00:00").date()]);
    let mut t = at("2026-12-28T00:00:00");
    while t < at("2026-12-29T09:00:00") {
        assert!(!time::is_open(&ffd, t, &christmas), "{t}");
        assert!(time::is_open(&ooh, t, &christmas), "{t}");
        t += chrono::Duration::minutes(15);
    }
    assert!(time::is_open(&ffd, at("2026-12-29T09:00:00"), &christmas));
}

/// A bank-holiday daytime: "Out of hours or at weekends: 01905 768020" — a bank holiday is
/// outside working hours, so the out-of-hours line is open and offered.
#[test]
fn out_of_hours_line_open_on_a_bank_holiday_daytime() {
    let a = call(ContactPurpose::SafeguardingReferral, "2026-12-28T11:00:00")
        .closed(CHRISTMAS)
        .answer();
    assert_eq!(code(a.out_of_hours.as_ref()), OOH);
    let closed = time::ClosedDates::from_dates(vec![
        at("2026-12-28T00:00:00").date(),
        at("2027-01-01T00:00:00").date(),
    ]);
    assert!(time::is_open(
        &contact_point(OOH).hours,
        at("2026-12-28T11:00:00"),
        &closed
    ));
    assert!(rules(&a).contains(&"WOR-CONTACT-OUT-OF-HOURS"));
}

/// "During the following working hours telephone 01905 822666": closed on the bank holiday, open
/// again at 9.00am on the next working day.
#[test]
fn front_door_closed_on_a_bank_holiday_and_next_opens_on_the_next_working_day() {
    let a = call(ContactPurpose::SafeguardingReferral, "2026-12-28T11:00:00")
        .closed(CHRISTMAS)
        .answer();
    assert_eq!(code(a.contact.as_ref()), FFD);
    assert!(!a.open_now);
    assert_eq!(a.next_opening, "2026-12-29T09:00:00");
    // New Year's Day, a Friday: next open on Monday 4 January.
    let a = call(ContactPurpose::Advice, "2027-01-01T10:00:00")
        .closed(&["2027-01-01"])
        .answer();
    assert!(!a.open_now);
    assert_eq!(a.next_opening, "2027-01-04T09:00:00");
    // Advice is not offered the out-of-hours line ("emergency only").
    assert_eq!(code(a.out_of_hours.as_ref()), "");
}

/// "9.00am-4.30pm - Friday": a Friday 16:45 call finds the Front Door closed until Monday, and
/// the out-of-hours line open (from 4.30pm on a Friday).
#[test]
fn a_friday_16_45_call() {
    let a = call(ContactPurpose::SafeguardingReferral, "2026-11-27T16:45:00")
        .urgency(Urgency::Urgent)
        .answer();
    assert_eq!(code(a.contact.as_ref()), FFD);
    assert!(!a.open_now);
    assert_eq!(a.next_opening, "2026-11-30T09:00:00");
    assert_eq!(code(a.out_of_hours.as_ref()), OOH);
    assert!(time::is_open(
        &contact_point(OOH).hours,
        at("2026-11-27T16:45:00"),
        &time::ClosedDates::none()
    ));
    assert_eq!(a.channel, Channel::Phone as i32);
    // Thursday at the same time is still working hours.
    let a = call(ContactPurpose::SafeguardingReferral, "2026-11-26T16:45:00").answer();
    assert!(a.open_now);
    assert_eq!(code(a.out_of_hours.as_ref()), "");
}

/// Appendix 6: "Telephone call first and follow up online social care referral with the on line
/// children's referral form"; Appendix 3: "If the concern is not immediate, use the online form
/// to raise the concern"; Appendix 2: "To access the online referral to Children's Social Care:
/// www.worcestershire.gov.uk/areyouworriedaboutachild".
#[test]
fn urgent_by_phone_not_urgent_by_the_online_form() {
    let urgent = call(ContactPurpose::SafeguardingReferral, "2026-11-23T10:00:00")
        .urgency(Urgency::Urgent)
        .answer();
    assert_eq!(code(urgent.contact.as_ref()), FFD);
    assert_eq!(urgent.channel, Channel::Phone as i32);
    assert!(
        urgent
            .instruction
            .starts_with("Telephone call first and follow up online social care referral")
    );
    assert!(rules(&urgent).contains(&"WOR-CONTACT-URGENT-PHONE"));
    assert!(rules(&urgent).contains(&"WOR-CONTACT-PHONE-FIRST"));

    let not_urgent = call(ContactPurpose::SafeguardingReferral, "2026-11-23T10:00:00")
        .urgency(Urgency::NotUrgent)
        .answer();
    assert_eq!(code(not_urgent.contact.as_ref()), FFD);
    assert_eq!(not_urgent.channel, Channel::WebForm as i32);
    assert_eq!(
        not_urgent.contact.clone().unwrap_or_default().web_form,
        "www.worcestershire.gov.uk/areyouworriedaboutachild"
    );
    assert!(not_urgent.instruction.contains("areyouworriedaboutachild"));
    assert!(rules(&not_urgent).contains(&"WOR-CONTACT-NOT-URGENT-FORM"));

    // Urgency not said: the telephone route (the gap "Urgency not said").
    let unsaid = call(ContactPurpose::SafeguardingReferral, "2026-11-23T10:00:00").answer();
    assert_eq!(unsaid.channel, Channel::Phone as i32);
}

/// The text gives no time for the written follow-up: no follow-up deadline, and a gap says so.
#[test]
fn no_follow_up_deadline_is_invented() {
    for urgency in [Urgency::Urgent, Urgency::NotUrgent, Urgency::Unspecified] {
        for t in ["2026-11-23T10:00:00", "2026-11-28T11:00:00"] {
            let a = call(ContactPurpose::SafeguardingReferral, t)
                .urgency(urgency)
                .answer();
            assert!(a.follow_ups.is_empty(), "{urgency:?} {t}");
        }
    }
    let d = Worcestershire.describe();
    assert!(
        d.gaps
            .iter()
            .any(|g| g.topic == "Written follow-up of a telephone referral: timescale")
    );
}

/// Not urgent at night: the form, and no out-of-hours line ("out of office hours emergency
/// only 01905 768020").
#[test]
fn a_concern_that_is_not_urgent_at_night_is_not_given_the_emergency_line() {
    let a = call(ContactPurpose::SafeguardingReferral, "2026-11-25T23:30:00")
        .urgency(Urgency::NotUrgent)
        .answer();
    assert_eq!(a.channel, Channel::WebForm as i32);
    assert!(!a.open_now);
    assert_eq!(a.next_opening, "2026-11-26T09:00:00");
    assert_eq!(code(a.out_of_hours.as_ref()), "");
    assert!(rules(&a).contains(&"WOR-CONTACT-OUT-OF-HOURS-EMERGENCY-ONLY"));
    // Urgent at the same time: the out-of-hours line.
    let a = call(ContactPurpose::SafeguardingReferral, "2026-11-25T23:30:00")
        .urgency(Urgency::Urgent)
        .answer();
    assert_eq!(code(a.out_of_hours.as_ref()), OOH);
}

/// Appendix 2: "New information about an allocated case should be passed to the social worker
/// without delay".
#[test]
fn an_open_case_at_level_4_goes_to_the_allocated_social_worker() {
    for urgency in [Urgency::Urgent, Urgency::NotUrgent] {
        let a = call(ContactPurpose::SafeguardingReferral, "2026-11-23T10:00:00")
            .urgency(urgency)
            .open_case("L4")
            .answer();
        assert_eq!(code(a.contact.as_ref()), SOCIAL_WORKER);
        assert!(a.open_now);
        assert_eq!(a.channel, Channel::Other as i32);
        assert_eq!(
            a.instruction,
            "New information about an allocated case should be passed to the social worker without delay"
        );
        assert!(rules(&a).contains(&"WOR-CONTACT-ALLOCATED-CASE"));
        let sw = a.contact.unwrap_or_default();
        assert!(sw.phone.is_empty(), "no invented number");
        assert!(sw.how_to_reach.contains("allocated social worker"));
    }
    // At night, an urgent one is also given the out-of-hours line.
    let a = call(ContactPurpose::SafeguardingReferral, "2026-11-25T23:30:00")
        .urgency(Urgency::Urgent)
        .open_case("L4")
        .answer();
    assert_eq!(code(a.contact.as_ref()), SOCIAL_WORKER);
    assert_eq!(code(a.out_of_hours.as_ref()), OOH);
}

/// Appendix 6: "When not an Immediate child protection concern ... Discuss concerns with
/// allocated TFS Team Leader/ EIFS Coordinator who have line management responsibilities (not
/// lead worker as this is an escalation of risk)"; "if immediate child protection refer to
/// children's social care ... Telephone call first".
#[test]
fn an_open_early_help_case_follows_appendix_6() {
    for level in ["L2", "L3"] {
        let a = call(ContactPurpose::SafeguardingReferral, "2026-11-23T10:00:00")
            .urgency(Urgency::NotUrgent)
            .open_case(level)
            .answer();
        assert_eq!(code(a.contact.as_ref()), TFS_EIFS, "{level}");
        assert_eq!(a.channel, Channel::Other as i32);
        assert!(a.instruction.contains("not lead worker"));
        assert!(rules(&a).contains(&"WOR-CONTACT-OPEN-EARLY-HELP-CASE"));

        let a = call(ContactPurpose::SafeguardingReferral, "2026-11-23T10:00:00")
            .urgency(Urgency::Urgent)
            .open_case(level)
            .answer();
        assert_eq!(code(a.contact.as_ref()), FFD, "{level}");
        assert_eq!(a.channel, Channel::Phone as i32);
        assert!(
            a.instruction
                .starts_with("Discuss with your line manager/safeguarding lead")
        );
        assert!(rules(&a).contains(&"WOR-CONTACT-OPEN-EARLY-HELP-CASE-IMMEDIATE"));

        // Appendix 3: "If a family is already receiving support from Early Intervention Family
        // Support or Targeted Family Support and there are escalating concerns, please refer to
        // the Professionals process found at Appendix 6."
        let a = call(ContactPurpose::EarlyHelpRequest, "2026-11-23T10:00:00")
            .open_case(level)
            .answer();
        assert_eq!(code(a.contact.as_ref()), TFS_EIFS, "{level}");
        assert!(rules(&a).contains(&"WOR-CONTACT-ESCALATION-OF-NEED"));
    }
}

/// A closed case: the text says nothing of it, so a new concern ("If you have a new
/// safeguarding concern regarding a child or young person").
#[test]
fn a_closed_case_is_a_new_concern() {
    let a = call(ContactPurpose::SafeguardingReferral, "2026-11-23T10:00:00")
        .urgency(Urgency::Urgent)
        .closed_case(30)
        .answer();
    assert_eq!(code(a.contact.as_ref()), FFD);
    assert_eq!(a.channel, Channel::Phone as i32);
    assert!(rules(&a).contains(&"WOR-CONTACT-CLOSED-CASE"));
    let bad = call(ContactPurpose::SafeguardingReferral, "2026-11-23T10:00:00").open_case("L9");
    assert!(Worcestershire.route_contact(&bad.request()).is_err());
}

/// Appendix 2 "Out of hours or at weekends: 01905 768020" against Appendix 6 "(telephone
/// number: 01905 822666 or out of office hours emergency only 01905 768020)": recorded, and
/// Appendix 6 followed.
#[test]
fn the_out_of_hours_conflict_is_recorded() {
    let d = Worcestershire.describe();
    let conflict = d
        .conflicts
        .iter()
        .find(|c| c.topic.starts_with("Out-of-hours number 01905 768020"))
        .expect("the out-of-hours conflict");
    let quotes: Vec<(&str, &str)> = conflict
        .claims
        .iter()
        .map(|c| (c.section.as_str(), c.quote.as_str()))
        .collect();
    assert_eq!(
        quotes[0],
        (
            "Appendix 2 - Safeguarding Children's Social Care Pathway",
            "Out of hours or at weekends: 01905 768020"
        )
    );
    assert!(quotes[1].0.starts_with("Appendix 6"));
    assert_eq!(
        quotes[1].1,
        "telephone number: 01905 822666 or out of office hours emergency only 01905 768020"
    );
    assert_eq!(conflict.followed, 1);
    assert!(conflict.reason.contains("emergency only"));
    for c in d.conflicts.iter().flat_map(|c| &c.claims) {
        assert_eq!(c.source, SOURCE);
    }
    let topics: Vec<&str> = d.conflicts.iter().map(|c| c.topic.as_str()).collect();
    assert!(topics.contains(&"Address of the online referral to Children's Social Care"));
    assert!(topics.contains(&"Youngest age served: pre-birth or birth"));
}

/// The seed file is the one document, with the title the text gives it and no invented date
/// ("May 2019 (Updated)" has no day).
#[test]
fn the_document_is_listed() {
    let d = Worcestershire.describe();
    assert_eq!(d.documents.len(), 1);
    let doc = &d.documents[0];
    assert_eq!(doc.id, SOURCE);
    assert_eq!(
        doc.title,
        "Multi Agency Levels of Need: Guidance to help support children, young people and families in Worcestershire"
    );
    assert_eq!(doc.reference, "001_e8fa8c619eac9618.txt");
    assert_eq!(doc.published, "");
    assert!(d.gaps.iter().any(|g| g.topic == "Publication date"));
    assert_eq!(d.plugin_version, "2.0.0");
}

/// Each level's response in the text's words, all different (levels 2 and 3 both early help).
#[test]
fn levels_say_their_response_in_the_texts_words() {
    let d = Worcestershire.describe();
    let texts: Vec<&str> = d.levels.iter().map(|l| l.response_text.as_str()).collect();
    assert!(texts[1].contains("universal service providing additional support"));
    assert!(texts[2].contains("coordinated multi-agency plan"));
    assert_eq!(texts[3], "statutory and/or specialist interventions");
    let mut unique = texts.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 4);
    assert_eq!(d.levels[2].response, Response::TargetedEarlyHelp as i32);
    // No ages per level: the text gives none.
    assert!(d.levels.iter().all(|l| l.ages.is_none()));
}

/// "at any point in the child's life from pre-birth through to the teenage years": pre-birth
/// with no week, so any unborn child; no upper age in the text (a gap: to 17).
#[test]
fn ages_served() {
    let d = Worcestershire.describe();
    let range = d.age_range.unwrap_or_default();
    assert!(range.serves_unborn);
    assert_eq!(range.unborn_from_gestation_weeks, 0);
    let unborn = |weeks| ChildAge {
        unborn: true,
        gestation_weeks: weeks,
        ..Default::default()
    };
    let born = |years| ChildAge {
        years,
        ..Default::default()
    };
    assert!(facts::serves(&range, &unborn(6)));
    assert!(facts::serves(&range, &born(17)));
    assert!(!facts::serves(&range, &born(18)));
    let within = |age: ChildAge| {
        Worcestershire
            .assess_threshold(&pb::ThresholdRequest {
                concerns: vec![pb::Concern {
                    indicator_code: "WOR-L3-HEALTH-05".into(),
                    ..Default::default()
                }],
                consent: pb::Consent::GivenInWriting as i32,
                age: Some(age),
                ..Default::default()
            })
            .map(|d| (d.recommended_level, d.within_age_range))
            .unwrap_or_default()
    };
    assert_eq!(within(unborn(6)), ("L3".to_owned(), true));
    assert_eq!(within(born(19)), ("L3".to_owned(), false));
}

/// The text gives no pre-birth timescale: an unborn child's case starts what any child's does.
#[test]
fn an_unborn_child_starts_the_same_timescales() {
    let deadlines = |age: Option<ChildAge>| -> Vec<(String, u32, i32)> {
        Worcestershire
            .timescales(&pb::TimescaleRequest {
                event: CaseEvent::PlanAgreed as i32,
                level_code: "L2".into(),
                age,
            })
            .map(|a| a.deadlines)
            .unwrap_or_default()
            .into_iter()
            .map(|d| {
                let due = d.due_in.unwrap_or_default();
                (d.code, due.amount, due.unit)
            })
            .collect()
    };
    let unborn = deadlines(Some(ChildAge {
        unborn: true,
        gestation_weeks: 30,
        ..Default::default()
    }));
    assert_eq!(
        unborn,
        [("WOR-EH-PLAN-REVIEW".to_owned(), 6, TimeUnit::Weeks as i32)]
    );
    assert_eq!(unborn, deadlines(None));
    assert!(
        Worcestershire
            .describe()
            .timescales
            .iter()
            .all(|t| t.only_if == pb::Circumstance::Unspecified as i32)
    );
}
