//! Whole-plugin tests: conformance and the description's shape.

use std::collections::HashSet;

use continuum_plugin_api::Authority;
use continuum_plugin_api::pb::{
    BankHoliday, Cadence, CaseEvent, Channel, ChildAge, Circumstance, Consent, ContactPurpose,
    ContactRequest, Domain, Nation, PanelEffect, Response, ThresholdRequest, TimescaleRequest,
    Urgency, Weekday,
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
    // Protocol v4 and the rules re-encoded for it.
    assert_eq!(d.plugin_version, "2.0.0");

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

/// The description lists its one document: the seed file, under the id the citations use, with
/// the title its heading gives ("1.2.1 Targeted Help") and its file name. The text gives no day
/// for "updated in November 2017" and no web address: neither is set. Every citation names it.
#[test]
fn the_document_is_the_seed_file() {
    let d = Torbay.describe();
    assert_eq!(d.documents.len(), 1);
    let doc = &d.documents[0];
    assert_eq!(doc.id, SOURCE);
    assert_eq!(doc.title, "1.2.1 Targeted Help");
    assert_eq!(doc.reference, "003_36c46301cae4322f.txt");
    assert!(doc.published.is_empty() && doc.url.is_empty() && doc.retrieved.is_empty());
    let topics: HashSet<&str> = d.gaps.iter().map(|g| g.topic.as_str()).collect();
    assert!(topics.contains("Document date"));
    // The text does not disagree with itself.
    assert!(d.conflicts.is_empty());
    let cited = continuum_plugin_api::conformance::citations(&Torbay);
    assert!(cited.iter().all(|c| c.source == doc.id));
}

/// Section 1: "the line is open weekday mornings from 9am - 12pm." The text does not say whether
/// it opens on a bank holiday: every window is CLOSED on one, and a gap says so.
#[test]
fn every_window_says_closed_on_a_bank_holiday() {
    let d = Torbay.describe();
    let windows: Vec<_> = d
        .contact_points
        .iter()
        .flat_map(|c| c.hours.iter())
        .collect();
    assert_eq!(windows.len(), 5);
    assert!(windows.iter().all(
        |w| w.on_bank_holiday == BankHoliday::Closed as i32 && w.bank_holiday_opens.is_empty()
    ));
    assert!(
        d.gaps
            .iter()
            .any(|g| g.topic == "Consultation line on bank holidays")
    );
}

/// A safeguarding referral at night, at a weekend and on a bank-holiday daytime reaches the
/// MASH (always open in the sense that a written referral can be submitted at any time: no
/// out-of-hours number is invented), never 999, and says the MASH has no hours in the text.
#[test]
fn safeguarding_reaches_the_mash_at_night_weekends_and_bank_holidays() {
    for (at, closed) in [
        ("2026-11-25T23:30:00", &[][..]),
        ("2026-11-28T11:00:00", &[][..]),
        ("2026-12-28T11:00:00", &["2026-12-28", "2027-01-01"][..]),
    ] {
        let a = Torbay
            .route_contact(&ContactRequest {
                purpose: ContactPurpose::SafeguardingReferral as i32,
                local_time: at.into(),
                closed_dates: closed.iter().map(|d| (*d).to_owned()).collect(),
                ..Default::default()
            })
            .unwrap_or_default();
        assert_eq!(a.contact.map(|c| c.code).as_deref(), Some("MASH"), "{at}");
        assert!(a.open_now, "{at}");
        assert!(a.out_of_hours.is_none());
        assert!(a.reasons.iter().any(|r| r.rule_id == "TOR-MASH-ANY-TIME"));
        assert_eq!(a.channel, Channel::Unspecified as i32);
        assert!(a.follow_ups.is_empty());
    }
}

/// Indicators that describe a level rather than a need in one domain name no domain; the
/// text's examples of need keep theirs.
#[test]
fn level_descriptions_name_no_domain() {
    let d = Torbay.describe();
    let unspecified: Vec<&str> = d
        .indicators
        .iter()
        .filter(|x| x.domain == Domain::Unspecified as i32)
        .map(|x| x.code.as_str())
        .collect();
    assert_eq!(
        unspecified,
        vec![
            "TOR-L1-UNIVERSAL",
            "TOR-L3-SEVERAL-SERVICES",
            "TOR-L3-MORE-THAN-TWO-PROFESSIONALS",
            "TOR-L4-STATUTORY-INTERVENTION",
        ]
    );
}

/// No two levels share a response; where the text names a level's response, response_text
/// gives its words (section 2: "targeted help at level 3", "statutory intervention at level 4";
/// section 4: "Universal Services"). No level has ages of its own: the text states none.
#[test]
fn levels_responses_in_the_texts_words() {
    let d = Torbay.describe();
    let texts: Vec<(&str, &str)> = d
        .levels
        .iter()
        .map(|l| (l.code.as_str(), l.response_text.as_str()))
        .collect();
    assert_eq!(
        texts,
        vec![
            ("L1", "Universal Services"),
            ("L2", ""),
            ("L3", "targeted help at level 3"),
            ("L4", "statutory intervention at level 4"),
        ]
    );
    assert!(d.levels.iter().all(|l| l.ages.is_none()));
    assert!(d.contact_points.iter().all(|c| c.ages.is_none()));
}

/// The text gives no ages: the plugin's range (under 18, any unborn child, no extensions) is
/// read with `facts::serves`, so a looked-after or disabled young person of 18 or over is
/// outside it.
#[test]
fn ages_served_are_the_plugins_choice() -> Result<(), continuum_plugin_api::PluginError> {
    let d = Torbay.describe();
    let range = d.age_range.clone().unwrap_or_default();
    assert!(range.serves_unborn);
    assert_eq!(range.unborn_from_gestation_weeks, 0);
    assert_eq!((range.min_age_years, range.max_age_years), (0, 17));
    assert!(range.extensions.is_empty());
    let within = |age: ChildAge| -> Result<bool, continuum_plugin_api::PluginError> {
        Ok(Torbay
            .assess_threshold(&ThresholdRequest {
                age: Some(age),
                ..Default::default()
            })?
            .within_age_range)
    };
    let years = |years| ChildAge {
        years,
        ..Default::default()
    };
    assert!(within(years(0))?);
    assert!(within(years(17))?);
    assert!(!within(years(18))?);
    assert!(within(ChildAge {
        unborn: true,
        gestation_weeks: 4,
        ..Default::default()
    })?);
    assert!(!within(ChildAge {
        looked_after: true,
        ..years(19)
    })?);
    assert!(!within(ChildAge {
        learning_difficulty_or_disability: true,
        ..years(20)
    })?);
    Ok(())
}

/// The review is for every child: an unborn child's case allocated at Targeted Help starts the
/// same review, and no rule is limited to a circumstance (the text has no pre-birth timescale).
#[test]
fn timescales_for_an_unborn_child_are_every_childs() -> Result<(), continuum_plugin_api::PluginError>
{
    let d = Torbay.describe();
    assert!(
        d.timescales
            .iter()
            .all(|t| t.only_if == Circumstance::Unspecified as i32)
    );
    let a = Torbay.timescales(&TimescaleRequest {
        event: CaseEvent::CaseAllocated as i32,
        level_code: "L3".into(),
        age: Some(ChildAge {
            unborn: true,
            gestation_weeks: 20,
            ..Default::default()
        }),
    })?;
    let codes: Vec<&str> = a.deadlines.iter().map(|x| x.code.as_str()).collect();
    assert_eq!(codes, vec![crate::catalogue::REVIEW]);
    Ok(())
}

/// Urgency changes no Torbay route (the text gives none): an urgent early help request still
/// goes to the MASH as a Request for Service, and the reasons say the text has no faster route.
#[test]
fn an_urgent_request_has_no_faster_route() {
    let ask = |urgency: Urgency| {
        Torbay
            .route_contact(&ContactRequest {
                purpose: ContactPurpose::EarlyHelpRequest as i32,
                local_time: "2026-11-23T10:00:00".into(),
                urgency: urgency as i32,
                ..Default::default()
            })
            .unwrap_or_default()
    };
    let urgent = ask(Urgency::Urgent);
    let not_urgent = ask(Urgency::NotUrgent);
    assert_eq!(urgent.contact, not_urgent.contact);
    assert_eq!(urgent.channel, not_urgent.channel);
    assert!(
        urgent
            .reasons
            .iter()
            .any(|r| r.rule_id == "TOR-URGENT-SAME-ROUTE")
    );
    assert!(
        !not_urgent
            .reasons
            .iter()
            .any(|r| r.rule_id == "TOR-URGENT-SAME-ROUTE")
    );
}
