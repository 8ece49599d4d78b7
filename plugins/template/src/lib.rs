//! Template authority plugin for Continuum.
//!
//! Replace every value marked `AUTHORITY:` with what your authority's published procedure says,
//! and cite the file and section each rule comes from. Where the text is silent, add a `Gap`
//! rather than inventing a number. Run `cargo test` (the conformance check and the template's
//! scenarios, which you rewrite from your text) as you go.
//!
//! Every deadline names the case events that meet it (`met_by`); working days and bank holidays
//! come from the host's calendar (plugins hold none): see crates/plugin-api/README.md.

use continuum_plugin_api::pb::{
    self, Cadence, CaseEvent, ContactPurpose, Domain, Nation, Response, TransitionKind, Weekday,
};
use continuum_plugin_api::{Authority, PluginError, cite, rule, time};

// AUTHORITY: your ONS GSS code and name.
pub const CODE: &str = "E99999999";
pub const NAME: &str = "Example Authority";
// AUTHORITY: the published procedure this plugin encodes (a path your team can find it at).
const SOURCE: &str = "procedures/example-threshold-guidance.txt";

fn at(section: &str, quote: &str) -> pb::Citation {
    cite(SOURCE, section, quote)
}

/// AUTHORITY: the levels of need, least to most: (code, label, description, response).
const LEVELS: &[(&str, &str, &str, Response)] = &[
    (
        "L1",
        "Universal",
        "Needs met by universal services",
        Response::Universal,
    ),
    (
        "L2",
        "Additional",
        "Additional needs met by one agency",
        Response::AdditionalSupport,
    ),
    (
        "L3",
        "Targeted",
        "Complex needs needing a coordinated multi-agency plan",
        Response::TargetedEarlyHelp,
    ),
    (
        "L4",
        "Specialist",
        "Children in need, or in need of protection",
        Response::StatutorySocialCare,
    ),
];

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
];

/// The main line: office hours. AUTHORITY: numbers, hours and purposes from your text.
fn front_door() -> pb::ContactPoint {
    pb::ContactPoint {
        code: "FRONT_DOOR".into(),
        name: "Children's Front Door".into(),
        phone: "01000 000000".into(),
        purposes: vec![
            ContactPurpose::Advice as i32,
            ContactPurpose::EarlyHelpRequest as i32,
            ContactPurpose::SafeguardingReferral as i32,
        ],
        hours: time::weekdays("09:00", "17:00"),
        notes: "Closed at weekends and on bank holidays".into(),
        citation: Some(at(
            "Contacts",
            "Call the Front Door, Monday to Friday 9am to 5pm",
        )),
        ..Default::default()
    }
}

fn out_of_hours() -> pb::ContactPoint {
    pb::ContactPoint {
        code: "EMERGENCY_DUTY_TEAM".into(),
        name: "Emergency Duty Team".into(),
        phone: "01000 000001".into(),
        purposes: vec![
            ContactPurpose::SafeguardingReferral as i32,
            ContactPurpose::Emergency as i32,
        ],
        always_open: true,
        notes: "Out of hours, for safeguarding concerns that cannot wait".into(),
        citation: Some(at("Contacts", "Out of hours, call the Emergency Duty Team")),
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

fn panel() -> pb::Panel {
    pb::Panel {
        code: "ALLOCATION".into(),
        name: "Early Help Allocation Meeting".into(),
        purpose: "Allocates early help requests".into(),
        cadence: Cadence::Weekly as i32,
        weekday: Weekday::Tuesday as i32,
        decisions: vec![
            pb::PanelDecisionOption {
                code: "ACCEPT".into(),
                label: "Accept".into(),
                requires_reason: false,
                citation: Some(at("Panel", "The meeting accepts or declines each request")),
            },
            pb::PanelDecisionOption {
                code: "DECLINE".into(),
                label: "Decline with reasons".into(),
                requires_reason: true,
                citation: Some(at("Panel", "A declined request is returned with reasons")),
            },
        ],
        citation: Some(at("Panel", "The allocation meeting sits every Tuesday")),
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
fn timescale_rules() -> Vec<pb::TimescaleRule> {
    vec![
        pb::TimescaleRule {
            event: CaseEvent::ReferralAccepted as i32,
            level_code: "L3".into(),
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
                deadline(
                    "FIRST_TAF",
                    "Hold the first Team Around the Family meeting within 6 weeks (met by a \
                     Team Around the Family meeting)",
                    time::weeks(6),
                    // AUTHORITY: met_by. "the first Team Around the Family meeting".
                    &[CaseEvent::TeamMeetingHeld],
                    at(
                        "Targeted early help",
                        "The first Team Around the Family meeting is held within 6 weeks",
                    ),
                ),
            ],
        },
        pb::TimescaleRule {
            event: CaseEvent::PlanAgreed as i32,
            level_code: String::new(),
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
    ]
}

fn level_rank(field: &str, code: &str) -> Result<usize, PluginError> {
    LEVELS
        .iter()
        .position(|(c, ..)| *c == code)
        .map(|i| i + 1)
        .ok_or_else(|| PluginError::invalid(field, format!("{code:?} is not a level")))
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
                .map(|(i, (code, label, description, response))| pb::Level {
                    code: (*code).into(),
                    label: (*label).into(),
                    description: (*description).into(),
                    rank: i as u32 + 1,
                    response: *response as i32,
                    role_codes: if i >= 2 {
                        vec!["LEAD_PRACTITIONER".into()]
                    } else {
                        vec![]
                    },
                    citation: Some(at("Levels of need", label)),
                })
                .collect(),
            roles: vec![pb::Role {
                code: "LEAD_PRACTITIONER".into(),
                label: "Lead Practitioner".into(),
                description: "Coordinates the Team Around the Family".into(),
                citation: Some(at("Roles", "A lead practitioner coordinates the plan")),
            }],
            age_range: Some(pb::AgeRange {
                serves_unborn: true,
                unborn_from_gestation_weeks: 12,
                min_age_years: 0,
                max_age_years: 17,
                extensions: vec![],
                citation: Some(at("Scope", "From pre-birth to 18")),
            }),
            indicators: INDICATORS
                .iter()
                .map(|(code, level, domain, area, text)| pb::Indicator {
                    code: (*code).into(),
                    level_code: (*level).into(),
                    domain: *domain as i32,
                    area: (*area).into(),
                    text: (*text).into(),
                    citation: Some(at("Appendix: examples of need", text)),
                })
                .collect(),
            contact_points: vec![front_door(), out_of_hours(), police()],
            panels: vec![panel()],
            timescales: timescale_rules(),
            forms: vec![pb::Form {
                code: "EARLY_HELP_ASSESSMENT".into(),
                name: "Early Help Assessment".into(),
                citation: Some(at("Forms", "Complete an Early Help Assessment")),
            }],
            plugin_name: env!("CARGO_PKG_NAME").into(),
            plugin_version: env!("CARGO_PKG_VERSION").into(),
            sources: vec![at("Whole document", "")],
            gaps: vec![pb::Gap {
                topic: "Accumulation of needs".into(),
                note: "The text gives no rule; the highest matched level stands".into(),
                citation: Some(at("Levels of need", "")),
            }],
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
                within_age_range: true,
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
            let Some((code, level, _, _, text)) =
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
                at("Appendix: examples of need", text),
            ));
        }
        if request.significant_harm_suspected {
            rank = LEVELS.len();
            reasons.push(rule(
                "EX-SIGNIFICANT-HARM",
                "Risk of significant harm: refer without delay, even without consent",
                at(
                    "Consent",
                    "Where a child is at risk of significant harm, refer without delay",
                ),
            ));
        }
        if reasons.is_empty() {
            reasons.push(rule(
                "EX-NO-INDICATOR",
                "No indicator from the catalogue: universal services; use professional judgement",
                at("Levels of need", "Universal"),
            ));
        }
        let (code, _, _, response) = LEVELS[rank - 1];
        let within_age_range = request.age.is_none_or(|a| {
            if a.unborn {
                a.gestation_weeks >= 12
            } else {
                a.years <= 17
            }
        });
        Ok(pb::ThresholdDecision {
            recommended_level: code.into(),
            response: response as i32,
            matched_indicators: matched,
            reasons,
            consent: Some(pb::ConsentGuidance {
                required: rank < LEVELS.len(),
                may_proceed_without: request.significant_harm_suspected,
                text: "Seek consent before sharing, unless doing so would place the child at risk of significant harm".into(),
                citation: Some(at("Consent", "Seek consent unless it would place the child at risk")),
            }),
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
        let contact = match purpose {
            ContactPurpose::Unspecified => {
                return Err(PluginError::invalid("purpose", "is required"));
            }
            ContactPurpose::Emergency => police(),
            _ => front_door(),
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
        let mut reasons = vec![rule(
            "EX-CONTACT",
            "The Front Door takes advice calls and referrals in office hours",
            at(
                "Contacts",
                "Call the Front Door, Monday to Friday 9am to 5pm",
            ),
        )];
        // AUTHORITY: which purposes the out-of-hours line takes when the office line is closed
        // (here: safeguarding referrals and advice; an early help request waits for the next
        // opening).
        let out_of_hours =
            (!open_now && purpose != ContactPurpose::EarlyHelpRequest).then(out_of_hours);
        if !open_now {
            reasons.push(rule(
                "EX-CLOSED",
                format!(
                    "The Front Door is closed now (outside office hours, or a bank holiday); it \
                     next opens {next_opening}"
                ),
                at(
                    "Contacts",
                    "The Front Door is closed at weekends and on bank holidays",
                ),
            ));
        }
        if out_of_hours.is_some() {
            reasons.push(rule(
                "EX-OUT-OF-HOURS",
                "Out of hours, a concern that cannot wait goes to the Emergency Duty Team",
                at("Contacts", "Out of hours, call the Emergency Duty Team"),
            ));
        }
        Ok(pb::ContactAnswer {
            contact: Some(contact),
            open_now,
            next_opening,
            out_of_hours,
            emergency: Some(police()),
            reasons,
        })
    }

    fn next_panel(&self, request: &pb::PanelRequest) -> Result<pb::PanelAnswer, PluginError> {
        let panel = panel();
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
        // those for every level.
        let deadlines = timescale_rules()
            .into_iter()
            .filter(|r| {
                r.event == request.event
                    && (r.level_code.is_empty() || r.level_code == request.level_code)
            })
            .flat_map(|r| r.deadlines)
            .collect();
        Ok(pb::TimescaleAnswer { deadlines })
    }

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
        let consent = rule(
            "EX-CONSENT",
            "The family consents to the change",
            at(
                "Consent",
                "Seek consent unless it would place the child at risk",
            ),
        );
        let consented = request.significant_harm_suspected
            || matches!(
                pb::Consent::try_from(request.consent),
                Ok(pb::Consent::GivenVerbally | pb::Consent::GivenInWriting)
            );
        let unmet = if consented {
            vec![]
        } else {
            vec![consent.clone()]
        };
        Ok(pb::TransitionAnswer {
            allowed: unmet.is_empty(),
            unmet,
            resulting_level: if kind == TransitionKind::Close {
                String::new()
            } else {
                request.target_level.clone()
            },
            rules_applied: vec![consent],
        })
    }
}

continuum_plugin_api::export_authority!(Template);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conforms() {
        let violations = continuum_plugin_api::conformance::check(&Template);
        assert!(violations.is_empty(), "{violations:#?}");
    }

    fn timescales(event: CaseEvent, level: &str) -> Vec<pb::Deadline> {
        Template
            .timescales(&pb::TimescaleRequest {
                event: event as i32,
                level_code: level.into(),
            })
            .unwrap()
            .deadlines
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
            // "The first Team Around the Family meeting is held within 6 weeks"
            (
                CaseEvent::ReferralAccepted,
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
        ];
        for (event, level, code, due_in, events) in &expected {
            let answer = timescales(*event, level);
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
    }

    #[test]
    fn describe_and_timescales_agree() {
        let d = Template.describe();
        for rule in &d.timescales {
            let event = CaseEvent::try_from(rule.event).unwrap();
            for (level, ..) in LEVELS {
                let answer = timescales(event, level);
                for deadline in &rule.deadlines {
                    let applies = rule.level_code.is_empty() || rule.level_code == *level;
                    assert_eq!(
                        answer.contains(deadline),
                        applies,
                        "{} for {event:?} at {level}",
                        deadline.code
                    );
                }
            }
        }
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
        // "The Front Door is closed at weekends and on bank holidays". Monday 28 December 2026
        // is a bank holiday in England and Wales (Boxing Day's substitute).
        let answer = route(
            ContactPurpose::Advice,
            "2026-12-28T11:00:00",
            &["2026-12-28", "2027-01-01"],
        );
        assert_eq!(answer.contact.unwrap().code, "FRONT_DOOR");
        assert!(!answer.open_now);
        assert_eq!(answer.next_opening, "2026-12-29T09:00:00");
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
        assert_eq!(flagged.next_opening, "2026-12-29T09:00:00");
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
        assert_eq!(answer.next_opening, "2026-12-29T09:00:00");
        assert_eq!(answer.out_of_hours.unwrap().code, "EMERGENCY_DUTY_TEAM");

        // An early help request waits for the next opening: no out-of-hours line takes it.
        let early_help = route(
            ContactPurpose::EarlyHelpRequest,
            "2026-12-24T17:30:00",
            &["2026-12-25", "2026-12-28"],
        );
        assert_eq!(early_help.next_opening, "2026-12-29T09:00:00");
        assert!(early_help.out_of_hours.is_none());
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
}
