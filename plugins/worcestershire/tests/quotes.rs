//! Every citation quote is a verbatim excerpt of the source text.
//!
//! The text is not part of this crate: it is `shared/seeds/001_e8fa8c619eac9618.txt` beside the
//! repository (the citation's source, read from the workspace's parent directory), or the file
//! `WORCESTERSHIRE_SOURCE_TEXT` names. Where neither is at hand the test only checks that every
//! citation names that file and a section.

use continuum_authority_worcestershire::Worcestershire;
use continuum_plugin_api::Authority;
use continuum_plugin_api::pb::{
    self, CaseEvent, ChildAge, Citation, Concern, Consent, ContactPurpose, MeetingKind,
    TransitionKind,
};

const SOURCE: &str = "shared/seeds/001_e8fa8c619eac9618.txt";

/// Every citation the plugin can give: the description's and those of answers to a spread of
/// requests over every method.
fn all_citations() -> Vec<Citation> {
    let a = Worcestershire;
    let d = a.describe();
    let mut out: Vec<Citation> = Vec::new();
    out.extend(d.sources.iter().cloned());
    out.extend(d.levels.iter().filter_map(|x| x.citation.clone()));
    out.extend(d.roles.iter().filter_map(|x| x.citation.clone()));
    out.extend(d.age_range.iter().filter_map(|x| x.citation.clone()));
    out.extend(d.indicators.iter().filter_map(|x| x.citation.clone()));
    out.extend(d.contact_points.iter().filter_map(|x| x.citation.clone()));
    for p in &d.panels {
        out.extend(p.citation.clone());
        out.extend(p.decisions.iter().filter_map(|x| x.citation.clone()));
    }
    for t in &d.timescales {
        out.extend(t.deadlines.iter().filter_map(|x| x.citation.clone()));
    }
    out.extend(d.forms.iter().filter_map(|x| x.citation.clone()));
    out.extend(d.gaps.iter().filter_map(|x| x.citation.clone()));
    for conflict in &d.conflicts {
        out.extend(conflict.claims.iter().cloned());
    }

    let codes: Vec<String> = d.indicators.iter().map(|x| x.code.clone()).collect();
    let consents = [
        Consent::Unspecified,
        Consent::NotSought,
        Consent::GivenVerbally,
        Consent::Refused,
    ];
    for consent in consents {
        for (immediate, harm) in [(false, false), (true, false), (false, true)] {
            for group in [
                vec![],
                vec![codes[0].clone()],
                vec!["WOR-L2-HEALTH-01".into(), "WOR-L2-HEALTH-02".into()],
                vec![
                    "WOR-L2-HEALTH-01".into(),
                    "WOR-L2-HOUSING-01".into(),
                    "WOR-L2-CARERS-01".into(),
                ],
                vec!["WOR-L3-HEALTH-01".into()],
                vec!["WOR-L4-HEALTH-01".into()],
            ] {
                for age in [
                    None,
                    Some(ChildAge {
                        years: 19,
                        ..Default::default()
                    }),
                    Some(ChildAge {
                        unborn: true,
                        ..Default::default()
                    }),
                ] {
                    let mut concerns: Vec<Concern> = group
                        .iter()
                        .map(|c| Concern {
                            indicator_code: c.clone(),
                            domain: pb::Domain::ParentingCapacity as i32,
                            ..Default::default()
                        })
                        .collect();
                    concerns.push(Concern {
                        text: "free text".into(),
                        ..Default::default()
                    });
                    let request = pb::ThresholdRequest {
                        concerns,
                        immediate_risk: immediate,
                        significant_harm_suspected: harm,
                        consent: consent as i32,
                        age,
                    };
                    if let Ok(answer) = a.assess_threshold(&request) {
                        out.extend(answer.reasons.iter().filter_map(|r| r.citation.clone()));
                        out.extend(answer.consent.and_then(|c| c.citation));
                    }
                }
            }
        }
    }
    for purpose in [
        ContactPurpose::Advice,
        ContactPurpose::EarlyHelpRequest,
        ContactPurpose::SafeguardingReferral,
        ContactPurpose::Emergency,
    ] {
        for (at, holiday, closed) in [
            ("2026-11-23T10:00:00", false, &[][..]),
            ("2026-11-23T10:00:00", true, &["2026-11-23"][..]),
            ("2026-11-28T10:00:00", false, &[][..]),
            (
                "2026-12-24T18:00:00",
                false,
                &["2026-12-25", "2026-12-28"][..],
            ),
        ] {
            for urgency in [
                pb::Urgency::Unspecified,
                pb::Urgency::Urgent,
                pb::Urgency::NotUrgent,
            ] {
                for history in [
                    None,
                    Some((true, "L4", false)),
                    Some((true, "L3", false)),
                    Some((true, "L2", false)),
                    Some((true, "L1", false)),
                    Some((true, "", false)),
                    Some((false, "", true)),
                ] {
                    let request = pb::ContactRequest {
                        purpose: purpose as i32,
                        local_time: at.into(),
                        public_holiday: holiday,
                        closed_dates: closed.iter().map(|d| (*d).to_owned()).collect(),
                        urgency: urgency as i32,
                        history: history.map(|(open_case, open_level, closed_case)| {
                            pb::CaseHistory {
                                open_case,
                                open_level: open_level.into(),
                                closed_case,
                                days_since_closed: if closed_case { 30 } else { 0 },
                            }
                        }),
                        age: Some(ChildAge {
                            years: 19,
                            ..Default::default()
                        }),
                    };
                    if let Ok(answer) = a.route_contact(&request) {
                        out.extend(answer.reasons.iter().filter_map(|r| r.citation.clone()));
                    }
                }
            }
        }
    }
    let forms: Vec<String> = d.forms.iter().map(|f| f.code.clone()).collect();
    let kinds = [
        TransitionKind::StepUp,
        TransitionKind::StepDown,
        TransitionKind::StepAcross,
        TransitionKind::Close,
        TransitionKind::TransferIn,
    ];
    for kind in kinds {
        for from in ["", "L1", "L2", "L3", "L4"] {
            for to in ["", "L1", "L2", "L3", "L4"] {
                for consent in consents {
                    for harm in [false, true] {
                        for (forms, meetings) in [
                            (vec![], vec![]),
                            (
                                forms.clone(),
                                vec![
                                    MeetingKind::Review as i32,
                                    MeetingKind::StepDownMeeting as i32,
                                    MeetingKind::StepUpConversation as i32,
                                    MeetingKind::FinalMeeting as i32,
                                ],
                            ),
                        ] {
                            let request = pb::TransitionRequest {
                                kind: kind as i32,
                                current_level: from.into(),
                                target_level: to.into(),
                                consent: consent as i32,
                                forms_completed: forms,
                                meetings_held: meetings,
                                significant_harm_suspected: harm,
                                from_authority: "E10000031".into(),
                                manager_agreed: harm,
                                ..Default::default()
                            };
                            if let Ok(answer) = a.check_transition(&request) {
                                out.extend(
                                    answer
                                        .rules_applied
                                        .iter()
                                        .chain(&answer.unmet)
                                        .filter_map(|r| r.citation.clone()),
                                );
                            }
                        }
                    }
                }
            }
        }
    }
    for event in 1..=19 {
        for level in ["L1", "L2", "L3", "L4"] {
            if let Ok(answer) = a.timescales(&pb::TimescaleRequest {
                event,
                level_code: level.into(),
                ..Default::default()
            }) {
                out.extend(answer.deadlines.iter().filter_map(|d| d.citation.clone()));
            }
        }
    }
    let _ = CaseEvent::Unspecified;
    out
}

/// The text as one line of words: extraction artefacts (bold markers, box bullets, glyphs of
/// rotated labels) dropped, whitespace collapsed.
fn normalise(text: &str) -> String {
    let cleaned: String = text
        .replace("**", "")
        .chars()
        .map(|c| {
            if matches!(c, '■' | '\u{f0b7}' | 'Σ' | '₹' | '×' | '\u{f0a7}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_citation_names_the_source_and_a_section() {
    for c in all_citations() {
        assert_eq!(c.source, SOURCE, "{c:?}");
        assert!(!c.section.trim().is_empty(), "{c:?}");
        assert!(!c.quote.trim().is_empty(), "{c:?}");
    }
}

/// The source text, if it is at hand: `WORCESTERSHIRE_SOURCE_TEXT`, or the cited file beside
/// the repository.
fn source_text() -> Option<String> {
    let path = match std::env::var("WORCESTERSHIRE_SOURCE_TEXT") {
        Ok(path) => std::path::PathBuf::from(path),
        Err(_) => std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../..")
            .join(SOURCE),
    };
    std::fs::read_to_string(path).ok()
}

#[test]
fn every_quote_is_in_the_text() {
    let Some(text) = source_text() else {
        println!("{SOURCE} is not at hand: quotes not checked against the text");
        return;
    };
    let text = normalise(&text);
    let mut missing: Vec<String> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for c in all_citations() {
        if !seen.insert((c.section.clone(), c.quote.clone())) {
            continue;
        }
        for piece in c.quote.split(" ... ") {
            let piece = normalise(piece);
            if !text.contains(&piece) {
                missing.push(format!("[{}] {piece}", c.section));
            }
        }
        // The section heading itself is in the text (the part before any ": Level n").
        let heading = c.section.split(": Level ").next().unwrap_or_default();
        if c.section != "Title page" && !text.contains(&normalise(heading)) {
            missing.push(format!("section heading {heading:?}"));
        }
    }
    assert!(
        missing.is_empty(),
        "{} quotes not found:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

/// The SDK's own quote check: the conformance check with every quote looked for, word for word,
/// in the cited file.
#[test]
fn passes_the_conformance_check_with_its_source() {
    let Some(text) = source_text() else {
        println!("{SOURCE} is not at hand: quotes not checked against the text");
        return;
    };
    let violations = continuum_plugin_api::conformance::check_with_sources(&Worcestershire, &|s| {
        (s == SOURCE).then(|| text.clone())
    });
    for v in &violations {
        println!("{v}");
    }
    assert!(violations.is_empty(), "{} violations", violations.len());
}
