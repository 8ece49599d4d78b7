//! The conformance check's child-safety and faithfulness rules, each shown refusing a plugin that
//! breaks it: a real authority (Worcestershire), changed in one respect, is refused naming the
//! rule, where, and how to put it right. Unchanged, it passes.

use continuum_authority_worcestershire::Worcestershire;
use continuum_plugin_api::conformance::{Violation, check, check_with_sources, citations, rules};
use continuum_plugin_api::pb::{
    self, AuthorityDescription, ContactAnswer, ContactPurpose, ContactRequest, PanelAnswer,
    PanelRequest, Response, ThresholdDecision, ThresholdRequest, TimescaleAnswer, TimescaleRequest,
    TransitionAnswer, TransitionRequest,
};
use continuum_plugin_api::{Authority, PluginError};

/// Worcestershire, with its description and answers passed through the edits given.
#[derive(Default)]
struct Broken {
    describe: Option<fn(&mut AuthorityDescription)>,
    threshold: Option<fn(&ThresholdRequest, &mut ThresholdDecision)>,
    route: Option<fn(&ContactRequest, &mut ContactAnswer)>,
}

impl Authority for Broken {
    fn describe(&self) -> AuthorityDescription {
        let mut d = Worcestershire.describe();
        if let Some(edit) = self.describe {
            edit(&mut d);
        }
        d
    }

    fn assess_threshold(
        &self,
        request: &ThresholdRequest,
    ) -> Result<ThresholdDecision, PluginError> {
        let mut answer = Worcestershire.assess_threshold(request)?;
        if let Some(edit) = self.threshold {
            edit(request, &mut answer);
        }
        Ok(answer)
    }

    fn route_contact(&self, request: &ContactRequest) -> Result<ContactAnswer, PluginError> {
        let mut answer = Worcestershire.route_contact(request)?;
        if let Some(edit) = self.route {
            edit(request, &mut answer);
        }
        Ok(answer)
    }

    fn next_panel(&self, request: &PanelRequest) -> Result<PanelAnswer, PluginError> {
        Worcestershire.next_panel(request)
    }

    fn timescales(&self, request: &TimescaleRequest) -> Result<TimescaleAnswer, PluginError> {
        Worcestershire.timescales(request)
    }

    fn check_transition(
        &self,
        request: &TransitionRequest,
    ) -> Result<TransitionAnswer, PluginError> {
        Worcestershire.check_transition(request)
    }
}

/// The violations of `rule`, after checking that every violation is of that rule.
fn only(rule: &str, violations: Vec<Violation>) -> Vec<Violation> {
    assert!(!violations.is_empty(), "refused under {rule}");
    for v in &violations {
        assert_eq!(v.rule, rule, "{v}");
        assert!(v.to_string().starts_with(&format!("[{rule}] ")), "{v}");
    }
    violations
}

#[test]
fn the_real_authority_passes() {
    assert_eq!(check(&Broken::default()), vec![]);
}

#[test]
fn a_placeholder_code_or_number_is_refused() {
    let v = only(
        rules::PLACEHOLDER,
        check(&Broken {
            describe: Some(|d| {
                d.code = "E99999999".into();
                d.contact_points[0].phone = "01000 000000".into();
            }),
            ..Default::default()
        }),
    );
    assert!(v.iter().any(|v| v.at == "code"));
    assert!(v.iter().any(|v| v.at == "contact_points[0].phone"
        && v.problem.contains("give the number the source publishes")));
}

#[test]
fn an_empty_quote_is_refused() {
    let v = only(
        rules::QUOTE,
        check(&Broken {
            describe: Some(|d| {
                if let Some(c) = d.levels[0].citation.as_mut() {
                    c.quote = " ".into();
                }
            }),
            ..Default::default()
        }),
    );
    assert_eq!(v[0].at, "levels[0].citation.quote");
}

#[test]
fn no_emergency_route_is_refused() {
    // Removing the emergency line also breaks answers that name it (a contract violation).
    let v = check(&Broken {
        describe: Some(|d| {
            // The police line is gone; what else served emergencies now serves advice.
            d.contact_points
                .retain(|cp| cp.purposes != [ContactPurpose::Emergency as i32]);
            for cp in &mut d.contact_points {
                for p in &mut cp.purposes {
                    if *p == ContactPurpose::Emergency as i32 {
                        *p = ContactPurpose::Advice as i32;
                    }
                }
            }
        }),
        route: Some(|_, answer| answer.emergency = None),
        ..Default::default()
    });
    let emergency: Vec<_> = v
        .iter()
        .filter(|v| v.rule == rules::EMERGENCY_ROUTE)
        .collect();
    assert!(emergency.iter().any(|v| v.at == "contact_points"), "{v:#?}");
    assert!(
        emergency.iter().any(|v| v.at.ends_with(".emergency")),
        "{v:#?}"
    );
}

#[test]
fn no_open_line_for_safeguarding_out_of_hours_is_refused() {
    let v = only(
        rules::OUT_OF_HOURS,
        check(&Broken {
            route: Some(|request, answer| {
                if request.purpose == ContactPurpose::SafeguardingReferral as i32 {
                    answer.open_now = false;
                    answer.next_opening = "2026-11-30T09:00:00".into();
                    answer.out_of_hours = None;
                    if let Some(c) = answer.contact.as_mut() {
                        c.always_open = false;
                    }
                }
            }),
            ..Default::default()
        }),
    );
    assert!(v.iter().any(|v| v.at.contains("2026-11-28T11:00:00")));
}

#[test]
fn immediate_risk_that_is_not_an_emergency_is_refused() {
    only(
        rules::IMMEDIATE_RISK,
        check(&Broken {
            threshold: Some(|request, answer| {
                if request.immediate_risk {
                    answer.response = Response::StatutorySocialCare as i32;
                }
            }),
            ..Default::default()
        }),
    );
}

#[test]
fn demanding_consent_when_harm_is_suspected_is_refused() {
    only(
        rules::CONSENT_AND_HARM,
        check(&Broken {
            threshold: Some(|request, answer| {
                if request.significant_harm_suspected {
                    answer.consent = Some(pb::ConsentGuidance {
                        required: true,
                        may_proceed_without: false,
                        ..answer.consent.clone().unwrap_or_default()
                    });
                }
            }),
            ..Default::default()
        }),
    );
}

#[test]
fn an_office_line_open_on_a_bank_holiday_is_refused() {
    only(
        rules::BANK_HOLIDAY,
        check(&Broken {
            route: Some(|request, answer| {
                if request.public_holiday && answer.contact.as_ref().is_some_and(|c| !c.always_open)
                {
                    answer.open_now = true;
                    answer.next_opening.clear();
                }
            }),
            ..Default::default()
        }),
    );
}

#[test]
fn with_sources_a_quote_not_in_its_source_is_refused() {
    let cited = citations(&Broken::default());
    assert!(
        cited.len() > 50,
        "the description and the probes' answers cite their sources"
    );
    let changed = cited
        .iter()
        .find(|c| c.at == "levels[0]")
        .expect("the first level is cited")
        .quote
        .clone();
    // Each source holds every quote, laid out as a web page would (line breaks, emphasis,
    // typographic apostrophes), except the first level's, which it words differently.
    let text: String = cited
        .iter()
        .filter(|c| c.quote != changed)
        .map(|c| {
            format!(
                "<p>\n{}\n</p>\n",
                c.quote.replace(' ', "\n  ").replace('\'', "\u{2019}")
            )
        })
        .collect();
    let text = format!("{text}\n{}", changed.replace(' ', " **very** "));
    let v = only(
        rules::QUOTE,
        check_with_sources(&Broken::default(), &|_| Some(text.clone())),
    );
    assert_eq!(v.len(), 1, "{v:#?}");
    assert_eq!(v[0].at, "levels[0].citation.quote");
    assert!(v[0].problem.contains("word for word"));
    // A source not at hand is named.
    let v = only(
        rules::QUOTE,
        check_with_sources(&Broken::default(), &|_| None),
    );
    assert!(v[0].problem.contains("is not in the sources given"));
}
