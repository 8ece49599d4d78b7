//! Which level of need a set of concerns points to.

use std::collections::BTreeSet;

use continuum_plugin_api::pb::{
    ChildAge, Consent, ConsentGuidance, Domain, Response, RuleOutcome, ThresholdDecision,
    ThresholdRequest,
};
use continuum_plugin_api::{PluginError, facts, rule};

use crate::catalogue::{self, Entry, level_code};
use crate::describe::{
    ACCUMULATION_MIN_DOMAINS, ACCUMULATION_MIN_INDICATORS, ACCUMULATION_QUOTE, AGE_QUOTE,
    MAX_AGE_YEARS, MAX_RANK, age_range, response_of,
};
use crate::source::*;

pub(crate) const SIGNIFICANT_HARM_QUOTE: &str = "If you believe a child is at risk of significant harm, the child must always be referred to children's social care without delay via Worcestershire's Family Front Door using the Referral to Children's Social Care";
pub(crate) const SHARE_DESPITE_REFUSAL: &str = "In some circumstances, children will need a formal referral to children's social care as there is a child protection concern and parents may refuse consent. The information must still be shared despite consent being refused.";
pub(crate) const AGREEMENT_LEVELS: &str = "Where practicable, concerns should be discussed with the parent or carer, and with the child if appropriate, and agreement sought for accessing or referring to another agency (levels 2 & 3), which may include children's social care (level 4) unless seeking agreement is likely to:";
pub(crate) const REFUSED_REFERRAL: &str = "Where the parent refuses to give permission for the referral, unless it would cause undue delay, further advice should be sought from a manager or the nominated safeguarding lead and the outcome recorded.";
/// Agreement is not sought where seeking it would put the child at risk of significant harm.
pub(crate) const NOT_SOUGHT_FOR_HARM: &str = "agreement sought for accessing or referring to another agency (levels 2 & 3), which may include children's social care (level 4) unless seeking agreement is likely to: ... place the child at risk of significant harm";
const EXPLAIN_NO_CONSENT: &str = "When making a referral like this, then it is important to explain why consent was not established and/or why the referrer considered that it would pose a risk to the child to seek consent.";
const REFUSED_EARLY_HELP: &str = "If a parent or carer does not give consent to engage with early help support and this raises concerns about the ability of the parents or carers to promote their child's welfare, and might lead to their inability to protect the child, a referral should be made to children's social care via the Family Front Door.";

pub(crate) fn assess(request: &ThresholdRequest) -> Result<ThresholdDecision, PluginError> {
    let consent = consent_of(request.consent, "consent")?;
    let age = validate_age(request.age.as_ref(), "age")?;
    let mut reasons: Vec<RuleOutcome> = Vec::new();

    // 1. Every concern: a catalogue code, or free text for professional judgement.
    let mut matched: Vec<(String, Entry)> = Vec::new();
    for (i, concern) in request.concerns.iter().enumerate() {
        let code = concern.indicator_code.trim();
        let given_domain = Domain::try_from(concern.domain).map_err(|_| {
            PluginError::invalid(
                format!("concerns[{i}].domain"),
                format!("{} is not a domain", concern.domain),
            )
        })?;
        if code.is_empty() {
            if concern.text.trim().is_empty() {
                return Err(PluginError::invalid(
                    format!("concerns[{i}].indicator_code"),
                    "empty, and the concern has no text either",
                ));
            }
            reasons.push(rule(
                "WOR-PROFESSIONAL-JUDGEMENT",
                format!(
                    "concerns[{i}] has no indicator code, only text (\"{}\"): it needs professional \
                     judgement against the Appendix 1 examples and is not counted towards the level.",
                    concern.text.trim()
                ),
                c(
                    S_INTRO,
                    "Every child and family is unique and their needs should be considered on a case by case basis and decisions made using professional judgement, supported by this guidance.",
                ),
            ));
            continue;
        }
        let Some(entry) = catalogue::lookup(code) else {
            return Err(PluginError::invalid(
                format!("concerns[{i}].indicator_code"),
                format!("{code:?} is not in the Worcestershire Appendix 1 catalogue"),
            ));
        };
        if given_domain != Domain::Unspecified && given_domain != entry.domain {
            reasons.push(rule(
                "WOR-DOMAIN-FROM-CATALOGUE",
                format!(
                    "concerns[{i}] gives the domain {}, but {code} is listed under {} in Appendix 1; \
                     the catalogue's domain is used.",
                    given_domain.as_str_name(),
                    entry.domain.as_str_name()
                ),
                c(&app1_level(entry.level), entry.quote),
            ));
        }
        if !matched.iter().any(|(c, _)| c == code) {
            matched.push((code.to_owned(), entry));
        }
    }

    for (code, entry) in &matched {
        reasons.push(rule(
            "WOR-INDICATOR",
            format!(
                "{code} is a level {} example ({}: {}): \"{}\".",
                entry.level,
                domain_label(entry.domain),
                entry.area,
                entry.text
            ),
            c(&app1_level(entry.level), entry.quote),
        ));
    }

    // 2. The highest level among the matched examples.
    let highest = matched.iter().map(|(_, e)| e.level).max();
    let mut rank = match highest {
        Some(level) => {
            reasons.push(rule(
                "WOR-HIGHEST-LEVEL",
                format!("The highest level among the matched examples is level {level}."),
                c(
                    S_LEVELS,
                    "Appendix 1 contains a set of tables giving examples of needs at each level.",
                ),
            ));
            level
        }
        None => {
            reasons.push(rule(
                "WOR-NO-INDICATORS",
                "No Appendix 1 example was given, so nothing points beyond level 1; any free-text \
                 concern needs professional judgement.",
                c(
                    S_LEVELS,
                    "Level 1 represents children with no identified additional needs.",
                ),
            ));
            1
        }
    };

    // 3. Accumulation (levels 2 and 3 only: level 1 examples are strengths).
    if let Some(level) = highest.filter(|l| (2..MAX_RANK).contains(l)) {
        let at_level: Vec<&Entry> = matched
            .iter()
            .map(|(_, e)| e)
            .filter(|e| e.level == level)
            .collect();
        let domains: BTreeSet<i32> = at_level.iter().map(|e| e.domain as i32).collect();
        if at_level.len() >= ACCUMULATION_MIN_INDICATORS
            && domains.len() >= ACCUMULATION_MIN_DOMAINS
        {
            rank = level + 1;
            reasons.push(rule(
                "WOR-ACCUMULATION",
                format!(
                    "{} level {level} examples across {} domains: an accumulation raises the \
                     recommendation to level {rank}. (The number is the plugin's: {} or more \
                     examples at the highest level over at least {} domains; the text gives none.)",
                    at_level.len(),
                    domains.len(),
                    ACCUMULATION_MIN_INDICATORS,
                    ACCUMULATION_MIN_DOMAINS
                ),
                c(S_LEVELS, ACCUMULATION_QUOTE),
            ));
        } else if at_level.len() > 1 {
            reasons.push(rule(
                "WOR-ACCUMULATION-JUDGEMENT",
                format!(
                    "{} level {level} examples over {} domain(s): below the plugin's accumulation \
                     rule ({} examples over {} domains), so the level is not raised; consider \
                     whether together they increase the child's vulnerability.",
                    at_level.len(),
                    domains.len(),
                    ACCUMULATION_MIN_INDICATORS,
                    ACCUMULATION_MIN_DOMAINS
                ),
                c(S_LEVELS, ACCUMULATION_QUOTE),
            ));
        }
    }

    // 4. Always-apply rules.
    if request.significant_harm_suspected {
        rank = MAX_RANK;
        reasons.push(rule(
            "WOR-SIGNIFICANT-HARM",
            "Significant harm is suspected: level 4. Refer to children's social care without \
             delay via the Family Front Door using the Referral to Children's Social Care, even \
             if consent is refused.",
            c(S_JUDGEMENT, SIGNIFICANT_HARM_QUOTE),
        ));
    }
    let mut response = response_of(rank);
    if request.immediate_risk {
        rank = MAX_RANK;
        response = Response::Emergency;
        reasons.push(rule(
            "WOR-IMMEDIATE-RISK",
            "The child is at immediate risk of harm: contact the Police on 999, then refer to \
             Children's Social Care via the Family Front Door (01905 822666, out of hours \
             01905 768020).",
            c(
                S_APP3,
                "If you believe that a child or young person is at immediate risk of harm, contact the Police on 999.",
            ),
        ));
    }

    reasons.push(level_rule(rank));

    // 5. Consent.
    let harm = request.significant_harm_suspected || request.immediate_risk;
    let (guidance, consent_reasons) = consent_guidance(rank, harm, consent);
    reasons.extend(consent_reasons);

    // 6. Age.
    let (within_age_range, age_reason) = age_rule(age);
    reasons.push(age_reason);

    Ok(ThresholdDecision {
        recommended_level: level_code(rank),
        response: response as i32,
        matched_indicators: matched.into_iter().map(|(code, _)| code).collect(),
        reasons,
        consent: Some(guidance),
        within_age_range,
    })
}

fn domain_label(domain: Domain) -> &'static str {
    match domain {
        Domain::ChildDevelopmentalNeeds => "Child's Developmental Needs",
        Domain::ParentingCapacity => "Parenting Capacity",
        Domain::FamilyAndEnvironmentalFactors => "Family & Environmental Factors",
        Domain::Unspecified => "no domain",
    }
}

/// The rule that states what the recommended level means and calls for.
fn level_rule(rank: u32) -> RuleOutcome {
    match rank {
        0 | 1 => rule(
            "WOR-LEVEL-1",
            "Level 1 (Universal Services): needs met through universal services; no referral.",
            c(
                S_LEVELS,
                "Level 1 represents children with no identified additional needs.",
            ),
        ),
        2 => rule(
            "WOR-LEVEL-2",
            "Level 2 (Additional Support): a universal service providing additional support or \
             straightforward working with one or more partners; early help (Early Intervention \
             Family Support).",
            c(
                S_LEVELS,
                "Level 2 represents children with extra needs that can be met by a universal service providing additional support or straightforward working with one or more partners",
            ),
        ),
        3 => rule(
            "WOR-LEVEL-3",
            "Level 3 (Targeted Support): a coordinated multi-agency plan; early help (Early Help \
             Assessment, Family Plan, Targeted Family Support). Request Early Help Family Support \
             online at www.worcestershire.gov.uk/requestfamilysupport.",
            c(
                S_LEVELS,
                "Level 3 represents children with complex or escalating needs that can only be met by a coordinated multi-agency plan",
            ),
        ),
        _ => rule(
            "WOR-LEVEL-4",
            "Level 4 (Statutory Social Work Intervention): refer to children's social care via \
             the Family Front Door (01905 822666; out of hours 01905 768020).",
            c(
                S_APP2,
                "If you have a new safeguarding concern regarding a child or young person, or consider that a child is in need of specialist support from children's social care in line with this guidance",
            ),
        ),
    }
}

/// What consent the recommended response needs (section 4).
fn consent_guidance(
    rank: u32,
    harm: bool,
    consent: Consent,
) -> (ConsentGuidance, Vec<RuleOutcome>) {
    let mut reasons = Vec::new();
    let refused = consent == Consent::Refused;
    let guidance = if harm {
        let text = "Significant harm: the referral goes ahead without delay even if consent is \
                    refused (or not sought where seeking it would place the child at risk of \
                    significant harm or risk the loss of evidential material); record why consent \
                    was not established.";
        if consent != Consent::GivenVerbally && consent != Consent::GivenInWriting {
            reasons.push(rule(
                "WOR-SHARE-WITHOUT-CONSENT",
                format!("{text} Explain why consent was not established when referring."),
                c(S_INFO, EXPLAIN_NO_CONSENT),
            ));
        }
        // The sentence that lets this referral go ahead without consent: despite a refusal, or
        // without asking where asking would itself put the child at risk.
        let citation = match consent {
            Consent::NotSought | Consent::Unspecified => c(S_INFO, NOT_SOUGHT_FOR_HARM),
            _ => c(S_INFO, SHARE_DESPITE_REFUSAL),
        };
        ConsentGuidance {
            required: false,
            may_proceed_without: true,
            text: text.to_owned(),
            citation: Some(citation),
        }
    } else if rank >= MAX_RANK {
        if refused {
            reasons.push(rule(
                "WOR-CONSENT-REFUSED-REFERRAL",
                "The parent refuses permission for the referral: unless it would cause undue \
                 delay, seek further advice from a manager or the nominated safeguarding lead and \
                 record the outcome; if there is a child protection concern the information must \
                 still be shared.",
                c(S_INFO, REFUSED_REFERRAL),
            ));
        }
        ConsentGuidance {
            required: true,
            may_proceed_without: false,
            text:
                "Seek the agreement of the parent or carer (and the child if appropriate) to the \
                   referral to children's social care, unless seeking it is likely to place the \
                   child at risk of significant harm or lead to the loss of evidential material. \
                   If permission is refused, seek advice from a manager or the nominated \
                   safeguarding lead and record the outcome."
                    .to_owned(),
            citation: Some(c(S_INFO, AGREEMENT_LEVELS)),
        }
    } else if rank >= 2 {
        if refused {
            reasons.push(rule(
                "WOR-CONSENT-REFUSED-EARLY-HELP",
                "Consent to early help is refused: the lead professional judges whether, without \
                 help, the child's needs will escalate; if the refusal raises concerns about the \
                 parents' ability to promote the child's welfare or protect the child, refer to \
                 children's social care via the Family Front Door.",
                c(S_INFO, REFUSED_EARLY_HELP),
            ));
        }
        ConsentGuidance {
            required: true,
            may_proceed_without: false,
            text: "Seek the consent of the parents and the child (if the child has capacity) \
                   before sharing information with or referring to another agency (levels 2 & 3)."
                .to_owned(),
            citation: Some(c(S_INFO, AGREEMENT_LEVELS)),
        }
    } else {
        ConsentGuidance {
            required: false,
            may_proceed_without: false,
            text: "Level 1: no referral is needed. Before sharing information with partner \
                   agencies, always seek the consent of the parents and the child (if the child \
                   has capacity)."
                .to_owned(),
            citation: Some(c(
                S_INFO,
                "Practitioners should always seek the consent of the parents and the child, if the child has capacity, before proceeding to share information with partner agencies.",
            )),
        }
    };
    (guidance, reasons)
}

/// Whether the child is inside the range the text supports (see the "Upper age" gap), as
/// `facts::serves` reads the description's age range.
fn age_rule(age: Option<&ChildAge>) -> (bool, RuleOutcome) {
    let citation = c(S_EARLY_HELP, AGE_QUOTE);
    let Some(a) = age else {
        return (
            true,
            rule(
                "WOR-AGE-RANGE",
                "No age was given; the child is assumed to be within the range (pre-birth to 17).",
                citation,
            ),
        );
    };
    let within = facts::serves(&age_range(), a);
    let text = if a.unborn {
        "An unborn child is served \"from pre-birth\" (the text gives no week of pregnancy, so \
         any unborn child)."
            .to_owned()
    } else if within {
        format!("Aged {}: within the range (to {MAX_AGE_YEARS}).", a.years)
    } else {
        format!(
            "Aged {}: beyond the plugin's range (to {MAX_AGE_YEARS}); the text says only \
             \"through to the teenage years\", so use professional judgement.",
            a.years
        )
    };
    (within, rule("WOR-AGE-RANGE", text, citation))
}

/// Decode a consent value from the request.
pub(crate) fn consent_of(value: i32, field: &str) -> Result<Consent, PluginError> {
    Consent::try_from(value)
        .map_err(|_| PluginError::invalid(field, format!("{value} is not a consent value")))
}

/// Check a child's age for contradictions.
pub(crate) fn validate_age<'a>(
    age: Option<&'a ChildAge>,
    field: &str,
) -> Result<Option<&'a ChildAge>, PluginError> {
    if let Some(a) = age {
        if a.unborn && a.years > 0 {
            return Err(PluginError::invalid(
                format!("{field}.years"),
                "an unborn child has no age in years",
            ));
        }
        if a.gestation_weeks > 42 {
            return Err(PluginError::invalid(
                format!("{field}.gestation_weeks"),
                format!("{} weeks is not a pregnancy", a.gestation_weeks),
            ));
        }
    }
    Ok(age)
}

#[cfg(test)]
mod tests {
    use super::*;
    use continuum_plugin_api::pb::Concern;

    fn guidance(indicator: &str, harm: bool, consent: Consent) -> ConsentGuidance {
        let request = ThresholdRequest {
            concerns: vec![Concern {
                indicator_code: indicator.into(),
                ..Default::default()
            }],
            significant_harm_suspected: harm,
            consent: consent as i32,
            ..Default::default()
        };
        assess(&request)
            .ok()
            .and_then(|d| d.consent)
            .unwrap_or_default()
    }

    /// Early help (levels 2 and 3) needs the family's agreement: the service refuses to open
    /// an early help case with consent refused.
    #[test]
    fn early_help_requires_consent() {
        for (indicator, level) in [("WOR-L2-EDUCATION-01", 2), ("WOR-L3-EBD-02", 3)] {
            for consent in [Consent::Refused, Consent::NotSought] {
                let g = guidance(indicator, false, consent);
                assert!(g.required, "level {level}");
                assert!(!g.may_proceed_without, "level {level}");
                let citation = g.citation.unwrap_or_default();
                assert_eq!(citation.section, S_INFO);
                assert_eq!(citation.quote, AGREEMENT_LEVELS);
            }
        }
    }

    /// "unless seeking agreement is likely to: place the child at risk of significant harm";
    /// "The information must still be shared despite consent being refused."
    #[test]
    fn significant_harm_proceeds_without_consent_citing_why() {
        let not_sought = guidance("WOR-L2-EDUCATION-01", true, Consent::NotSought);
        assert!(!not_sought.required);
        assert!(not_sought.may_proceed_without);
        assert_eq!(
            not_sought.citation.unwrap_or_default().quote,
            NOT_SOUGHT_FOR_HARM
        );
        let refused = guidance("WOR-L4-HEALTH-05", true, Consent::Refused);
        assert!(refused.may_proceed_without);
        assert_eq!(
            refused.citation.unwrap_or_default().quote,
            SHARE_DESPITE_REFUSAL
        );
        // Immediate risk alone (999) proceeds too.
        let request = ThresholdRequest {
            immediate_risk: true,
            consent: Consent::Refused as i32,
            ..Default::default()
        };
        let immediate = assess(&request)
            .ok()
            .and_then(|d| d.consent)
            .unwrap_or_default();
        assert!(immediate.may_proceed_without);
    }

    /// A level 4 referral without significant harm still seeks agreement (and advice from a
    /// manager where it is refused).
    #[test]
    fn a_level_4_referral_without_harm_seeks_agreement() {
        let g = guidance("WOR-L4-HEALTH-05", false, Consent::Refused);
        assert!(g.required);
        assert!(!g.may_proceed_without);
    }
}
