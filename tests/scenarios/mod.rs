//! Scenario tables: what each authority's published procedure says should happen, as data.
//!
//! Each authority has a file here with `pub const SCENARIOS: &[Scenario]`, every case citing the
//! sentence of `shared/seeds/<file>` it checks. The runners execute one table against a plugin
//! (through the `Authority` trait, and through the public gRPC API).

use continuum_plugin_api::Authority;
use continuum_plugin_api::pb::{
    self, CaseEvent, Channel, ChildAge, Concern, Consent, ContactPurpose, Decider, MeetingKind,
    Response, TimeUnit, TransitionKind, Urgency,
};

pub mod bradford;
pub mod carmarthenshire;
pub mod torbay;
pub mod worcestershire;

/// One case from a procedure text.
#[derive(Debug, Clone, Copy)]
pub struct Scenario {
    /// Short, unique name.
    pub name: &'static str,
    /// `shared/seeds/<file>, <section>: "<the sentence checked>"`.
    pub cites: &'static str,
    pub check: Check,
}

#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// `AssessThreshold`: the recommended level and response for these concerns.
    Threshold {
        /// Indicator codes from the plugin's catalogue.
        indicators: &'static [&'static str],
        immediate_risk: bool,
        significant_harm: bool,
        consent: Consent,
        /// Completed years; `None` for an unborn child.
        age_years: Option<u32>,
        expect_level: &'static str,
        expect_response: Response,
        /// Rule ids that must appear among the reasons.
        expect_rules: &'static [&'static str],
    },
    /// `RouteContact`: who to call for a purpose at a local time, and whether they are open.
    Contact {
        purpose: ContactPurpose,
        /// "YYYY-MM-DDTHH:MM:SS" local time (2026-11-23 is a Monday).
        at: &'static str,
        public_holiday: bool,
        expect_contact: &'static str,
        expect_open: bool,
        /// Expected `next_opening` when closed ("" when open or always open).
        expect_next_opening: &'static str,
        /// Expected out-of-hours contact code when closed ("" for none).
        expect_out_of_hours: &'static str,
    },
    /// `RouteContact` with what the caller says and knows: how urgent it is, the child's
    /// history with the authority and the child's age. Bank holidays come from the calendar.
    Route {
        purpose: ContactPurpose,
        /// "YYYY-MM-DDTHH:MM:SS" local time (2026-11-23 is a Monday).
        at: &'static str,
        urgency: Urgency,
        history: History,
        child: Option<Child>,
        expect_contact: &'static str,
        expect_open: bool,
        expect_channel: Channel,
        /// The follow-ups' (code, amount, unit) of `due_in`, in order.
        expect_follow_ups: &'static [(&'static str, u32, TimeUnit)],
        /// Rule ids that must appear among the reasons.
        expect_rules: &'static [&'static str],
    },
    /// `AssessThreshold` for a child of an age or in a circumstance: the level and whether the
    /// child is inside the ages served.
    Ages {
        indicators: &'static [&'static str],
        child: Child,
        expect_level: &'static str,
        expect_within: bool,
    },
    /// `Timescales` for a child of an age or in a circumstance (rules `only_if` one).
    TimescaleFor {
        event: CaseEvent,
        level: &'static str,
        child: Child,
        expect: &'static [(&'static str, u32, TimeUnit)],
    },
    /// The next sitting of a panel on or after a date ("" panel code for the main one).
    Panel {
        panel: &'static str,
        on_or_after: &'static str,
        /// "" when the text gives no weekday.
        expect_next_sitting: &'static str,
    },
    /// `Timescales`: the deadlines an event starts, as (code, amount, unit) of `due_in`.
    Timescale {
        event: CaseEvent,
        level: &'static str,
        expect: &'static [(&'static str, u32, TimeUnit)],
    },
    /// `CheckTransition`: allowed or not, and which rules are unmet.
    Transition {
        kind: TransitionKind,
        from: &'static str,
        to: &'static str,
        days_open: u32,
        consent: Consent,
        forms: &'static [&'static str],
        meetings: &'static [MeetingKind],
        significant_harm: bool,
        expect_allowed: bool,
        /// Rule ids expected among `unmet` (all of them when `expect_allowed` is false).
        expect_unmet: &'static [&'static str],
        /// Expected resulting level ("" for a closure); checked only when allowed.
        expect_resulting_level: &'static str,
    },
    /// `CheckTransition` for a move that waits for someone's decision: who decides each unmet
    /// condition, and what the move does once a manager agreed or a panel decided.
    Request {
        kind: TransitionKind,
        from: &'static str,
        to: &'static str,
        days_open: u32,
        consent: Consent,
        forms: &'static [&'static str],
        meetings: &'static [MeetingKind],
        manager_agreed: bool,
        /// A panel decision option code, or "".
        panel_decision: &'static str,
        expect_allowed: bool,
        /// Every unmet rule id, with who may decide it (`Decider::Unspecified`: nobody).
        expect_unmet: &'static [(&'static str, Decider)],
    },
}

/// What the caller knows of the child's history with the authority.
#[derive(Debug, Clone, Copy)]
pub enum History {
    Unknown,
    /// An open case at this level code.
    Open(&'static str),
    /// The last case closed this many days ago.
    ClosedDaysAgo(u32),
}

/// A child's age and circumstances.
#[derive(Debug, Clone, Copy)]
pub enum Child {
    Years(u32),
    /// Unborn, at this week of pregnancy.
    Unborn(u32),
    /// This old, and looked after.
    LookedAfter(u32),
    /// This old, with a learning difficulty or disability.
    Disabled(u32),
}

impl Child {
    pub fn age(self) -> ChildAge {
        match self {
            Child::Years(years) => ChildAge {
                years,
                ..Default::default()
            },
            Child::Unborn(gestation_weeks) => ChildAge {
                unborn: true,
                gestation_weeks,
                ..Default::default()
            },
            Child::LookedAfter(years) => ChildAge {
                years,
                looked_after: true,
                ..Default::default()
            },
            Child::Disabled(years) => ChildAge {
                years,
                learning_difficulty_or_disability: true,
                ..Default::default()
            },
        }
    }
}

/// The request a scenario sends.
#[derive(Debug, Clone)]
pub enum Query {
    Threshold(pb::ThresholdRequest),
    Contact(pb::ContactRequest),
    Panel(pb::PanelRequest),
    Timescale(pb::TimescaleRequest),
    Transition(pb::TransitionRequest),
}

/// The answer it gets back.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum Answer {
    Threshold(pb::ThresholdDecision),
    Contact(pb::ContactAnswer),
    Panel(pb::PanelAnswer),
    Timescale(pb::TimescaleAnswer),
    Transition(pb::TransitionAnswer),
}

impl Check {
    /// The request this check sends.
    pub fn query(&self) -> Query {
        match *self {
            Check::Threshold {
                indicators,
                immediate_risk,
                significant_harm,
                consent,
                age_years,
                ..
            } => Query::Threshold(pb_threshold(
                indicators,
                immediate_risk,
                significant_harm,
                consent,
                age_years,
            )),
            Check::Contact {
                purpose,
                at,
                public_holiday,
                ..
            } => Query::Contact(pb::ContactRequest {
                purpose: purpose as i32,
                local_time: at.into(),
                public_holiday,
                // What the server fills in from its calendar (all four authorities are in
                // England or Wales), so that the trait sees what the API's plugin call sees.
                closed_dates: closed_dates(at),
                ..Default::default()
            }),
            Check::Route {
                purpose,
                at,
                urgency,
                history,
                child,
                ..
            } => {
                let closed_dates = closed_dates(at);
                Query::Contact(pb::ContactRequest {
                    purpose: purpose as i32,
                    local_time: at.into(),
                    public_holiday: closed_dates.iter().any(|d| at.starts_with(d.as_str())),
                    closed_dates,
                    urgency: urgency as i32,
                    history: match history {
                        History::Unknown => None,
                        History::Open(level) => Some(pb::CaseHistory {
                            open_case: true,
                            open_level: level.into(),
                            ..Default::default()
                        }),
                        History::ClosedDaysAgo(days) => Some(pb::CaseHistory {
                            closed_case: true,
                            days_since_closed: days,
                            ..Default::default()
                        }),
                    },
                    age: child.map(Child::age),
                })
            }
            Check::Ages {
                indicators, child, ..
            } => Query::Threshold(pb::ThresholdRequest {
                age: Some(child.age()),
                ..pb_threshold(indicators, false, false, Consent::GivenInWriting, Some(8))
            }),
            Check::TimescaleFor {
                event,
                level,
                child,
                ..
            } => Query::Timescale(pb::TimescaleRequest {
                event: event as i32,
                level_code: level.into(),
                age: Some(child.age()),
            }),
            Check::Panel {
                panel, on_or_after, ..
            } => Query::Panel(pb::PanelRequest {
                panel_code: panel.into(),
                on_or_after: on_or_after.into(),
            }),
            Check::Timescale { event, level, .. } => Query::Timescale(pb::TimescaleRequest {
                event: event as i32,
                level_code: level.into(),
                age: None,
            }),
            Check::Transition {
                kind,
                from,
                to,
                days_open,
                consent,
                forms,
                meetings,
                significant_harm,
                ..
            } => Query::Transition(pb_transition(
                kind,
                from,
                to,
                days_open,
                consent,
                forms,
                meetings,
                significant_harm,
            )),
            Check::Request {
                kind,
                from,
                to,
                days_open,
                consent,
                forms,
                meetings,
                manager_agreed,
                panel_decision,
                ..
            } => Query::Transition(pb::TransitionRequest {
                manager_agreed,
                panel_decision: panel_decision.into(),
                ..pb_transition(kind, from, to, days_open, consent, forms, meetings, false)
            }),
        }
    }

    /// What the answer got wrong (empty when it is what the text says).
    pub fn verify(&self, answer: &Answer) -> Vec<String> {
        let mut wrong = Vec::new();
        match (*self, answer) {
            (
                Check::Threshold {
                    expect_level,
                    expect_response,
                    expect_rules,
                    ..
                },
                Answer::Threshold(d),
            ) => {
                if d.recommended_level != expect_level || d.response != expect_response as i32 {
                    wrong.push(format!(
                        "got {} / {:?}, expected {expect_level} / {expect_response:?}",
                        d.recommended_level,
                        Response::try_from(d.response)
                    ));
                }
                for rule in expect_rules {
                    if !d.reasons.iter().any(|r| r.rule_id == *rule) {
                        let ids: Vec<&str> = d.reasons.iter().map(|r| r.rule_id.as_str()).collect();
                        wrong.push(format!("rule {rule} not among the reasons {ids:?}"));
                    }
                }
            }
            (
                Check::Contact {
                    expect_contact,
                    expect_open,
                    expect_next_opening,
                    expect_out_of_hours,
                    ..
                },
                Answer::Contact(a),
            ) => {
                let got = (
                    code(a.contact.as_ref()),
                    a.open_now,
                    a.next_opening.as_str(),
                    code(a.out_of_hours.as_ref()),
                );
                let want = (
                    expect_contact,
                    expect_open,
                    expect_next_opening,
                    expect_out_of_hours,
                );
                if got != want {
                    wrong.push(format!(
                        "got (contact, open, next, out-of-hours) {got:?}, expected {want:?}"
                    ));
                }
            }
            (
                Check::Panel {
                    expect_next_sitting,
                    ..
                },
                Answer::Panel(a),
            ) => {
                if a.next_sitting != expect_next_sitting {
                    wrong.push(format!(
                        "next sitting {:?}, expected {expect_next_sitting:?}",
                        a.next_sitting
                    ));
                }
            }
            (Check::Timescale { expect, .. }, Answer::Timescale(a))
            | (Check::TimescaleFor { expect, .. }, Answer::Timescale(a)) => {
                if let Some(why) = spans_differ(&a.deadlines, expect) {
                    wrong.push(format!("deadlines {why}"));
                }
            }
            (
                Check::Route {
                    expect_contact,
                    expect_open,
                    expect_channel,
                    expect_follow_ups,
                    expect_rules,
                    ..
                },
                Answer::Contact(a),
            ) => {
                let got = (
                    code(a.contact.as_ref()),
                    a.open_now,
                    Channel::try_from(a.channel).unwrap_or(Channel::Unspecified),
                );
                let want = (expect_contact, expect_open, expect_channel);
                if got != want {
                    wrong.push(format!(
                        "got (contact, open, channel) {got:?}, expected {want:?}"
                    ));
                }
                if let Some(why) = spans_differ(&a.follow_ups, expect_follow_ups) {
                    wrong.push(format!("follow-ups {why}"));
                }
                for rule in expect_rules {
                    if !a.reasons.iter().any(|r| r.rule_id == *rule) {
                        let ids: Vec<&str> = a.reasons.iter().map(|r| r.rule_id.as_str()).collect();
                        wrong.push(format!("rule {rule} not among the reasons {ids:?}"));
                    }
                }
            }
            (
                Check::Ages {
                    expect_level,
                    expect_within,
                    ..
                },
                Answer::Threshold(d),
            ) => {
                if (d.recommended_level.as_str(), d.within_age_range)
                    != (expect_level, expect_within)
                {
                    wrong.push(format!(
                        "got (level, within age range) ({}, {}), expected ({expect_level}, \
                         {expect_within})",
                        d.recommended_level, d.within_age_range
                    ));
                }
            }
            (
                Check::Transition {
                    expect_allowed,
                    expect_unmet,
                    expect_resulting_level,
                    ..
                },
                Answer::Transition(a),
            ) => {
                let unmet: Vec<&str> = a.unmet.iter().map(|r| r.rule_id.as_str()).collect();
                if a.allowed != expect_allowed {
                    wrong.push(format!(
                        "allowed = {}, expected {expect_allowed}; unmet {unmet:?}",
                        a.allowed
                    ));
                }
                for rule in expect_unmet {
                    if !unmet.contains(rule) {
                        wrong.push(format!("{rule} not among unmet {unmet:?}"));
                    }
                }
                if a.allowed && a.resulting_level != expect_resulting_level {
                    wrong.push(format!(
                        "resulting level {:?}, expected {expect_resulting_level:?}",
                        a.resulting_level
                    ));
                }
            }
            (
                Check::Request {
                    expect_allowed,
                    expect_unmet,
                    ..
                },
                Answer::Transition(a),
            ) => {
                let unmet: Vec<(&str, Decider)> = a
                    .unmet
                    .iter()
                    .map(|r| {
                        let by = Decider::try_from(r.decided_by).unwrap_or(Decider::Unspecified);
                        (r.rule_id.as_str(), by)
                    })
                    .collect();
                if a.allowed != expect_allowed {
                    wrong.push(format!(
                        "allowed = {}, expected {expect_allowed}; unmet {unmet:?}",
                        a.allowed
                    ));
                }
                if unmet.as_slice() != expect_unmet {
                    wrong.push(format!("unmet {unmet:?}, expected {expect_unmet:?}"));
                }
            }
            (check, answer) => wrong.push(format!("{answer:?} does not answer {check:?}")),
        }
        wrong
    }
}

/// A contact point's code ("" for none).
fn code(contact: Option<&pb::ContactPoint>) -> &str {
    contact.map(|c| c.code.as_str()).unwrap_or_default()
}

/// `None` when the deadlines are `expect`'s (code, amount, unit) of `due_in`, in order; else
/// what differs.
fn spans_differ(
    deadlines: &[pb::Deadline],
    expect: &[(&'static str, u32, TimeUnit)],
) -> Option<String> {
    let got: Vec<(String, u32, i32)> = deadlines
        .iter()
        .map(|d| {
            let due = d.due_in.unwrap_or_default();
            (d.code.clone(), due.amount, due.unit)
        })
        .collect();
    let want: Vec<(String, u32, i32)> = expect
        .iter()
        .map(|(c, n, u)| ((*c).to_owned(), *n, *u as i32))
        .collect();
    (got != want).then(|| format!("{got:?}, expected {want:?}"))
}

/// Run a table through the `Authority` trait (in-process or a loaded library). Returns one line
/// per failing scenario, so a table reports all its failures at once.
pub fn run_on_trait(authority: &dyn Authority, table: &[Scenario]) -> Vec<String> {
    let mut failures = Vec::new();
    for s in table {
        let answer = match s.check.query() {
            Query::Threshold(r) => authority.assess_threshold(&r).map(Answer::Threshold),
            Query::Contact(r) => authority.route_contact(&r).map(Answer::Contact),
            Query::Panel(r) => authority.next_panel(&r).map(Answer::Panel),
            Query::Timescale(r) => authority.timescales(&r).map(Answer::Timescale),
            Query::Transition(r) => authority.check_transition(&r).map(Answer::Transition),
        };
        let wrong = match answer {
            Ok(answer) => s.check.verify(&answer),
            Err(e) => vec![format!("no answer: {e}")],
        };
        failures.extend(
            wrong
                .into_iter()
                .map(|why| format!("{} ({}): {why}", s.name, s.cites)),
        );
    }
    failures
}

/// The threshold request a scenario describes.
pub fn pb_threshold(
    indicators: &[&str],
    immediate_risk: bool,
    significant_harm: bool,
    consent: Consent,
    age_years: Option<u32>,
) -> pb::ThresholdRequest {
    pb::ThresholdRequest {
        concerns: indicators
            .iter()
            .map(|c| Concern {
                indicator_code: (*c).into(),
                ..Default::default()
            })
            .collect(),
        immediate_risk,
        significant_harm_suspected: significant_harm,
        consent: consent as i32,
        age: Some(match age_years {
            Some(years) => ChildAge {
                years,
                ..Default::default()
            },
            None => ChildAge {
                unborn: true,
                gestation_weeks: 30,
                ..Default::default()
            },
        }),
    }
}

/// The transition request a scenario describes.
#[allow(clippy::too_many_arguments)]
pub fn pb_transition(
    kind: TransitionKind,
    from: &str,
    to: &str,
    days_open: u32,
    consent: Consent,
    forms: &[&str],
    meetings: &[MeetingKind],
    significant_harm: bool,
) -> pb::TransitionRequest {
    pb::TransitionRequest {
        kind: kind as i32,
        current_level: from.into(),
        target_level: to.into(),
        days_open,
        consent: consent as i32,
        forms_completed: forms.iter().map(|f| (*f).to_owned()).collect(),
        meetings_held: meetings.iter().map(|m| *m as i32).collect(),
        significant_harm_suspected: significant_harm,
        from_authority: if kind == TransitionKind::TransferIn {
            "E99999999".into()
        } else {
            String::new()
        },
        age: Some(ChildAge {
            years: 8,
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The England and Wales bank holidays from the day before a local date-time's date to 13 days
/// after it, as the service sends them.
#[allow(clippy::expect_used)]
fn closed_dates(at: &str) -> Vec<String> {
    use continuum_domain::calendar::{Calendar, Division};
    let date = chrono::NaiveDate::parse_from_str(&at[..10], "%Y-%m-%d").expect("a scenario date");
    let from = date.pred_opt().expect("a date after the first");
    Calendar::uk()
        .closed_dates(Division::EnglandAndWales, from, 15)
        .expect("a date the calendar covers")
        .into_iter()
        .map(|d| d.format("%Y-%m-%d").to_string())
        .collect()
}
