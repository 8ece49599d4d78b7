//! Which category of support a set of concerns points to.

use continuum_plugin_api::pb::{
    ChildAge, Consent, ConsentGuidance, Response, ThresholdDecision, ThresholdRequest,
};
use continuum_plugin_api::{PluginError, facts, rule};

use crate::catalogue::{self, IND_IMMEDIATE_HARM, IND_SIGNIFICANT_HARM};
use crate::text::*;

pub fn assess(request: &ThresholdRequest) -> Result<ThresholdDecision, PluginError> {
    let mut reasons = Vec::new();
    let mut matched = Vec::new();
    let mut rank = 1u32;
    let mut free_text = 0usize;
    let mut immediate = request.immediate_risk;
    let mut significant_harm = request.significant_harm_suspected;

    for (i, concern) in request.concerns.iter().enumerate() {
        let code = concern.indicator_code.trim();
        if code.is_empty() {
            if concern.text.trim().is_empty() {
                return Err(PluginError::invalid(
                    format!("concerns[{i}].indicator_code"),
                    "empty: give an indicator code from the catalogue or a text",
                ));
            }
            free_text += 1;
            continue;
        }
        let Some(x) = catalogue::indicator(code) else {
            return Err(PluginError::invalid(
                format!("concerns[{i}].indicator_code"),
                format!("{code:?} is not in Carmarthenshire's indicator catalogue"),
            ));
        };
        let Some((level_rank, level)) = catalogue::level(x.level) else {
            return Err(PluginError::Failed(format!(
                "indicator {code} names an unknown level {}",
                x.level
            )));
        };
        rank = rank.max(level_rank);
        immediate |= x.code == IND_IMMEDIATE_HARM;
        significant_harm |= x.code == IND_SIGNIFICANT_HARM;
        matched.push(x.code.to_owned());
        reasons.push(rule(
            "CAR-INDICATOR",
            format!("{} ({}) is a need for {}.", x.code, x.text, level.label),
            c(x.section, x.quote),
        ));
    }

    if request.concerns.is_empty() {
        reasons.push(rule(
            "CAR-NO-CONCERNS",
            "No concern was given: universal support, the first of the five categories of support.",
            c(S_INTRO, Q_FIVE),
        ));
    } else if !matched.is_empty() {
        reasons.push(rule(
            "CAR-HIGHEST-CATEGORY",
            format!(
                "The highest category among the matched indicators is {}. The text gives no rule for needs adding up to a higher category (see Gaps); it uses 'The Right Help at the Right Time' as the basis of discussion.",
                catalogue::level_at(rank).label
            ),
            c(S_PROCESS, Q_CYSUR_BASIS),
        ));
    }
    if free_text > 0 {
        reasons.push(rule(
            "CAR-PROFESSIONAL-JUDGEMENT",
            format!(
                "{free_text} concern(s) were given as text only and cannot be matched to the catalogue: they need professional judgement against 'The Right Help at the Right Time'{}. If unclear, discuss with a TAF Coordinator or the TAF Manager; disagreements over thresholds go to the TAF Manager and the CRT Manager.",
                if matched.is_empty() {
                    " (the recommendation stays at universal support until that judgement is made)"
                } else {
                    ""
                }
            ),
            c(S_STEP_UP, Q_SU_DISAGREE),
        ));
    }

    let protective = catalogue::level(catalogue::PROTECTIVE).map_or(5, |(r, _)| r);
    if significant_harm {
        rank = rank.max(protective);
        reasons.push(rule(
            "CAR-SIGNIFICANT-HARM",
            "A child at risk of significant harm: protective support. Refer to the Central Referral Team (CRT) without delay, under the All Wales Child Protection Procedures, even if the family refuses consent.",
            c(S_INTRO, Q_OVERRIDE),
        ));
        reasons.push(rule(
            "CAR-NO-DELAY",
            "At no time should there be any delay that could leave a child exposed to risk of significant harm, including differences in professional opinion.",
            c(S_PW_UP, Q_PW_UP_NO_DELAY),
        ));
    }
    if immediate {
        rank = rank.max(protective);
        reasons.push(rule(
            "CAR-IMMEDIATE-RISK",
            "A child at risk of immediate harm: call the police on 999 now (the national emergency number; the text names none, see Gaps), then refer to the Central Referral Team (CRT).",
            c(S_STEP_UP, Q_SU_IMMEDIATE),
        ));
    }

    let level = catalogue::level_at(rank);
    let response = if immediate {
        Response::Emergency
    } else {
        level.response
    };
    let consent = Consent::try_from(request.consent).unwrap_or(Consent::Unspecified);
    let guidance = consent_guidance(level.code, significant_harm || immediate);
    if consent == Consent::Refused {
        if guidance.may_proceed_without {
            reasons.push(rule(
                "CAR-CONSENT-OVERRIDE",
                "The family has refused consent: the refusal is overridden because of the risk of significant harm. Proceed with the referral, inform the family, and record the reason for sharing without consent.",
                c(S_INTRO, Q_OVERRIDE),
            ));
        } else if matches!(level.code, catalogue::ENHANCED | catalogue::TARGETED) {
            reasons.push(rule(
                "CAR-TAF-VOLUNTARY",
                "The family has refused: TAF is voluntary and does not engage with a family who do not want the team involved. If concerns arise about the child's safety, follow the step-up procedure.",
                c(S_INTRO, Q_NOT_ENGAGE),
            ));
        } else {
            reasons.push(rule(
                "CAR-CONSENT-REFUSED",
                "The family has refused consent; the text gives no power to proceed without it short of risk of significant harm (see Gaps).",
                c(S_INTRO, Q_OVERRIDE),
            ));
        }
    }

    let (within_age_range, age_text) = age_check(request.age.as_ref());
    reasons.push(rule("CAR-AGE-RANGE", age_text, c(S_INTRO, Q_AGE)));

    Ok(ThresholdDecision {
        recommended_level: level.code.to_owned(),
        response: response as i32,
        matched_indicators: matched,
        reasons,
        consent: Some(guidance),
        within_age_range,
    })
}

/// Whether the child is inside "from 0 until 25" (by `facts::serves` on the authority's age
/// range), and the reason in words.
pub fn age_check(age: Option<&ChildAge>) -> (bool, String) {
    let Some(a) = age else {
        return (
            false,
            "No age was given: TAF works with children and young people from 0 until 25.".into(),
        );
    };
    let within = facts::serves(&catalogue::age_range(), a);
    let text = if a.unborn {
        "An unborn child: the text works with children and young people from 0 until 25 and does not mention unborn children (see Gaps).".to_owned()
    } else if within {
        format!(
            "Aged {}: within the range TAF works with (from 0 until 25).",
            a.years
        )
    } else {
        format!(
            "Aged {}: outside the range TAF works with (from 0 until 25); the text gives no extension for any circumstance.",
            a.years
        )
    };
    (within, text)
}

/// What consent the response at this level needs.
pub fn consent_guidance(level: &str, significant_harm: bool) -> ConsentGuidance {
    if significant_harm || level == catalogue::PROTECTIVE {
        return ConsentGuidance {
            required: false,
            may_proceed_without: true,
            text: "Seek consent and inform the family where it is safe, but a refusal to share information is overridden where there are concerns that a child is exposed to the risk of significant harm (All Wales Child Protection Procedures). Families are informed of this. Record the reason for proceeding without consent.".into(),
            citation: Some(c(S_INTRO, Q_OVERRIDE)),
        };
    }
    match level {
        catalogue::UNIVERSAL => ConsentGuidance {
            required: false,
            may_proceed_without: false,
            text: "Universal support needs no referral. The text sets no consent rule for it (see Gaps); any service offered is voluntary.".into(),
            citation: Some(c(S_INTRO, Q_VOLUNTARY)),
        },
        catalogue::ENHANCED | catalogue::TARGETED => ConsentGuidance {
            required: true,
            may_proceed_without: false,
            text: "TAF is voluntary: the family's consent to the referral and to information sharing is recorded on JAFF Part 1 (signed; or verbal consent noted on the form by the referrer). TAF do not engage with a family who do not want the team involved, and a family can withdraw at any time.".into(),
            citation: Some(c(S_INTRO, Q_VOLUNTARY)),
        },
        _ => ConsentGuidance {
            required: true,
            may_proceed_without: false,
            text: "Seek the family's consent for the referral for an assessment for care and support. The text allows proceeding without it only where a child is exposed to the risk of significant harm (see Gaps).".into(),
            citation: Some(c(S_INTRO, Q_OVERRIDE)),
        },
    }
}
