use continuum_plugin_api::pb::{
    CaseEvent, CaseHistory, Channel, ChildAge, Circumstance, Concern, Consent, ContactAnswer,
    ContactPurpose, ContactRequest, Deadline, Decider, Domain, MeetingKind, PanelEffect,
    PanelRequest, Response, ThresholdRequest, TimescaleRequest, TransitionAnswer, TransitionKind,
    TransitionRequest, Urgency,
};
use continuum_plugin_api::{Authority, PluginError, conformance, facts, time};

use super::Carmarthenshire;
use crate::text::{ALL_QUOTES, SOURCE};

fn field_of(err: PluginError) -> String {
    match err {
        PluginError::InvalidRequest { field, .. } => field,
        PluginError::Failed(m) => panic!("failed instead of refusing: {m}"),
    }
}

fn age(years: u32) -> Option<ChildAge> {
    Some(ChildAge {
        years,
        ..Default::default()
    })
}

#[test]
fn conforms() {
    let violations = conformance::check(&Carmarthenshire);
    for v in &violations {
        eprintln!("{v}");
    }
    assert!(violations.is_empty(), "{} violations", violations.len());
}

#[test]
fn description_is_faithful_in_shape() {
    let d = Carmarthenshire.describe();
    assert_eq!(d.code, "W06000010");
    let levels: Vec<&str> = d.levels.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(
        levels,
        [
            "Universal support",
            "Enhanced support",
            "Targeted support",
            "Assessment for care and support",
            "Protective support"
        ]
    );
    let range = d.age_range.unwrap();
    assert_eq!((range.min_age_years, range.max_age_years), (0, 25));
    for x in &d.indicators {
        let level = d
            .levels
            .iter()
            .position(|l| l.code == x.level_code)
            .unwrap()
            + 1;
        assert!(
            x.code.starts_with(&format!("CAR-L{level}-")),
            "{} is not coded by its level",
            x.code
        );
    }
    let panel = &d.panels[0];
    let options: Vec<(&str, PanelEffect, &str, bool)> = panel
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
    // "The case will either be accepted for the TAF multi-agency, single agency, or declined as
    // not appropriate." Exactly those three; no deferral.
    assert_eq!(
        options,
        [
            (
                "ACCEPT_MULTI_AGENCY",
                PanelEffect::Accept,
                "TARGETED",
                false
            ),
            (
                "ACCEPT_SINGLE_AGENCY",
                PanelEffect::Accept,
                "ENHANCED",
                false
            ),
            ("DECLINE", PanelEffect::Decline, "", true),
        ]
    );
    for o in &panel.decisions {
        assert!(ALL_QUOTES.contains(&o.citation.as_ref().unwrap().quote.as_str()));
    }
    assert!(d.gaps.iter().any(|g| g.topic.contains("Deferring")));
    // The Central Referral Team has no number in the text: it is reached as the text says.
    let crt = d.contact_points.iter().find(|c| c.code == "CRT").unwrap();
    assert!(crt.phone.is_empty() && crt.email.is_empty() && crt.web_form.is_empty());
    assert!(crt.how_to_reach.contains("Central Referral Team"));
    assert_eq!(crt.purposes, [ContactPurpose::SafeguardingReferral as i32]);
    let police = d
        .contact_points
        .iter()
        .find(|c| c.code == "POLICE_999")
        .unwrap();
    assert_eq!(police.purposes, [ContactPurpose::Emergency as i32]);
    assert!(d.sources.iter().all(|s| s.source == SOURCE));
}

/// Every quote is a sentence of the source text (checked when the text is next to the
/// repository, as in the project's working tree; skipped otherwise).
#[test]
fn quotes_are_verbatim() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../..")
        .join(SOURCE);
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("{SOURCE} not found next to the repository: quote check skipped");
        return;
    };
    let norm = |s: &str| {
        unlink(&s.replace("**", ""))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let text = norm(&text);
    for q in ALL_QUOTES {
        assert!(text.contains(&norm(q)), "not in the text: {q}");
    }
}

/// Markdown links `[text](target)` as their text ("TAF@carmarthenshire.gov.uk" is a link in the
/// source).
fn unlink(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        match after.find("](").and_then(|close| {
            let end = after[close..].find(')')?;
            Some((close, close + end + 1))
        }) {
            Some((close, end)) => {
                out.push_str(&rest[..open]);
                out.push_str(&after[..close]);
                rest = &after[end..];
            }
            None => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every citation in the description and in the answers to the conformance probes is word for
/// word in the file it names (checked when the texts are next to the repository).
#[test]
fn every_citation_is_word_for_word_in_its_source() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..");
    if !root.join(SOURCE).exists() {
        eprintln!("{SOURCE} not found next to the repository: quote check skipped");
        return;
    }
    let violations = conformance::check_with_sources(&Carmarthenshire, &|source| {
        std::fs::read_to_string(root.join(source)).ok()
    });
    for v in &violations {
        eprintln!("{v}");
    }
    assert!(violations.is_empty(), "{} violations", violations.len());
}

#[test]
fn unknown_indicator_names_the_concern() {
    let request = ThresholdRequest {
        concerns: vec![
            Concern {
                indicator_code: "CAR-L3-COORDINATED-RESPONSE".into(),
                ..Default::default()
            },
            Concern {
                text: "worried about school attendance".into(),
                ..Default::default()
            },
            Concern {
                indicator_code: "WOR-L3-HEALTH-04".into(),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    let err = Carmarthenshire.assess_threshold(&request).unwrap_err();
    assert_eq!(field_of(err), "concerns[2].indicator_code");
}

#[test]
fn free_text_needs_professional_judgement() {
    let request = ThresholdRequest {
        concerns: vec![Concern {
            text: "family struggling after a bereavement".into(),
            ..Default::default()
        }],
        age: age(6),
        ..Default::default()
    };
    let d = Carmarthenshire.assess_threshold(&request).unwrap();
    assert_eq!(d.recommended_level, "UNIVERSAL");
    assert!(
        d.reasons
            .iter()
            .any(|r| r.rule_id == "CAR-PROFESSIONAL-JUDGEMENT")
    );
    assert!(d.within_age_range);
}

#[test]
fn significant_harm_overrides_refused_consent() {
    let request = ThresholdRequest {
        concerns: vec![Concern {
            indicator_code: "CAR-L2-EXTRA-HELP".into(),
            ..Default::default()
        }],
        significant_harm_suspected: true,
        consent: Consent::Refused as i32,
        age: age(12),
        ..Default::default()
    };
    let d = Carmarthenshire.assess_threshold(&request).unwrap();
    assert_eq!(d.recommended_level, "PROTECTIVE");
    assert_eq!(d.response, Response::StatutorySocialCare as i32);
    let consent = d.consent.unwrap();
    assert!(consent.may_proceed_without);
    assert!(consent.text.contains("Record the reason"));
}

#[test]
fn immediate_harm_indicator_is_an_emergency() {
    let request = ThresholdRequest {
        concerns: vec![Concern {
            indicator_code: "CAR-L5-IMMEDIATE-HARM".into(),
            ..Default::default()
        }],
        age: age(3),
        ..Default::default()
    };
    let d = Carmarthenshire.assess_threshold(&request).unwrap();
    assert_eq!(d.response, Response::Emergency as i32);
    assert_eq!(d.recommended_level, "PROTECTIVE");
}

#[test]
fn age_range_is_0_until_25() {
    let at = |a: Option<ChildAge>| {
        Carmarthenshire
            .assess_threshold(&ThresholdRequest {
                age: a,
                ..Default::default()
            })
            .unwrap()
            .within_age_range
    };
    assert!(at(age(0)));
    assert!(at(age(25)));
    assert!(!at(age(26)));
    assert!(!at(None));
    assert!(!at(Some(ChildAge {
        unborn: true,
        gestation_weeks: 30,
        ..Default::default()
    })));
}

#[test]
fn bad_requests_name_their_field() {
    let a = Carmarthenshire;
    let contact = ContactRequest {
        purpose: ContactPurpose::Unspecified as i32,
        local_time: "2026-11-23T10:00:00".into(),
        ..Default::default()
    };
    assert_eq!(field_of(a.route_contact(&contact).unwrap_err()), "purpose");
    let contact = ContactRequest {
        purpose: ContactPurpose::EarlyHelpRequest as i32,
        local_time: "2026-12-28T11:00:00".into(),
        closed_dates: vec!["2026-12-28".into(), "1 January 2027".into()],
        ..Default::default()
    };
    assert_eq!(
        field_of(a.route_contact(&contact).unwrap_err()),
        "closed_dates[1]"
    );
    let panel = PanelRequest {
        panel_code: "NO-SUCH-PANEL".into(),
        on_or_after: "2026-11-23".into(),
    };
    assert_eq!(field_of(a.next_panel(&panel).unwrap_err()), "panel_code");
    let panel = PanelRequest {
        panel_code: String::new(),
        on_or_after: "next week".into(),
    };
    assert_eq!(field_of(a.next_panel(&panel).unwrap_err()), "on_or_after");
    let ts = TimescaleRequest {
        event: CaseEvent::PlanAgreed as i32,
        level_code: "L3".into(),
        age: None,
    };
    assert_eq!(field_of(a.timescales(&ts).unwrap_err()), "level_code");
    let t = TransitionRequest {
        kind: TransitionKind::StepDown as i32,
        current_level: "ASSESSMENT".into(),
        target_level: "TIER_2".into(),
        ..Default::default()
    };
    assert_eq!(
        field_of(a.check_transition(&t).unwrap_err()),
        "target_level"
    );
    let t = TransitionRequest {
        kind: TransitionKind::StepAcross as i32,
        current_level: "TARGETED".into(),
        target_level: "TARGETED".into(),
        forms_completed: vec!["JAFF_PART_1".into(), "CAF".into()],
        ..Default::default()
    };
    assert_eq!(
        field_of(a.check_transition(&t).unwrap_err()),
        "forms_completed[1]"
    );
    let t = TransitionRequest {
        kind: TransitionKind::Close as i32,
        ..Default::default()
    };
    assert_eq!(
        field_of(a.check_transition(&t).unwrap_err()),
        "current_level"
    );
    let t = TransitionRequest {
        kind: TransitionKind::TransferIn as i32,
        target_level: "TARGETED".into(),
        from_authority: "Swansea".into(),
        ..Default::default()
    };
    assert_eq!(
        field_of(a.check_transition(&t).unwrap_err()),
        "from_authority"
    );
}

struct Move<'a> {
    kind: TransitionKind,
    from: &'a str,
    to: &'a str,
    days_open: u32,
    consent: Consent,
    forms: &'a [&'a str],
    meetings: &'a [MeetingKind],
    manager_agreed: bool,
    panel_decision: &'a str,
}

const STEP_DOWN_10_WEEKS: Move<'static> = Move {
    kind: TransitionKind::StepDown,
    from: "ASSESSMENT",
    to: "TARGETED",
    days_open: 70,
    consent: Consent::GivenInWriting,
    forms: &["JAFF_PART_1"],
    meetings: &[],
    manager_agreed: false,
    panel_decision: "",
};

fn check(m: &Move) -> TransitionAnswer {
    let answer = Carmarthenshire
        .check_transition(&TransitionRequest {
            kind: m.kind as i32,
            current_level: m.from.into(),
            target_level: m.to.into(),
            days_open: m.days_open,
            consent: m.consent as i32,
            forms_completed: m.forms.iter().map(|f| (*f).to_owned()).collect(),
            meetings_held: m.meetings.iter().map(|k| *k as i32).collect(),
            age: age(9),
            manager_agreed: m.manager_agreed,
            panel_decision: m.panel_decision.into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(answer.allowed, answer.unmet.is_empty());
    assert!(answer.rules_applied.len() >= answer.unmet.len());
    answer
}

/// Every unmet rule id with who may decide it (and the panel, for a panel).
fn unmet(answer: &TransitionAnswer) -> Vec<(String, Decider, String)> {
    answer
        .unmet
        .iter()
        .map(|r| {
            (
                r.rule_id.clone(),
                Decider::try_from(r.decided_by).unwrap(),
                r.panel_code.clone(),
            )
        })
        .collect()
}

fn ids(answer: &TransitionAnswer) -> Vec<&str> {
    answer.unmet.iter().map(|r| r.rule_id.as_str()).collect()
}

fn panel(id: &str) -> (String, Decider, String) {
    (id.into(), Decider::Panel, "TAF_ALLOCATION".into())
}

fn nobody(id: &str) -> (String, Decider, String) {
    (id.into(), Decider::Unspecified, String::new())
}

fn manager(id: &str) -> (String, Decider, String) {
    (id.into(), Decider::Manager, String::new())
}

/// Section 6, 8 weeks or more: with JAFF Part 1 and signed consent, "The referral will come to
/// the next TAF allocation meeting (weekly, on a Wednesday at the present time) for
/// consideration": the step down waits for that meeting, and nothing else.
#[test]
fn a_step_down_after_10_weeks_waits_for_the_allocation_meeting() {
    let a = check(&STEP_DOWN_10_WEEKS);
    assert!(!a.allowed);
    assert_eq!(unmet(&a), [panel("CAR-STEP-DOWN-ALLOCATION")]);
    assert_eq!(a.resulting_level, "ASSESSMENT");
    let cited = a.unmet[0].citation.as_ref().unwrap();
    assert!(cited.quote.contains("on a Wednesday"), "{cited:?}");
    // The meeting is the next Wednesday: from Monday 23 November 2026, the 25th.
    let next = Carmarthenshire
        .next_panel(&PanelRequest {
            panel_code: a.unmet[0].panel_code.clone(),
            on_or_after: "2026-11-23".into(),
        })
        .unwrap();
    assert_eq!(next.next_sitting, "2026-11-25");
    // A held allocation meeting without its decision is not an acceptance.
    let held = check(&Move {
        meetings: &[MeetingKind::AllocationPanel],
        ..STEP_DOWN_10_WEEKS
    });
    assert_eq!(unmet(&held), [panel("CAR-STEP-DOWN-ALLOCATION")]);
}

/// "The case will either be accepted for the TAF multi-agency, single agency, or declined as not
/// appropriate." An acceptance moves the case, at the level accepted.
#[test]
fn accepting_the_step_down_moves_the_case() {
    let multi = check(&Move {
        panel_decision: "ACCEPT_MULTI_AGENCY",
        ..STEP_DOWN_10_WEEKS
    });
    assert!(multi.allowed, "{:?}", unmet(&multi));
    assert_eq!(multi.resulting_level, "TARGETED");
    // The stepdown meeting follows the acceptance: reported, not a condition of the move.
    assert!(
        multi
            .rules_applied
            .iter()
            .any(|r| r.rule_id == "CAR-STEP-DOWN-MEETING")
    );
    let single = check(&Move {
        panel_decision: "ACCEPT_SINGLE_AGENCY",
        ..STEP_DOWN_10_WEEKS
    });
    assert!(single.allowed);
    assert_eq!(single.resulting_level, "ENHANCED");
    let to_enhanced = check(&Move {
        to: "ENHANCED",
        panel_decision: "ACCEPT_MULTI_AGENCY",
        ..STEP_DOWN_10_WEEKS
    });
    assert_eq!(to_enhanced.resulting_level, "TARGETED");
}

/// "If the referral is declined, then the TAF coordinator will contact the referrer to explain
/// the reasons or this, after the allocation meeting." A decline refuses the move for good.
#[test]
fn a_declined_step_down_is_refused_and_the_referrer_told_why() {
    let a = check(&Move {
        panel_decision: "DECLINE",
        ..STEP_DOWN_10_WEEKS
    });
    assert!(!a.allowed);
    assert_eq!(unmet(&a), [nobody("CAR-STEP-DOWN-ALLOCATION")]);
    assert!(
        a.unmet[0]
            .text
            .contains("contacts the referrer to explain the reasons")
    );
    let decline = Carmarthenshire.describe().panels[0]
        .decisions
        .iter()
        .find(|o| o.code == "DECLINE")
        .cloned()
        .unwrap();
    assert!(decline.requires_reason);
    assert_eq!(decline.effect, PanelEffect::Decline as i32);
    // An unknown decision is refused, naming the field.
    let err = Carmarthenshire
        .check_transition(&TransitionRequest {
            kind: TransitionKind::StepDown as i32,
            current_level: "ASSESSMENT".into(),
            target_level: "TARGETED".into(),
            panel_decision: "DEFER".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(field_of(err), "panel_decision");
}

/// The 8-week rule, forms and consent are conditions nobody can decide away: a panel decision
/// does not stand in for them.
#[test]
fn the_eight_week_rule_on_step_down() {
    // Under 8 weeks (55 days): verbal consent noted on the form is enough.
    let under = Move {
        days_open: 55,
        consent: Consent::GivenVerbally,
        ..STEP_DOWN_10_WEEKS
    };
    assert_eq!(unmet(&check(&under)), [panel("CAR-STEP-DOWN-ALLOCATION")]);
    assert!(
        check(&Move {
            panel_decision: "ACCEPT_SINGLE_AGENCY",
            ..under
        })
        .allowed
    );
    // 8 weeks exactly: signed consent is needed; verbal consent cannot be decided away.
    let verbal = Move {
        days_open: 56,
        consent: Consent::GivenVerbally,
        ..STEP_DOWN_10_WEEKS
    };
    assert_eq!(
        unmet(&check(&verbal)),
        [
            nobody("CAR-STEP-DOWN-CONSENT"),
            panel("CAR-STEP-DOWN-ALLOCATION")
        ]
    );
    assert_eq!(
        unmet(&check(&Move {
            panel_decision: "ACCEPT_MULTI_AGENCY",
            ..verbal
        })),
        [nobody("CAR-STEP-DOWN-CONSENT")]
    );
    // No form and consent refused.
    assert_eq!(
        unmet(&check(&Move {
            days_open: 10,
            consent: Consent::Refused,
            forms: &[],
            ..STEP_DOWN_10_WEEKS
        })),
        [
            nobody("CAR-STEP-DOWN-JAFF"),
            nobody("CAR-STEP-DOWN-CONSENT"),
            panel("CAR-STEP-DOWN-ALLOCATION")
        ]
    );
}

/// Section 8: a step across "will come to next TAF allocation meeting (weekly) for
/// consideration", and is accepted as multi-agency or single agency, or declined.
#[test]
fn a_step_across_waits_for_the_allocation_meeting() {
    let across = Move {
        kind: TransitionKind::StepAcross,
        from: "TARGETED",
        to: "TARGETED",
        days_open: 0,
        consent: Consent::GivenVerbally,
        ..STEP_DOWN_10_WEEKS
    };
    let a = check(&across);
    assert_eq!(unmet(&a), [panel("CAR-STEP-ACROSS-ALLOCATION")]);
    let single = check(&Move {
        panel_decision: "ACCEPT_SINGLE_AGENCY",
        ..across
    });
    assert!(single.allowed);
    assert_eq!(single.resulting_level, "ENHANCED");
    let declined = check(&Move {
        panel_decision: "DECLINE",
        ..across
    });
    assert_eq!(unmet(&declined), [nobody("CAR-STEP-ACROSS-ALLOCATION")]);
    assert_eq!(
        declined.unmet[0].citation.as_ref().unwrap().section,
        "8. Step Across"
    );
    // Without JAFF Part 1 or consent the meeting cannot take it.
    assert_eq!(
        ids(&check(&Move {
            forms: &[],
            consent: Consent::NotSought,
            ..across
        })),
        [
            "CAR-STEP-ACROSS-JAFF",
            "CAR-STEP-ACROSS-CONSENT",
            "CAR-STEP-ACROSS-ALLOCATION"
        ]
    );
}

/// Section 7: "The TAF Coordinator will discuss the case with the TAF Manager regarding their
/// concerns. If it is agreed, the coordinator may contact the Central Referral Team (CRT)
/// Manager for a consultation." The step up waits for the TAF Manager; the referral form does not.
#[test]
fn a_step_up_waits_for_the_taf_manager() {
    let up = Move {
        kind: TransitionKind::StepUp,
        from: "TARGETED",
        to: "ASSESSMENT",
        days_open: 40,
        forms: &["MARF"],
        ..STEP_DOWN_10_WEEKS
    };
    assert_eq!(unmet(&check(&up)), [manager("CAR-STEP-UP-TAF-MANAGER")]);
    // A step-up conversation held is not the manager's agreement.
    assert_eq!(
        unmet(&check(&Move {
            meetings: &[MeetingKind::StepUpConversation],
            ..up
        })),
        [manager("CAR-STEP-UP-TAF-MANAGER")]
    );
    let agreed = check(&Move {
        manager_agreed: true,
        ..up
    });
    assert!(agreed.allowed);
    assert_eq!(agreed.resulting_level, "ASSESSMENT");
    // Without the MARF the step up is refused, whatever the manager says.
    let no_form = Move { forms: &[], ..up };
    assert_eq!(
        unmet(&check(&no_form)),
        [
            manager("CAR-STEP-UP-TAF-MANAGER"),
            nobody("CAR-STEP-UP-REFERRAL")
        ]
    );
    assert_eq!(
        unmet(&check(&Move {
            manager_agreed: true,
            ..no_form
        })),
        [nobody("CAR-STEP-UP-REFERRAL")]
    );
    // Single agency to multi-agency: the keyworker consults the TAF Manager or coordinator.
    let within = Move {
        from: "ENHANCED",
        to: "TARGETED",
        forms: &[],
        ..up
    };
    assert_eq!(
        unmet(&check(&within)),
        [manager("CAR-STEP-UP-SINGLE-AGENCY")]
    );
    assert!(
        check(&Move {
            manager_agreed: true,
            ..within
        })
        .allowed
    );
}

/// A child in need of protection: the step up is never made to wait for anyone.
#[test]
fn an_urgent_step_up_waits_for_nobody() {
    let a = Carmarthenshire
        .check_transition(&TransitionRequest {
            kind: TransitionKind::StepUp as i32,
            current_level: "TARGETED".into(),
            target_level: "PROTECTIVE".into(),
            days_open: 3,
            forms_completed: vec!["MARF".into()],
            significant_harm_suspected: true,
            age: age(5),
            ..Default::default()
        })
        .unwrap();
    assert!(a.allowed, "{:?}", unmet(&a));
}

/// A referral from universal support into TAF, and a transfer in, come to the allocation
/// meeting too ("Allocation meetings are held weekly at which the TAF coordinator is
/// appointed").
#[test]
fn other_referrals_into_taf_wait_for_the_allocation_meeting() {
    let up = Move {
        kind: TransitionKind::StepUp,
        from: "UNIVERSAL",
        to: "ENHANCED",
        days_open: 0,
        ..STEP_DOWN_10_WEEKS
    };
    assert_eq!(unmet(&check(&up)), [panel("CAR-TAF-ALLOCATION")]);
    let accepted = check(&Move {
        panel_decision: "ACCEPT_MULTI_AGENCY",
        ..up
    });
    assert!(accepted.allowed);
    assert_eq!(accepted.resulting_level, "TARGETED");
}

#[test]
fn closing_a_taf_case() {
    let close = |days_open: u32, consent: Consent, meetings: &[MeetingKind], harm: bool| {
        let a = Carmarthenshire
            .check_transition(&TransitionRequest {
                kind: TransitionKind::Close as i32,
                current_level: "TARGETED".into(),
                days_open,
                consent: consent as i32,
                meetings_held: meetings.iter().map(|m| *m as i32).collect(),
                significant_harm_suspected: harm,
                ..Default::default()
            })
            .unwrap();
        assert!(a.allowed || a.resulting_level == "TARGETED");
        a.unmet.into_iter().map(|r| r.rule_id).collect::<Vec<_>>()
    };
    assert!(close(60, Consent::GivenInWriting, &[], false).is_empty());
    assert_eq!(
        close(120, Consent::GivenInWriting, &[], false),
        ["CAR-TAF-REVIEW"]
    );
    assert!(close(120, Consent::GivenInWriting, &[MeetingKind::Review], false).is_empty());
    // A family can withdraw at any time.
    assert!(close(120, Consent::Refused, &[], false).is_empty());
    assert_eq!(
        close(30, Consent::GivenInWriting, &[], true),
        ["CAR-SAFETY-STEP-UP", "CAR-CLOSE-S47"]
    );
}

fn deadlines(event: CaseEvent, level: &str) -> Vec<Deadline> {
    Carmarthenshire
        .timescales(&TimescaleRequest {
            event: event as i32,
            level_code: level.into(),
            age: None,
        })
        .unwrap()
        .deadlines
}

fn met_by(d: &Deadline) -> Vec<CaseEvent> {
    d.met_by
        .iter()
        .map(|e| CaseEvent::try_from(*e).unwrap())
        .collect()
}

#[test]
fn timescales_only_where_the_text_gives_them() {
    let review = deadlines(CaseEvent::ReviewHeld, "ENHANCED");
    assert_eq!(review.len(), 1);
    assert!(review[0].repeat_every.is_some());
    assert!(deadlines(CaseEvent::ReviewHeld, "PROTECTIVE").is_empty());
    assert!(deadlines(CaseEvent::StepDownAgreed, "ASSESSMENT").is_empty());
    // No number for a step down, step up (requested or made), transfer in, contact or meeting
    // outcome.
    for event in [
        CaseEvent::StepDownAgreed,
        CaseEvent::StepUpRequested,
        CaseEvent::SteppedUp,
        CaseEvent::TransferIn,
        CaseEvent::CaseAllocated,
        CaseEvent::FirstContactMade,
        CaseEvent::HomeVisitMade,
        CaseEvent::TeamMeetingHeld,
        CaseEvent::StepDownMeetingHeld,
        CaseEvent::ClosureProposed,
    ] {
        for level in ["ENHANCED", "TARGETED", "ASSESSMENT"] {
            assert!(
                deadlines(event, level).is_empty(),
                "{event:?} at {level} starts a deadline"
            );
        }
    }
}

/// Section 6 (8 weeks or more): "The referral will come to the next TAF allocation meeting
/// (weekly, on a Wednesday at the present time) for consideration". Met by the meeting's
/// decision: the referral accepted, or the coordinator appointed.
#[test]
fn the_allocation_meeting_is_met_by_acceptance_or_allocation() {
    for level in ["ENHANCED", "TARGETED"] {
        let d = deadlines(CaseEvent::ReferralReceived, level);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "TAF-ALLOCATION-MEETING");
        assert_eq!(d[0].due_in, Some(time::weeks(1)));
        assert_eq!(d[0].repeat_every, None);
        assert_eq!(
            met_by(&d[0]),
            [CaseEvent::ReferralAccepted, CaseEvent::CaseAllocated]
        );
    }
    assert!(deadlines(CaseEvent::ReferralReceived, "ASSESSMENT").is_empty());
    assert!(deadlines(CaseEvent::ReferralReceived, "UNIVERSAL").is_empty());
}

/// Section 4: "Allocation meetings are held weekly at which the TAF coordinator is appointed".
#[test]
fn the_coordinator_is_appointed_within_the_week_of_acceptance() {
    for level in ["ENHANCED", "TARGETED"] {
        let d = deadlines(CaseEvent::ReferralAccepted, level);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "TAF-COORDINATOR-APPOINTED");
        assert_eq!(d[0].due_in, Some(time::weeks(1)));
        assert_eq!(met_by(&d[0]), [CaseEvent::CaseAllocated]);
    }
    assert!(deadlines(CaseEvent::ReferralAccepted, "PROTECTIVE").is_empty());
}

/// Section 4: "This plan is regularly reviewed with the family, at least 3 monthly." Started by
/// the plan and again by each review; met only by a review.
#[test]
fn the_plan_review_is_met_by_a_review() {
    for level in ["ENHANCED", "TARGETED"] {
        for event in [CaseEvent::PlanAgreed, CaseEvent::ReviewHeld] {
            let d = deadlines(event, level);
            assert_eq!(d.len(), 1);
            assert_eq!(d[0].code, "TAF-PLAN-REVIEW");
            assert_eq!(d[0].due_in, Some(time::months(3)));
            assert_eq!(d[0].repeat_every, Some(time::months(3)));
            assert_eq!(d[0].at_most, None);
            assert_eq!(met_by(&d[0]), [CaseEvent::ReviewHeld]);
        }
    }
}

/// Every deadline names its events and cites the text; `describe()` and `timescales()` agree.
#[test]
fn every_deadline_is_met_by_something_and_agrees_with_describe() {
    let d = Carmarthenshire.describe();
    assert!(!d.timescales.is_empty());
    for rule in &d.timescales {
        let event = CaseEvent::try_from(rule.event).unwrap();
        let answer = deadlines(event, &rule.level_code);
        assert_eq!(answer, rule.deadlines, "{event:?} at {}", rule.level_code);
        for dl in &rule.deadlines {
            assert!(!dl.met_by.is_empty(), "{} has no met_by", dl.code);
            let cited = dl.citation.as_ref().unwrap();
            assert_eq!(cited.source, SOURCE);
            assert!(ALL_QUOTES.contains(&cited.quote.as_str()));
        }
    }
}

fn route(purpose: ContactPurpose, local_time: &str, closed: &[&str]) -> ContactAnswer {
    Carmarthenshire
        .route_contact(&ContactRequest {
            purpose: purpose as i32,
            local_time: local_time.into(),
            closed_dates: closed.iter().map(|d| (*d).to_owned()).collect(),
            ..Default::default()
        })
        .unwrap()
}

/// Monday 28 December 2026 is a bank holiday in England and Wales. Carmarthenshire's only TAF
/// contact is the TAF box, a mailbox that takes forms at any time (the text gives no TAF office
/// hours), so it stays open, says when the next working day is, and names no out-of-hours line
/// (the text gives none); the emergency contact is police on 999.
#[test]
fn bank_holiday_routing() {
    for purpose in [ContactPurpose::EarlyHelpRequest, ContactPurpose::Advice] {
        let a = route(
            purpose,
            "2026-12-28T11:00:00",
            &["2026-12-28", "2027-01-01"],
        );
        assert_eq!(a.contact.as_ref().unwrap().code, "TAF_BOX");
        assert!(a.open_now);
        assert_eq!(a.next_opening, "");
        assert_eq!(a.out_of_hours, None);
        assert_eq!(a.emergency.as_ref().unwrap().code, "POLICE_999");
        let note = a
            .reasons
            .iter()
            .find(|r| r.rule_id == "CAR-TAF-BOX-BANK-HOLIDAY")
            .expect("a bank-holiday note");
        assert!(note.text.contains("The next working day is 2026-12-29."));
    }
    // Christmas Day (a Friday), with Monday 28 December closed too: next working day Tuesday.
    let a = route(
        ContactPurpose::EarlyHelpRequest,
        "2026-12-25T10:00:00",
        &["2026-12-25", "2026-12-28"],
    );
    assert!(
        a.reasons
            .iter()
            .any(|r| r.rule_id == "CAR-TAF-BOX-BANK-HOLIDAY"
                && r.text.contains("The next working day is 2026-12-29."))
    );
    // public_holiday alone marks the request's date closed.
    let a = Carmarthenshire
        .route_contact(&ContactRequest {
            purpose: ContactPurpose::EarlyHelpRequest as i32,
            local_time: "2026-12-28T11:00:00".into(),
            public_holiday: true,
            ..Default::default()
        })
        .unwrap();
    assert!(
        a.reasons
            .iter()
            .any(|r| r.rule_id == "CAR-TAF-BOX-BANK-HOLIDAY")
    );
    // An ordinary Tuesday, and a Christmas-eve evening (not itself closed): no note.
    for t in ["2026-12-29T11:00:00", "2026-12-24T19:00:00"] {
        let a = route(
            ContactPurpose::EarlyHelpRequest,
            t,
            &["2026-12-25", "2026-12-28"],
        );
        assert!(a.open_now);
        assert!(
            !a.reasons
                .iter()
                .any(|r| r.rule_id == "CAR-TAF-BOX-BANK-HOLIDAY")
        );
    }
    // Safeguarding goes to the Central Referral Team (reached as the text says, with no
    // number), emergencies to police on 999; both always open.
    for (purpose, code) in [
        (ContactPurpose::SafeguardingReferral, "CRT"),
        (ContactPurpose::Emergency, "POLICE_999"),
    ] {
        let a = route(
            purpose,
            "2026-12-28T11:00:00",
            &["2026-12-28", "2027-01-01"],
        );
        assert_eq!(a.contact.as_ref().unwrap().code, code);
        assert!(a.open_now);
        assert_eq!(a.next_opening, "");
        assert_eq!(a.emergency.as_ref().unwrap().code, "POLICE_999");
    }
}

/// No purpose but an emergency is ever answered with the emergency line (999), at any hour.
#[test]
fn only_an_emergency_goes_to_999() {
    for purpose in [
        ContactPurpose::Advice,
        ContactPurpose::EarlyHelpRequest,
        ContactPurpose::SafeguardingReferral,
    ] {
        for t in [
            "2026-11-23T10:00:00",
            "2026-11-23T22:00:00",
            "2026-11-28T03:00:00",
        ] {
            let a = route(purpose, t, &[]);
            let contact = a.contact.unwrap();
            assert_ne!(contact.code, "POLICE_999", "{purpose:?} at {t}");
            assert!(
                !contact.phone.is_empty()
                    || !contact.email.is_empty()
                    || !contact.how_to_reach.is_empty()
            );
            assert_eq!(a.emergency.unwrap().code, "POLICE_999");
        }
    }
    let a = route(
        ContactPurpose::SafeguardingReferral,
        "2026-11-23T10:00:00",
        &[],
    );
    assert!(
        a.reasons
            .iter()
            .any(|r| r.rule_id == "CAR-ROUTE-SAFEGUARDING" && r.text.contains("999"))
    );
}

// ABI 4: what the new protocol lets the plugin say that the text says.

fn ask(
    purpose: ContactPurpose,
    local_time: &str,
    urgency: Urgency,
    history: Option<CaseHistory>,
) -> ContactAnswer {
    Carmarthenshire
        .route_contact(&ContactRequest {
            purpose: purpose as i32,
            local_time: local_time.into(),
            urgency: urgency as i32,
            history,
            age: age(8),
            ..Default::default()
        })
        .unwrap()
}

fn open_at(level: &str) -> Option<CaseHistory> {
    Some(CaseHistory {
        open_case: true,
        open_level: level.into(),
        ..Default::default()
    })
}

fn rule_ids(a: &ContactAnswer) -> Vec<&str> {
    a.reasons.iter().map(|r| r.rule_id.as_str()).collect()
}

const MONDAY_10AM: &str = "2026-11-23T10:00:00";

/// The text gives no hours for any line and says nothing about bank holidays: no opening window
/// is encoded (so none lacks a bank-holiday rule), and a bank holiday is treated as nights and
/// weekends are. A safeguarding referral on a bank-holiday daytime reaches CRT, marked always
/// open (a Gap says so); the TAF box, a mailbox, takes forms and names the next working day.
#[test]
fn bank_holiday_daytime_is_treated_as_nights_and_weekends() {
    let d = Carmarthenshire.describe();
    for cp in &d.contact_points {
        assert!(
            cp.always_open && cp.hours.is_empty(),
            "{} has hours",
            cp.code
        );
    }
    assert!(d.gaps.iter().any(|g| g.topic == "Bank holidays"));
    let holiday = ["2026-12-28", "2027-01-01"];
    for t in [
        "2026-12-28T11:00:00",
        "2027-01-01T14:00:00",
        "2026-11-25T23:30:00",
        "2026-11-28T11:00:00",
    ] {
        let a = route(ContactPurpose::SafeguardingReferral, t, &holiday);
        assert_eq!(a.contact.as_ref().unwrap().code, "CRT", "{t}");
        assert!(a.open_now, "{t}");
        assert_eq!(a.next_opening, "");
        assert_eq!(a.out_of_hours, None);
    }
    let a = route(
        ContactPurpose::EarlyHelpRequest,
        "2027-01-01T14:00:00",
        &holiday,
    );
    assert!(a.open_now);
    assert!(
        a.reasons
            .iter()
            .any(|r| r.rule_id == "CAR-TAF-BOX-BANK-HOLIDAY"
                && r.text.contains("The next working day is 2027-01-04."))
    );
}

/// Section 7: "If a child is in need of protection and urgent safeguarding a multiagency
/// referral is to be completed by the TAF keyworker, with support from the TAF coordinator or
/// the TAF manager along with a telephone communication with the Manager of CRT." No number is
/// given: the channel is OTHER with the text's words, never PHONE.
#[test]
fn urgent_safeguarding_is_a_referral_and_a_call_with_no_invented_number() {
    let a = ask(
        ContactPurpose::SafeguardingReferral,
        MONDAY_10AM,
        Urgency::Urgent,
        None,
    );
    let crt = a.contact.as_ref().unwrap();
    assert_eq!(crt.code, "CRT");
    assert!(crt.phone.is_empty());
    assert_eq!(a.channel, Channel::Other as i32);
    assert!(
        a.instruction
            .contains("a multiagency referral along with a telephone communication with the Manager (or deputy) of CRT"),
        "{}",
        a.instruction
    );
    assert!(rule_ids(&a).contains(&"CAR-ROUTE-URGENT-SAFEGUARDING"));
    assert!(a.follow_ups.is_empty());
    // Not urgent: the text gives no channel for a referral to CRT.
    let b = ask(
        ContactPurpose::SafeguardingReferral,
        MONDAY_10AM,
        Urgency::NotUrgent,
        None,
    );
    assert_eq!(b.channel, Channel::Unspecified as i32);
    assert_eq!(b.instruction, "");
    assert!(!rule_ids(&b).contains(&"CAR-ROUTE-URGENT-SAFEGUARDING"));
    // An emergency is a telephone call to 999, the one line with a number.
    let e = ask(
        ContactPurpose::Emergency,
        MONDAY_10AM,
        Urgency::Urgent,
        None,
    );
    assert_eq!(e.channel, Channel::Phone as i32);
    assert_eq!(e.contact.unwrap().phone, "999");
}

/// Section 4: "All referrals that come into TAF should be on Joint Assessment Family Framework
/// Part 1."; section 6: "This form is to be sent to the TAF box; at TAF@carmarthenshire.gov.uk".
/// By e-mail, urgent or not: the text gives no urgent route into TAF.
#[test]
fn a_taf_referral_is_jaff_part_1_emailed_to_the_taf_box() {
    for urgency in [Urgency::NotUrgent, Urgency::Urgent, Urgency::Unspecified] {
        let a = ask(ContactPurpose::EarlyHelpRequest, MONDAY_10AM, urgency, None);
        let taf = a.contact.as_ref().unwrap();
        assert_eq!(taf.code, "TAF_BOX");
        assert_eq!(taf.email, "TAF@carmarthenshire.gov.uk");
        assert_eq!(a.channel, Channel::Email as i32);
        assert!(
            a.instruction
                .contains("Joint Assessment Family Framework Part 1")
        );
        assert!(a.instruction.contains("TAF@carmarthenshire.gov.uk"));
        assert_eq!(
            rule_ids(&a).contains(&"CAR-TAF-NO-URGENT-ROUTE"),
            urgency == Urgency::Urgent
        );
    }
    let advice = ask(
        ContactPurpose::Advice,
        MONDAY_10AM,
        Urgency::NotUrgent,
        None,
    );
    assert_eq!(advice.channel, Channel::Email as i32);
}

/// Section 7 and its pathway: a concern about a child supported by a TAF plan is a step up:
/// "The TAF Coordinator will discuss the case with the TAF Manager regarding their concerns. If
/// it is agreed, the coordinator may contact the Central Referral Team (CRT) Manager for a
/// consultation."; "If TAF manager not available, then discussion is direct with manager of
/// CRT."
#[test]
fn a_concern_on_an_open_taf_case_goes_through_the_taf_manager() {
    let a = ask(
        ContactPurpose::SafeguardingReferral,
        MONDAY_10AM,
        Urgency::NotUrgent,
        open_at("TARGETED"),
    );
    assert_eq!(a.contact.as_ref().unwrap().code, "CRT");
    assert_eq!(a.channel, Channel::Other as i32);
    assert!(a.instruction.starts_with(
        "The TAF Coordinator will discuss the case with the TAF Manager regarding their concerns."
    ));
    let ids = rule_ids(&a);
    assert!(ids.contains(&"CAR-ROUTE-OPEN-TAF-CASE"));
    assert!(ids.contains(&"CAR-ROUTE-TAF-MANAGER-UNAVAILABLE"));
    // Urgent: the keyworker's referral with the coordinator's or manager's support.
    let u = ask(
        ContactPurpose::SafeguardingReferral,
        MONDAY_10AM,
        Urgency::Urgent,
        open_at("ENHANCED"),
    );
    assert!(u.instruction.contains("completed by the TAF keyworker"));
    assert!(rule_ids(&u).contains(&"CAR-ROUTE-URGENT-SAFEGUARDING"));
    // A case open to social services: the text routes a concern no differently.
    let s = ask(
        ContactPurpose::SafeguardingReferral,
        MONDAY_10AM,
        Urgency::NotUrgent,
        open_at("PROTECTIVE"),
    );
    assert!(!rule_ids(&s).contains(&"CAR-ROUTE-OPEN-TAF-CASE"));
    assert_eq!(s.channel, Channel::Unspecified as i32);
    // An open level that is not a category of support is refused.
    let err = Carmarthenshire
        .route_contact(&ContactRequest {
            purpose: ContactPurpose::SafeguardingReferral as i32,
            local_time: MONDAY_10AM.into(),
            history: open_at("TIER_3"),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(field_of(err), "history.open_level");
}

/// Section 6: a request for TAF for a child open to social services is the social worker's
/// step down, for 8 weeks or more and for less than 8 weeks alike sent to the TAF box; a single
/// agency TAF case moves to multi-agency by consultation, not a new referral.
#[test]
fn a_taf_request_for_a_child_with_an_open_case() {
    let a = ask(
        ContactPurpose::EarlyHelpRequest,
        MONDAY_10AM,
        Urgency::NotUrgent,
        open_at("ASSESSMENT"),
    );
    assert_eq!(a.contact.as_ref().unwrap().code, "TAF_BOX");
    assert_eq!(a.channel, Channel::Email as i32);
    assert!(
        a.instruction
            .contains("the Social Worker needs to fully complete")
    );
    assert!(a.instruction.contains("less than 8 weeks"));
    let ids = rule_ids(&a);
    for id in [
        "CAR-ROUTE-STEP-DOWN",
        "CAR-ROUTE-STEP-DOWN-8-WEEKS",
        "CAR-ROUTE-STEP-DOWN-UNDER-8-WEEKS",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    let t = ask(
        ContactPurpose::EarlyHelpRequest,
        MONDAY_10AM,
        Urgency::NotUrgent,
        open_at("ENHANCED"),
    );
    assert_eq!(t.channel, Channel::Other as i32);
    // A multi-agency case: the text says nothing, so it is routed as any referral.
    let m = ask(
        ContactPurpose::EarlyHelpRequest,
        MONDAY_10AM,
        Urgency::NotUrgent,
        open_at("TARGETED"),
    );
    assert_eq!(m.channel, Channel::Email as i32);
    assert!(!rule_ids(&m).contains(&"CAR-ROUTE-OPEN-TAF-CASE"));
    assert!(
        t.instruction
            .contains("the keyworker consults with the TAF manager or coordinator")
    );
}

/// Section 4: "Some people will require help on and off throughout their lives and families can
/// be referred more than once." A closed case changes nothing but the note.
#[test]
fn a_family_whose_case_closed_can_be_referred_again() {
    let closed = Some(CaseHistory {
        closed_case: true,
        days_since_closed: 30,
        ..Default::default()
    });
    let a = ask(
        ContactPurpose::EarlyHelpRequest,
        MONDAY_10AM,
        Urgency::NotUrgent,
        closed,
    );
    let fresh = ask(
        ContactPurpose::EarlyHelpRequest,
        MONDAY_10AM,
        Urgency::NotUrgent,
        None,
    );
    assert_eq!(a.contact, fresh.contact);
    assert_eq!(
        (a.channel, &a.instruction),
        (fresh.channel, &fresh.instruction)
    );
    assert!(rule_ids(&a).contains(&"CAR-REFER-AGAIN"));
}

/// "We work with children and young people from 0 until 25.": the only ages in the text, TAF's,
/// checked by `facts::serves`. No level or service has other ages, no extension for any
/// circumstance, no unborn children.
#[test]
fn ages_are_taf_s_0_until_25_by_facts_serves() {
    let d = Carmarthenshire.describe();
    let range = d.age_range.clone().unwrap();
    assert!(d.levels.iter().all(|l| l.ages.is_none()));
    assert!(d.contact_points.iter().all(|c| c.ages.is_none()));
    assert!(
        d.gaps
            .iter()
            .any(|g| g.topic == "Ages of the other categories of support")
    );
    let within = |a: ChildAge| {
        Carmarthenshire
            .assess_threshold(&ThresholdRequest {
                age: Some(a),
                ..Default::default()
            })
            .unwrap()
            .within_age_range
    };
    for a in [
        ChildAge::default(),
        ChildAge {
            years: 25,
            ..Default::default()
        },
        ChildAge {
            years: 26,
            learning_difficulty_or_disability: true,
            ..Default::default()
        },
        ChildAge {
            years: 20,
            looked_after: true,
            ..Default::default()
        },
        ChildAge {
            unborn: true,
            gestation_weeks: 30,
            ..Default::default()
        },
    ] {
        assert_eq!(within(a), facts::serves(&range, &a), "{a:?}");
    }
    assert!(!within(ChildAge {
        years: 26,
        learning_difficulty_or_disability: true,
        ..Default::default()
    }));
    // Routing a TAF request says whether the child is inside TAF's ages.
    let a = Carmarthenshire
        .route_contact(&ContactRequest {
            purpose: ContactPurpose::EarlyHelpRequest as i32,
            local_time: MONDAY_10AM.into(),
            age: age(26),
            ..Default::default()
        })
        .unwrap();
    assert!(
        a.reasons
            .iter()
            .any(|r| r.rule_id == "CAR-AGE-RANGE" && r.text.contains("outside"))
    );
}

/// The two statutory categories share a response; each says in the text's words what it is.
/// TAF single agency and multi-agency say theirs too.
#[test]
fn levels_give_their_response_in_the_text_s_words() {
    let d = Carmarthenshire.describe();
    let text = |code: &str| {
        d.levels
            .iter()
            .find(|l| l.code == code)
            .unwrap()
            .response_text
            .clone()
    };
    assert_eq!(
        text("ASSESSMENT"),
        "an assessment for care and support by social services"
    );
    assert_eq!(
        text("PROTECTIVE"),
        "a multiagency referral along with a telephone communication with the Manager of CRT"
    );
    assert_eq!(text("ENHANCED"), "TAF single agency");
    assert!(text("TARGETED").starts_with("TAF multi-agency"));
    assert_eq!(text("UNIVERSAL"), "");
}

/// Indicators that describe a category of support (or the support needed) have no domain; the
/// others keep the plugin's reading of one.
#[test]
fn category_descriptions_have_no_domain() {
    let d = Carmarthenshire.describe();
    let undomained: Vec<&str> = d
        .indicators
        .iter()
        .filter(|x| x.domain == Domain::Unspecified as i32)
        .map(|x| x.code.as_str())
        .collect();
    assert_eq!(
        undomained,
        [
            "CAR-L2-SINGLE-AGENCY",
            "CAR-L3-COORDINATED-RESPONSE",
            "CAR-L3-TEAM-APPROACH",
            "CAR-L3-CONTINUING-NEED",
            "CAR-L4-CARE-AND-SUPPORT",
            "CAR-L5-NEEDS-PROTECTION",
        ]
    );
    // Still assessed: a concern with no domain points to its level.
    let a = Carmarthenshire
        .assess_threshold(&ThresholdRequest {
            concerns: vec![Concern {
                indicator_code: "CAR-L4-CARE-AND-SUPPORT".into(),
                ..Default::default()
            }],
            age: age(9),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(a.recommended_level, "ASSESSMENT");
}

/// The seed file is the one document, and every citation names it; the text does not disagree
/// with itself; the version is 2.0.0 (ABI 4, re-encoded rules).
#[test]
fn documents_conflicts_and_version() {
    let d = Carmarthenshire.describe();
    assert_eq!(d.plugin_version, "2.0.0");
    assert_eq!(d.documents.len(), 1);
    let doc = &d.documents[0];
    assert_eq!(doc.id, SOURCE);
    assert_eq!(doc.reference, "004_409172220b5d16c4.txt");
    assert!(
        doc.title
            .contains("Protocols for STEP UP, STEP DOWN and step across")
    );
    // "October 2017" and "Reviewed: October 2021": a month, no day, so no date is invented.
    assert_eq!(doc.published, "");
    assert!(d.gaps.iter().any(|g| g.topic == "Date of the document"));
    assert!(d.conflicts.is_empty());
    for cited in conformance::citations(&Carmarthenshire) {
        assert_eq!(cited.source, SOURCE, "{}", cited.at);
    }
}

/// The text gives no pre-birth timescales and none for any circumstance: an unborn, looked-after
/// or disabled child's case starts what every child's does (`facts::deadlines`).
#[test]
fn a_child_s_circumstances_start_the_timescales_every_child_s_do() {
    let d = Carmarthenshire.describe();
    assert!(
        d.timescales
            .iter()
            .all(|r| r.only_if == Circumstance::Unspecified as i32)
    );
    let codes = |event: CaseEvent, level: &str, child: Option<ChildAge>| -> Vec<String> {
        Carmarthenshire
            .timescales(&TimescaleRequest {
                event: event as i32,
                level_code: level.into(),
                age: child,
            })
            .unwrap()
            .deadlines
            .into_iter()
            .map(|d| d.code)
            .collect()
    };
    let unborn = Some(ChildAge {
        unborn: true,
        gestation_weeks: 30,
        ..Default::default()
    });
    for (event, level) in [
        (CaseEvent::ReferralReceived, "TARGETED"),
        (CaseEvent::PlanAgreed, "ENHANCED"),
        (CaseEvent::ReferralAccepted, "PROTECTIVE"),
    ] {
        assert_eq!(
            codes(event, level, unborn),
            codes(event, level, None),
            "{event:?} at {level}"
        );
    }
    assert_eq!(
        codes(CaseEvent::ReferralReceived, "TARGETED", unborn),
        ["TAF-ALLOCATION-MEETING"]
    );
}
