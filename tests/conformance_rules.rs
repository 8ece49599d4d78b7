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
    let v = check(&Broken {
        route: Some(|request, answer| {
            if request.purpose == ContactPurpose::SafeguardingReferral as i32 {
                answer.open_now = false;
                answer.next_opening = "2026-11-30T09:00:00".into();
                answer.out_of_hours = None;
                if let Some(c) = answer.contact.as_mut() {
                    c.always_open = false;
                    c.hours.clear();
                }
            }
        }),
        ..Default::default()
    });
    let refused: Vec<_> = v.iter().filter(|v| v.rule == rules::OUT_OF_HOURS).collect();
    // At the weekend, at night and on a bank-holiday daytime.
    assert!(
        refused.iter().any(|v| v.at.contains("2026-11-28T11:00:00")),
        "{v:#?}"
    );
    assert!(
        refused.iter().any(|v| v.at.contains("2026-11-25T23:30:00")),
        "{v:#?}"
    );
    assert!(
        refused.iter().any(|v| v.at.contains("bank holiday")),
        "{v:#?}"
    );
}

/// A contact point whose windows do not say what they do on a bank holiday.
fn unsaid(cp: &mut pb::ContactPoint) {
    for w in &mut cp.hours {
        w.on_bank_holiday = pb::BankHoliday::Unspecified as i32;
    }
}

#[test]
fn a_window_that_does_not_say_what_it_does_on_a_bank_holiday_is_refused() {
    let v = check(&Broken {
        describe: Some(|d| d.contact_points.iter_mut().for_each(unsaid)),
        // The answers return the contact points as declared.
        route: Some(|_, answer| {
            answer.contact.iter_mut().for_each(unsaid);
            answer.out_of_hours.iter_mut().for_each(unsaid);
        }),
        ..Default::default()
    });
    let unsaid: Vec<_> = v
        .iter()
        .filter(|v| v.at.ends_with(".on_bank_holiday"))
        .collect();
    assert!(!unsaid.is_empty(), "{v:#?}");
    assert!(
        unsaid.iter().all(|v| v.rule == rules::BANK_HOLIDAY
            && v.problem
                .contains("say what the window does on a bank holiday")),
        "{v:#?}"
    );
    // Unsaid reads as closed: the out-of-hours line's bank holiday is lost with it, and the
    // check says so too.
    assert!(
        v.iter()
            .all(|v| v.rule == rules::BANK_HOLIDAY || v.rule == rules::OUT_OF_HOURS),
        "{v:#?}"
    );
}

#[test]
fn routing_that_contradicts_its_own_hours_is_refused() {
    // The answer keeps the hours but says the line is closed at every time it is open.
    let v = check(&Broken {
        route: Some(|_, answer| {
            if answer.open_now && answer.contact.as_ref().is_some_and(|c| !c.always_open) {
                answer.open_now = false;
                answer.next_opening = "2027-01-04T09:00:00".into();
            }
        }),
        ..Default::default()
    });
    let contradicted: Vec<_> = v.iter().filter(|v| v.at.ends_with(".open_now")).collect();
    assert!(!contradicted.is_empty(), "{v:#?}");
    assert!(
        contradicted
            .iter()
            .all(|v| v.problem.contains("hours say it is open")),
        "{v:#?}"
    );
}

#[test]
fn an_answer_that_gives_a_contact_other_hours_than_declared_is_refused() {
    // Claiming the line is always open in the answer cannot get round its declared hours.
    let v = check(&Broken {
        route: Some(|_, answer| {
            if let Some(c) = answer.contact.as_mut() {
                c.always_open = true;
                c.hours.clear();
            }
            answer.open_now = true;
            answer.next_opening.clear();
        }),
        ..Default::default()
    });
    assert!(
        v.iter()
            .any(|v| v.at.ends_with(".contact") && v.problem.contains("other hours")),
        "{v:#?}"
    );
}

#[test]
fn levels_sharing_a_response_in_the_same_words_are_refused() {
    let v = check(&Broken {
        describe: Some(|d| {
            let response = d.levels[2].response;
            d.levels[1].response = response;
            d.levels[1].response_text.clear();
            d.levels[2].response_text.clear();
        }),
        ..Default::default()
    });
    for at in ["levels[1].response_text", "levels[2].response_text"] {
        assert!(
            v.iter().any(|v| v.rule == rules::CONTRACT
                && v.at == at
                && v.problem.contains("same response")),
            "{at}: {v:#?}"
        );
    }
}

#[test]
fn a_citation_of_a_document_the_description_does_not_list_is_refused() {
    let v = check(&Broken {
        describe: Some(|d| {
            d.documents = vec![
                pb::Source {
                    id: "EXAMPLE-PAGE".into(),
                    title: "Another page".into(),
                    url: "https://example.org/page".into(),
                    retrieved: "2026-13-01".into(),
                    ..Default::default()
                },
                pb::Source {
                    id: "A-LEAFLET".into(),
                    title: "A leaflet with no address or reference".into(),
                    ..Default::default()
                },
                pb::Source {
                    id: "A-PAGE-READ-WHEN".into(),
                    title: "A page with no date it was read".into(),
                    url: "https://example.org/when".into(),
                    ..Default::default()
                },
                pb::Source {
                    id: "A-PAGE-READ-WHEN".into(),
                    title: "The same id again".into(),
                    reference: "x".into(),
                    ..Default::default()
                },
            ];
        }),
        ..Default::default()
    });
    assert!(
        v.iter().any(|v| v.at == "levels[0].citation.source"
            && v.problem
                .contains("is not one of the description's documents")),
        "{v:#?}"
    );
    for at in [
        "documents[0].retrieved",
        "documents[1].reference",
        "documents[2].retrieved",
        "documents[3].id",
    ] {
        assert!(v.iter().any(|v| v.at == at), "{at}: {v:#?}");
    }
}

#[test]
fn a_source_conflict_must_quote_both_sides_and_say_why() {
    let v = check(&Broken {
        describe: Some(|d| {
            let claim = d.levels[0].citation.clone().unwrap_or_default();
            d.conflicts = vec![
                pb::SourceConflict {
                    topic: "Out-of-hours number".into(),
                    claims: vec![claim.clone()],
                    followed: 3,
                    reason: String::new(),
                },
                pb::SourceConflict {
                    topic: "The same sentence twice".into(),
                    claims: vec![claim.clone(), claim],
                    followed: 0,
                    reason: "it says so".into(),
                },
            ];
        }),
        ..Default::default()
    });
    for at in [
        "conflicts[0].claims",
        "conflicts[0].followed",
        "conflicts[0].reason",
        "conflicts[1].claims[1]",
    ] {
        assert!(v.iter().any(|v| v.at == at), "{at}: {v:#?}");
    }
}

#[test]
fn a_channel_the_contact_does_not_offer_and_an_unfounded_follow_up_are_refused() {
    let v = check(&Broken {
        route: Some(|_, answer| {
            answer.channel = pb::Channel::Email as i32;
            if let Some(c) = answer.contact.as_mut() {
                c.email.clear();
            }
            answer.follow_ups = vec![pb::Deadline {
                code: "FOLLOW-UP".into(),
                ..Default::default()
            }];
        }),
        ..Default::default()
    });
    assert!(v.iter().any(|v| v.at.ends_with(".channel")), "{v:#?}");
    for end in [
        ".follow_ups[0].due_in",
        ".follow_ups[0].met_by",
        ".follow_ups[0].citation",
    ] {
        assert!(v.iter().any(|v| v.at.ends_with(end)), "{end}: {v:#?}");
    }
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

#[test]
fn with_sources_a_web_page_quote_is_not_looked_for_in_files() {
    let broken = Broken {
        describe: Some(|d| {
            let file = d.levels[0].citation.clone().unwrap_or_default().source;
            d.documents = vec![
                pb::Source {
                    id: file.clone(),
                    title: "Levels of need".into(),
                    reference: file,
                    ..Default::default()
                },
                pb::Source {
                    id: "EXAMPLE-PAGE".into(),
                    title: "Contact the front door".into(),
                    url: "https://example.org/front-door".into(),
                    retrieved: "2026-11-30".into(),
                    ..Default::default()
                },
            ];
            if let Some(c) = d.levels[0].citation.as_mut() {
                c.source = "EXAMPLE-PAGE".into();
            }
        }),
        ..Default::default()
    };
    assert_eq!(check(&broken), vec![]);
    let v = only(rules::QUOTE, check_with_sources(&broken, &|_| None));
    assert!(
        v.iter().all(|v| v.at != "levels[0].citation.source"),
        "{v:#?}"
    );
    assert!(
        v.iter()
            .any(|v| v.problem.contains("is not in the sources given"))
    );
}
