//! Template authority plugin for Continuum.
//!
//! Replace every value marked `AUTHORITY:` with what your authority's published procedure says,
//! and cite the file and section each rule comes from. Where the text is silent, add a `Gap`
//! rather than inventing a number. Run `cargo test` (the conformance check and the template's
//! scenarios, which you rewrite from your text) as you go.
//!
//! Every deadline names the case events that meet it (`met_by`); working days and bank holidays
//! come from the host's calendar (plugins hold none). A transition condition that a panel, a
//! meeting or a manager decides says so (`decided_by`), so the service makes the move a request
//! that waits for them; a panel's decision options say what each does (`effect`).
//!
//! The example text is a council's whose out-of-hours team covers "weekends, bank holidays and
//! between 5pm (4.30pm on Fridays) and 8am" (windows that run past midnight, each saying what
//! it does on a bank holiday), whose Front Door is called on option 2 if urgent and reached
//! through the contact form if not (a phone referral followed up with the form within one
//! working day), which sends a child open to children's social care in the last 3 months to the
//! district office, whose family hubs serve other ages than the authority (to 25 with SEND),
//! which sets a pre-birth deadline for an unborn child only, whose levels 2 and 3 are both early
//! help in different words, and whose web page gives a newer out-of-hours number than its
//! guidance (`documents`, `conflicts`). Keep each only where your text says the like; each is
//! marked `AUTHORITY:` and has its own test. See crates/plugin-api/README.md.

use continuum_plugin_api::pb::{
    self, BankHoliday, Cadence, CaseEvent, Channel, Circumstance, ContactPurpose, Decider, Domain,
    MeetingKind, Nation, PanelEffect, Response, TransitionKind, Urgency, Weekday,
};
use continuum_plugin_api::{Authority, PluginError, cite, decided_by, facts, rule, time};

// AUTHORITY: your ONS GSS code and name.
pub const CODE: &str = "E99999999";
pub const NAME: &str = "Example Authority";
// AUTHORITY: the published procedure this plugin encodes (a path your team can find it at).
const SOURCE: &str = "procedures/example-threshold-guidance.txt";
// AUTHORITY: a council web page the plugin also relies on, by an id of your choosing. Keep it
// if your rules come from a page as well as the procedure; otherwise delete it, its entry in
// `documents()` and the citations that name it.
const FRONT_DOOR_PAGE: &str = "EXAMPLE-FRONT-DOOR-PAGE";

fn at(section: &str, quote: &str) -> pb::Citation {
    cite(SOURCE, section, quote)
}

fn on_page(section: &str, quote: &str) -> pb::Citation {
    cite(FRONT_DOOR_PAGE, section, quote)
}

/// AUTHORITY: every document your citations name, with its title as published, its reference
/// or web address, and its date (`published` where it gives one; `retrieved` for a web page,
/// which can change). Once documents are listed, every citation's `source` must be one of their
/// ids (the check refuses any other).
fn documents() -> Vec<pb::Source> {
    vec![
        pb::Source {
            id: SOURCE.into(),
            title: "Example Threshold Guidance".into(),
            reference: "Version 2.1".into(),
            published: "2025-04-01".into(),
            ..Default::default()
        },
        pb::Source {
            id: FRONT_DOOR_PAGE.into(),
            title: "Contact the Children's Front Door".into(),
            url: "https://example.org/childrens-front-door".into(),
            retrieved: "2026-11-02".into(),
            ..Default::default()
        },
    ]
}

/// The guidance's out-of-hours number, which the newer web page replaces.
const OUT_OF_HOURS_IN_GUIDANCE: &str = "Out of hours, call the Emergency Duty Team on 01000 000002";

/// AUTHORITY: where two of your documents disagree, quote each (at least two claims), say which
/// the plugin follows (`followed`: an index into `claims`) and why. Keep this one only if your
/// documents disagree on the out-of-hours number; delete it otherwise. Its numbers are the
/// template's placeholders: quote your documents' own.
fn conflicts() -> Vec<pb::SourceConflict> {
    vec![pb::SourceConflict {
        topic: "Out-of-hours number".into(),
        claims: vec![
            at("Contacts", OUT_OF_HOURS_IN_GUIDANCE),
            on_page("Out of hours", OUT_OF_HOURS_TEAM),
        ],
        followed: 1,
        reason: "The web page is newer (read on 2026-11-02; the guidance was published on \
                 2025-04-01) and is where the council keeps its numbers up to date"
            .into(),
    }]
}

// AUTHORITY: the sentences of your text that more than one rule relies on, word for word.
const SEEK_CONSENT: &str = "Seek the family's consent before sharing information or making a \
                            request, unless seeking it would place the child at risk";
const HARM_WITHOUT_CONSENT: &str = "Where a child is at risk of significant harm, refer without \
                                    delay, even without consent";
const FRONT_DOOR_HOURS: &str = "Call the Front Door, Monday to Thursday 8am to 5pm and Friday 8am \
                                to 4.30pm";
const OFFICES_CLOSED: &str = "The Front Door and the district offices are closed at weekends and \
                              on bank holidays";
// From the web page: how to reach the Front Door, by urgency, and what a phone referral needs
// next.
const URGENCY: &str = "If urgent call the Front Door and select option 2; if not urgent, \
                       complete the contact form";
const FOLLOW_UP: &str = "Follow up a phone referral with the contact form within one working day";
// From the guidance: a child known to children's social care goes back to the office that knew
// them.
const RECENT_CASE: &str = "If the child has been open to children's social care in the last 3 \
                           months, contact the district office that worked with the family";
// From the web page (the guidance gives another number: see `conflicts()`).
const OUT_OF_HOURS_TEAM: &str = "The Emergency Duty Team covers weekends, bank holidays and \
                                 between 5pm (4.30pm on Fridays) and 8am: call 01000 000001";

/// AUTHORITY: the levels of need, least to most: (code, label, description, response,
/// response_text). Where two levels share a response, as levels 2 and 3 here are both early
/// help ("single agency early help" and "multi-agency early help with a lead professional"),
/// give each its response in the text's own words (`response_text`), different from the other's
/// (the check refuses two the same); elsewhere it may stay empty. Keep the shared response only
/// where your text calls both levels the same kind of help.
const LEVELS: &[(&str, &str, &str, Response, &str)] = &[
    (
        "L1",
        "Universal",
        "Needs met by universal services",
        Response::Universal,
        "",
    ),
    (
        "L2",
        "Additional",
        "Additional needs met by one agency, with early help from the family hubs",
        Response::TargetedEarlyHelp,
        "Single agency early help",
    ),
    (
        "L3",
        "Targeted",
        "Complex needs needing a coordinated multi-agency plan",
        Response::TargetedEarlyHelp,
        "Multi-agency early help with a lead professional",
    ),
    (
        "L4",
        "Specialist",
        "Children in need, or in need of protection",
        Response::StatutorySocialCare,
        "",
    ),
];

// AUTHORITY: a timescale your text sets only for a child in a circumstance, word for word.
const PRE_BIRTH: &str = "A pre-birth assessment is completed within 8 weeks of the referral being \
                         accepted";
// AUTHORITY: who counts as a child, word for word ("pre-birth" with no week given: any unborn
// child is served, `unborn_from_gestation_weeks` 0; give the week where your text names one).
const A_CHILD: &str = "A child is anyone under 18, including an unborn baby";
// AUTHORITY: a level (or service) with ages of its own, word for word. Delete it, and
// `level_ages`'s entry, if every level serves the authority's ages.
const FAMILY_HUBS: &str = "Family hubs offer single agency early help from pre-birth to 19, or \
                           to 25 with special educational needs or a disability";

/// The ages the authority serves: "A child is anyone under 18, including an unborn baby".
fn age_range() -> pb::AgeRange {
    pb::AgeRange {
        serves_unborn: true,
        // "including an unborn baby": no week of pregnancy given, so any unborn child.
        unborn_from_gestation_weeks: 0,
        min_age_years: 0,
        max_age_years: 17,
        extensions: vec![],
        citation: Some(at("Scope", A_CHILD)),
    }
}

/// The ages a level's services are for, where they differ from the authority's (`None`: the
/// authority's). AUTHORITY: a level or a service your text gives its own ages ("pre-birth to 19,
/// to 25 with SEND"); an extension names the `circumstance` it depends on where the service
/// knows it (looked after, a learning difficulty or disability), so that `facts::serves` can
/// check it; a circumstance it cannot check stays unspecified. A contact point may have `ages`
/// too.
fn level_ages(level_code: &str) -> Option<pb::AgeRange> {
    match level_code {
        "L2" => Some(pb::AgeRange {
            serves_unborn: true,
            unborn_from_gestation_weeks: 0,
            min_age_years: 0,
            max_age_years: 19,
            extensions: vec![pb::AgeExtension {
                condition: "with special educational needs or a disability".into(),
                max_age_years: 25,
                citation: Some(at("Early help", FAMILY_HUBS)),
                circumstance: Circumstance::LearningDifficultyOrDisability as i32,
            }],
            citation: Some(at("Early help", FAMILY_HUBS)),
        }),
        _ => None,
    }
}

/// Whether the child is inside the ages of the level recommended: that level's own, else the
/// authority's (an unknown age is taken as inside).
fn within_ages(level_code: &str, age: Option<&pb::ChildAge>) -> bool {
    let ages = level_ages(level_code).unwrap_or_else(age_range);
    age.is_none_or(|a| facts::serves(&ages, a))
}

/// AUTHORITY: the indicator catalogue: (code, level, domain, area, text).
const INDICATORS: &[(&str, &str, Domain, &str, &str)] = &[
    (
        "EX-L1-HEALTH-1",
        "L1",
        Domain::ChildDevelopmentalNeeds,
        "Health",
        "Meeting developmental milestones",
    ),
    (
        "EX-L2-EDU-1",
        "L2",
        Domain::ChildDevelopmentalNeeds,
        "Education",
        "Occasional non-attendance",
    ),
    (
        "EX-L3-PAR-1",
        "L3",
        Domain::ParentingCapacity,
        "Basic care",
        "Parenting often fails to meet the child's needs",
    ),
    (
        "EX-L4-FAM-1",
        "L4",
        Domain::FamilyAndEnvironmentalFactors,
        "Family",
        "Domestic abuse putting the child at risk",
    ),
    // AUTHORITY: an indicator that is a level's description rather than a sign in one domain
    // (some texts give their levels so): `Domain::Unspecified` and no area. Keep such rows only
    // where your text has them.
    (
        "EX-L2-LEVEL",
        "L2",
        Domain::Unspecified,
        "",
        "Children whose additional needs can be met by a single agency",
    ),
];

/// Office hours: Monday to Thursday 8am to 5pm, Friday 8am to 4.30pm, closed on bank holidays.
/// AUTHORITY: your offices' hours. Say what every window does on a bank holiday (the check
/// refuses it unsaid): `CLOSED` for an office-hours line; `OPEN_THESE_HOURS`
/// (`time::bank_holiday_hours`) if your text gives bank-holiday hours. Where one team's hours
/// end where another's begin (the Front Door at 5pm, the Emergency Duty Team from 5pm), keep
/// them meeting, so a referral always reaches an open line.
fn office_hours() -> Vec<pb::OpeningWindow> {
    let mut hours = time::windows(
        &time::MONDAY_TO_THURSDAY,
        "08:00",
        "17:00",
        BankHoliday::Closed,
    );
    hours.push(time::window(
        Weekday::Friday,
        "08:00",
        "16:30",
        BankHoliday::Closed,
    ));
    hours
}

/// The main line: office hours. AUTHORITY: numbers, hours and purposes from your text.
fn front_door() -> pb::ContactPoint {
    pb::ContactPoint {
        code: "FRONT_DOOR".into(),
        name: "Children's Front Door".into(),
        phone: "01000 000000".into(),
        // AUTHORITY: the option to choose on the line's menu, as your text gives it ("select
        // option 2"); delete it if there is none.
        phone_option: "option 2".into(),
        // AUTHORITY: your online contact or referral form's address (this one is a placeholder);
        // delete it if your text names no form.
        web_form: "https://example.org/contact-form".into(),
        purposes: vec![
            ContactPurpose::Advice as i32,
            ContactPurpose::SafeguardingReferral as i32,
        ],
        hours: office_hours(),
        notes: "Closed at weekends and on bank holidays. If urgent, call and select option 2; if \
                not urgent, complete the contact form"
            .into(),
        citation: Some(at("Contacts", FRONT_DOOR_HOURS)),
        ..Default::default()
    }
}

/// A team for children the authority already knows: "If the child has been open to children's
/// social care in the last 3 months, contact the district office that worked with the family".
/// AUTHORITY: keep it if your text sends a child with a recent or open case somewhere other than
/// the front door (a district office, the allocated worker's team); delete it (and its route in
/// `route_contact`) otherwise. Its hours are office hours, closed on bank holidays. It has no
/// number of its own here, so `how_to_reach` says in the text's words how to find it.
fn district_office() -> pb::ContactPoint {
    pb::ContactPoint {
        code: "DISTRICT_OFFICE".into(),
        name: "District office".into(),
        how_to_reach: "the district office that worked with the family".into(),
        purposes: vec![
            ContactPurpose::Advice as i32,
            ContactPurpose::SafeguardingReferral as i32,
        ],
        hours: office_hours(),
        notes: "For a child open to children's social care now or in the last 3 months; closed \
                at weekends and on bank holidays"
            .into(),
        citation: Some(at("Contacts", RECENT_CASE)),
        ..Default::default()
    }
}

/// AUTHORITY: "in the last 3 months", in the whole days since a case closed that the service
/// gives: 91 days (13 weeks). Recorded as a Gap; change it (and the Gap) to your text's period.
const RECENT_CASE_DAYS: u32 = 91;

/// Whether the caller says the child is open to children's social care now, or was in the last
/// 3 months. AUTHORITY: an open case at any level counts here, as the caller may not know the
/// level (a Gap); where your text names levels, check `history.open_level`.
fn recently_known(history: Option<&pb::CaseHistory>) -> bool {
    history
        .is_some_and(|h| h.open_case || (h.closed_case && h.days_since_closed <= RECENT_CASE_DAYS))
}

/// What a phone referral obliges the caller to do next: "Follow up a phone referral with the
/// contact form within one working day". AUTHORITY: the follow-ups your text sets on a route,
/// and the case events that meet them (here the referral being received: the form arriving).
fn follow_up_with_the_form() -> pb::Deadline {
    deadline(
        "FOLLOW_UP_FORM",
        "Follow up the phone referral with the contact form within one working day (met by the \
         referral being received)",
        time::working_days(1),
        &[CaseEvent::ReferralReceived],
        on_page("How to make a referral", FOLLOW_UP),
    )
}

/// How to reach the Front Door for a request, as the web page says: "If urgent call the Front
/// Door and select option 2; if not urgent, complete the contact form". An urgent referral by
/// phone is followed up with the form. AUTHORITY: your text's ways in by urgency. Where the
/// caller does not say how urgent it is, the template chooses no channel and gives both ways in
/// the text's words (a Gap): change that if your text says what to do then.
fn front_door_way_in(
    purpose: ContactPurpose,
    urgency: Urgency,
) -> (Channel, String, Vec<pb::Deadline>, pb::RuleOutcome) {
    let citation = on_page("How to make a referral", URGENCY);
    match urgency {
        Urgency::Urgent => {
            // "a phone referral": a request for advice is not one.
            let follow_ups = match purpose {
                ContactPurpose::SafeguardingReferral => vec![follow_up_with_the_form()],
                _ => vec![],
            };
            (
                Channel::Phone,
                "If urgent call the Front Door and select option 2".into(),
                follow_ups,
                rule(
                    "EX-URGENT",
                    "Urgent: call the Front Door and select option 2",
                    citation,
                ),
            )
        }
        Urgency::NotUrgent => (
            Channel::WebForm,
            "If not urgent, complete the contact form".into(),
            vec![],
            rule(
                "EX-NOT-URGENT",
                "Not urgent: complete the contact form",
                citation,
            ),
        ),
        Urgency::Unspecified => (
            Channel::Unspecified,
            URGENCY.into(),
            vec![],
            rule(
                "EX-URGENCY-NOT-SAID",
                "How urgent it is was not said: if urgent, call the Front Door and select option \
                 2; if not, complete the contact form",
                citation,
            ),
        ),
    }
}

/// A team the text names without a number of its own. AUTHORITY: where your text says how to
/// reach a team in words ("through the Family Front Door on ...", "the district team, via the
/// MASH"), give `how_to_reach` instead of a phone, email or web form, quoting the text. Never
/// route a purpose that is not an emergency to the emergency line for want of a number.
fn locality_team() -> pb::ContactPoint {
    pb::ContactPoint {
        code: "LOCALITY_TEAM".into(),
        name: "Early Help Locality Team".into(),
        how_to_reach: "through the Front Door on 01000 000000".into(),
        purposes: vec![ContactPurpose::EarlyHelpRequest as i32],
        hours: office_hours(),
        notes: "Requests for early help reach the locality team through the Front Door, in its \
                hours"
            .into(),
        citation: Some(at(
            "Contacts",
            "Requests for early help go to the locality team, through the Front Door on 01000 \
             000000",
        )),
        ..Default::default()
    }
}

/// The out-of-hours team's hours: "weekends, bank holidays and between 5pm (4.30pm on Fridays)
/// and 8am". AUTHORITY: your out-of-hours team's hours. A window that closes at or before it
/// opens runs past midnight ("17:00" to "08:00": the evening and the night after it; equal
/// times: 24 hours). `OPEN_ALL_DAY` opens a weekday's window from midnight on a bank holiday
/// (and on to its usual close the next morning). Keep `always_open` only if your text says the
/// team is always open (then give no hours).
fn out_of_hours_windows() -> Vec<pb::OpeningWindow> {
    let mut hours = time::windows(
        &time::MONDAY_TO_THURSDAY,
        "17:00",
        "08:00",
        BankHoliday::OpenAllDay,
    );
    hours.push(time::window(
        Weekday::Friday,
        "16:30",
        "08:00",
        BankHoliday::OpenAllDay,
    ));
    // The weekend: 8am Saturday to 8am Sunday, and 8am Sunday to 8am Monday (24 hours each).
    for day in [Weekday::Saturday, Weekday::Sunday] {
        hours.push(time::window(day, "08:00", "08:00", BankHoliday::AsUsual));
    }
    hours
}

/// The out-of-hours line. AUTHORITY: its number, hours and purposes, from your text.
fn out_of_hours() -> pb::ContactPoint {
    pb::ContactPoint {
        code: "EMERGENCY_DUTY_TEAM".into(),
        name: "Emergency Duty Team".into(),
        phone: "01000 000001".into(),
        purposes: vec![
            ContactPurpose::SafeguardingReferral as i32,
            ContactPurpose::Emergency as i32,
        ],
        hours: out_of_hours_windows(),
        notes: "Weekends, bank holidays and between 5pm (4.30pm on Fridays) and 8am, for \
                safeguarding concerns that cannot wait"
            .into(),
        // The web page's number, not the guidance's: see `conflicts()`.
        citation: Some(on_page("Out of hours", OUT_OF_HOURS_TEAM)),
        ..Default::default()
    }
}

fn police() -> pb::ContactPoint {
    pb::ContactPoint {
        code: "POLICE".into(),
        name: "Police".into(),
        phone: "999".into(),
        purposes: vec![ContactPurpose::Emergency as i32],
        always_open: true,
        citation: Some(at(
            "Contacts",
            "If a child is in immediate danger, call the police on 999",
        )),
        ..Default::default()
    }
}

/// AUTHORITY: what the panel may decide, exactly as the text lists it, each option with its
/// `effect` and the sentence it relies on. An accept opens the case or makes the move, at
/// `level_code` where the text names a level for it (empty: the level asked for); a decline
/// tells the referrer or worker why (`requires_reason`); a defer waits for the next sitting.
/// Where the text does not say what a panel may decide, do not invent options: record a `Gap`.
fn panel_decisions() -> Vec<pb::PanelDecisionOption> {
    let option =
        |code: &str, label: &str, effect: PanelEffect, quote: &str| pb::PanelDecisionOption {
            code: code.into(),
            label: label.into(),
            requires_reason: effect == PanelEffect::Decline,
            citation: Some(at("Allocation meeting", quote)),
            effect: effect as i32,
            level_code: String::new(),
        };
    vec![
        option(
            "ACCEPT",
            "Accept for targeted early help",
            PanelEffect::Accept,
            "The meeting may accept a request for targeted early help",
        ),
        pb::PanelDecisionOption {
            // AUTHORITY: an accept at a level the text names ("accept for single-agency
            // support") differs from the level asked for.
            level_code: "L2".into(),
            ..option(
                "ACCEPT_SINGLE_AGENCY",
                "Accept for single-agency support",
                PanelEffect::Accept,
                "or accept it for single-agency support at the Additional level",
            )
        },
        option(
            "DECLINE",
            "Decline with reasons",
            PanelEffect::Decline,
            "A declined request is returned to the referrer with the reasons",
        ),
        option(
            "DEFER",
            "Defer to the next meeting",
            PanelEffect::Defer,
            "A request the meeting cannot decide is deferred to its next sitting",
        ),
    ]
}

/// AUTHORITY: each panel, its cadence and weekday (a panel that meets "as needed" keeps
/// `Weekday::Unspecified` and `next_panel` answers with a note instead of a date).
fn panel() -> pb::Panel {
    pb::Panel {
        code: "ALLOCATION".into(),
        name: "Early Help Allocation Meeting".into(),
        purpose: "Allocates early help requests and decides step ups to targeted early help".into(),
        cadence: Cadence::Weekly as i32,
        weekday: Weekday::Tuesday as i32,
        decisions: panel_decisions(),
        citation: Some(at(
            "Allocation meeting",
            "The allocation meeting sits every Tuesday",
        )),
    }
}

/// A deadline: `due_in` after the event that starts it, met by the first of `met_by` to happen
/// after it starts.
fn deadline(
    code: &str,
    description: &str,
    due_in: pb::Span,
    met_by: &[CaseEvent],
    citation: pb::Citation,
) -> pb::Deadline {
    pb::Deadline {
        code: code.into(),
        description: description.into(),
        due_in: Some(due_in),
        met_by: met_by.iter().map(|e| *e as i32).collect(),
        citation: Some(citation),
        ..Default::default()
    }
}

/// The first Team Around the Family meeting, within 6 weeks of the case opening at targeted
/// early help or stepping up to it.
fn first_taf() -> pb::Deadline {
    deadline(
        "FIRST_TAF",
        "Hold the first Team Around the Family meeting within 6 weeks of the request being \
         accepted or the case stepping up (met by a Team Around the Family meeting)",
        time::weeks(6),
        // AUTHORITY: met_by. "the first Team Around the Family meeting".
        &[CaseEvent::TeamMeetingHeld],
        at(
            "Targeted early help",
            "The first Team Around the Family meeting is held within 6 weeks of the request \
             being accepted or the case stepping up to targeted early help",
        ),
    )
}

/// AUTHORITY: every timescale your text states, as the case event that starts it (and the level
/// it applies at: empty for every level), each deadline with its span and citation.
///
/// Spans: `time::hours`, `time::working_days` (the host skips weekends and the bank holidays of
/// your division: hold no calendar here), `time::days` (plain days), `time::weeks`,
/// `time::months`. A recurring obligation sets `repeat_every`; one stated as a range ("every 6
/// to 12 weeks") sets `due_in` to the usual interval and `at_most` to the latest allowed one.
///
/// `met_by` names the case events that satisfy the deadline, as your text says: the first of
/// them to happen after the deadline starts meets it (on time or late). Choose the narrowest
/// event the text names ("phone the family" is `PhoneCallMade`, not `FirstContactMade`, which
/// any kind of contact fires). Where the text is silent, choose the closest event, say so in the
/// description and add a `Gap`. `describe()` and `timescales()` both read this list, so they
/// agree.
///
/// Step ups: `SteppedUp` fires at the new level when the case moves up (a deadline the move
/// starts goes there); `StepUpRequested` fires at the current level when a step up is asked
/// for, before any move (a deadline the request itself starts goes there).
fn timescale_rules() -> Vec<pb::TimescaleRule> {
    vec![
        pb::TimescaleRule {
            event: CaseEvent::ReferralAccepted as i32,
            level_code: "L3".into(),
            // For every child.
            only_if: Circumstance::Unspecified as i32,
            deadlines: vec![
                deadline(
                    "FIRST_CONTACT",
                    "Contact the family by phone or a visit within 5 working days of accepting \
                     the request (met by a phone call or a home visit)",
                    time::working_days(5),
                    // AUTHORITY: met_by. "by phone or visit": a phone call or a home visit,
                    // not a letter (which would be OtherContactMade).
                    &[CaseEvent::PhoneCallMade, CaseEvent::HomeVisitMade],
                    at(
                        "Targeted early help",
                        "The lead practitioner contacts the family by phone or visit within 5 \
                         working days of the request being accepted",
                    ),
                ),
                first_taf(),
            ],
        },
        pb::TimescaleRule {
            // AUTHORITY: a deadline a step up INTO a level starts: `SteppedUp` at that level.
            event: CaseEvent::SteppedUp as i32,
            level_code: "L3".into(),
            only_if: Circumstance::Unspecified as i32,
            deadlines: vec![first_taf()],
        },
        pb::TimescaleRule {
            event: CaseEvent::PlanAgreed as i32,
            level_code: String::new(),
            only_if: Circumstance::Unspecified as i32,
            deadlines: vec![pb::Deadline {
                repeat_every: Some(time::weeks(6)),
                ..deadline(
                    "REVIEW",
                    "Review the plan at least every six weeks (met by a review or a Team \
                     Around the Family meeting; each one starts the next six weeks)",
                    time::weeks(6),
                    // AUTHORITY: met_by. "at a review or a Team Around the Family meeting".
                    &[CaseEvent::ReviewHeld, CaseEvent::TeamMeetingHeld],
                    at(
                        "Reviews",
                        "Plans are reviewed at least every six weeks, at a review or a Team \
                         Around the Family meeting",
                    ),
                )
            }],
        },
        pb::TimescaleRule {
            // AUTHORITY: a deadline only for a child in a circumstance (`only_if`): here an unborn
            // child's. Keep it if your text sets one; delete it otherwise.
            event: CaseEvent::ReferralAccepted as i32,
            level_code: "L4".into(),
            only_if: Circumstance::Unborn as i32,
            deadlines: vec![deadline(
                "PRE_BIRTH_ASSESSMENT",
                "Complete the pre-birth assessment within 8 weeks of the referral being \
                 accepted (met by the plan being agreed: no case event records an assessment's \
                 completion)",
                time::weeks(8),
                // AUTHORITY: met_by. The text names no event for it: the closest one, and a Gap.
                &[CaseEvent::PlanAgreed],
                at("Pre-birth", PRE_BIRTH),
            )],
        },
    ]
}

/// Where the text gives an indicator: the appendix of examples, or the levels' descriptions for
/// one that is not domain-specific.
fn indicator_section(domain: Domain) -> &'static str {
    match domain {
        Domain::Unspecified => "Levels of need",
        _ => "Appendix: examples of need",
    }
}

fn level_rank(field: &str, code: &str) -> Result<usize, PluginError> {
    LEVELS
        .iter()
        .position(|(c, ..)| *c == code)
        .map(|i| i + 1)
        .ok_or_else(|| PluginError::invalid(field, format!("{code:?} is not a level")))
}

/// What the text says about consent, as the service enforces it when a case is opened or queued
/// for the panel: refused when `required && !may_proceed_without` and consent was not given.
/// AUTHORITY: where significant harm is suspected the guidance must allow proceeding without
/// consent (the conformance check refuses a plugin that demands it then), citing the sentence
/// that says so.
fn consent_guidance(significant_harm: bool) -> pb::ConsentGuidance {
    match significant_harm {
        true => pb::ConsentGuidance {
            required: true,
            may_proceed_without: true,
            text: "Seek consent, but do not delay: a child at risk of significant harm is \
                   referred without delay, even without consent (record why)"
                .into(),
            citation: Some(at("Consent", HARM_WITHOUT_CONSENT)),
        },
        false => pb::ConsentGuidance {
            required: true,
            may_proceed_without: false,
            text: "Seek the family's consent before sharing information or making a request".into(),
            citation: Some(at("Consent", SEEK_CONSENT)),
        },
    }
}

/// The panel decision a transition request carries, if any: one of the panel's options.
/// AUTHORITY: with more than one panel, look the code up among the options of the panel that
/// decides the condition (a decision of another panel meets nothing).
fn panel_decision(
    request: &pb::TransitionRequest,
) -> Result<Option<pb::PanelDecisionOption>, PluginError> {
    if request.panel_decision.is_empty() {
        return Ok(None);
    }
    panel_decisions()
        .into_iter()
        .find(|o| o.code == request.panel_decision)
        .map(Some)
        .ok_or_else(|| {
            PluginError::invalid(
                "panel_decision",
                format!(
                    "{:?} is not a decision of the allocation meeting",
                    request.panel_decision
                ),
            )
        })
}

/// The conditions a transition is checked against: each rule checked goes to `applied`, and
/// those not met to `unmet`.
#[derive(Default)]
struct Conditions {
    applied: Vec<pb::RuleOutcome>,
    unmet: Vec<pb::RuleOutcome>,
}

impl Conditions {
    fn check(&mut self, met: bool, outcome: pb::RuleOutcome) {
        if !met {
            self.unmet.push(outcome.clone());
        }
        self.applied.push(outcome);
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Template;

impl Authority for Template {
    fn describe(&self) -> pb::AuthorityDescription {
        pb::AuthorityDescription {
            code: CODE.into(),
            name: NAME.into(),
            nation: Nation::England as i32,
            framework: "Example Levels of Need".into(),
            levels: LEVELS
                .iter()
                .enumerate()
                .map(
                    |(i, (code, label, description, response, response_text))| pb::Level {
                        code: (*code).into(),
                        label: (*label).into(),
                        description: (*description).into(),
                        rank: i as u32 + 1,
                        response: *response as i32,
                        response_text: (*response_text).into(),
                        ages: level_ages(code),
                        role_codes: if i >= 2 {
                            vec!["LEAD_PRACTITIONER".into()]
                        } else {
                            vec![]
                        },
                        citation: Some(at("Levels of need", label)),
                    },
                )
                .collect(),
            roles: vec![pb::Role {
                code: "LEAD_PRACTITIONER".into(),
                label: "Lead Practitioner".into(),
                description: "Coordinates the Team Around the Family".into(),
                citation: Some(at("Roles", "A lead practitioner coordinates the plan")),
            }],
            age_range: Some(age_range()),
            indicators: INDICATORS
                .iter()
                .map(|(code, level, domain, area, text)| pb::Indicator {
                    code: (*code).into(),
                    level_code: (*level).into(),
                    domain: *domain as i32,
                    area: (*area).into(),
                    text: (*text).into(),
                    citation: Some(at(indicator_section(*domain), text)),
                })
                .collect(),
            contact_points: vec![
                front_door(),
                locality_team(),
                district_office(),
                out_of_hours(),
                police(),
            ],
            panels: vec![panel()],
            timescales: timescale_rules(),
            forms: vec![pb::Form {
                code: "EARLY_HELP_ASSESSMENT".into(),
                name: "Early Help Assessment".into(),
                citation: Some(at("Forms", "Complete an Early Help Assessment")),
            }],
            plugin_name: env!("CARGO_PKG_NAME").into(),
            plugin_version: env!("CARGO_PKG_VERSION").into(),
            sources: vec![at("Whole document", ""), on_page("Whole page", "")],
            documents: documents(),
            conflicts: conflicts(),
            // AUTHORITY: what your text leaves open. E.g. a panel whose decisions the text does
            // not list, or a step it does not say who decides.
            gaps: vec![
                pb::Gap {
                    topic: "Accumulation of needs".into(),
                    note: "The text gives no rule; the highest matched level stands".into(),
                    citation: Some(at("Levels of need", "")),
                },
                pb::Gap {
                    topic: "Step across".into(),
                    note: "The text does not say who decides a step across; none is required \
                           beyond consent"
                        .into(),
                    citation: Some(at("Moving between levels", "")),
                },
                pb::Gap {
                    topic: "Pre-birth assessment completed".into(),
                    note: "No case event records an assessment's completion; the pre-birth \
                           assessment's deadline is met by the plan being agreed, which follows \
                           it"
                    .into(),
                    citation: Some(at("Pre-birth", PRE_BIRTH)),
                },
                pb::Gap {
                    topic: "Three months".into(),
                    note: "The text says \"in the last 3 months\"; the service gives whole days \
                           since a case closed, read as 91 days (13 weeks): closed 91 days ago or \
                           less goes to the district office, 92 or more to the Front Door"
                        .into(),
                    citation: Some(at("Contacts", RECENT_CASE)),
                },
                pb::Gap {
                    topic: "Open to children's social care".into(),
                    note: "A caller may not know a case's level; any open case with the \
                           authority, or one closed in the last 3 months, is taken as open to \
                           children's social care"
                        .into(),
                    citation: Some(at("Contacts", RECENT_CASE)),
                },
                pb::Gap {
                    topic: "Urgency not said".into(),
                    note: "The page says what to do when a contact is urgent and when it is not; \
                           when the caller does not say, both ways are given, no channel is \
                           chosen and no follow-up is set"
                        .into(),
                    citation: Some(on_page("How to make a referral", URGENCY)),
                },
            ],
        }
    }

    fn assess_threshold(
        &self,
        request: &pb::ThresholdRequest,
    ) -> Result<pb::ThresholdDecision, PluginError> {
        if request.immediate_risk {
            return Ok(pb::ThresholdDecision {
                recommended_level: "L4".into(),
                response: Response::Emergency as i32,
                reasons: vec![rule(
                    "EX-IMMEDIATE-RISK",
                    "Immediate danger: call the police on 999, then the Front Door",
                    at(
                        "Contacts",
                        "If a child is in immediate danger, call the police on 999",
                    ),
                )],
                within_age_range: within_ages("L4", request.age.as_ref()),
                // A child in immediate danger is at risk of significant harm: never wait for
                // consent.
                consent: Some(consent_guidance(true)),
                ..Default::default()
            });
        }
        let mut rank = 1;
        let mut matched = Vec::new();
        let mut reasons = Vec::new();
        for (i, concern) in request.concerns.iter().enumerate() {
            if concern.indicator_code.is_empty() {
                continue;
            }
            let Some((code, level, domain, _, text)) =
                INDICATORS.iter().find(|x| x.0 == concern.indicator_code)
            else {
                return Err(PluginError::invalid(
                    format!("concerns[{i}].indicator_code"),
                    format!("{:?} is not in the catalogue", concern.indicator_code),
                ));
            };
            rank = rank.max(level_rank("", level)?);
            matched.push((*code).to_owned());
            reasons.push(rule(
                "EX-INDICATOR",
                format!("{code}: {text} (level {level})"),
                at(indicator_section(*domain), text),
            ));
        }
        if request.significant_harm_suspected {
            rank = LEVELS.len();
            reasons.push(rule(
                "EX-SIGNIFICANT-HARM",
                "Risk of significant harm: refer without delay, even without consent",
                at("Consent", HARM_WITHOUT_CONSENT),
            ));
        }
        if reasons.is_empty() {
            reasons.push(rule(
                "EX-NO-INDICATOR",
                "No indicator from the catalogue: universal services; use professional judgement",
                at("Levels of need", "Universal"),
            ));
        }
        let (code, _, _, response, _) = LEVELS[rank - 1];
        // The recommended level's ages where it has its own (the family hubs' at level 2), the
        // authority's otherwise.
        let within_age_range = within_ages(code, request.age.as_ref());
        Ok(pb::ThresholdDecision {
            recommended_level: code.into(),
            response: response as i32,
            matched_indicators: matched,
            reasons,
            consent: Some(consent_guidance(request.significant_harm_suspected)),
            within_age_range,
        })
    }

    fn route_contact(
        &self,
        request: &pb::ContactRequest,
    ) -> Result<pb::ContactAnswer, PluginError> {
        let at_time = time::parse_date_time("local_time", &request.local_time)?;
        // The bank holidays and local closures the host found in the request's next 14 days
        // (and the request's own date when `public_holiday` is set). Plugins hold no calendar.
        let closed = time::ClosedDates::of(request, at_time)?;
        let purpose =
            ContactPurpose::try_from(request.purpose).unwrap_or(ContactPurpose::Unspecified);
        // AUTHORITY: the team your text names for each purpose. Only an emergency goes to the
        // emergency line: a team with no number of its own is still the answer, with
        // `how_to_reach`.
        let (contact, why) = match purpose {
            ContactPurpose::Unspecified => {
                return Err(PluginError::invalid("purpose", "is required"));
            }
            ContactPurpose::Emergency => (
                police(),
                rule(
                    "EX-CONTACT",
                    "In an emergency, call the police on 999",
                    at(
                        "Contacts",
                        "If a child is in immediate danger, call the police on 999",
                    ),
                ),
            ),
            ContactPurpose::EarlyHelpRequest => (
                locality_team(),
                rule(
                    "EX-CONTACT",
                    "Early help requests go to the locality team, through the Front Door",
                    at(
                        "Contacts",
                        "Requests for early help go to the locality team, through the Front \
                         Door on 01000 000000",
                    ),
                ),
            ),
            // A child open to children's social care now or in the last 3 months: the district
            // office that worked with the family. Older history: the Front Door, as for any
            // child.
            _ if recently_known(request.history.as_ref()) => (
                district_office(),
                rule(
                    "EX-RECENT-CASE",
                    "The child is open to children's social care, or was in the last 3 months \
                     (91 days): contact the district office that worked with the family",
                    at("Contacts", RECENT_CASE),
                ),
            ),
            _ => (
                front_door(),
                rule(
                    "EX-CONTACT",
                    "The Front Door takes advice calls and referrals in office hours",
                    at("Contacts", FRONT_DOOR_HOURS),
                ),
            ),
        };
        let urgency = Urgency::try_from(request.urgency).unwrap_or(Urgency::Unspecified);
        // How to get in touch, and what it obliges the caller to do next.
        let (channel, instruction, follow_ups, how) = match contact.code.as_str() {
            "FRONT_DOOR" => {
                let (channel, instruction, follow_ups, how) = front_door_way_in(purpose, urgency);
                (channel, instruction, follow_ups, Some(how))
            }
            // As `how_to_reach` says.
            "DISTRICT_OFFICE" => (
                Channel::Other,
                "Contact the district office that worked with the family".into(),
                vec![],
                None,
            ),
            _ => (Channel::Unspecified, String::new(), vec![], None),
        };
        // An office-hours line is closed outside its hours, at weekends and on closed dates;
        // it next opens on the next day that is not closed.
        let open_now = contact.always_open || time::is_open(&contact.hours, at_time, &closed);
        let next_opening = match open_now {
            true => String::new(),
            false => time::next_opening(&contact.hours, at_time, &closed)
                .map(time::format_date_time)
                .unwrap_or_default(),
        };
        let mut reasons = vec![why];
        reasons.extend(how);
        // AUTHORITY: which purposes the out-of-hours line takes when the office line is closed
        // (here: safeguarding referrals and advice; an early help request waits for the next
        // opening). It is given when it is open then: its hours meet the office hours, so one
        // of them always is.
        let out_of_hours = out_of_hours();
        let out_of_hours = (!open_now
            && purpose != ContactPurpose::EarlyHelpRequest
            && time::is_open(&out_of_hours.hours, at_time, &closed))
        .then_some(out_of_hours);
        if !open_now {
            reasons.push(rule(
                "EX-CLOSED",
                format!(
                    "The {} is closed now (outside office hours, or a bank holiday); it next \
                     opens {next_opening}",
                    contact.name
                ),
                at("Contacts", OFFICES_CLOSED),
            ));
        }
        if out_of_hours.is_some() {
            reasons.push(rule(
                "EX-OUT-OF-HOURS",
                "Out of hours, a concern that cannot wait goes to the Emergency Duty Team \
                 (weekends, bank holidays and between 5pm, 4.30pm on Fridays, and 8am)",
                on_page("Out of hours", OUT_OF_HOURS_TEAM),
            ));
        }
        Ok(pb::ContactAnswer {
            contact: Some(contact),
            open_now,
            next_opening,
            out_of_hours,
            // Always filled: what to do in an emergency, whatever the purpose.
            emergency: Some(police()),
            reasons,
            channel: channel as i32,
            instruction,
            follow_ups,
        })
    }

    fn next_panel(&self, request: &pb::PanelRequest) -> Result<pb::PanelAnswer, PluginError> {
        let panel = panel();
        // "" is the authority's main panel: the service asks for it when a condition a panel
        // decides names no panel code.
        if !request.panel_code.is_empty() && request.panel_code != panel.code {
            return Err(PluginError::invalid(
                "panel_code",
                format!("{:?} is not a panel", request.panel_code),
            ));
        }
        let from = time::parse_date("on_or_after", &request.on_or_after)?;
        let next = time::next_weekday_on_or_after(from, Weekday::Tuesday)
            .map(time::format_date)
            .unwrap_or_default();
        Ok(pb::PanelAnswer {
            panel: Some(panel),
            next_sitting: next,
            note: String::new(),
        })
    }

    fn timescales(
        &self,
        request: &pb::TimescaleRequest,
    ) -> Result<pb::TimescaleAnswer, PluginError> {
        if !request.level_code.is_empty() {
            level_rank("level_code", &request.level_code)?;
        }
        // The service asks at the level the case is (or moves) at: the rules for that level and
        // those for every level, for every child and for the circumstances the child is in.
        let deadlines = facts::deadlines(&timescale_rules(), request);
        Ok(pb::TimescaleAnswer { deadlines })
    }

    /// Each condition the text sets on a move, met or not. A condition that a panel, a meeting
    /// or a manager decides is marked `decided_by` (the service then records the move as a
    /// request that waits for them, and checks it again with `panel_decision`,
    /// `manager_agreed` or `meetings_held`); one nobody can decide away (a missing form,
    /// missing consent, too early under a time rule) is left unspecified, and still refuses.
    fn check_transition(
        &self,
        request: &pb::TransitionRequest,
    ) -> Result<pb::TransitionAnswer, PluginError> {
        let kind = TransitionKind::try_from(request.kind).unwrap_or(TransitionKind::Unspecified);
        if kind == TransitionKind::Unspecified {
            return Err(PluginError::invalid("kind", "is required"));
        }
        for (field, code) in [
            ("current_level", &request.current_level),
            ("target_level", &request.target_level),
        ] {
            if !code.is_empty() {
                level_rank(field, code)?;
            }
        }
        let decision = panel_decision(request)?;
        let mut conditions = Conditions::default();

        // AUTHORITY: consent. Nobody decides it away (no `decided_by`); significant harm
        // waives it, as the text says.
        let consented = request.significant_harm_suspected
            || matches!(
                pb::Consent::try_from(request.consent),
                Ok(pb::Consent::GivenVerbally | pb::Consent::GivenInWriting)
            );
        conditions.check(
            consented,
            rule(
                "EX-CONSENT",
                "The family consents to the change (not needed where significant harm is \
                 suspected)",
                at("Consent", SEEK_CONSENT),
            ),
        );

        // The level a panel's accept moves the case to (empty: the level asked for).
        let mut accepted_at = String::new();
        // AUTHORITY: the conditions your text sets on each move, and who decides each: mark a
        // condition a panel, a meeting or a manager decides with `decided_by`, citing the
        // sentence that says so; leave one nobody can decide away (a missing form, missing
        // consent, too early under a time rule) without.
        match kind {
            TransitionKind::StepUp if request.target_level == "L3" => {
                // A form nobody can decide away: the panel cannot accept without it.
                conditions.check(
                    request
                        .forms_completed
                        .iter()
                        .any(|f| f == "EARLY_HELP_ASSESSMENT"),
                    rule(
                        "EX-STEP-UP-EHA",
                        "An Early Help Assessment is completed before a step up to targeted \
                         early help",
                        at(
                            "Moving between levels",
                            "A step up to targeted early help needs a completed Early Help \
                             Assessment",
                        ),
                    ),
                );
                // The panel decides: met by one of its ACCEPT options; waits for it otherwise
                // (on the main panel: panel code ""), and a decline is final.
                let citation = at(
                    "Moving between levels",
                    "A request to step a case up to targeted early help is decided by the \
                     allocation meeting",
                );
                match decision.as_ref().map(|o| o.effect()) {
                    Some(PanelEffect::Accept) => {
                        accepted_at = decision.map(|o| o.level_code).unwrap_or_default();
                        conditions.check(
                            true,
                            rule(
                                "EX-STEP-UP-PANEL",
                                format!(
                                    "The allocation meeting accepted the step up ({})",
                                    request.panel_decision
                                ),
                                citation,
                            ),
                        );
                    }
                    Some(PanelEffect::Decline) => conditions.check(
                        false,
                        rule(
                            "EX-STEP-UP-PANEL",
                            "The allocation meeting declined the step up: the worker is told why",
                            at(
                                "Allocation meeting",
                                "A declined request is returned to the referrer with the reasons",
                            ),
                        ),
                    ),
                    _ => conditions.check(
                        false,
                        decided_by(
                            rule(
                                "EX-STEP-UP-PANEL",
                                "The allocation meeting decides a step up to targeted early help",
                                citation,
                            ),
                            Decider::Panel,
                            "",
                        ),
                    ),
                }
            }
            // A manager decides: met once `manager_agreed`.
            TransitionKind::StepDown => conditions.check(
                request.manager_agreed,
                decided_by(
                    rule(
                        "EX-STEP-DOWN-MANAGER",
                        "The team manager agrees the step down",
                        at(
                            "Moving between levels",
                            "A step down is agreed by the team manager",
                        ),
                    ),
                    Decider::Manager,
                    "",
                ),
            ),
            // A meeting decides: met once the meeting is among `meetings_held`.
            TransitionKind::Close => conditions.check(
                request
                    .meetings_held
                    .contains(&(MeetingKind::FinalMeeting as i32)),
                decided_by(
                    rule(
                        "EX-CLOSE-FINAL-TAF",
                        "A final Team Around the Family meeting agrees the plan's outcomes are met",
                        at(
                            "Closing a case",
                            "A case closes once a final Team Around the Family meeting agrees \
                             the plan's outcomes are met",
                        ),
                    ),
                    Decider::Meeting,
                    "",
                ),
            ),
            _ => {}
        }
        let resulting_level = match kind {
            TransitionKind::Close => String::new(),
            _ if !accepted_at.is_empty() => accepted_at,
            _ => request.target_level.clone(),
        };
        Ok(pb::TransitionAnswer {
            allowed: conditions.unmet.is_empty(),
            unmet: conditions.unmet,
            resulting_level,
            rules_applied: conditions.applied,
        })
    }
}

continuum_plugin_api::export_authority!(Template);

#[cfg(test)]
mod tests {
    use super::*;

    /// The template conforms except for its placeholders, which the check refuses until they
    /// are replaced with the authority's own code and numbers (AUTHORITY: comments mark them).
    /// Once they are, change this test to expect no violation at all.
    #[test]
    fn conforms_but_for_its_placeholders() {
        use continuum_plugin_api::conformance::{check, rules};
        let violations = check(&Template);
        let (placeholders, others): (Vec<_>, Vec<_>) = violations
            .into_iter()
            .partition(|v| v.rule == rules::PLACEHOLDER);
        assert!(others.is_empty(), "{others:#?}");
        let at: Vec<&str> = placeholders.iter().map(|v| v.at.as_str()).collect();
        if CODE == "E99999999" {
            assert!(at.contains(&"code"), "{placeholders:#?}");
        }
        // Only the code and the contact points' numbers are placeholders, and each 01000
        // number is caught (the numbers quoted in citations are not lines).
        assert!(
            at.iter().all(|a| *a == "code" || a.ends_with(".phone")),
            "{placeholders:#?}"
        );
        use continuum_plugin_api::conformance::is_placeholder_phone;
        for (i, cp) in Template.describe().contact_points.iter().enumerate() {
            let phone = format!("contact_points[{i}].phone");
            assert_eq!(
                at.contains(&phone.as_str()),
                is_placeholder_phone(&cp.phone),
                "{}",
                cp.code
            );
        }
    }

    // AUTHORITY: your documents and where they disagree. Rewrite from your own.

    #[test]
    fn every_citation_names_one_of_the_documents() {
        let d = Template.describe();
        let ids: Vec<&str> = d.documents.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, [SOURCE, FRONT_DOOR_PAGE]);
        // The guidance: a file with a reference and its publication date.
        let guidance = &d.documents[0];
        assert!(guidance.url.is_empty());
        assert_eq!(
            (guidance.reference.as_str(), guidance.published.as_str()),
            ("Version 2.1", "2025-04-01")
        );
        // The web page: its address and the day it was read.
        let page = &d.documents[1];
        assert!(page.url.starts_with("https://"));
        assert_eq!(page.retrieved, "2026-11-02");
        // Every citation the conformance check meets, in the description and in its probes'
        // answers, names one of them.
        for cited in continuum_plugin_api::conformance::citations(&Template) {
            assert!(ids.contains(&cited.source.as_str()), "{cited:?}");
        }
    }

    #[test]
    fn the_out_of_hours_number_follows_the_newer_web_page() {
        // The guidance says "Out of hours, call the Emergency Duty Team on 01000 000002"; the
        // web page, read later, gives another number. The plugin follows the page, and says why.
        let d = Template.describe();
        let [conflict] = &d.conflicts[..] else {
            panic!("one conflict: {:?}", d.conflicts);
        };
        assert_eq!(conflict.topic, "Out-of-hours number");
        let sources: Vec<&str> = conflict.claims.iter().map(|c| c.source.as_str()).collect();
        assert_eq!(sources, [SOURCE, FRONT_DOOR_PAGE]);
        assert!(conflict.claims.iter().all(|c| !c.quote.is_empty()));
        let followed = &conflict.claims[conflict.followed as usize];
        assert_eq!(followed.source, FRONT_DOOR_PAGE);
        assert!(conflict.reason.contains("newer"));
        // The Emergency Duty Team is encoded from the claim followed.
        assert_eq!(out_of_hours().citation.as_ref(), Some(followed));
    }

    fn timescales(event: CaseEvent, level: &str) -> Vec<pb::Deadline> {
        timescales_for(event, level, None)
    }

    /// The deadlines an event starts at a level for a child of this age (`None`: not known).
    fn timescales_for(
        event: CaseEvent,
        level: &str,
        age: Option<pb::ChildAge>,
    ) -> Vec<pb::Deadline> {
        Template
            .timescales(&pb::TimescaleRequest {
                event: event as i32,
                level_code: level.into(),
                age,
            })
            .unwrap()
            .deadlines
    }

    fn born(years: u32) -> pb::ChildAge {
        pb::ChildAge {
            years,
            ..Default::default()
        }
    }

    fn unborn(gestation_weeks: u32) -> pb::ChildAge {
        pb::ChildAge {
            unborn: true,
            gestation_weeks,
            ..Default::default()
        }
    }

    fn met_by(d: &pb::Deadline) -> Vec<CaseEvent> {
        d.met_by
            .iter()
            .map(|e| CaseEvent::try_from(*e).unwrap())
            .collect()
    }

    // AUTHORITY: one row per deadline code: the event that starts it, the level it applies at,
    // its span, and the events that meet it (with the sentence each choice relies on).
    #[test]
    fn each_deadline_is_met_by_the_events_the_text_names() {
        let expected = [
            // "The lead practitioner contacts the family by phone or visit within 5 working
            // days of the request being accepted"
            (
                CaseEvent::ReferralAccepted,
                "L3",
                "FIRST_CONTACT",
                time::working_days(5),
                vec![CaseEvent::PhoneCallMade, CaseEvent::HomeVisitMade],
            ),
            // "The first Team Around the Family meeting is held within 6 weeks of the request
            // being accepted or the case stepping up to targeted early help"
            (
                CaseEvent::ReferralAccepted,
                "L3",
                "FIRST_TAF",
                time::weeks(6),
                vec![CaseEvent::TeamMeetingHeld],
            ),
            // The same sentence: a step up into targeted early help starts it too, when the case
            // moves (`SteppedUp`, at the new level), not when the step up is asked for.
            (
                CaseEvent::SteppedUp,
                "L3",
                "FIRST_TAF",
                time::weeks(6),
                vec![CaseEvent::TeamMeetingHeld],
            ),
            // "Plans are reviewed at least every six weeks, at a review or a Team Around the
            // Family meeting"
            (
                CaseEvent::PlanAgreed,
                "L2",
                "REVIEW",
                time::weeks(6),
                vec![CaseEvent::ReviewHeld, CaseEvent::TeamMeetingHeld],
            ),
            // "A pre-birth assessment is completed within 8 weeks of the referral being
            // accepted": for an unborn child only; met by the plan being agreed (a Gap).
            (
                CaseEvent::ReferralAccepted,
                "L4",
                "PRE_BIRTH_ASSESSMENT",
                time::weeks(8),
                vec![CaseEvent::PlanAgreed],
            ),
        ];
        for (event, level, code, due_in, events) in &expected {
            // An unborn child: the rules for every child start for them too.
            let answer = timescales_for(*event, level, Some(unborn(20)));
            let d = answer
                .iter()
                .find(|d| d.code == *code)
                .unwrap_or_else(|| panic!("{code} not started by {event:?} at {level}"));
            assert_eq!(d.due_in.as_ref(), Some(due_in), "{code}");
            assert_eq!(&met_by(d), events, "{code}");
        }
        // Every declared deadline has a row here (and every row is declared).
        let mut declared: Vec<String> = Template
            .describe()
            .timescales
            .into_iter()
            .flat_map(|r| r.deadlines)
            .map(|d| d.code)
            .collect();
        declared.sort();
        let mut rows: Vec<String> = expected.iter().map(|e| e.2.to_owned()).collect();
        rows.sort();
        assert_eq!(declared, rows);
    }

    #[test]
    fn the_review_recurs_and_every_level_gets_it() {
        // "Plans are reviewed at least every six weeks"
        for (level, ..) in LEVELS {
            let answer = timescales(CaseEvent::PlanAgreed, level);
            let review = answer.iter().find(|d| d.code == "REVIEW").unwrap();
            assert_eq!(review.repeat_every, Some(time::weeks(6)));
        }
        // The first contact and first TAF timescales are for targeted early help (level 3).
        assert!(timescales(CaseEvent::ReferralAccepted, "L2").is_empty());
        assert_eq!(timescales(CaseEvent::ReferralAccepted, "L3").len(), 2);
        // A step up into level 3 starts the first TAF when the case moves, at the new level;
        // asking for the step up (at the current level) starts nothing here.
        assert_eq!(timescales(CaseEvent::SteppedUp, "L3").len(), 1);
        assert!(timescales(CaseEvent::StepUpRequested, "L2").is_empty());
    }

    #[test]
    fn describe_and_timescales_agree() {
        let d = Template.describe();
        for rule in &d.timescales {
            let event = CaseEvent::try_from(rule.event).unwrap();
            for (level, ..) in LEVELS {
                for age in [None, Some(born(8)), Some(unborn(20))] {
                    let answer = timescales_for(event, level, age);
                    for deadline in &rule.deadlines {
                        let applies = (rule.level_code.is_empty() || rule.level_code == *level)
                            && (rule.only_if == Circumstance::Unspecified as i32
                                || age.is_some_and(|a| facts::holds(rule.only_if, &a)));
                        assert_eq!(
                            answer.contains(deadline),
                            applies,
                            "{} for {event:?} at {level} for {age:?}",
                            deadline.code
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_pre_birth_assessment_is_due_only_for_an_unborn_child() {
        // "A pre-birth assessment is completed within 8 weeks of the referral being accepted"
        let codes = |level: &str, age: Option<pb::ChildAge>| -> Vec<String> {
            timescales_for(CaseEvent::ReferralAccepted, level, age)
                .into_iter()
                .map(|d| d.code)
                .collect()
        };
        assert_eq!(codes("L4", Some(unborn(20))), ["PRE_BIRTH_ASSESSMENT"]);
        let due = timescales_for(CaseEvent::ReferralAccepted, "L4", Some(unborn(20)));
        assert_eq!(due[0].due_in, Some(time::weeks(8)));
        // An 8-year-old, or a child whose age is not known, does not get it.
        assert!(codes("L4", Some(born(8))).is_empty());
        assert!(codes("L4", None).is_empty());
        // At level 3 an unborn child gets the level's deadlines for every child, not this one.
        assert_eq!(
            codes("L3", Some(unborn(20))),
            ["FIRST_CONTACT", "FIRST_TAF"]
        );
    }

    /// The level recommended for these indicators and whether the child is within its ages.
    fn assess(indicators: &[&str], age: pb::ChildAge) -> (String, bool) {
        let decision = Template
            .assess_threshold(&pb::ThresholdRequest {
                concerns: indicators
                    .iter()
                    .map(|code| pb::Concern {
                        indicator_code: (*code).into(),
                        ..Default::default()
                    })
                    .collect(),
                age: Some(age),
                ..Default::default()
            })
            .unwrap();
        (decision.recommended_level, decision.within_age_range)
    }

    // AUTHORITY: the ages your text gives, the authority's and any level's or service's own.

    #[test]
    fn the_family_hubs_serve_to_25_with_send_at_level_2() {
        // "Family hubs offer single agency early help from pre-birth to 19, or to 25 with
        // special educational needs or a disability"
        let send = |years| pb::ChildAge {
            learning_difficulty_or_disability: true,
            ..born(years)
        };
        assert_eq!(assess(&["EX-L2-EDU-1"], send(22)), ("L2".into(), true));
        assert_eq!(assess(&["EX-L2-EDU-1"], born(22)), ("L2".into(), false));
        assert_eq!(assess(&["EX-L2-EDU-1"], born(19)), ("L2".into(), true));
        assert_eq!(assess(&["EX-L2-EDU-1"], send(26)), ("L2".into(), false));
        // Other levels serve the authority's ages: "A child is anyone under 18".
        assert_eq!(assess(&["EX-L3-PAR-1"], send(22)), ("L3".into(), false));
        assert_eq!(assess(&["EX-L3-PAR-1"], born(17)), ("L3".into(), true));
        assert_eq!(assess(&["EX-L3-PAR-1"], born(18)), ("L3".into(), false));
        // The extension names a circumstance the service can check.
        let d = Template.describe();
        let ages = d.levels[1].ages.as_ref().unwrap();
        assert_eq!(
            ages.extensions[0].circumstance(),
            Circumstance::LearningDifficultyOrDisability
        );
        assert!(d.levels[2].ages.is_none());
    }

    #[test]
    fn an_unborn_child_is_served_from_pre_birth() {
        // "A child is anyone under 18, including an unborn baby": no week given, so any unborn
        // child; the family hubs too ("from pre-birth").
        let d = Template.describe();
        let ages = d.age_range.unwrap();
        assert!(ages.serves_unborn);
        assert_eq!(ages.unborn_from_gestation_weeks, 0);
        assert_eq!((ages.min_age_years, ages.max_age_years), (0, 17));
        assert_eq!(assess(&[], unborn(8)), ("L1".into(), true));
        assert_eq!(assess(&["EX-L2-EDU-1"], unborn(8)), ("L2".into(), true));
        assert_eq!(assess(&["EX-L4-FAM-1"], unborn(8)), ("L4".into(), true));
    }

    // AUTHORITY: levels that share a response, and indicators that describe a level.

    #[test]
    fn levels_2_and_3_are_both_early_help_in_their_own_words() {
        let d = Template.describe();
        let (l2, l3) = (&d.levels[1], &d.levels[2]);
        assert_eq!(l2.response(), Response::TargetedEarlyHelp);
        assert_eq!(l3.response(), Response::TargetedEarlyHelp);
        assert_eq!(l2.response_text, "Single agency early help");
        assert_eq!(
            l3.response_text,
            "Multi-agency early help with a lead professional"
        );
        // The check accepts them: no violation about a level's response.
        let violations = continuum_plugin_api::conformance::check(&Template);
        assert!(
            !violations.iter().any(|v| v.at.starts_with("levels")),
            "{violations:#?}"
        );
    }

    #[test]
    fn a_level_description_is_an_indicator_with_no_domain() {
        // "Children whose additional needs can be met by a single agency": the text's
        // description of level 2, in no one domain.
        let d = Template.describe();
        let x = d
            .indicators
            .iter()
            .find(|x| x.code == "EX-L2-LEVEL")
            .unwrap();
        assert_eq!(x.domain(), Domain::Unspecified);
        assert_eq!(x.level_code, "L2");
        assert_eq!(x.citation.as_ref().unwrap().section, "Levels of need");
        assert_eq!(assess(&["EX-L2-LEVEL"], born(8)), ("L2".into(), true));
        // The check accepts it, and its probe with no domain.
        let violations = continuum_plugin_api::conformance::check(&Template);
        assert!(
            !violations
                .iter()
                .any(|v| v.at.starts_with("indicators") || v.at.contains("EX-L2-LEVEL")),
            "{violations:#?}"
        );
    }

    fn route(purpose: ContactPurpose, local_time: &str, closed: &[&str]) -> pb::ContactAnswer {
        Template
            .route_contact(&pb::ContactRequest {
                purpose: purpose as i32,
                local_time: local_time.into(),
                closed_dates: closed.iter().map(|d| (*d).into()).collect(),
                ..Default::default()
            })
            .unwrap()
    }

    #[test]
    fn the_front_door_is_closed_on_a_bank_holiday() {
        // "The Front Door and the district offices are closed at weekends and on bank holidays":
        // the Front Door next opens at 8am on the next working day. Monday 28 December 2026
        // is a bank holiday in England and Wales (Boxing Day's substitute).
        let answer = route(
            ContactPurpose::Advice,
            "2026-12-28T11:00:00",
            &["2026-12-28", "2027-01-01"],
        );
        assert_eq!(answer.contact.unwrap().code, "FRONT_DOOR");
        assert!(!answer.open_now);
        assert_eq!(answer.next_opening, "2026-12-29T08:00:00");
        assert_eq!(answer.out_of_hours.unwrap().code, "EMERGENCY_DUTY_TEAM");
        assert!(answer.reasons.iter().any(|r| r.rule_id == "EX-CLOSED"));

        // The same Monday without closed dates is an ordinary working day.
        let ordinary = route(ContactPurpose::Advice, "2026-12-28T11:00:00", &[]);
        assert!(ordinary.open_now);
        assert!(ordinary.out_of_hours.is_none());

        // `public_holiday` alone closes the request's own date too.
        let flagged = Template
            .route_contact(&pb::ContactRequest {
                purpose: ContactPurpose::Advice as i32,
                local_time: "2026-12-28T11:00:00".into(),
                public_holiday: true,
                ..Default::default()
            })
            .unwrap();
        assert!(!flagged.open_now);
        assert_eq!(flagged.next_opening, "2026-12-29T08:00:00");
    }

    /// Whether a contact point's hours are open at `local_time`, with these closed dates.
    fn open_at(contact: &pb::ContactPoint, local_time: &str, closed: &[&str]) -> bool {
        let at = time::parse_date_time("local_time", local_time).unwrap();
        let closed = time::ClosedDates::from_dates(
            closed
                .iter()
                .map(|d| time::parse_date("closed", d).unwrap())
                .collect(),
        );
        contact.always_open || time::is_open(&contact.hours, at, &closed)
    }

    // AUTHORITY: the out-of-hours arrangement. Rewrite these from your text's hours, keeping a
    // night, a weekend, a Friday's early start and a bank holiday (Monday 31 August 2026 is the
    // summer bank holiday in England and Wales).

    #[test]
    fn the_emergency_duty_team_covers_nights_weekends_and_bank_holidays() {
        // "The Emergency Duty Team covers weekends, bank holidays and between 5pm (4.30pm on
        // Fridays) and 8am": not always open; windows that run past midnight.
        let edt = out_of_hours();
        assert!(!edt.always_open);
        for (local_time, open) in [
            ("2026-11-23T12:00:00", false), // a Monday, in office hours
            ("2026-11-23T17:00:00", true),  // "between 5pm ...
            ("2026-11-24T07:59:00", true),  // ... and 8am"
            ("2026-11-24T08:00:00", false),
            ("2026-11-27T16:29:00", false), // a Friday: "(4.30pm on Fridays)"
            ("2026-11-27T16:30:00", true),
            ("2026-11-28T11:00:00", true), // "weekends"
            ("2026-11-29T19:00:00", true),
            ("2026-11-30T07:59:00", true), // Sunday night into Monday morning
            ("2026-11-30T08:00:00", false),
        ] {
            assert_eq!(open_at(&edt, local_time, &[]), open, "{local_time}");
        }
        // "bank holidays": the bank-holiday Monday's daytime, on through its night to 8am on
        // Tuesday (OPEN_ALL_DAY), and closed from 8am on Tuesday, an ordinary day.
        let bank_holiday = ["2026-08-31"];
        assert!(open_at(&edt, "2026-08-31T00:00:00", &bank_holiday));
        assert!(open_at(&edt, "2026-08-31T11:00:00", &bank_holiday));
        assert!(open_at(&edt, "2026-09-01T07:59:00", &bank_holiday));
        assert!(!open_at(&edt, "2026-09-01T08:00:00", &bank_holiday));
        // The same Monday, not a bank holiday, is an office day.
        assert!(!open_at(&edt, "2026-08-31T11:00:00", &[]));
        // Good Friday 3 April 2026: all day, and on into the weekend.
        assert!(open_at(
            &edt,
            "2026-04-03T10:00:00",
            &["2026-04-03", "2026-04-06"]
        ));
    }

    #[test]
    fn office_windows_are_closed_on_bank_holidays() {
        // "The Front Door and the district offices are closed at weekends and on bank holidays":
        // every window of an office-hours line is CLOSED on a bank holiday.
        let d = Template.describe();
        for cp in d
            .contact_points
            .iter()
            .filter(|c| c.code != "EMERGENCY_DUTY_TEAM")
        {
            for w in &cp.hours {
                assert_eq!(w.on_bank_holiday(), BankHoliday::Closed, "{}", cp.code);
            }
        }
        let front_door = front_door();
        assert!(open_at(&front_door, "2026-08-31T11:00:00", &[]));
        assert!(!open_at(
            &front_door,
            "2026-08-31T11:00:00",
            &["2026-08-31"]
        ));
    }

    #[test]
    fn a_safeguarding_referral_on_a_bank_holiday_reaches_the_emergency_duty_team() {
        // On the bank-holiday Monday the Front Door is closed and next opens at 8am on Tuesday,
        // the next working day; the Emergency Duty Team, open all that day and night, is the
        // out-of-hours line until then.
        for local_time in ["2026-08-31T11:00:00", "2026-09-01T07:59:00"] {
            let answer = route(
                ContactPurpose::SafeguardingReferral,
                local_time,
                &["2026-08-31"],
            );
            assert_eq!(answer.contact.unwrap().code, "FRONT_DOOR", "{local_time}");
            assert!(!answer.open_now, "{local_time}");
            assert_eq!(answer.next_opening, "2026-09-01T08:00:00");
            assert_eq!(answer.out_of_hours.unwrap().code, "EMERGENCY_DUTY_TEAM");
            assert!(
                answer
                    .reasons
                    .iter()
                    .any(|r| r.rule_id == "EX-OUT-OF-HOURS")
            );
        }
        // At 8am on Tuesday the Front Door is open again; no out-of-hours line is given.
        let tuesday = route(
            ContactPurpose::SafeguardingReferral,
            "2026-09-01T08:00:00",
            &["2026-08-31"],
        );
        assert!(tuesday.open_now);
        assert!(tuesday.out_of_hours.is_none());
    }

    #[test]
    fn a_safeguarding_referral_always_reaches_an_open_line() {
        // The Front Door's hours and the Emergency Duty Team's meet: every half hour over
        // Christmas and New Year 2026 (bank holidays 25 and 28 December and 1 January), a
        // safeguarding referral reaches one of them open.
        let closed = ["2026-12-25", "2026-12-28", "2027-01-01"];
        let dates = (21..=31)
            .map(|d| format!("2026-12-{d:02}"))
            .chain((1..=4).map(|d| format!("2027-01-{d:02}")));
        for date in dates {
            for half_hour in 0..48 {
                let local_time =
                    format!("{date}T{:02}:{:02}:00", half_hour / 2, half_hour % 2 * 30);
                let answer = route(ContactPurpose::SafeguardingReferral, &local_time, &closed);
                assert!(
                    answer.open_now || answer.out_of_hours.is_some(),
                    "no open line at {local_time}"
                );
            }
        }
    }

    #[test]
    fn christmas_eve_evening_opens_next_after_the_holidays() {
        // Friday 25 and Monday 28 December 2026 are closed: the next opening skips both.
        let answer = route(
            ContactPurpose::SafeguardingReferral,
            "2026-12-24T17:30:00",
            &["2026-12-25", "2026-12-28"],
        );
        assert!(!answer.open_now);
        assert_eq!(answer.next_opening, "2026-12-29T08:00:00");
        assert_eq!(answer.out_of_hours.unwrap().code, "EMERGENCY_DUTY_TEAM");

        // An early help request waits for the next opening: no out-of-hours line takes it.
        let early_help = route(
            ContactPurpose::EarlyHelpRequest,
            "2026-12-24T17:30:00",
            &["2026-12-25", "2026-12-28"],
        );
        assert_eq!(early_help.next_opening, "2026-12-29T08:00:00");
        assert!(early_help.out_of_hours.is_none());
    }

    /// A request as the service sends it with what the caller says and knows, on an ordinary
    /// Monday morning unless `local_time` says otherwise.
    fn contact(
        purpose: ContactPurpose,
        urgency: Urgency,
        history: Option<pb::CaseHistory>,
    ) -> pb::ContactRequest {
        pb::ContactRequest {
            purpose: purpose as i32,
            local_time: "2026-11-23T10:00:00".into(),
            urgency: urgency as i32,
            history,
            ..Default::default()
        }
    }

    fn routed(request: &pb::ContactRequest) -> pb::ContactAnswer {
        Template.route_contact(request).unwrap()
    }

    // AUTHORITY: how your text says to get in touch by urgency, and what a route obliges the
    // caller to do next. Rewrite these from your text, or delete them with the rule.

    #[test]
    fn an_urgent_referral_phones_the_front_door_and_selects_option_2() {
        // "If urgent call the Front Door and select option 2"
        let urgent = routed(&contact(
            ContactPurpose::SafeguardingReferral,
            Urgency::Urgent,
            None,
        ));
        let front_door = urgent.contact.clone().unwrap();
        assert_eq!(front_door.code, "FRONT_DOOR");
        assert_eq!(front_door.phone_option, "option 2");
        assert_eq!(urgent.channel(), Channel::Phone);
        assert_eq!(
            urgent.instruction,
            "If urgent call the Front Door and select option 2"
        );
        assert!(urgent.reasons.iter().any(|r| r.rule_id == "EX-URGENT"));
    }

    #[test]
    fn a_contact_that_is_not_urgent_uses_the_contact_form() {
        // "if not urgent, complete the contact form": no phone call, so no follow-up.
        for purpose in [ContactPurpose::SafeguardingReferral, ContactPurpose::Advice] {
            let answer = routed(&contact(purpose, Urgency::NotUrgent, None));
            let front_door = answer.contact.clone().unwrap();
            assert_eq!(answer.channel(), Channel::WebForm, "{purpose:?}");
            assert!(!front_door.web_form.is_empty());
            assert_eq!(
                answer.instruction,
                "If not urgent, complete the contact form"
            );
            assert!(answer.follow_ups.is_empty());
        }
    }

    #[test]
    fn unsaid_urgency_gives_both_ways_in() {
        // The template's choice where the caller does not say (a Gap): no channel, both ways
        // in the text's words, no follow-up.
        let answer = routed(&contact(
            ContactPurpose::SafeguardingReferral,
            Urgency::Unspecified,
            None,
        ));
        assert_eq!(answer.channel(), Channel::Unspecified);
        assert_eq!(answer.instruction, URGENCY);
        assert!(answer.follow_ups.is_empty());
        // The locality team, reached in words, has no way in by urgency in the text.
        let early_help = routed(&contact(
            ContactPurpose::EarlyHelpRequest,
            Urgency::Urgent,
            None,
        ));
        assert_eq!(early_help.channel(), Channel::Unspecified);
    }

    #[test]
    fn a_phone_referral_is_followed_up_with_the_form_within_one_working_day() {
        // "Follow up a phone referral with the contact form within one working day": the urgent
        // route is a phone referral, so its answer carries the deadline, met by the referral
        // (the form) being received.
        let urgent = routed(&contact(
            ContactPurpose::SafeguardingReferral,
            Urgency::Urgent,
            None,
        ));
        let [follow_up] = &urgent.follow_ups[..] else {
            panic!("one follow-up: {:?}", urgent.follow_ups);
        };
        assert_eq!(follow_up.code, "FOLLOW_UP_FORM");
        assert!(!follow_up.description.is_empty());
        assert_eq!(follow_up.due_in, Some(time::working_days(1)));
        assert_eq!(met_by(follow_up), [CaseEvent::ReferralReceived]);
        assert_eq!(follow_up.citation.as_ref().unwrap().quote, FOLLOW_UP);
        // Out of hours it is still a phone referral (to the Emergency Duty Team).
        let night = routed(&pb::ContactRequest {
            local_time: "2026-11-25T23:30:00".into(),
            ..contact(ContactPurpose::SafeguardingReferral, Urgency::Urgent, None)
        });
        assert_eq!(night.out_of_hours.unwrap().code, "EMERGENCY_DUTY_TEAM");
        assert_eq!(night.follow_ups.len(), 1);
        // An urgent call for advice is not a referral: nothing to follow up.
        let advice = routed(&contact(ContactPurpose::Advice, Urgency::Urgent, None));
        assert_eq!(advice.channel(), Channel::Phone);
        assert!(advice.follow_ups.is_empty());
    }

    // AUTHORITY: where your text sends a child it already knows. Rewrite from your text.

    #[test]
    fn a_child_open_to_social_care_in_the_last_3_months_goes_to_the_district_office() {
        let closed = |days: u32| pb::CaseHistory {
            closed_case: true,
            days_since_closed: days,
            ..Default::default()
        };
        let open = pb::CaseHistory {
            open_case: true,
            open_level: "L4".into(),
            ..Default::default()
        };
        // "If the child has been open to children's social care in the last 3 months, contact
        // the district office that worked with the family": 3 months read as 91 days (a Gap).
        for (history, expected) in [
            (Some(open), "DISTRICT_OFFICE"),
            (Some(closed(0)), "DISTRICT_OFFICE"),
            (Some(closed(91)), "DISTRICT_OFFICE"),
            (Some(closed(92)), "FRONT_DOOR"),
            (Some(closed(400)), "FRONT_DOOR"),
            (Some(pb::CaseHistory::default()), "FRONT_DOOR"),
            (None, "FRONT_DOOR"),
        ] {
            for purpose in [ContactPurpose::SafeguardingReferral, ContactPurpose::Advice] {
                let answer = routed(&contact(purpose, Urgency::Urgent, history.clone()));
                let office = answer.contact.clone().unwrap();
                assert_eq!(office.code, expected, "{purpose:?} {history:?}");
                if expected == "DISTRICT_OFFICE" {
                    // Reached as the text says: no number of its own.
                    assert!(office.phone.is_empty());
                    assert_eq!(
                        office.how_to_reach,
                        "the district office that worked with the family"
                    );
                    assert_eq!(answer.channel(), Channel::Other);
                    assert!(answer.reasons.iter().any(|r| r.rule_id == "EX-RECENT-CASE"));
                }
            }
        }
        // An early help request still goes to the locality team.
        let early_help = routed(&contact(
            ContactPurpose::EarlyHelpRequest,
            Urgency::NotUrgent,
            Some(closed(10)),
        ));
        assert_eq!(early_help.contact.unwrap().code, "LOCALITY_TEAM");
        // On a bank holiday the district office is closed like the Front Door: a safeguarding
        // referral gets the Emergency Duty Team as well.
        let holiday = routed(&pb::ContactRequest {
            local_time: "2026-08-31T11:00:00".into(),
            closed_dates: vec!["2026-08-31".into()],
            ..contact(
                ContactPurpose::SafeguardingReferral,
                Urgency::Urgent,
                Some(closed(30)),
            )
        });
        assert_eq!(holiday.contact.unwrap().code, "DISTRICT_OFFICE");
        assert!(!holiday.open_now);
        assert_eq!(holiday.next_opening, "2026-09-01T08:00:00");
        assert_eq!(holiday.out_of_hours.unwrap().code, "EMERGENCY_DUTY_TEAM");
    }

    #[test]
    fn a_bad_closed_date_is_refused_by_field() {
        let err = Template
            .route_contact(&pb::ContactRequest {
                purpose: ContactPurpose::Advice as i32,
                local_time: "2026-12-28T11:00:00".into(),
                closed_dates: vec!["28/12/2026".into()],
                ..Default::default()
            })
            .unwrap_err();
        assert!(
            matches!(err, PluginError::InvalidRequest { ref field, .. } if field == "closed_dates[0]"),
            "{err:?}"
        );
    }

    // Panels and transition requests. AUTHORITY: rewrite these from your text: a row per
    // decision option, a request that waits for each decider, the same move once they decided,
    // and a condition nobody can decide away, each quoting the sentence it checks.

    #[test]
    fn the_allocation_meeting_decides_exactly_what_the_text_lists() {
        // (code, effect, level_code, requires_reason)
        let expected = [
            // "The meeting may accept a request for targeted early help"
            ("ACCEPT", PanelEffect::Accept, "", false),
            // "or accept it for single-agency support at the Additional level"
            ("ACCEPT_SINGLE_AGENCY", PanelEffect::Accept, "L2", false),
            // "A declined request is returned to the referrer with the reasons"
            ("DECLINE", PanelEffect::Decline, "", true),
            // "A request the meeting cannot decide is deferred to its next sitting"
            ("DEFER", PanelEffect::Defer, "", false),
        ];
        let panel = Template.describe().panels.remove(0);
        let options: Vec<_> = panel
            .decisions
            .iter()
            .map(|o| {
                (
                    o.code.as_str(),
                    PanelEffect::try_from(o.effect).unwrap(),
                    o.level_code.as_str(),
                    o.requires_reason,
                )
            })
            .collect();
        assert_eq!(options, expected);
    }

    #[test]
    fn the_allocation_meeting_sits_on_tuesdays() {
        // "The allocation meeting sits every Tuesday". "" asks for the main panel, as the
        // service does for a condition decided by a panel with no code.
        for (panel_code, on_or_after, next) in [
            ("", "2026-11-23", "2026-11-24"),
            ("ALLOCATION", "2026-11-24", "2026-11-24"),
            ("ALLOCATION", "2026-11-25", "2026-12-01"),
        ] {
            let answer = Template
                .next_panel(&pb::PanelRequest {
                    panel_code: panel_code.into(),
                    on_or_after: on_or_after.into(),
                })
                .unwrap();
            assert_eq!(answer.next_sitting, next, "{panel_code:?} {on_or_after}");
        }
    }

    /// A move with consent given and the Early Help Assessment complete.
    fn move_request(kind: TransitionKind, from: &str, to: &str) -> pb::TransitionRequest {
        pb::TransitionRequest {
            kind: kind as i32,
            current_level: from.into(),
            target_level: to.into(),
            days_open: 30,
            consent: pb::Consent::GivenInWriting as i32,
            forms_completed: vec!["EARLY_HELP_ASSESSMENT".into()],
            ..Default::default()
        }
    }

    fn check(request: pb::TransitionRequest) -> pb::TransitionAnswer {
        Template.check_transition(&request).unwrap()
    }

    /// Every unmet rule, with who may decide it and the panel's code.
    fn unmet(answer: &pb::TransitionAnswer) -> Vec<(&str, Decider, &str)> {
        answer
            .unmet
            .iter()
            .map(|r| {
                (
                    r.rule_id.as_str(),
                    Decider::try_from(r.decided_by).unwrap(),
                    r.panel_code.as_str(),
                )
            })
            .collect()
    }

    #[test]
    fn a_step_up_to_targeted_early_help_waits_for_the_allocation_meeting() {
        // "A request to step a case up to targeted early help is decided by the allocation
        // meeting": the only unmet condition is the panel's, so the service queues the request
        // for the main panel's next sitting instead of refusing it.
        let waiting = check(move_request(TransitionKind::StepUp, "L2", "L3"));
        assert!(!waiting.allowed);
        assert_eq!(unmet(&waiting), [("EX-STEP-UP-PANEL", Decider::Panel, "")]);

        // "The meeting may accept a request for targeted early help": checked again with the
        // panel's decision, the move is made, at the level asked for.
        let accepted = check(pb::TransitionRequest {
            panel_decision: "ACCEPT".into(),
            ..move_request(TransitionKind::StepUp, "L2", "L3")
        });
        assert!(accepted.allowed, "{:?}", accepted.unmet);
        assert_eq!(accepted.resulting_level, "L3");

        // "or accept it for single-agency support at the Additional level": an accept at a
        // level moves the case there.
        let single_agency = check(pb::TransitionRequest {
            panel_decision: "ACCEPT_SINGLE_AGENCY".into(),
            ..move_request(TransitionKind::StepUp, "L1", "L3")
        });
        assert!(single_agency.allowed);
        assert_eq!(single_agency.resulting_level, "L2");

        // "A request the meeting cannot decide is deferred to its next sitting": still waits.
        let deferred = check(pb::TransitionRequest {
            panel_decision: "DEFER".into(),
            ..move_request(TransitionKind::StepUp, "L2", "L3")
        });
        assert_eq!(unmet(&deferred), [("EX-STEP-UP-PANEL", Decider::Panel, "")]);

        // "A declined request is returned to the referrer with the reasons": the panel has
        // decided; nobody else can, so the move is refused.
        let declined = check(pb::TransitionRequest {
            panel_decision: "DECLINE".into(),
            ..move_request(TransitionKind::StepUp, "L2", "L3")
        });
        assert!(!declined.allowed);
        assert_eq!(
            unmet(&declined),
            [("EX-STEP-UP-PANEL", Decider::Unspecified, "")]
        );

        // A manager's agreement is not the panel's decision.
        let manager_only = check(pb::TransitionRequest {
            manager_agreed: true,
            ..move_request(TransitionKind::StepUp, "L2", "L3")
        });
        assert!(!manager_only.allowed);

        // A code that is not one of the panel's options is refused by field.
        let err = Template
            .check_transition(&pb::TransitionRequest {
                panel_decision: "MAYBE".into(),
                ..move_request(TransitionKind::StepUp, "L2", "L3")
            })
            .unwrap_err();
        assert!(
            matches!(err, PluginError::InvalidRequest { ref field, .. } if field == "panel_decision"),
            "{err:?}"
        );
    }

    #[test]
    fn nobody_decides_a_missing_form_or_consent_away() {
        // "A step up to targeted early help needs a completed Early Help Assessment": even
        // with the panel's accept, the move is refused while the form is missing.
        let no_form = check(pb::TransitionRequest {
            panel_decision: "ACCEPT".into(),
            forms_completed: vec![],
            ..move_request(TransitionKind::StepUp, "L2", "L3")
        });
        assert!(!no_form.allowed);
        assert_eq!(
            unmet(&no_form),
            [("EX-STEP-UP-EHA", Decider::Unspecified, "")]
        );

        // "Seek the family's consent before sharing information or making a request": nobody
        // decides it away either. With the panel's condition unmet as well, not every unmet
        // condition has a decider, so the service refuses instead of queueing.
        let no_consent = check(pb::TransitionRequest {
            consent: pb::Consent::NotSought as i32,
            ..move_request(TransitionKind::StepUp, "L2", "L3")
        });
        assert_eq!(
            unmet(&no_consent),
            [
                ("EX-CONSENT", Decider::Unspecified, ""),
                ("EX-STEP-UP-PANEL", Decider::Panel, ""),
            ]
        );

        // "Where a child is at risk of significant harm, refer without delay, even without
        // consent"
        let harm = check(pb::TransitionRequest {
            consent: pb::Consent::Refused as i32,
            significant_harm_suspected: true,
            ..move_request(TransitionKind::StepUp, "L3", "L4")
        });
        assert!(harm.allowed, "{:?}", harm.unmet);
    }

    #[test]
    fn a_step_down_waits_for_the_team_manager() {
        // "A step down is agreed by the team manager"
        let waiting = check(move_request(TransitionKind::StepDown, "L3", "L2"));
        assert_eq!(
            unmet(&waiting),
            [("EX-STEP-DOWN-MANAGER", Decider::Manager, "")]
        );
        let agreed = check(pb::TransitionRequest {
            manager_agreed: true,
            ..move_request(TransitionKind::StepDown, "L3", "L2")
        });
        assert!(agreed.allowed, "{:?}", agreed.unmet);
        assert_eq!(agreed.resulting_level, "L2");
        // A panel's accept does not stand in for the manager.
        let panel_only = check(pb::TransitionRequest {
            panel_decision: "ACCEPT".into(),
            ..move_request(TransitionKind::StepDown, "L3", "L2")
        });
        assert!(!panel_only.allowed);
    }

    #[test]
    fn a_case_closes_after_the_final_meeting() {
        // "A case closes once a final Team Around the Family meeting agrees the plan's outcomes
        // are met"
        let waiting = check(pb::TransitionRequest {
            meetings_held: vec![MeetingKind::Review as i32],
            ..move_request(TransitionKind::Close, "L3", "")
        });
        assert_eq!(
            unmet(&waiting),
            [("EX-CLOSE-FINAL-TAF", Decider::Meeting, "")]
        );
        let held = check(pb::TransitionRequest {
            meetings_held: vec![MeetingKind::FinalMeeting as i32],
            ..move_request(TransitionKind::Close, "L3", "")
        });
        assert!(held.allowed, "{:?}", held.unmet);
        assert_eq!(held.resulting_level, "");
    }

    #[test]
    fn significant_harm_proceeds_without_consent() {
        let consent = |harm: bool, immediate: bool| {
            Template
                .assess_threshold(&pb::ThresholdRequest {
                    concerns: vec![pb::Concern {
                        indicator_code: "EX-L3-PAR-1".into(),
                        ..Default::default()
                    }],
                    consent: pb::Consent::Refused as i32,
                    significant_harm_suspected: harm,
                    immediate_risk: immediate,
                    ..Default::default()
                })
                .unwrap()
                .consent
                .unwrap()
        };
        // "Where a child is at risk of significant harm, refer without delay, even without
        // consent": the service lets the case open without consent given.
        for guidance in [consent(true, false), consent(false, true)] {
            assert!(guidance.required && guidance.may_proceed_without);
            assert_eq!(guidance.citation.unwrap().quote, HARM_WITHOUT_CONSENT);
        }
        // "Seek the family's consent before sharing information or making a request": without
        // it, the service refuses to open an early help case or queue it for the panel.
        let ordinary = consent(false, false);
        assert!(ordinary.required && !ordinary.may_proceed_without);
        assert_eq!(ordinary.citation.unwrap().quote, SEEK_CONSENT);
    }

    #[test]
    fn an_early_help_request_reaches_the_locality_team_through_the_front_door() {
        // "Requests for early help go to the locality team, through the Front Door on 01000
        // 000000": a team with no number of its own, reached in words.
        let answer = route(ContactPurpose::EarlyHelpRequest, "2026-11-23T10:00:00", &[]);
        let team = answer.contact.unwrap();
        assert_eq!(team.code, "LOCALITY_TEAM");
        assert!(team.phone.is_empty() && team.email.is_empty() && team.web_form.is_empty());
        assert_eq!(team.how_to_reach, "through the Front Door on 01000 000000");
        assert!(answer.open_now);
    }

    #[test]
    fn only_an_emergency_goes_to_the_emergency_line() {
        // Weekday, night, weekend and bank holiday: a purpose that is not an emergency is
        // answered with the team the text names, never 999; the emergency line is always given.
        for purpose in [
            ContactPurpose::Advice,
            ContactPurpose::EarlyHelpRequest,
            ContactPurpose::SafeguardingReferral,
            ContactPurpose::Emergency,
        ] {
            for (local_time, closed) in [
                ("2026-11-23T10:00:00", &[][..]),
                ("2026-11-25T23:30:00", &[]),
                ("2026-11-28T11:00:00", &[]),
                ("2026-12-28T11:00:00", &["2026-12-28"]),
            ] {
                let answer = route(purpose, local_time, closed);
                let contact = answer.contact.unwrap().code;
                assert_eq!(
                    contact == "POLICE",
                    purpose == ContactPurpose::Emergency,
                    "{purpose:?} at {local_time}: {contact}"
                );
                assert_eq!(answer.emergency.unwrap().code, "POLICE");
            }
        }
    }
}
