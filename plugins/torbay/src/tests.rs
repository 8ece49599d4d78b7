//! Whole-plugin tests: conformance and the description's shape.

use std::collections::HashSet;

use continuum_plugin_api::Authority;
use continuum_plugin_api::pb::{
    Cadence, CaseEvent, Consent, ContactPurpose, Nation, PanelEffect, Response, ThresholdRequest,
    Weekday,
};

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
        "Panel decisions",
        "Who decides a move",
        "MASH contact details",
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

/// Section 3: "The aim of the panel is to make decisions about support and intervention for
/// children and families and identify the most appropriate service to allocate a Targeted Help
/// Co-ordinator"; section 4 (FIT): "The team are allocated cases through the Targeted Help
/// Panel". Both accept the family at Targeted Help, level 3 (section 2: "targeted help at level
/// 3"; section 4: "The Family Intervention team is Children's Services level 3 offer"). The text
/// gives the panel no decline and no deferral: none is encoded (a gap says so).
#[test]
fn the_panel_can_only_accept_at_targeted_help() {
    let d = Torbay.describe();
    assert_eq!(d.panels.len(), 1);
    let options: Vec<(&str, i32, &str, bool, &str)> = d.panels[0]
        .decisions
        .iter()
        .map(|o| {
            (
                o.code.as_str(),
                o.effect,
                o.level_code.as_str(),
                o.requires_reason,
                o.citation.as_ref().map_or("", |c| c.quote.as_str()),
            )
        })
        .collect();
    assert_eq!(
        options,
        vec![
            (
                "ALLOCATE_COORDINATOR",
                PanelEffect::Accept as i32,
                "L3",
                false,
                crate::text::Q_PANEL_AIM,
            ),
            (
                "ALLOCATE_FIT",
                PanelEffect::Accept as i32,
                "L3",
                false,
                crate::text::Q_FIT_ALLOCATED,
            ),
        ]
    );
    let gap = d.gaps.iter().find(|g| g.topic == "Panel decisions");
    assert!(gap.is_some_and(|g| g.note.contains("no decline") && g.note.contains("no deferral")));
}

/// Section 2: the Request for Service is "submitted to the Multi-Agency Safeguarding Hub
/// (MASH)", and "The MASH screens all referrals". The text gives the MASH no number: it is a
/// contact point reached as `how_to_reach` says, for early help requests and safeguarding
/// referrals; 999 is for emergencies only.
#[test]
fn the_mash_is_reached_in_words_and_999_is_for_emergencies_only() {
    let d = Torbay.describe();
    let mash = d.contact_points.iter().find(|c| c.code == "MASH");
    assert!(mash.is_some_and(|m| {
        m.phone.is_empty()
            && m.email.is_empty()
            && m.web_form.is_empty()
            && m.how_to_reach
                .contains("Multi-Agency Safeguarding Hub (MASH)")
            && m.purposes
                == vec![
                    ContactPurpose::EarlyHelpRequest as i32,
                    ContactPurpose::SafeguardingReferral as i32,
                ]
            && m.citation
                .as_ref()
                .is_some_and(|c| c.quote == crate::text::Q_REQUEST)
    }));
    let police = d.contact_points.iter().find(|c| c.code == "POLICE_999");
    assert!(police.is_some_and(|p| p.purposes == vec![ContactPurpose::Emergency as i32]));
}

/// Consent guidance that the service enforces: required at Targeted Help (section 2: "consent
/// is gained from the family prior to making the request"), but never demanded where
/// significant harm is suspected or the child is at immediate risk.
#[test]
fn consent_is_not_demanded_when_a_child_is_at_risk() -> Result<(), continuum_plugin_api::PluginError>
{
    let ask = |harm: bool, immediate: bool| {
        Torbay.assess_threshold(&ThresholdRequest {
            concerns: vec![continuum_plugin_api::pb::Concern {
                indicator_code: "TOR-L3-PARENT-OVERWHELMED".into(),
                ..Default::default()
            }],
            significant_harm_suspected: harm,
            immediate_risk: immediate,
            consent: Consent::Refused as i32,
            ..Default::default()
        })
    };
    let l3 = ask(false, false)?.consent.unwrap_or_default();
    assert!(l3.required && !l3.may_proceed_without);
    assert_eq!(
        l3.citation.map(|c| c.quote).as_deref(),
        Some(crate::text::Q_CONSENT)
    );
    for (harm, immediate) in [(true, false), (false, true), (true, true)] {
        let g = ask(harm, immediate)?.consent.unwrap_or_default();
        assert!(g.may_proceed_without && !g.required, "{harm} {immediate}");
    }
    Ok(())
}

/// Every quote, in the description and in the answers to the conformance probes, is in the text
/// word for word. The seed texts are not part of the repository: each citation's source
/// (`shared/seeds/<file>`) is looked for beside it, and the check is skipped when it is not
/// there.
#[test]
fn quotes_are_word_for_word_in_the_text() {
    let beside = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(3)
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    if !beside.join(SOURCE).is_file() {
        eprintln!("SKIPPED the quote check: {SOURCE} is not beside the repository");
        return;
    }
    let violations = continuum_plugin_api::conformance::check_with_sources(&Torbay, &|source| {
        std::fs::read_to_string(beside.join(source)).ok()
    });
    for v in &violations {
        println!("{v}");
    }
    assert!(violations.is_empty(), "{} violation(s)", violations.len());
}
