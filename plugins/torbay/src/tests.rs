//! Whole-plugin tests: conformance and the description's shape.

use std::collections::HashSet;

use continuum_plugin_api::Authority;
use continuum_plugin_api::pb::{Cadence, CaseEvent, Nation, Response, Weekday};

use crate::Torbay;
use crate::text::SOURCE;

#[test]
fn conforms() {
    let violations = continuum_plugin_api::conformance::check(&Torbay);
    for v in &violations {
        println!("{v}");
    }
    assert!(violations.is_empty(), "{} violation(s)", violations.len());
}

#[test]
fn description_matches_the_text() {
    let d = Torbay.describe();
    assert_eq!(d.code, "E06000027");
    assert_eq!(d.name, "Torbay");
    assert_eq!(d.nation, Nation::England as i32);
    assert_eq!(d.plugin_name, "continuum-authority-torbay");
    assert_eq!(d.plugin_version, env!("CARGO_PKG_VERSION"));

    let levels: Vec<(&str, i32)> = d
        .levels
        .iter()
        .map(|l| (l.code.as_str(), l.response))
        .collect();
    assert_eq!(
        levels,
        vec![
            ("L1", Response::Universal as i32),
            ("L2", Response::AdditionalSupport as i32),
            ("L3", Response::TargetedEarlyHelp as i32),
            ("L4", Response::StatutorySocialCare as i32),
        ]
    );

    let line = d
        .contact_points
        .iter()
        .find(|c| c.code == "CONSULTATION_LINE");
    assert_eq!(line.map(|c| c.phone.as_str()), Some("01803 208525"));
    assert_eq!(line.map(|c| c.hours.len()), Some(5));
    assert!(line.is_some_and(|c| {
        c.hours
            .iter()
            .all(|w| w.opens == "09:00" && w.closes == "12:00")
    }));

    let panel = d.panels.first();
    assert_eq!(panel.map(|p| p.cadence), Some(Cadence::Weekly as i32));
    assert_eq!(panel.map(|p| p.weekday), Some(Weekday::Unspecified as i32));

    let topics: HashSet<&str> = d.gaps.iter().map(|g| g.topic.as_str()).collect();
    for topic in [
        "Panel weekday",
        "Age range",
        "Indicator catalogue",
        "Levels 1 and 2",
    ] {
        assert!(topics.contains(topic), "no gap on {topic}");
    }
}

#[test]
fn every_citation_names_this_source_and_a_quote() {
    let d = Torbay.describe();
    let mut citations = Vec::new();
    citations.extend(d.levels.iter().filter_map(|x| x.citation.clone()));
    citations.extend(d.roles.iter().filter_map(|x| x.citation.clone()));
    citations.extend(d.indicators.iter().filter_map(|x| x.citation.clone()));
    citations.extend(d.contact_points.iter().filter_map(|x| x.citation.clone()));
    citations.extend(d.panels.iter().filter_map(|x| x.citation.clone()));
    citations.extend(d.forms.iter().filter_map(|x| x.citation.clone()));
    citations.extend(d.gaps.iter().filter_map(|x| x.citation.clone()));
    citations.extend(d.sources.iter().cloned());
    citations.extend(
        d.timescales
            .iter()
            .flat_map(|t| t.deadlines.iter().filter_map(|x| x.citation.clone())),
    );
    assert!(citations.len() > 40);
    for c in citations {
        assert_eq!(c.source, SOURCE);
        assert!(!c.section.is_empty());
        assert!(!c.quote.is_empty());
        assert!(!c.quote.contains("  "), "double space in {:?}", c.quote);
    }
}

/// Each deadline code the plugin declares, with the case events that meet it (as the text says):
/// section 3, "The Targeted help team will review the progress made against the plan initially
/// at 6 weeks and up to a maximum of 12 weeks." → a review held.
#[test]
fn every_deadline_names_the_events_that_meet_it() {
    let expected: &[(&str, &[CaseEvent])] = &[(crate::catalogue::REVIEW, &[CaseEvent::ReviewHeld])];
    let d = Torbay.describe();
    let declared: Vec<(String, Vec<i32>)> = d
        .timescales
        .iter()
        .flat_map(|t| t.deadlines.iter())
        .map(|x| (x.code.clone(), x.met_by.clone()))
        .collect();
    assert_eq!(declared.len(), expected.len());
    for (code, met_by) in &declared {
        let want = expected
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, events)| events.iter().map(|e| *e as i32).collect::<Vec<_>>());
        assert_eq!(Some(met_by.clone()), want, "met_by of {code}");
    }
}
