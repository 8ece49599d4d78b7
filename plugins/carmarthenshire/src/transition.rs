//! Step up, step down, step across, closure and transfer in, with the conditions the protocol
//! sets for each.

use continuum_plugin_api::conformance::is_gss_code;
use continuum_plugin_api::pb::{
    ChildAge, Citation, Consent, Decider, MeetingKind, PanelEffect, RuleOutcome, TransitionAnswer,
    TransitionKind, TransitionRequest,
};
use continuum_plugin_api::{PluginError, decided_by, rule};

use crate::catalogue::{
    self, ASSESSMENT, ENHANCED, JAFF_PART_1, LevelDef, MARF, MAX_AGE_YEARS, PROTECTIVE,
    TAF_ALLOCATION, TARGETED,
};
use crate::text::*;

/// "8 weeks", in the whole days of `days_open`.
pub const EIGHT_WEEKS_IN_DAYS: u32 = 8 * 7;

/// The longest three calendar months, in days: a TAF case open longer should have had a review
/// ("at least 3 monthly"). The number is the plugin's choice (see Gaps).
pub const REVIEW_INTERVAL_DAYS: u32 = 92;

type At = (u32, &'static LevelDef);

/// What the TAF allocation meeting decided on this move, if it has.
#[derive(Clone, Copy)]
enum Allocation {
    /// Not decided yet: the move waits for the next meeting.
    Pending,
    /// Accepted (TAF multi-agency or single agency): the decision's code and its level.
    Accepted(&'static str, &'static LevelDef),
    /// Declined as not appropriate.
    Declined,
}

struct Facts<'a> {
    days_open: u32,
    consent: Consent,
    forms: &'a [String],
    meetings: Vec<MeetingKind>,
    significant_harm: bool,
    age: Option<&'a ChildAge>,
    manager_agreed: bool,
    allocation: Allocation,
}

impl Facts<'_> {
    fn has_form(&self, code: &str) -> bool {
        self.forms.iter().any(|f| f == code)
    }
    fn held(&self, kind: MeetingKind) -> bool {
        self.meetings.contains(&kind)
    }
    fn consent_given(&self) -> bool {
        matches!(
            self.consent,
            Consent::GivenVerbally | Consent::GivenInWriting
        )
    }
    fn over_eight_weeks(&self) -> bool {
        self.days_open >= EIGHT_WEEKS_IN_DAYS
    }
}

#[derive(Default)]
struct Rules {
    applied: Vec<RuleOutcome>,
    unmet: Vec<RuleOutcome>,
    /// The level the allocation meeting accepted the case at, where it decided this move.
    accepted_at: Option<&'static LevelDef>,
}

impl Rules {
    /// A condition nobody can decide away: listed as applied, and as unmet when `ok` is false.
    fn check(&mut self, ok: bool, id: &str, met: &str, not_met: &str, citation: Citation) {
        self.check_by(ok, id, met, not_met, citation, Decider::Unspecified, "");
    }

    /// A condition that `decider` decides (a panel: `panel_code`): when it is not met, the move
    /// waits for them instead of being refused.
    #[allow(clippy::too_many_arguments)]
    fn check_by(
        &mut self,
        ok: bool,
        id: &str,
        met: &str,
        not_met: &str,
        citation: Citation,
        decider: Decider,
        panel_code: &str,
    ) {
        let outcome = if ok {
            rule(id, format!("Met: {met}"), citation)
        } else {
            let outcome = rule(id, format!("Not met: {not_met}"), citation);
            if decider == Decider::Unspecified {
                outcome
            } else {
                decided_by(outcome, decider, panel_code)
            }
        };
        if !ok {
            self.unmet.push(outcome.clone());
        }
        self.applied.push(outcome);
    }

    /// A rule that applies without a condition to check (guidance on how the step proceeds).
    fn note(&mut self, id: &str, text: impl Into<String>, citation: Citation) {
        self.applied.push(rule(id, text, citation));
    }
}

fn is_taf(level: &LevelDef) -> bool {
    matches!(level.code, ENHANCED | TARGETED)
}

fn is_statutory(level: &LevelDef) -> bool {
    matches!(level.code, ASSESSMENT | PROTECTIVE)
}

fn level_field(field: &str, code: &str) -> Result<Option<At>, PluginError> {
    let code = code.trim();
    if code.is_empty() {
        return Ok(None);
    }
    catalogue::level(code).map(Some).ok_or_else(|| {
        PluginError::invalid(
            field,
            format!("{code:?} is not a Carmarthenshire category of support"),
        )
    })
}

fn required(field: &str, at: Option<At>, kind: TransitionKind) -> Result<At, PluginError> {
    at.ok_or_else(|| {
        PluginError::invalid(field, format!("empty: a {} names it", kind.as_str_name()))
    })
}

pub fn check(request: &TransitionRequest) -> Result<TransitionAnswer, PluginError> {
    let kind = TransitionKind::try_from(request.kind)
        .ok()
        .filter(|k| *k != TransitionKind::Unspecified)
        .ok_or_else(|| {
            PluginError::invalid("kind", format!("{} is not a transition kind", request.kind))
        })?;
    let current = level_field("current_level", &request.current_level)?;
    let target = level_field("target_level", &request.target_level)?;
    for (i, form) in request.forms_completed.iter().enumerate() {
        if !catalogue::is_form(form) {
            return Err(PluginError::invalid(
                format!("forms_completed[{i}]"),
                format!("{form:?} is not a Carmarthenshire form"),
            ));
        }
    }
    let from = request.from_authority.trim();
    if kind == TransitionKind::TransferIn
        && !from.is_empty()
        && (!is_gss_code(from) || from == catalogue::CODE)
    {
        return Err(PluginError::invalid(
            "from_authority",
            format!("{from:?} is not the GSS code of another authority"),
        ));
    }
    let allocation = allocation_decision(&request.panel_decision)?;
    let facts = Facts {
        manager_agreed: request.manager_agreed,
        allocation,
        days_open: request.days_open,
        consent: Consent::try_from(request.consent).unwrap_or(Consent::Unspecified),
        forms: &request.forms_completed,
        meetings: request
            .meetings_held
            .iter()
            .filter_map(|m| MeetingKind::try_from(*m).ok())
            .collect(),
        significant_harm: request.significant_harm_suspected,
        age: request.age.as_ref(),
    };

    let mut rules = Rules::default();
    let resulting = match kind {
        TransitionKind::Close => {
            let cur = required("current_level", current, kind)?;
            close(&mut rules, &facts, cur);
            None
        }
        TransitionKind::TransferIn => {
            let tgt = required("target_level", target, kind)?;
            transfer_in(&mut rules, &facts, tgt, from);
            Some(tgt)
        }
        _ => {
            let cur = required("current_level", current, kind)?;
            let tgt = required("target_level", target, kind)?;
            match kind {
                TransitionKind::StepUp => step_up(&mut rules, &facts, cur, tgt),
                TransitionKind::StepDown => step_down(&mut rules, &facts, cur, tgt),
                _ => step_across(&mut rules, &facts, tgt),
            }
            Some(tgt)
        }
    };

    let allowed = rules.unmet.is_empty();
    let resulting_level = if allowed {
        // An acceptance by the allocation meeting moves the case to the level it accepted it
        // at (TAF multi-agency or single agency), whichever was asked for.
        rules
            .accepted_at
            .or(resulting.map(|(_, l)| l))
            .map(|l| l.code.to_owned())
            .unwrap_or_default()
    } else {
        current.map(|(_, l)| l.code.to_owned()).unwrap_or_default()
    };
    Ok(TransitionAnswer {
        allowed,
        unmet: rules.unmet,
        resulting_level,
        rules_applied: rules.applied,
    })
}

/// The allocation meeting's decision named by `panel_decision` ("" when it has not decided).
fn allocation_decision(code: &str) -> Result<Allocation, PluginError> {
    let code = code.trim();
    if code.is_empty() {
        return Ok(Allocation::Pending);
    }
    let invalid = || {
        PluginError::invalid(
            "panel_decision",
            format!(
                "{code:?} is not a decision of the TAF allocation meeting ({}, {} or {})",
                catalogue::ACCEPT_MULTI_AGENCY,
                catalogue::ACCEPT_SINGLE_AGENCY,
                catalogue::DECLINE
            ),
        )
    };
    let Some(code) = [
        catalogue::ACCEPT_MULTI_AGENCY,
        catalogue::ACCEPT_SINGLE_AGENCY,
        catalogue::DECLINE,
    ]
    .into_iter()
    .find(|c| *c == code) else {
        return Err(invalid());
    };
    let option = catalogue::decision_option(code)
        .ok_or_else(|| PluginError::Failed(format!("decision {code} is not declared")))?;
    match PanelEffect::try_from(option.effect) {
        Ok(PanelEffect::Accept) => catalogue::level(&option.level_code)
            .map(|(_, level)| Allocation::Accepted(code, level))
            .ok_or_else(|| PluginError::Failed(format!("decision {code} names an unknown level"))),
        Ok(PanelEffect::Decline) => Ok(Allocation::Declined),
        _ => Err(invalid()),
    }
}

/// The ways into TAF that the allocation meeting decides.
#[derive(Clone, Copy)]
enum Pathway {
    /// A step down from statutory Children's Social Services.
    StepDown,
    /// A step across from the Central Referral Team.
    StepAcross,
    /// Any other referral into TAF on JAFF Part 1.
    Referral,
}

impl Pathway {
    /// The rule id, what to do while the meeting has not decided, and the citations of the
    /// meeting's consideration, its decisions and a decline.
    fn allocation(self) -> (&'static str, &'static str, [Citation; 3]) {
        match self {
            Pathway::StepDown => (
                "CAR-STEP-DOWN-ALLOCATION",
                "The referral comes to the next TAF allocation meeting (weekly, on a Wednesday at the present time), which accepts it as TAF multi-agency or single agency or declines it; a case closed to statutory services before then may find the referral declined.",
                [
                    c(S_SD_OVER_8, Q_NEXT_ALLOC_WED),
                    c(S_SD_OVER_8, Q_DECISIONS),
                    c(S_SD_OVER_8, Q_DECLINE_REASONS),
                ],
            ),
            Pathway::StepAcross => (
                "CAR-STEP-ACROSS-ALLOCATION",
                "The referral comes to the next weekly TAF allocation meeting, which accepts it as TAF multi-agency or single agency or declines it; the TAF coordinator records the decision on Care First and lets CRT know by e-mail.",
                [
                    c(S_STEP_ACROSS, Q_SA_ALLOC),
                    c(S_STEP_ACROSS, Q_SA_DECISIONS),
                    c(S_STEP_ACROSS, Q_SA_DECLINE),
                ],
            ),
            Pathway::Referral => (
                "CAR-TAF-ALLOCATION",
                "The referral comes to the next weekly TAF allocation meeting, which accepts it as TAF multi-agency or single agency or declines it.",
                [
                    c(S_REFERRALS, Q_ALLOC_WEEKLY),
                    c(S_SD_OVER_8, Q_DECISIONS),
                    c(S_SD_OVER_8, Q_DECLINE_REASONS),
                ],
            ),
        }
    }
}

/// The TAF allocation meeting decides whether TAF takes a referral on: the move waits for its
/// next sitting, goes ahead (at the level it accepted) once it accepts, and is refused once it
/// declines, the referrer being told why.
fn allocation(r: &mut Rules, f: &Facts, pathway: Pathway) {
    let (id, not_met, [pending, decided, declined]) = pathway.allocation();
    match f.allocation {
        Allocation::Accepted(code, level) => {
            r.accepted_at = Some(level);
            r.check(
                true,
                id,
                &format!(
                    "The TAF allocation meeting accepted the referral ({code}): {}. A TAF coordinator is identified.",
                    level.label
                ),
                "",
                decided,
            );
        }
        Allocation::Declined => r.check(
            false,
            id,
            "",
            "The TAF allocation meeting declined the referral as not appropriate: after the meeting the TAF coordinator contacts the referrer to explain the reasons, and the decision is recorded on Care First. A family can be referred again.",
            declined,
        ),
        Allocation::Pending => r.check_by(
            false,
            id,
            "",
            not_met,
            pending,
            Decider::Panel,
            TAF_ALLOCATION,
        ),
    }
}

/// Where concerns about a child's safety arise, the step-up procedure is followed: no move to
/// (or staying at) a non-statutory category while significant harm is suspected.
fn safety(r: &mut Rules, f: &Facts) {
    r.check(
        !f.significant_harm,
        "CAR-SAFETY-STEP-UP",
        "No risk of significant harm is suspected. If concerns arise about the child's safety, the step-up procedure is followed.",
        "A child is suspected to be at risk of significant harm: follow the step-up procedure (referral to the Central Referral Team) instead.",
        c(S_INTRO, Q_SAFETY_STEP_UP),
    );
}

fn age(r: &mut Rules, f: &Facts) {
    let ok = !matches!(f.age, Some(a) if !a.unborn && a.years > MAX_AGE_YEARS);
    r.check(
        ok,
        "CAR-AGE-RANGE",
        "TAF works with children and young people from 0 until 25.",
        "The young person is over 25: TAF works with children and young people from 0 until 25.",
        c(S_INTRO, Q_AGE),
    );
}

/// A referral into TAF: JAFF Part 1, the family's consent, and the allocation meeting.
fn taf_referral(r: &mut Rules, f: &Facts) {
    r.check(
        f.has_form(JAFF_PART_1),
        "CAR-TAF-JAFF-PART-1",
        "JAFF Part 1 is complete.",
        "All referrals into TAF are made on JAFF Part 1, with clear outcomes identified with the family (an incomplete form is returned).",
        c(S_REFERRALS, Q_REFERRALS_JAFF),
    );
    r.check(
        f.consent_given(),
        "CAR-TAF-CONSENT",
        "The family has consented to the referral and to information sharing.",
        "TAF is voluntary: the family's consent to the referral and to information sharing is needed, and TAF do not engage with a family who do not want the team involved.",
        c(S_INTRO, Q_VOLUNTARY),
    );
    allocation(r, f, Pathway::Referral);
}

/// A TAF plan is reviewed with the family at least 3 monthly; before support ends on a case
/// open longer than that, a review should have been held (unless the family has withdrawn).
fn review(r: &mut Rules, f: &Facts) {
    let ok = f.consent == Consent::Refused
        || f.days_open <= REVIEW_INTERVAL_DAYS
        || f.held(MeetingKind::Review);
    r.check(
        ok,
        "CAR-TAF-REVIEW",
        "The plan has been reviewed with the family at least 3 monthly (or the case is younger than 3 months, or the family has withdrawn).",
        &format!(
            "The plan is reviewed with the family at least 3 monthly: the case has been open {} days with no review; hold a review with the family before support ends.",
            f.days_open
        ),
        c(S_REFERRALS, Q_REVIEW),
    );
}

fn statutory_internal(r: &mut Rules) {
    r.note(
        "CAR-STATUTORY-INTERNAL",
        "A move between assessment for care and support and protective support is for statutory Children's Social Services under the All Wales Child Protection Procedures; this protocol sets no condition for it.",
        c(S_INTRO, Q_OVERRIDE),
    );
}

fn step_up(r: &mut Rules, f: &Facts, (cr, cur): At, (tr, tgt): At) {
    r.check(
        tr > cr,
        "CAR-STEP-UP-DIRECTION",
        &format!("A step up from {} to {}.", cur.label, tgt.label),
        &format!(
            "A step up goes to a higher category of support: {} is not above {}.",
            tgt.label, cur.label
        ),
        c(S_AIM, Q_STEP_UP_DEF),
    );
    if is_statutory(tgt) {
        if is_statutory(cur) {
            statutory_internal(r);
        } else {
            if is_taf(cur) {
                r.check_by(
                    f.significant_harm || f.manager_agreed,
                    "CAR-STEP-UP-TAF-MANAGER",
                    if f.significant_harm {
                        "A child in need of protection: the referral is made at once, with the TAF coordinator or TAF Manager supporting the keyworker, without waiting for the TAF Manager's agreement."
                    } else {
                        "The TAF Manager has agreed, after discussing the concerns with the TAF Coordinator: the coordinator may consult the CRT Manager or deputy."
                    },
                    "The TAF Coordinator discusses the concerns with the TAF Manager; only if it is agreed does the coordinator consult the Central Referral Team (CRT) Manager or deputy (directly with the CRT manager, if the TAF Manager is not available). The step up waits for that agreement.",
                    c(S_STEP_UP, Q_SU_DISCUSS_AGREED),
                    Decider::Manager,
                    "",
                );
                if cur.code == ENHANCED {
                    r.check_by(
                        f.manager_agreed
                            || f.held(MeetingKind::StepUpConversation)
                            || f.has_form(MARF),
                        "CAR-STEP-UP-SINGLE-AGENCY",
                        "Single agency case: the keyworker has consulted the TAF Manager or coordinator on a multi-agency team, or the MARF records why not.",
                        "Single agency case: the keyworker first consults the TAF Manager or coordinator on whether a multi-agency team should be the next step, or records in the MARF why not.",
                        c(S_STEP_UP, Q_SU_SINGLE),
                        Decider::Manager,
                        "",
                    );
                }
                r.note(
                    "CAR-STEP-UP-TAF-STAYS-OPEN",
                    "TAF does not close the case on a step up: it stays open until the outcome of the S47 enquiry or assessment for care and support has been discussed between the teams, and closes to TAF if the case will be open to the statutory service long term.",
                    c(S_STEP_UP, Q_SU_S47),
                );
            }
            r.check(
                f.has_form(MARF),
                "CAR-STEP-UP-REFERRAL",
                "The multi-agency referral (MARF) to Children's Social Services is complete.",
                "Complete the multi-agency referral (MARF) to Children's Social Services, with a telephone call to the CRT Manager or deputy where a child needs protection and urgent safeguarding.",
                c(S_STEP_UP, Q_SU_PROTECTION),
            );
        }
        if f.significant_harm {
            r.note(
                "CAR-NO-DELAY",
                "At no time should there be any delay that could leave a child exposed to risk of significant harm, including differences in professional opinion.",
                c(S_PW_UP, Q_PW_UP_NO_DELAY),
            );
        }
    } else if is_taf(tgt) {
        safety(r, f);
        age(r, f);
        if cur.code == ENHANCED {
            // TAF single agency to TAF multi-agency.
            r.check_by(
                f.manager_agreed || f.held(MeetingKind::StepUpConversation),
                "CAR-STEP-UP-SINGLE-AGENCY",
                "The keyworker has consulted the TAF Manager or coordinator on whether a multi-agency team should be the next step.",
                "With a single agency case, the keyworker consults the TAF Manager or coordinator on whether a multi-agency team should be the next step: the move waits for them.",
                c(S_STEP_UP, Q_SU_SINGLE),
                Decider::Manager,
                "",
            );
            r.check(
                f.consent_given(),
                "CAR-TAF-CONSENT",
                "The family consents to the wider TAF involvement.",
                "TAF is voluntary: the family's consent is needed, and TAF do not engage with a family who do not want the team involved.",
                c(S_INTRO, Q_VOLUNTARY),
            );
        } else {
            taf_referral(r, f);
        }
    }
}

fn step_down(r: &mut Rules, f: &Facts, (cr, cur): At, (tr, tgt): At) {
    r.check(
        tr < cr,
        "CAR-STEP-DOWN-DIRECTION",
        &format!("A step down from {} to {}.", cur.label, tgt.label),
        &format!(
            "A step down goes to a lower category of support: {} is not below {}.",
            tgt.label, cur.label
        ),
        c(S_AIM, Q_STEP_DOWN_DEF),
    );
    if is_statutory(tgt) {
        statutory_internal(r);
        return;
    }
    safety(r, f);
    if is_statutory(cur) {
        let over = f.over_eight_weeks();
        if over {
            r.note(
                "CAR-STEP-DOWN-8-WEEKS",
                format!(
                    "Open {} days (8 weeks or more): the social worker fully completes JAFF Part 1 with clear outcomes and signed family consent; the referral goes to the TAF allocation meeting, then a stepdown meeting; the case closes to statutory services from the start date agreed there.",
                    f.days_open
                ),
                c(S_SD_OVER_8, Q_OVER_8_OPEN),
            );
        } else {
            r.note(
                "CAR-STEP-DOWN-8-WEEKS",
                format!(
                    "Open {} days (under 8 weeks): the case should be closed if no further intervention is required from statutory services; the family is given JAFF Part 1 to self-refer, or the social worker helps them complete it and notes verbal consent on the form.",
                    f.days_open
                ),
                c(S_PW_DOWN, Q_PW_DOWN_UNDER_8),
            );
        }
        if is_taf(tgt) {
            age(r, f);
            r.check(
                f.has_form(JAFF_PART_1),
                "CAR-STEP-DOWN-JAFF",
                "JAFF Part 1 is complete, with clear outcomes identified with the family.",
                "Complete JAFF Part 1 with clear outcomes identified with the family and send it to the TAF box (an incomplete form is returned to the social worker).",
                if over {
                    c(S_SD_OVER_8, Q_OVER_8_JAFF)
                } else {
                    c(S_SD_UNDER_8, Q_UNDER_8_JAFF)
                },
            );
            if over {
                r.check(
                    f.consent == Consent::GivenInWriting,
                    "CAR-STEP-DOWN-CONSENT",
                    "The family has signed consent to the referral and to information sharing.",
                    "A case open 8 weeks or more needs signed family consent to the referral and to information sharing on JAFF Part 1.",
                    c(S_SD_OVER_8, Q_OVER_8_JAFF),
                );
            } else {
                r.check(
                    f.consent_given(),
                    "CAR-STEP-DOWN-CONSENT",
                    "The family has consented (verbal consent is noted on the form).",
                    "The family's consent is needed (verbal consent is noted on the form by the social worker).",
                    c(S_SD_UNDER_8, Q_VERBAL_NOTE),
                );
            }
            allocation(r, f, Pathway::StepDown);
            r.note(
                "CAR-STEP-DOWN-MEETING",
                if f.held(MeetingKind::StepDownMeeting) {
                    "The stepdown meeting between the TAF coordinator, the social worker and the family has been held."
                } else {
                    "Once TAF accepts, the TAF coordinator contacts the social worker, and a stepdown meeting between the coordinator, the social worker and the family discusses JAFF Part 1, confirms the family's understanding of TAF and their outcomes, forms the TAF intervention plan and agrees the date TAF support starts; the case closes to statutory Children's Services from that date, provided records on Care First are complete."
                },
                c(S_SD_OVER_8, Q_STEPDOWN_MEETING),
            );
            r.note(
                "CAR-STEP-DOWN-SAFETY-PLAN",
                "Confirm the family can manage their own safety plan: TAF do not manage safety plans.",
                c(S_STEP_DOWN, Q_SAFETY_PLAN),
            );
        } else {
            r.note(
                "CAR-STEP-DOWN-NO-FURTHER-ACTION",
                "No further intervention is required: the case is closed to the department. If the family wish or need ongoing support, they can be given JAFF Part 1 to self-refer to TAF.",
                c(S_SD_UNDER_8, Q_UNDER_8_CLOSE),
            );
        }
    } else if is_taf(cur) {
        if is_taf(tgt) {
            // TAF multi-agency to TAF single agency.
            age(r, f);
            r.check(
                f.consent != Consent::Refused,
                "CAR-TAF-VOLUNTARY",
                "The family continues to accept support.",
                "The family has refused the service: TAF is voluntary, so close the TAF case instead.",
                c(S_INTRO, Q_VOLUNTARY),
            );
            r.note(
                "CAR-TAF-PLAN",
                "The text sets no other condition for moving from multi-agency to single agency support; the plan is reviewed with the family at least 3 monthly.",
                c(S_REFERRALS, Q_REVIEW),
            );
        } else {
            r.note(
                "CAR-TAF-OUTCOME",
                "Support ends when the family can function without outside support, with links in the wider family and community; families can be referred again.",
                c(S_REFERRALS, Q_OVERALL_AIM),
            );
            review(r, f);
        }
    }
}

fn step_across(r: &mut Rules, f: &Facts, (_, tgt): At) {
    r.check(
        is_taf(tgt),
        "CAR-STEP-ACROSS-TARGET",
        &format!(
            "A step across from the Central Referral Team to TAF ({}).",
            tgt.label
        ),
        &format!(
            "A step across is a referral from the Central Referral Team to TAF (enhanced or targeted support) where the threshold for statutory intervention is not met; {} is not a TAF category (use a step up for statutory services).",
            tgt.label
        ),
        c(S_AIM, Q_STEP_ACROSS_DEF),
    );
    safety(r, f);
    age(r, f);
    r.check(
        f.has_form(JAFF_PART_1),
        "CAR-STEP-ACROSS-JAFF",
        "CRT has completed JAFF Part 1 with clear outcomes identified with the family.",
        "CRT completes JAFF Part 1 with clear outcomes identified with the family (sections not discussed with the parents marked NOT DISCUSSED) and sends it to the TAF box.",
        c(S_STEP_ACROSS, Q_SA_JAFF),
    );
    r.check(
        f.consent_given(),
        "CAR-STEP-ACROSS-CONSENT",
        "The form records that the family have given verbal consent to the referral and to information sharing.",
        "The form must record that the family have given verbal consent to the referral and to information sharing.",
        c(S_PW_ACROSS, Q_PW_ACROSS_JAFF),
    );
    allocation(r, f, Pathway::StepAcross);
}

fn close(r: &mut Rules, f: &Facts, (_, cur): At) {
    if is_statutory(cur) {
        r.check(
            !f.significant_harm,
            "CAR-CLOSE-AT-RISK",
            "No risk of significant harm is suspected.",
            "A child is suspected to be at risk of significant harm: do not close; there should be no delay that would leave a child exposed to risk of significant harm.",
            c(S_STEP_UP, Q_SU_NO_DELAY),
        );
        if f.over_eight_weeks() {
            r.note(
                "CAR-CLOSE-STATUTORY",
                "Open 8 weeks or more: if the family still need support, step down to TAF first; the case then closes to statutory Children's Services from the start date agreed at the stepdown meeting, provided records on Care First are complete. Closing earlier means the outcome of the TAF referral is unknown.",
                c(S_PW_DOWN, Q_PW_DOWN_CLOSED),
            );
        } else {
            r.note(
                "CAR-CLOSE-STATUTORY",
                "Open under 8 weeks with no further need of social services intervention: the case is closed to the department; if the family want ongoing support they are given JAFF Part 1 to self-refer to TAF, or helped to complete it.",
                c(S_SD_UNDER_8, Q_UNDER_8_CLOSE),
            );
        }
        return;
    }
    safety(r, f);
    if is_taf(cur) {
        r.note(
            "CAR-TAF-VOLUNTARY",
            "TAF is voluntary: a family can withdraw at any time, or refuse the service.",
            c(S_INTRO, Q_VOLUNTARY),
        );
        r.check(
            !f.significant_harm,
            "CAR-CLOSE-S47",
            "No step up is pending.",
            "When TAF steps up a case and an S47 enquiry is needed, TAF does not close the case until the outcome of the S47 has been discussed between the teams.",
            c(S_STEP_UP, Q_SU_S47),
        );
        review(r, f);
    } else {
        r.note(
            "CAR-CLOSE-UNIVERSAL",
            "Universal support: no case is held under this protocol, so there is no condition for closing it.",
            c(S_INTRO, Q_FIVE),
        );
    }
}

fn transfer_in(r: &mut Rules, f: &Facts, (_, tgt): At, from: &str) {
    let from = if from.is_empty() {
        "another authority"
    } else {
        from
    };
    r.note(
        "CAR-TRANSFER-IN",
        format!(
            "Transfer in from {from}: the text has no rule for families moving from another authority (see Gaps), so it is treated as a new referral."
        ),
        c(S_REFERRALS, Q_REFER_AGAIN),
    );
    if is_statutory(tgt) {
        r.note(
            "CAR-CRT-GATEWAY",
            "Referred through the Central Referral Team, the 'gateway' into social care services.",
            c(S_STEP_ACROSS, Q_SA_GATEWAY),
        );
        return;
    }
    safety(r, f);
    if is_taf(tgt) {
        age(r, f);
        taf_referral(r, f);
    }
}
