//! Template authority plugin for Continuum.
//!
//! Replace every value marked `AUTHORITY:` with what your authority's published procedure says,
//! and cite the file and section each rule comes from. Where the text is silent, add a `Gap`
//! rather than inventing a number. Run `cargo test` (the conformance check) as you go.

use continuum_plugin_api::pb::{
    self, Cadence, CaseEvent, ContactPurpose, Domain, Nation, Response, TimeUnit, TransitionKind,
    Weekday,
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

fn review_deadline() -> pb::Deadline {
    pb::Deadline {
        code: "REVIEW".into(),
        description: "Review the plan".into(),
        due_in: Some(pb::Span {
            amount: 6,
            unit: TimeUnit::Weeks as i32,
        }),
        repeat_every: Some(pb::Span {
            amount: 6,
            unit: TimeUnit::Weeks as i32,
        }),
        at_most: None,
        citation: Some(at("Reviews", "Plans are reviewed at least every six weeks")),
    }
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
            timescales: vec![pb::TimescaleRule {
                event: CaseEvent::PlanAgreed as i32,
                level_code: String::new(),
                deadlines: vec![review_deadline()],
            }],
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
        let purpose =
            ContactPurpose::try_from(request.purpose).unwrap_or(ContactPurpose::Unspecified);
        let contact = match purpose {
            ContactPurpose::Unspecified => {
                return Err(PluginError::invalid("purpose", "is required"));
            }
            ContactPurpose::Emergency => police(),
            _ => front_door(),
        };
        let open_now =
            contact.always_open || time::is_open(&contact.hours, at_time, request.public_holiday);
        let next_opening = match open_now {
            true => String::new(),
            false => time::next_opening(&contact.hours, at_time, request.public_holiday)
                .map(time::format_date_time)
                .unwrap_or_default(),
        };
        let out_of_hours =
            (!open_now && purpose != ContactPurpose::EarlyHelpRequest).then(out_of_hours);
        Ok(pb::ContactAnswer {
            contact: Some(contact),
            open_now,
            next_opening,
            out_of_hours,
            emergency: Some(police()),
            reasons: vec![rule(
                "EX-CONTACT",
                "The Front Door takes advice calls and referrals in office hours",
                at(
                    "Contacts",
                    "Call the Front Door, Monday to Friday 9am to 5pm",
                ),
            )],
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
        let deadlines = match CaseEvent::try_from(request.event) {
            Ok(CaseEvent::PlanAgreed) => vec![review_deadline()],
            _ => vec![],
        };
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
}
