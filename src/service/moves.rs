//! What happens to a case when it moves, shared by every RPC that moves one (TransitionCase,
//! DecideTransitionRequest, a panel's decision): the authority's transition check with the facts
//! the service holds, whether a refused move can wait for someone's decision instead, the move
//! itself (level, deadlines, closure), and a referral opening a case.

use chrono::{DateTime, Utc};
use continuum_plugin_api::Authority;
use continuum_plugin_api::pb::{
    AuthorityDescription, CaseEvent as PluginCaseEvent, Decider, RuleOutcome, TransitionAnswer,
    TransitionKind, TransitionRequest,
};

use super::common::{child_age, event, new_id, plugin_ref, today};
use super::tracking::{Timescales, cancel};
use crate::auth::Caller;
use crate::convert::{instant, timestamp};
use crate::error::{ApiError, Unmet};
use crate::pb::{self, CaseStatus};

/// The facts of a move, as asked for (a request, or a pending transition request).
#[derive(Debug, Clone, Default)]
pub(crate) struct Move {
    pub kind: TransitionKind,
    pub target_level: String,
    pub reason: String,
    pub consent: Option<pb::ConsentRecord>,
    pub forms_completed: Vec<String>,
    pub significant_harm_suspected: bool,
    pub from_authority: String,
    /// A manager agreed it.
    pub manager_agreed: bool,
    /// The panel decision option a panel took on it, if one did.
    pub panel_decision: String,
    /// For a closure: the census reason for closure, if given.
    pub closure_reason: String,
}

impl Move {
    pub fn of_request(r: &pb::TransitionCaseRequest) -> Move {
        Move {
            kind: TransitionKind::try_from(r.kind).unwrap_or(TransitionKind::Unspecified),
            target_level: r.target_level.clone(),
            reason: r.reason.clone(),
            consent: r.consent.clone(),
            forms_completed: r.forms_completed.clone(),
            significant_harm_suspected: r.significant_harm_suspected,
            from_authority: r.from_authority.clone(),
            closure_reason: r.closure_reason.clone(),
            ..Move::default()
        }
    }

    pub fn of_pending(p: &pb::TransitionRequestRecord) -> Move {
        Move {
            kind: TransitionKind::try_from(p.kind).unwrap_or(TransitionKind::Unspecified),
            target_level: p.target_level.clone(),
            reason: p.reason.clone(),
            consent: p.consent.clone(),
            forms_completed: p.forms_completed.clone(),
            significant_harm_suspected: p.significant_harm_suspected,
            from_authority: p.from_authority.clone(),
            closure_reason: p.closure_reason.clone(),
            ..Move::default()
        }
    }

    /// "step up", "close", ...
    pub fn label(&self) -> String {
        self.kind
            .as_str_name()
            .trim_start_matches("TRANSITION_KIND_")
            .to_lowercase()
            .replace('_', " ")
    }
}

/// Ask the authority's rules about `m` on `case` at `at`, given the kinds of meetings held.
pub(crate) fn check(
    timescales: &Timescales,
    case: &pb::Case,
    m: &Move,
    held: &[i32],
    at: DateTime<Utc>,
) -> Result<TransitionAnswer, ApiError> {
    let level_since = instant(case.level_time.as_ref()).unwrap_or(at);
    let request = TransitionRequest {
        kind: m.kind as i32,
        current_level: case.level.clone(),
        target_level: m.target_level.clone(),
        days_open: (at - level_since).num_days().max(0) as u32,
        consent: m.consent.as_ref().map(|c| c.status).unwrap_or_default(),
        forms_completed: m.forms_completed.clone(),
        meetings_held: held.to_vec(),
        significant_harm_suspected: m.significant_harm_suspected,
        from_authority: m.from_authority.clone(),
        age: child_age(case.child.as_ref(), today(at)),
        manager_agreed: m.manager_agreed,
        panel_decision: m.panel_decision.clone(),
    };
    timescales
        .plugin
        .check_transition(&request)
        .map_err(|e| ApiError::from_plugin(e, ""))
}

/// Whether a move the rules refuse can wait instead: every unmet condition is one a panel, a
/// meeting or a manager decides.
pub(crate) fn can_wait(answer: &TransitionAnswer) -> bool {
    !answer.allowed
        && !answer.unmet.is_empty()
        && answer
            .unmet
            .iter()
            .all(|u| u.decided_by != Decider::Unspecified as i32)
}

/// FAILED_PRECONDITION for a move the rules refuse, each unmet condition with its citation.
pub(crate) fn refusal(d: &AuthorityDescription, m: &Move, unmet: &[RuleOutcome]) -> ApiError {
    ApiError::FailedPrecondition {
        summary: format!(
            "{}'s rules do not allow this {} yet: {}",
            d.name,
            m.label(),
            unmet
                .iter()
                .map(|u| u.text.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ),
        unmet: unmet
            .iter()
            .map(|u| Unmet {
                kind: u.rule_id.clone(),
                subject: u
                    .citation
                    .as_ref()
                    .map(|c| format!("{} § {}", c.source, c.section))
                    .unwrap_or_default(),
                description: u.text.clone(),
            })
            .collect(),
    }
}

/// INVALID_ARGUMENT for a closure reason that needs what the case lacks: RC8 and RC9 ("closed
/// after assessment") need the case's assessment recorded.
pub(crate) fn closure_allowed(case: &pb::Case, m: &Move) -> Result<(), ApiError> {
    if continuum_domain::census::closure_needs_assessment(&m.closure_reason)
        && case.assessment.is_none()
    {
        return Err(ApiError::invalid(
            "closure_reason",
            format!(
                "{} is a closure after assessment: record the case's assessment first",
                m.closure_reason
            ),
        ));
    }
    Ok(())
}

/// Make the move the rules allowed (`answer`) on `case` at `at`, and say what happened.
/// `requested` is whether a step up was already asked for (a pending request), so that its
/// timescales are not started twice.
pub(crate) fn make(
    timescales: &Timescales,
    case: &mut pb::Case,
    m: &Move,
    answer: &TransitionAnswer,
    at: DateTime<Utc>,
    caller: &Caller,
    requested: bool,
) -> Result<pb::CaseEvent, ApiError> {
    let from_level = case.level.clone();
    if m.kind == TransitionKind::StepUp && !requested {
        timescales.on_event(case, PluginCaseEvent::StepUpRequested, at)?;
    }
    if m.kind == TransitionKind::Close {
        closure_allowed(case, m)?;
        case.status = CaseStatus::Closed as i32;
        case.close_time = Some(timestamp(at));
        case.closure_reason.clone_from(&m.closure_reason);
        cancel(case, at, "the case closed", |_| false);
    } else {
        let to = if answer.resulting_level.is_empty() {
            m.target_level.clone()
        } else {
            answer.resulting_level.clone()
        };
        if to != case.level {
            case.level_time = Some(timestamp(at));
            // What the old level's timescales asked no longer applies at the new one.
            let reason = format!("the case moved from {from_level} to {to}");
            cancel(case, at, &reason, |d| d.level == to);
        }
        case.level = to;
        let case_event = match m.kind {
            TransitionKind::StepUp => Some(PluginCaseEvent::SteppedUp),
            TransitionKind::StepDown => Some(PluginCaseEvent::StepDownAgreed),
            TransitionKind::TransferIn => Some(PluginCaseEvent::TransferIn),
            _ => None,
        };
        if let Some(case_event) = case_event {
            timescales.on_event(case, case_event, at)?;
        }
    }
    case.pending_transition = None;
    case.consent = m.consent.clone();
    let kind_name = m
        .kind
        .as_str_name()
        .trim_start_matches("TRANSITION_KIND_")
        .to_lowercase();
    let mut e = event(
        &format!("case.{kind_name}"),
        &case.name,
        caller,
        at,
        match m.kind {
            TransitionKind::Close => format!("Case closed at level {from_level}"),
            _ => format!("{} from {from_level} to {}", m.label(), case.level),
        },
    );
    e.rules = answer.rules_applied.clone();
    e.plugin = Some(plugin_ref(timescales.plugin.description()));
    e.from_level = from_level;
    e.to_level = if m.kind == TransitionKind::Close {
        String::new()
    } else {
        case.level.clone()
    };
    e.consent = m.consent.clone();
    e.reason = m.reason.clone();
    Ok(e)
}

/// Record `m` as the case's pending transition request, waiting for the deciders of `answer`'s
/// unmet conditions (`agenda_item`: the panel item that decides it, if a panel does). A step up
/// asked for starts its timescales now, at the case's current level.
pub(crate) fn wait(
    timescales: &Timescales,
    case: &mut pb::Case,
    m: &Move,
    answer: &TransitionAnswer,
    agenda_item: &str,
    at: DateTime<Utc>,
    caller: &Caller,
) -> Result<pb::CaseEvent, ApiError> {
    if m.kind == TransitionKind::StepUp {
        timescales.on_event(case, PluginCaseEvent::StepUpRequested, at)?;
    }
    let plugin = plugin_ref(timescales.plugin.description());
    case.pending_transition = Some(pb::TransitionRequestRecord {
        name: format!("{}/transitionRequests/{}", case.name, new_id()),
        kind: m.kind as i32,
        from_level: case.level.clone(),
        target_level: m.target_level.clone(),
        reason: m.reason.clone(),
        consent: m.consent.clone(),
        forms_completed: m.forms_completed.clone(),
        significant_harm_suspected: m.significant_harm_suspected,
        from_authority: m.from_authority.clone(),
        awaiting: answer.unmet.clone(),
        agenda_item: agenda_item.to_owned(),
        requested_by: caller.actor(),
        request_time: Some(timestamp(at)),
        plugin: Some(plugin.clone()),
        closure_reason: m.closure_reason.clone(),
    });
    let deciders: Vec<String> = answer
        .unmet
        .iter()
        .map(|u| {
            Decider::try_from(u.decided_by)
                .map(|d| {
                    d.as_str_name()
                        .trim_start_matches("DECIDER_")
                        .to_lowercase()
                })
                .unwrap_or_default()
        })
        .collect();
    let mut e = event(
        "case.transition_requested",
        &case.name,
        caller,
        at,
        format!(
            "{} to {} requested: waits for the {}",
            m.label(),
            m.target_level,
            deciders.join(", ")
        ),
    );
    e.rules = answer.unmet.clone();
    e.plugin = Some(plugin);
    e.from_level = case.level.clone();
    e.to_level = m.target_level.clone();
    e.consent = m.consent.clone();
    e.reason = m.reason.clone();
    Ok(e)
}

/// The panel that decides a waiting move: the first unmet condition a panel decides, if any
/// (`Some("")` for the authority's main panel).
pub(crate) fn deciding_panel(answer: &TransitionAnswer) -> Option<&str> {
    answer
        .unmet
        .iter()
        .find(|u| u.decided_by == Decider::Panel as i32)
        .map(|u| u.panel_code.as_str())
}

/// The cases a referral opens at `level`, at `at`: one for each of its children (its `child`,
/// then `other_children`) but those `excluded` (by child number), each with the deadlines a
/// referral received and accepted start and the names of its family's other cases. Not yet
/// written.
///
/// One case per child: England's returns count children, and each child's level, plan and
/// closure can differ; the family stays one through the referral they share (`family_cases`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn open_cases(
    timescales: &Timescales,
    authority: &str,
    referral_name: &str,
    referral: &pb::Referral,
    excluded: &[u32],
    level: &str,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<pb::Case>, ApiError> {
    let children = referral.child.iter().chain(&referral.other_children);
    let mut cases = Vec::new();
    for (i, child) in children.enumerate() {
        if excluded.contains(&(i as u32)) {
            continue;
        }
        cases.push(open_case(
            timescales,
            authority,
            referral_name,
            referral,
            child,
            level,
            at,
            now,
        )?);
    }
    let names: Vec<String> = cases.iter().map(|c| c.name.clone()).collect();
    for case in &mut cases {
        case.family_cases = names.iter().filter(|n| **n != case.name).cloned().collect();
    }
    Ok(cases)
}

/// A case opened for `child` of `referral` (named `referral_name`) at `level`, at `at`, with the
/// deadlines a referral received and accepted start. Not yet written.
#[allow(clippy::too_many_arguments)]
fn open_case(
    timescales: &Timescales,
    authority: &str,
    referral_name: &str,
    referral: &pb::Referral,
    child: &pb::Child,
    level: &str,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<pb::Case, ApiError> {
    let mut case = pb::Case {
        name: continuum_domain::names::case(authority, &new_id()),
        referral: referral_name.to_owned(),
        status: CaseStatus::Open as i32,
        level: level.to_owned(),
        child: Some(child.clone()),
        consent: referral.consent.clone(),
        open_time: Some(timestamp(at)),
        level_time: Some(timestamp(at)),
        update_time: Some(timestamp(now)),
        primary_need: referral
            .decision
            .as_ref()
            .map(|d| d.primary_need.clone())
            .unwrap_or_default(),
        ..Default::default()
    };
    // What the authority's timescales ask of a referral received (a decision within a week,
    // say) is tracked on the case it opens, from when it was received, and met by the
    // acceptance if the rule says so.
    if let Some(received) = instant(referral.receive_time.as_ref()) {
        timescales.on_event(
            &mut case,
            PluginCaseEvent::ReferralReceived,
            received.min(at),
        )?;
    }
    timescales.on_event(&mut case, PluginCaseEvent::ReferralAccepted, at)?;
    Ok(case)
}

/// A new item for the agenda of `panel`'s next sitting on or after `on_or_after` (`panel` empty:
/// the authority's main panel), queued at `at`. The caller says what it is about.
pub(crate) fn agenda_item(
    timescales: &Timescales,
    authority: &str,
    panel: &str,
    on_or_after: chrono::NaiveDate,
    at: DateTime<Utc>,
) -> Result<pb::AgendaItem, ApiError> {
    let answer = timescales
        .plugin
        .next_panel(&continuum_plugin_api::pb::PanelRequest {
            panel_code: panel.to_owned(),
            on_or_after: on_or_after.format("%Y-%m-%d").to_string(),
        })
        .map_err(|e| ApiError::from_plugin(e, "panel"))?;
    let code = answer
        .panel
        .map(|p| p.code)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| {
            ApiError::precondition(
                format!(
                    "{} has no panel to queue this for",
                    timescales.plugin.description().name
                ),
                "PANEL",
                "the authority's rules name no panel",
            )
        })?;
    Ok(pb::AgendaItem {
        name: continuum_domain::names::agenda_item(authority, &code, &new_id()),
        sitting_date: answer.next_sitting,
        state: pb::AgendaItemState::Queued as i32,
        queue_time: Some(timestamp(at)),
        ..Default::default()
    })
}
