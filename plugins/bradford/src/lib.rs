//! Bradford (E08000032) as a Continuum authority plugin.
//!
//! Encodes two texts of one authority: "Level 3 Targeted Support"
//! (`shared/seeds/000_71bedd854c988f75.txt`, treated as the newer text) and "Meeting need... A
//! Model for Child-Centred Working" (`shared/seeds/002_2258f4b7c0005b84.txt`, the older one).
//! The older text's four tiers of service are Levels 1-4; the newer text's Level 3 procedure
//! (Family Support Worker timescales, Team Around the Family, step up to Level 4 and step down
//! to Level 2) fills in Level 3. Where the texts differ the newer stands; where they are silent
//! the description records a gap.

use continuum_plugin_api::pb::{AuthorityDescription, Nation};
use continuum_plugin_api::{
    Authority, ContactAnswer, ContactRequest, PanelAnswer, PanelRequest, PluginError,
    ThresholdDecision, ThresholdRequest, TimescaleAnswer, TimescaleRequest, TransitionAnswer,
    TransitionRequest,
};

mod catalogue;
mod cite;
mod contacts;
mod panels;
mod threshold;
mod timescales;
mod transition;

/// The Bradford authority plugin. Stateless: every method is a pure function of its request.
#[derive(Debug, Default, Clone, Copy)]
pub struct Bradford;

impl Authority for Bradford {
    fn describe(&self) -> AuthorityDescription {
        AuthorityDescription {
            code: "E08000032".into(),
            name: "Bradford".into(),
            nation: Nation::England as i32,
            framework: "Continuum of Need (Levels 1-4): A Model for Child-Centred Working, with \
                        Level 3 Targeted Support"
                .into(),
            levels: catalogue::levels(),
            roles: catalogue::roles(),
            age_range: Some(catalogue::age_range()),
            indicators: catalogue::indicators(),
            contact_points: contacts::contact_points(),
            panels: panels::panels(),
            timescales: timescales::rules(),
            forms: catalogue::forms(),
            plugin_name: "continuum-authority-bradford".into(),
            plugin_version: env!("CARGO_PKG_VERSION").into(),
            sources: catalogue::sources(),
            gaps: catalogue::gaps(),
        }
    }

    fn assess_threshold(
        &self,
        request: &ThresholdRequest,
    ) -> Result<ThresholdDecision, PluginError> {
        threshold::assess(request)
    }

    fn route_contact(&self, request: &ContactRequest) -> Result<ContactAnswer, PluginError> {
        contacts::route(request)
    }

    fn next_panel(&self, request: &PanelRequest) -> Result<PanelAnswer, PluginError> {
        panels::next(request)
    }

    fn timescales(&self, request: &TimescaleRequest) -> Result<TimescaleAnswer, PluginError> {
        timescales::answer(request)
    }

    fn check_transition(
        &self,
        request: &TransitionRequest,
    ) -> Result<TransitionAnswer, PluginError> {
        transition::check(request)
    }
}

continuum_plugin_api::export_authority!(Bradford);

#[cfg(test)]
mod tests {
    use super::*;
    use continuum_plugin_api::pb::{
        self, CaseEvent, Consent, ContactPurpose, MeetingKind, Response, TransitionKind,
    };

    #[test]
    fn conforms() {
        let violations = continuum_plugin_api::conformance::check(&Bradford);
        for v in &violations {
            println!("{v}");
        }
        assert!(violations.is_empty(), "{} violations", violations.len());
    }

    #[test]
    fn every_citation_names_a_seed_file() {
        let d = Bradford.describe();
        let mut citations: Vec<&pb::Citation> = Vec::new();
        citations.extend(d.levels.iter().filter_map(|x| x.citation.as_ref()));
        citations.extend(d.roles.iter().filter_map(|x| x.citation.as_ref()));
        citations.extend(d.indicators.iter().filter_map(|x| x.citation.as_ref()));
        citations.extend(d.contact_points.iter().filter_map(|x| x.citation.as_ref()));
        citations.extend(d.panels.iter().filter_map(|x| x.citation.as_ref()));
        citations.extend(d.forms.iter().filter_map(|x| x.citation.as_ref()));
        citations.extend(d.gaps.iter().filter_map(|x| x.citation.as_ref()));
        citations.extend(d.sources.iter());
        for t in &d.timescales {
            citations.extend(t.deadlines.iter().filter_map(|x| x.citation.as_ref()));
        }
        for c in citations {
            assert!(
                c.source == cite::TARGETED || c.source == cite::MODEL,
                "{}",
                c.source
            );
            assert!(!c.quote.trim().is_empty(), "{} has no quote", c.section);
        }
    }

    #[test]
    fn quotes_are_in_the_texts() {
        // The seed texts are not part of the crate; check only when they are reachable.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
        let read = |name: &str| std::fs::read_to_string(root.join(name)).ok();
        let (Some(newer), Some(older)) = (
            read("000_71bedd854c988f75.txt"),
            read("002_2258f4b7c0005b84.txt"),
        ) else {
            return;
        };
        let norm = |s: &str| {
            s.replace('*', "")
                .replace(['\n', '\u{a0}'], " ")
                .replace("[01274 437902](tel:01274437902)", "01274 437902")
                .replace("[437685](tel:01274437685)", "437685")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let (newer, older) = (norm(&newer), norm(&older));
        let d = Bradford.describe();
        let mut quotes: Vec<(String, String)> = Vec::new();
        let mut add = |c: Option<&pb::Citation>| {
            if let Some(c) = c {
                quotes.push((c.source.clone(), c.quote.clone()));
            }
        };
        d.levels.iter().for_each(|x| add(x.citation.as_ref()));
        d.roles.iter().for_each(|x| add(x.citation.as_ref()));
        d.indicators.iter().for_each(|x| add(x.citation.as_ref()));
        d.contact_points
            .iter()
            .for_each(|x| add(x.citation.as_ref()));
        d.panels.iter().for_each(|x| add(x.citation.as_ref()));
        d.forms.iter().for_each(|x| add(x.citation.as_ref()));
        d.gaps.iter().for_each(|x| add(x.citation.as_ref()));
        for p in &d.panels {
            p.decisions.iter().for_each(|x| add(x.citation.as_ref()));
        }
        for t in &d.timescales {
            t.deadlines.iter().for_each(|x| add(x.citation.as_ref()));
        }
        if let Some(a) = &d.age_range {
            add(a.citation.as_ref());
            a.extensions.iter().for_each(|x| add(x.citation.as_ref()));
        }
        for outcome in answer_reasons() {
            add(outcome.citation.as_ref());
        }
        let mut missing = Vec::new();
        for (source, quote) in quotes {
            let text = if source == cite::TARGETED {
                &newer
            } else {
                &older
            };
            // A quote may join a few lines of the text with "; " or ". ".
            let ok = norm(&quote)
                .split("; ")
                .flat_map(|p| p.split(". Social"))
                .all(|part| text.contains(part.trim_end_matches('.').trim()));
            if !ok {
                missing.push(quote);
            }
        }
        assert!(missing.is_empty(), "quotes not found: {missing:#?}");
    }

    /// Reasons from answers across every method, for checking their quotes.
    fn answer_reasons() -> Vec<pb::RuleOutcome> {
        let d = Bradford.describe();
        let mut out = Vec::new();
        let mut thresholds: Vec<pb::ThresholdRequest> = d
            .indicators
            .iter()
            .map(|x| pb::ThresholdRequest {
                concerns: vec![pb::Concern {
                    indicator_code: x.code.clone(),
                    ..Default::default()
                }],
                consent: Consent::Refused as i32,
                ..Default::default()
            })
            .collect();
        thresholds.push(pb::ThresholdRequest {
            immediate_risk: true,
            ..Default::default()
        });
        thresholds.push(pb::ThresholdRequest {
            concerns: vec![pb::Concern {
                text: "free text".into(),
                ..Default::default()
            }],
            ..Default::default()
        });
        thresholds.push(pb::ThresholdRequest::default());
        for r in &thresholds {
            let a = Bradford.assess_threshold(r).unwrap();
            out.extend(a.reasons);
            out.extend(a.consent.and_then(|c| c.citation).map(|c| pb::RuleOutcome {
                rule_id: "consent".into(),
                text: String::new(),
                citation: Some(c),
            }));
        }
        for purpose in 1..=4 {
            for at in ["2026-11-23T10:00:00", "2026-11-23T20:00:00"] {
                let a = Bradford
                    .route_contact(&pb::ContactRequest {
                        purpose,
                        local_time: at.into(),
                        public_holiday: false,
                    })
                    .unwrap();
                out.extend(a.reasons);
            }
        }
        let levels = ["L1", "L2", "L3", "L4"];
        for kind in 1..=5 {
            for from in levels {
                for to in levels.iter().copied().chain([""]) {
                    for harm in [false, true] {
                        let r = pb::TransitionRequest {
                            kind,
                            current_level: if kind == TransitionKind::TransferIn as i32 {
                                String::new()
                            } else {
                                from.into()
                            },
                            target_level: to.into(),
                            significant_harm_suspected: harm,
                            from_authority: "E99999999".into(),
                            meetings_held: vec![MeetingKind::AllocationPanel as i32],
                            ..Default::default()
                        };
                        if let Ok(a) = Bradford.check_transition(&r) {
                            out.extend(a.rules_applied);
                        }
                    }
                }
            }
        }
        out
    }

    #[test]
    fn friday_afternoon_routes_to_the_emergency_duty_team() {
        let a = Bradford
            .route_contact(&pb::ContactRequest {
                purpose: ContactPurpose::SafeguardingReferral as i32,
                local_time: "2026-11-27T16:45:00".into(),
                public_holiday: false,
            })
            .unwrap();
        assert!(!a.open_now);
        assert_eq!(a.next_opening, "2026-11-30T08:30:00");
        assert_eq!(a.out_of_hours.unwrap().code, "EMERGENCY_DUTY_TEAM");
        assert_eq!(a.emergency.unwrap().code, "POLICE_999");
    }

    #[test]
    fn bad_requests_name_their_field() {
        let field = |e: PluginError| match e {
            PluginError::InvalidRequest { field, .. } => field,
            PluginError::Failed(m) => panic!("failed: {m}"),
        };
        let e = Bradford
            .route_contact(&pb::ContactRequest {
                purpose: 0,
                local_time: "2026-11-27T16:45:00".into(),
                public_holiday: false,
            })
            .unwrap_err();
        assert_eq!(field(e), "purpose");
        let e = Bradford
            .next_panel(&pb::PanelRequest {
                panel_code: "NOPE".into(),
                on_or_after: "2026-11-23".into(),
            })
            .unwrap_err();
        assert_eq!(field(e), "panel_code");
        let e = Bradford
            .next_panel(&pb::PanelRequest {
                panel_code: String::new(),
                on_or_after: "23/11/2026".into(),
            })
            .unwrap_err();
        assert_eq!(field(e), "on_or_after");
        let e = Bradford
            .timescales(&pb::TimescaleRequest {
                event: CaseEvent::CaseAllocated as i32,
                level_code: "L9".into(),
            })
            .unwrap_err();
        assert_eq!(field(e), "level_code");
        let e = Bradford
            .check_transition(&pb::TransitionRequest {
                kind: TransitionKind::StepUp as i32,
                current_level: "L3".into(),
                target_level: "L2".into(),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(field(e), "target_level");
        let e = Bradford
            .check_transition(&pb::TransitionRequest {
                kind: TransitionKind::Close as i32,
                current_level: "L7".into(),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(field(e), "current_level");
        let e = Bradford
            .check_transition(&pb::TransitionRequest {
                kind: TransitionKind::StepUp as i32,
                current_level: "L2".into(),
                target_level: "L3".into(),
                forms_completed: vec!["JAFF".into()],
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(field(e), "forms_completed[0]");
    }

    #[test]
    fn step_up_to_level_4_is_refused_without_a_decision_and_allowed_on_harm() {
        let base = pb::TransitionRequest {
            kind: TransitionKind::StepUp as i32,
            current_level: "L3".into(),
            target_level: "L4".into(),
            consent: Consent::GivenInWriting as i32,
            ..Default::default()
        };
        let a = Bradford.check_transition(&base).unwrap();
        assert!(!a.allowed);
        assert!(
            a.unmet
                .iter()
                .any(|r| r.rule_id == "BRA-TR-STEP-UP-DECISION")
        );
        let a = Bradford
            .check_transition(&pb::TransitionRequest {
                meetings_held: vec![MeetingKind::AllocationPanel as i32],
                ..base.clone()
            })
            .unwrap();
        assert!(a.allowed, "{:?}", a.unmet);
        let a = Bradford
            .check_transition(&pb::TransitionRequest {
                significant_harm_suspected: true,
                consent: Consent::Refused as i32,
                ..base
            })
            .unwrap();
        assert!(a.allowed, "{:?}", a.unmet);
        assert_eq!(a.resulting_level, "L4");
    }

    #[test]
    fn immediate_risk_is_an_emergency() {
        let d = Bradford
            .assess_threshold(&pb::ThresholdRequest {
                immediate_risk: true,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(d.response, Response::Emergency as i32);
        assert_eq!(d.recommended_level, "L4");
        assert!(d.consent.unwrap().may_proceed_without);
    }
}
