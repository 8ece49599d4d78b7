//! Threshold assessment: indicators to a level, plus the rules that always apply.

use continuum_plugin_api::pb::{
    ChildAge, Consent, ConsentGuidance, Response, RuleOutcome, ThresholdDecision, ThresholdRequest,
};
use continuum_plugin_api::{PluginError, facts, rule};

use crate::catalogue::{
    L1, L2, L3, L4, SEVERAL_NEEDS, age_range, code_of, indicator, level_def, rank, response_of,
};
use crate::text::*;

/// Whether consent has been given (verbally or in writing).
pub(crate) fn consent_given(consent: i32) -> bool {
    consent == Consent::GivenVerbally as i32 || consent == Consent::GivenInWriting as i32
}

/// Whether a child of this age is inside the age range (the plugin's choice, see Gaps), and why.
/// The answer is `facts::serves` on the description's age range.
pub(crate) fn age_check(age: Option<&ChildAge>) -> (bool, String) {
    let Some(a) = age else {
        return (
            true,
            "No age given: treated as within the age range.".to_owned(),
        );
    };
    let within = facts::serves(&age_range(), a);
    let text = match (a.unborn, within) {
        (true, _) => "Unborn child: within the age range (the text sets no age range; the plugin \
                      serves any unborn child)."
            .to_owned(),
        (false, true) => format!(
            "Aged {}: within the age range (the text sets none; the plugin uses under 18).",
            a.years
        ),
        (false, false) => format!(
            "Aged {}: above the plugin's age range of under 18 (the text gives no age range and \
             no extension for older young people, looked after or disabled).",
            a.years
        ),
    };
    (within, text)
}

fn consent_guidance(level: &str, harm: bool) -> ConsentGuidance {
    let (required, may_proceed_without, text, section, quote) = if harm {
        (
            false,
            true,
            "A child at risk of significant harm is referred to children's social care (through \
             the MASH) without delay, even when consent is refused or has not been sought: \
             record the reason for proceeding without consent. The text is silent on this; the \
             plugin follows national guidance (see Gaps).",
            S_PATHWAY,
            Q_MASH_SCREENS,
        )
    } else {
        match level {
            L1 => (
                false,
                false,
                "Universal services: no referral is made, so no consent to share is needed (the \
                 text sets no consent rule for this level).",
                S_TAF,
                Q_TAF_SUPPORT,
            ),
            L2 => (
                true,
                false,
                "The text sets no consent rule below Targeted Help; the plugin's conservative \
                 choice is to seek the family's consent before involving another service.",
                S_PATHWAY,
                Q_CONSENT,
            ),
            L3 => (
                true,
                false,
                "Discuss the Targeted Help Request with the family and gain their consent before \
                 making the request: it is critical.",
                S_PATHWAY,
                Q_CONSENT,
            ),
            _ => (
                true,
                false,
                "Where significant harm is not suspected, the plugin's conservative choice is to \
                 seek the family's consent before a level 4 referral (the text sets no rule).",
                S_PATHWAY,
                Q_CONSENT,
            ),
        }
    };
    ConsentGuidance {
        required,
        may_proceed_without,
        text: text.to_owned(),
        citation: Some(c(section, quote)),
    }
}

fn next_step(level: &str) -> RuleOutcome {
    match level {
        L1 => rule(
            "TOR-LEVEL-L1",
            "Universal: needs are met by universal services; no referral.",
            c(S_FIT, Q_FIT_UNIVERSAL),
        ),
        L2 => rule(
            "TOR-LEVEL-L2",
            "Level 2: a single need below Targeted Help. The text does not describe this level \
             (see the TSCB Threshold Document); if unsure of the level of need, call the \
             Consultation Line (01803 208525, weekday mornings 9am - 12pm).",
            c(S_PATHWAY, Q_THRESHOLD_DOC),
        ),
        L3 => rule(
            "TOR-LEVEL-L3",
            "Targeted Help: complete a Targeted Help Request for Service, with the family's \
             consent, and submit it to the Multi-Agency Safeguarding Hub (MASH); once screened it \
             goes to the weekly Targeted Help Panel, which allocates a Targeted Help Co-ordinator.",
            c(S_PATHWAY, Q_REQUEST),
        ),
        _ => rule(
            "TOR-LEVEL-L4",
            "Level 4: statutory intervention by children's social care; the MASH screens all \
             referrals.",
            c(S_PATHWAY, Q_MASH_SCREENS),
        ),
    }
}

pub(crate) fn assess(request: &ThresholdRequest) -> Result<ThresholdDecision, PluginError> {
    let mut matched: Vec<String> = Vec::new();
    let mut reasons: Vec<RuleOutcome> = Vec::new();
    let mut highest: u32 = 0;
    let mut single_needs: Vec<&str> = Vec::new();
    let mut free_text = 0usize;

    for (i, concern) in request.concerns.iter().enumerate() {
        let code = concern.indicator_code.trim();
        if code.is_empty() {
            if concern.text.trim().is_empty() {
                return Err(PluginError::invalid(
                    format!("concerns[{i}]"),
                    "a concern needs an indicator_code from the Torbay catalogue or a text",
                ));
            }
            free_text += 1;
            continue;
        }
        let def = indicator(code).ok_or_else(|| {
            PluginError::invalid(
                format!("concerns[{i}].indicator_code"),
                format!("{code:?} is not in the Torbay indicator catalogue"),
            )
        })?;
        if matched.iter().any(|m| m == def.code) {
            continue;
        }
        matched.push(def.code.to_owned());
        let level_rank = rank(def.level).unwrap_or(1);
        highest = highest.max(level_rank);
        if def.level == L2 {
            single_needs.push(def.code);
        }
        reasons.push(rule(
            "TOR-INDICATOR",
            format!(
                "{} ({}): {}",
                def.code,
                level_def(def.level).map_or(def.level, |l| l.label),
                def.text
            ),
            c(def.section, def.quote),
        ));
    }

    let l3_rank = rank(L3).unwrap_or(3);
    if single_needs.len() >= SEVERAL_NEEDS && highest < l3_rank {
        highest = l3_rank;
        reasons.push(rule(
            "TOR-SEVERAL-NEEDS",
            format!(
                "{} distinct needs ({}): two or three needs that require several services to \
                 work together point to Targeted Help (level 3).",
                single_needs.len(),
                single_needs.join(", ")
            ),
            c(S_PATHWAY, Q_REQUEST),
        ));
    }

    if free_text > 0 {
        reasons.push(rule(
            "TOR-PROFESSIONAL-JUDGEMENT",
            format!(
                "{free_text} concern(s) given as text only, without an indicator code: they are \
                 not scored and need professional judgement. If you are unsure of the level of \
                 need, call the Consultation Line (01803 208525, weekday mornings 9am - 12pm)."
            ),
            c(S_PATHWAY, Q_UNSURE),
        ));
    }
    if request.concerns.is_empty() {
        reasons.push(rule(
            "TOR-NO-CONCERNS",
            "No concerns given: nothing points above universal services.",
            c(S_FIT, Q_FIT_UNIVERSAL),
        ));
    }

    let harm = request.significant_harm_suspected || request.immediate_risk;
    let l4_rank = rank(L4).unwrap_or(4);
    if harm {
        highest = l4_rank;
        reasons.push(rule(
            "TOR-SIGNIFICANT-HARM",
            "A child at risk of significant harm: refer to children's social care (level 4, \
             through the MASH, which screens all referrals) without delay, even when consent is \
             refused; record the reason for proceeding without consent. The text is silent on \
             this; the plugin follows national guidance (see Gaps).",
            c(S_PATHWAY, Q_MASH_SCREENS),
        ));
    }
    let level = code_of(highest);
    let response = if request.immediate_risk {
        reasons.push(rule(
            "TOR-IMMEDIATE-RISK",
            "A child in immediate danger: call the police on 999 now, then refer to children's \
             social care through the MASH. The text names no emergency route; 999 is the \
             national emergency number (see Gaps).",
            c(S_PATHWAY, Q_MASH_SCREENS),
        ));
        Response::Emergency
    } else {
        response_of(level)
    };
    reasons.push(next_step(level));

    if level == L3 && !harm && !consent_given(request.consent) {
        reasons.push(rule(
            "TOR-CONSENT-BEFORE-REQUEST",
            "The family's consent has not been gained: discuss the request with the family and \
             gain their consent before making a Targeted Help Request. If unsure, call the \
             Consultation Line for advice.",
            c(S_PATHWAY, Q_CONSENT),
        ));
    }

    let (within_age_range, age_text) = age_check(request.age.as_ref());
    reasons.push(rule("TOR-AGE-RANGE", age_text, c(S_PANEL, Q_PANEL_INFO)));

    Ok(ThresholdDecision {
        recommended_level: level.to_owned(),
        response: response as i32,
        matched_indicators: matched,
        reasons,
        consent: Some(consent_guidance(level, harm)),
        within_age_range,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use continuum_plugin_api::pb::Concern;

    fn concern(code: &str) -> Concern {
        Concern {
            indicator_code: code.into(),
            ..Default::default()
        }
    }

    fn ids(d: &ThresholdDecision) -> Vec<&str> {
        d.reasons.iter().map(|r| r.rule_id.as_str()).collect()
    }

    #[test]
    fn one_need_stays_below_targeted_help_two_needs_reach_it() -> Result<(), PluginError> {
        let one = assess(&ThresholdRequest {
            concerns: vec![concern("TOR-L2-HOUSING")],
            ..Default::default()
        })?;
        assert_eq!(one.recommended_level, L2);
        assert!(!ids(&one).contains(&"TOR-SEVERAL-NEEDS"));

        // The same need twice is still one need.
        let same = assess(&ThresholdRequest {
            concerns: vec![concern("TOR-L2-HOUSING"), concern("TOR-L2-HOUSING")],
            ..Default::default()
        })?;
        assert_eq!(same.recommended_level, L2);
        assert_eq!(same.matched_indicators, vec!["TOR-L2-HOUSING"]);

        let two = assess(&ThresholdRequest {
            concerns: vec![concern("TOR-L2-HOUSING"), concern("TOR-L2-FINANCES")],
            consent: Consent::GivenInWriting as i32,
            ..Default::default()
        })?;
        assert_eq!(two.recommended_level, L3);
        assert_eq!(two.response, Response::TargetedEarlyHelp as i32);
        assert!(ids(&two).contains(&"TOR-SEVERAL-NEEDS"));
        assert!(!ids(&two).contains(&"TOR-CONSENT-BEFORE-REQUEST"));
        Ok(())
    }

    #[test]
    fn bad_concerns_name_the_field() {
        let err = assess(&ThresholdRequest {
            concerns: vec![concern("TOR-L2-HOUSING"), concern("nope")],
            ..Default::default()
        });
        assert!(
            matches!(err, Err(PluginError::InvalidRequest { ref field, .. })
            if field == "concerns[1].indicator_code")
        );
        let err = assess(&ThresholdRequest {
            concerns: vec![Concern::default()],
            ..Default::default()
        });
        assert!(
            matches!(err, Err(PluginError::InvalidRequest { ref field, .. })
            if field == "concerns[0]")
        );
    }

    #[test]
    fn free_text_is_accepted_for_professional_judgement() -> Result<(), PluginError> {
        let d = assess(&ThresholdRequest {
            concerns: vec![Concern {
                text: "worried about school attendance".into(),
                ..Default::default()
            }],
            ..Default::default()
        })?;
        assert_eq!(d.recommended_level, L1);
        assert!(ids(&d).contains(&"TOR-PROFESSIONAL-JUDGEMENT"));
        Ok(())
    }

    #[test]
    fn harm_overrides_refused_consent() -> Result<(), PluginError> {
        let d = assess(&ThresholdRequest {
            concerns: vec![concern("TOR-L3-PARENT-OVERWHELMED")],
            significant_harm_suspected: true,
            consent: Consent::Refused as i32,
            ..Default::default()
        })?;
        assert_eq!(d.recommended_level, L4);
        assert_eq!(d.response, Response::StatutorySocialCare as i32);
        let consent = d.consent.unwrap_or_default();
        assert!(consent.may_proceed_without);
        assert!(!consent.required);
        Ok(())
    }

    #[test]
    fn ages() {
        let years = |y| {
            Some(ChildAge {
                years: y,
                ..Default::default()
            })
        };
        assert!(age_check(years(17).as_ref()).0);
        assert!(!age_check(years(18).as_ref()).0);
        assert!(
            age_check(Some(&ChildAge {
                unborn: true,
                gestation_weeks: 10,
                ..Default::default()
            }))
            .0
        );
        assert!(age_check(None).0);
    }
}
