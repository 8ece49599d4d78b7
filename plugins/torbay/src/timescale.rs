//! The deadlines a case event starts.

use continuum_plugin_api::pb::{CaseEvent, TimescaleAnswer, TimescaleRequest};
use continuum_plugin_api::{PluginError, facts};

use crate::catalogue::{level_def, timescale_rules};

pub(crate) fn deadlines(request: &TimescaleRequest) -> Result<TimescaleAnswer, PluginError> {
    let event = CaseEvent::try_from(request.event)
        .ok()
        .filter(|e| *e != CaseEvent::Unspecified)
        .ok_or_else(|| {
            PluginError::invalid("event", format!("{} is not a case event", request.event))
        })?;
    let level = request.level_code.trim();
    if level_def(level).is_none() {
        return Err(PluginError::invalid(
            "level_code",
            format!("{level:?} is not a Torbay level of need (L1, L2, L3 or L4)"),
        ));
    }
    let request = TimescaleRequest {
        event: event as i32,
        level_code: level.to_owned(),
        age: request.age,
    };
    // The rules for the level and for every level, for every child and for the child's
    // circumstances (Torbay has none limited to a circumstance: see Gaps).
    let deadlines = facts::deadlines(&timescale_rules(), &request);
    Ok(TimescaleAnswer { deadlines })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{L1, L2, L3, L4, REVIEW, timescale_rules};
    use continuum_plugin_api::pb::{ChildAge, Circumstance, TimeUnit};

    fn ask(event: CaseEvent, level: &str) -> Result<TimescaleAnswer, PluginError> {
        deadlines(&TimescaleRequest {
            event: event as i32,
            level_code: level.into(),
            age: None,
        })
    }

    fn ask_for(
        event: CaseEvent,
        level: &str,
        age: ChildAge,
    ) -> Result<TimescaleAnswer, PluginError> {
        deadlines(&TimescaleRequest {
            event: event as i32,
            level_code: level.into(),
            age: Some(age),
        })
    }

    fn span(s: Option<continuum_plugin_api::pb::Span>) -> Option<(u32, i32)> {
        s.map(|s| (s.amount, s.unit))
    }

    /// Every case event the protocol has (the service fires all but REFERRAL_RECEIVED and
    /// CONCERN_ON_OPEN_CASE on cases). Neither a step up asked for (STEP_UP_REQUESTED, at the
    /// current level) nor a step up made (STEPPED_UP, at the new level) starts a Torbay deadline:
    /// the text states none for a step up.
    const EVENTS: &[CaseEvent] = &[
        CaseEvent::ReferralReceived,
        CaseEvent::ReferralAccepted,
        CaseEvent::CaseAllocated,
        CaseEvent::FirstContactMade,
        CaseEvent::TeamMeetingHeld,
        CaseEvent::PlanAgreed,
        CaseEvent::ReviewHeld,
        CaseEvent::StepUpRequested,
        CaseEvent::StepDownAgreed,
        CaseEvent::ConcernOnOpenCase,
        CaseEvent::ClosureProposed,
        CaseEvent::TransferIn,
        CaseEvent::PhoneCallMade,
        CaseEvent::HomeVisitMade,
        CaseEvent::OtherContactMade,
        CaseEvent::StepUpConversationHeld,
        CaseEvent::StepDownMeetingHeld,
        CaseEvent::FinalMeetingHeld,
        CaseEvent::SteppedUp,
    ];

    #[test]
    fn allocation_at_targeted_help_starts_the_review() -> Result<(), PluginError> {
        let a = ask(CaseEvent::CaseAllocated, L3)?;
        assert_eq!(a.deadlines.len(), 1);
        let d = &a.deadlines[0];
        assert_eq!(d.code, REVIEW);
        assert_eq!(span(d.due_in), Some((6, TimeUnit::Weeks as i32)));
        assert_eq!(span(d.at_most), Some((12, TimeUnit::Weeks as i32)));
        // "reviewed regularly at 6 weeks initially and then up to 12 weeks" (section 4, FIT):
        // the plugin's reading is a review every 6 weeks, at most 12 weeks apart.
        assert_eq!(span(d.repeat_every), Some((6, TimeUnit::Weeks as i32)));
        assert!(ask(CaseEvent::CaseAllocated, L2)?.deadlines.is_empty());
        assert!(ask(CaseEvent::ReviewHeld, L3)?.deadlines.is_empty());
        Ok(())
    }

    /// Section 3: "The Targeted help team will review the progress made against the plan
    /// initially at 6 weeks and up to a maximum of 12 weeks." A review held meets it; a Team
    /// around the Family meeting, a contact or the plan does not.
    #[test]
    fn the_review_is_met_by_a_review_held_only() -> Result<(), PluginError> {
        let a = ask(CaseEvent::CaseAllocated, L3)?;
        let d = &a.deadlines[0];
        assert_eq!(d.met_by, vec![CaseEvent::ReviewHeld as i32]);
        for not in [
            CaseEvent::TeamMeetingHeld,
            CaseEvent::PlanAgreed,
            CaseEvent::FirstContactMade,
            CaseEvent::FinalMeetingHeld,
        ] {
            assert!(
                !d.met_by.contains(&(not as i32)),
                "{not:?} meets the review"
            );
        }
        assert!(d.description.contains("Met by a review held"));
        assert!(d.description.contains("plugin's reading"));
        Ok(())
    }

    /// The review at Targeted Help is the only deadline the text states: no other event, at no
    /// level, starts one (the gaps say so for the steps before the review).
    #[test]
    fn only_allocation_at_targeted_help_starts_a_deadline() -> Result<(), PluginError> {
        for level in [L1, L2, L3, L4] {
            for event in EVENTS {
                let a = ask(*event, level)?;
                let codes: Vec<&str> = a.deadlines.iter().map(|d| d.code.as_str()).collect();
                if *event == CaseEvent::CaseAllocated && level == L3 {
                    assert_eq!(codes, vec![REVIEW]);
                } else {
                    assert!(codes.is_empty(), "{event:?} at {level} starts {codes:?}");
                }
            }
        }
        Ok(())
    }

    /// The answers agree with the rules the description declares.
    #[test]
    fn answers_agree_with_the_description() -> Result<(), PluginError> {
        for rule in timescale_rules() {
            let event = CaseEvent::try_from(rule.event).unwrap_or(CaseEvent::Unspecified);
            let levels: Vec<&str> = if rule.level_code.is_empty() {
                vec![L1, L2, L3, L4]
            } else {
                vec![rule.level_code.as_str()]
            };
            for level in levels {
                assert_eq!(ask(event, level)?.deadlines, rule.deadlines);
            }
            for d in &rule.deadlines {
                assert!(!d.met_by.is_empty(), "{} has no met_by", d.code);
            }
        }
        Ok(())
    }

    /// The text sets no pre-birth timescale and none for a looked-after or disabled child: an
    /// unborn child's case allocated at Targeted Help gets the same review as any child's, and
    /// no rule is limited to a circumstance (a gap says so).
    #[test]
    fn an_unborn_child_gets_the_same_review_as_any_child() -> Result<(), PluginError> {
        let unborn = ChildAge {
            unborn: true,
            gestation_weeks: 30,
            ..Default::default()
        };
        let a = ask_for(CaseEvent::CaseAllocated, L3, unborn)?;
        assert_eq!(a.deadlines, ask(CaseEvent::CaseAllocated, L3)?.deadlines);
        assert!(
            ask_for(CaseEvent::ReferralAccepted, L3, unborn)?
                .deadlines
                .is_empty()
        );
        let looked_after = ChildAge {
            years: 12,
            looked_after: true,
            ..Default::default()
        };
        let a = ask_for(CaseEvent::CaseAllocated, L3, looked_after)?;
        assert_eq!(a.deadlines.len(), 1);
        assert!(
            timescale_rules()
                .iter()
                .all(|r| r.only_if == Circumstance::Unspecified as i32)
        );
        Ok(())
    }

    #[test]
    fn bad_requests_name_the_field() {
        assert!(matches!(ask(CaseEvent::CaseAllocated, "L9"),
            Err(PluginError::InvalidRequest { ref field, .. }) if field == "level_code"));
        assert!(matches!(ask(CaseEvent::Unspecified, L3),
            Err(PluginError::InvalidRequest { ref field, .. }) if field == "event"));
    }
}
