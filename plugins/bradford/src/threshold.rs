//! Threshold assessment: indicators to a level, plus the rules that always apply.

use continuum_plugin_api::pb::{
    ChildAge, Citation, Consent, ConsentGuidance, RuleOutcome, ThresholdDecision, ThresholdRequest,
};
use continuum_plugin_api::{PluginError, facts, rule};

use crate::catalogue::{
    L1, L2, L3, L4, LOOKED_AFTER_MAX_AGE, MAX_AGE, MAX_EXTENDED_AGE, age_range, code_of, indicator,
    level_number, rank, response_of,
};
use crate::cite::*;

const Q_SEEK_CONSENT: &str = "At the start of our involvement, we seek the “consent” of the parent or young person to share information with colleagues in other agencies.";

/// Whether a child of this age is inside the age range (`facts::serves` on the description's
/// range, extensions by circumstance included), why, and the sentence relied on.
pub(crate) fn age_check(age: Option<&ChildAge>) -> (bool, String, Citation) {
    let Some(a) = age else {
        return (
            true,
            "No age given: treated as within the age range (unborn from 24 weeks of gestation up \
             to and including 17)."
                .to_owned(),
            m(M_G_AGES, Q_AGES),
        );
    };
    let within = facts::serves(&age_range(), a);
    let base = m(M_G_AGES, Q_AGES);
    if a.unborn {
        let text = if within {
            format!(
                "Unborn child at {} weeks of gestation: within the age range (from 24 weeks).",
                a.gestation_weeks
            )
        } else {
            format!(
                "Unborn child at {} weeks of gestation: before the 24 weeks from which unborn \
                 children are served.",
                a.gestation_weeks
            )
        };
        return (within, text, base);
    }
    let years = a.years;
    if years <= MAX_AGE {
        return (
            within,
            format!("Aged {years}: within the age range (up to and including 17)."),
            base,
        );
    }
    if within && a.looked_after && years <= LOOKED_AFTER_MAX_AGE {
        return (
            within,
            format!(
                "Aged {years} and looked after: within the extended age range (up to and \
                 including 20)."
            ),
            m(M_G_AGES, Q_AGES_LOOKED_AFTER),
        );
    }
    if within {
        return (
            within,
            format!(
                "Aged {years} with a learning difficulty or disability: within the extended age \
                 range (up to and including 24)."
            ),
            m(M_G_AGES, Q_AGES_LDD),
        );
    }
    let text = if years <= LOOKED_AFTER_MAX_AGE {
        format!(
            "Aged {years}: above the age range of 17, unless the young person has been looked \
             after (to 20), has a learning difficulty or disability (to 24), or an agency serves \
             them for a smooth transition to adult services (to 24, the agency's judgement: not \
             applied here)."
        )
    } else if years <= MAX_EXTENDED_AGE {
        format!(
            "Aged {years}: above the age range of 17, unless the young person has a learning \
             difficulty or disability (to 24) or an agency serves them for a smooth transition \
             to adult services (to 24, the agency's judgement: not applied here)."
        )
    } else {
        format!(
            "Aged {years}: above every age range the text gives (17; 20 if looked after; 24 with \
             a learning difficulty or disability)."
        )
    };
    (within, text, base)
}

fn consent_given(consent: i32) -> bool {
    consent == Consent::GivenVerbally as i32 || consent == Consent::GivenInWriting as i32
}

fn consent_guidance(level: &str, harm: bool) -> ConsentGuidance {
    let (required, may_proceed_without, text, citation) = if harm {
        (
            false,
            true,
            "A child at risk of significant harm is referred to Children's Social Care without \
             delay, even when consent is refused or has not been sought: record the reason for \
             proceeding without consent. (The text refers to the Bradford Information Sharing \
             Guidance for when to act without consent.)",
            m(M_G_CONSENT, Q_CONSENT_WITHOUT),
        )
    } else {
        match level {
            L1 => (
                false,
                false,
                "Universal services: no referral is needed. Seek the consent of the parent or \
                 young person before sharing information with colleagues in other agencies.",
                m(M_G_CONSENT, Q_SEEK_CONSENT),
            ),
            L2 => (
                true,
                false,
                "A common assessment, Team Around the Child meeting and Action Plan need the \
                 consent of the young person and the parents.",
                m(M_CASE_EMERGING, Q_CAF_CONSENT),
            ),
            L3 => (
                true,
                false,
                "Targeted support is arranged with the family's consent (the Level 3 text says \
                 nothing about consent; the older text's step up to targeted support is \"with \
                 Sally's consent\").",
                m(M_CASE_COMPLEX, Q_TARGETED_CONSENT),
            ),
            _ => (
                true,
                false,
                "Where significant harm is not suspected, a Level 4 referral is made with the \
                 family's agreement (the plugin's conservative reading; the text says most work \
                 is done with agreement).",
                m(M_G_CONSENT, Q_CONSENT_AGREEMENT),
            ),
        }
    };
    ConsentGuidance {
        required,
        may_proceed_without,
        text: text.to_owned(),
        citation: Some(citation),
    }
}

fn next_step(level: &str) -> RuleOutcome {
    match level {
        L1 => rule(
            "BRA-NEXT-STEP-L1",
            "Level 1: needs are met by universal services (education, health, Children's \
             Centres, voluntary services, Youth Service); no referral.",
            m(M_FOREWORD, Q_UNIVERSAL),
        ),
        L2 => rule(
            "BRA-NEXT-STEP-L2",
            "Level 2: early support for emerging or additional needs. If your own agency cannot \
             meet the needs, complete the Pre-CAF Checklist (or an agency specific tool), check \
             with the CAF Administration Team for an open CAF, and with consent hold a Team Around \
             the Child meeting that identifies a Lead Practitioner and agrees an Action Plan.",
            m(M_CASE_UNIVERSAL, Q_PRE_CAF),
        ),
        L3 => rule(
            "BRA-NEXT-STEP-L3",
            "Level 3: before referring, speak with your Safeguarding Lead, ask \"Have I/we done \
             everything I/we can to help and support the family?\" and refer to the Continuum of \
             Need document; then call 01274 433999. A Family Support Worker will be allocated \
             and take over as Lead Practitioner.",
            t(T_HOW_TO_REFER, Q_CALL),
        ),
        _ => rule(
            "BRA-NEXT-STEP-L4",
            "Level 4: refer to Children's Social Care for a statutory response (01274 433999 in \
             office hours; Emergency Duty Team 01274 431010 at all other times).",
            t(T_INCREASES, Q_UP_TAF),
        ),
    }
}

pub(crate) fn assess(request: &ThresholdRequest) -> Result<ThresholdDecision, PluginError> {
    let mut matched: Vec<String> = Vec::new();
    let mut reasons = Vec::new();
    let mut highest: u32 = 0;
    let mut harm_indicators: Vec<&str> = Vec::new();
    let mut free_text = 0usize;

    for (i, concern) in request.concerns.iter().enumerate() {
        let code = concern.indicator_code.trim();
        if code.is_empty() {
            if concern.text.trim().is_empty() {
                return Err(PluginError::invalid(
                    format!("concerns[{i}]"),
                    "a concern needs an indicator_code from the catalogue or a text",
                ));
            }
            free_text += 1;
            continue;
        }
        let def = indicator(code).ok_or_else(|| {
            PluginError::invalid(
                format!("concerns[{i}].indicator_code"),
                format!("{code:?} is not in the Bradford indicator catalogue"),
            )
        })?;
        if matched.iter().any(|m| m == def.code) {
            continue;
        }
        matched.push(def.code.to_owned());
        highest = highest.max(rank(def.level).unwrap_or_default());
        if def.harm {
            harm_indicators.push(def.code);
        }
        reasons.push(rule(
            "BRA-INDICATOR-MATCH",
            format!(
                "{} (Level {}): {}",
                def.code,
                level_number(def.level),
                def.text
            ),
            def.citation(),
        ));
    }

    if free_text > 0 {
        reasons.push(rule(
            "BRA-PROFESSIONAL-JUDGEMENT",
            format!(
                "{free_text} concern(s) given as text only, without an indicator code: they are \
                 recorded but need professional judgement and discussion between practitioners; \
                 they do not set the level."
            ),
            m(M_INTER_AGENCY, Q_DISCUSSION),
        ));
    }

    let mut level = if highest == 0 {
        if request.concerns.is_empty()
            && !request.immediate_risk
            && !request.significant_harm_suspected
        {
            reasons.push(rule(
                "BRA-NO-CONCERNS",
                "No concerns given: needs are met by universal services (Level 1).",
                m(M_FOREWORD, Q_UNIVERSAL),
            ));
        } else if !request.immediate_risk && !request.significant_harm_suspected {
            reasons.push(rule(
                "BRA-NO-INDICATORS",
                "No catalogue indicator matched: Level 1 (universal services) unless professional \
                 judgement or the rules below say otherwise.",
                m(M_FOREWORD, Q_NOT_HARD_AND_FAST),
            ));
        }
        L1
    } else {
        let code = code_of(highest).unwrap_or(L1);
        reasons.push(rule(
            "BRA-HIGHEST-LEVEL",
            format!(
                "Recommended level is the highest among the matched indicators: Level {}. The \
                 texts state no rule for adding concerns up to a higher level (see the gap \
                 \"Accumulation of concerns\").",
                level_number(code)
            ),
            m(M_G_STEP, Q_DIFFERENT_SERVICES),
        ));
        code
    };

    let harm =
        request.immediate_risk || request.significant_harm_suspected || !harm_indicators.is_empty();
    if harm {
        level = L4;
        let why = if request.significant_harm_suspected || request.immediate_risk {
            "Significant harm is suspected".to_owned()
        } else {
            format!(
                "The matched indicators {} describe significant harm",
                harm_indicators.join(", ")
            )
        };
        reasons.push(rule(
            "BRA-SIGNIFICANT-HARM",
            format!(
                "{why}: you must not keep the concern to yourself. Refer to Children's Social Care \
                 without delay (Level 4; 01274 433999 in office hours, Emergency Duty Team 01274 \
                 431010 at all other times), even when consent is refused; record the reason for \
                 proceeding without consent."
            ),
            m(M_WHAT_TO_DO, Q_NOT_KEEP),
        ));
    }

    let response = if request.immediate_risk {
        reasons.push(rule(
            "BRA-IMMEDIATE-RISK",
            "A child at immediate risk of harm: contact the police on 999 now, then refer to \
             Children's Social Care (Level 4).",
            m(M_WHAT_TO_DO, Q_999),
        ));
        continuum_plugin_api::pb::Response::Emergency
    } else {
        response_of(level)
    };

    let consent = consent_guidance(level, harm);
    if request.consent == Consent::Refused as i32 && !harm && level != L1 {
        reasons.push(rule(
            "BRA-CONSENT-REFUSED",
            "Consent has been refused and significant harm is not suspected: the multi-agency \
             response cannot go ahead without the family's agreement; continue the support your \
             own agency can give, keep the needs under review and refer if significant harm \
             becomes a concern.",
            m(M_G_CONSENT, Q_CONSENT_AGREEMENT),
        ));
    } else if !harm && level != L1 && !consent_given(request.consent) {
        reasons.push(rule(
            "BRA-CONSENT-NEEDED",
            "Consent has not been given yet: seek the consent of the parent or young person \
             before sharing information and referring.",
            m(M_G_CONSENT, Q_SEEK_CONSENT),
        ));
    }

    let (within_age_range, age_text, age_citation) = age_check(request.age.as_ref());
    reasons.push(rule("BRA-AGE-RANGE", age_text, age_citation));
    reasons.push(next_step(level));

    Ok(ThresholdDecision {
        recommended_level: level.to_owned(),
        response: response as i32,
        matched_indicators: matched,
        reasons,
        consent: Some(consent),
        within_age_range,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use continuum_plugin_api::pb::Concern;

    #[test]
    fn ages() {
        let born = |years| ChildAge {
            years,
            ..Default::default()
        };
        let unborn = |weeks| ChildAge {
            unborn: true,
            gestation_weeks: weeks,
            ..Default::default()
        };
        let looked_after = |years| ChildAge {
            years,
            looked_after: true,
            ..Default::default()
        };
        let ldd = |years| ChildAge {
            years,
            learning_difficulty_or_disability: true,
            ..Default::default()
        };
        // shared/seeds/002_2258f4b7c0005b84.txt: "If a child or young person has been looked
        // after, that age range is up to and including young people of 20 years of age." and
        // up to 24 with a learning difficulty or disability.
        assert!(age_check(Some(&looked_after(20))).0);
        assert!(!age_check(Some(&looked_after(21))).0);
        assert!(age_check(Some(&ldd(24))).0);
        assert!(!age_check(Some(&ldd(25))).0);
        assert!(age_check(Some(&born(17))).0);
        assert!(!age_check(Some(&born(18))).0);
        assert!(!age_check(Some(&born(25))).0);
        assert!(age_check(Some(&unborn(24))).0);
        assert!(!age_check(Some(&unborn(23))).0);
        assert!(age_check(None).0);
    }

    #[test]
    fn harm_indicator_alone_goes_to_level_4_without_consent() {
        let request = ThresholdRequest {
            concerns: vec![Concern {
                indicator_code: "BRA-L4-ILL-TREATMENT".into(),
                ..Default::default()
            }],
            consent: Consent::Refused as i32,
            ..Default::default()
        };
        let d = assess(&request).unwrap();
        assert_eq!(d.recommended_level, L4);
        assert!(d.consent.unwrap().may_proceed_without);
        assert!(
            d.reasons
                .iter()
                .any(|r| r.rule_id == "BRA-SIGNIFICANT-HARM")
        );
    }

    #[test]
    fn looked_after_is_level_4_but_needs_consent() {
        let request = ThresholdRequest {
            concerns: vec![Concern {
                indicator_code: "BRA-L4-LOOKED-AFTER".into(),
                ..Default::default()
            }],
            consent: Consent::GivenInWriting as i32,
            ..Default::default()
        };
        let d = assess(&request).unwrap();
        assert_eq!(d.recommended_level, L4);
        let c = d.consent.unwrap();
        assert!(c.required && !c.may_proceed_without);
    }

    #[test]
    fn bad_concerns_name_the_field() {
        let request = ThresholdRequest {
            concerns: vec![
                Concern {
                    text: "worried".into(),
                    ..Default::default()
                },
                Concern::default(),
                Concern {
                    indicator_code: "NOPE".into(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        assert!(matches!(assess(&request),
            Err(PluginError::InvalidRequest { field, .. }) if field == "concerns[1]"));
        let request = ThresholdRequest {
            concerns: vec![
                Concern {
                    text: "worried".into(),
                    ..Default::default()
                },
                Concern {
                    indicator_code: "NOPE".into(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        assert!(matches!(assess(&request),
            Err(PluginError::InvalidRequest { field, .. }) if field == "concerns[1].indicator_code"));
    }

    #[test]
    fn free_text_only_is_noted() {
        let request = ThresholdRequest {
            concerns: vec![Concern {
                text: "family struggling".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let d = assess(&request).unwrap();
        assert_eq!(d.recommended_level, L1);
        assert!(
            d.reasons
                .iter()
                .any(|r| r.rule_id == "BRA-PROFESSIONAL-JUDGEMENT")
        );
    }
}
