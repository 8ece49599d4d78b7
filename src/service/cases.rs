//! CaseService: allocation, the team, contacts, the plan, transitions and history.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use continuum_domain::{Violations, names};
use continuum_plugin_api::Authority;
use continuum_plugin_api::pb::{CaseEvent as PluginCaseEvent, TransitionKind, TransitionRequest};
use continuum_storage::{self as storage, CaseFilter, case};
use prost::Message;

use super::referrals::{child_age, validate_consent};
use super::{
    PageRequest, check_etag, decode, etag, event, own, parent_authority, plugin_ref, record,
    remember, replay, request_hash, start_deadlines, validate_request_id,
};
use crate::AppState;
use crate::auth::Caller;
use crate::convert::{date, from_timestamp, timestamp};
use crate::error::{ApiError, Unmet};
use crate::pb::{self, CaseStatus, ContactKind};

pub(super) fn status_str(s: CaseStatus) -> &'static str {
    match s {
        CaseStatus::Unspecified => "UNSPECIFIED",
        CaseStatus::Open => "OPEN",
        CaseStatus::Closed => "CLOSED",
    }
}

pub(super) fn from_row(row: &case::Model) -> Result<pb::Case, ApiError> {
    let mut c: pb::Case = decode(&row.body)?;
    c.etag = etag(row.version);
    Ok(c)
}

fn parse_own(caller: &Caller, name: &str) -> Result<names::CaseName, ApiError> {
    let n = names::parse_case("name", name)?;
    own(caller, &n.authority, name)?;
    Ok(n)
}

pub async fn get(
    state: &AppState,
    caller: Caller,
    r: pb::GetCaseRequest,
) -> Result<pb::Case, ApiError> {
    let n = parse_own(&caller, &r.name)?;
    let row = storage::get_case(state.store().db(), &n.authority, &n.id)
        .await?
        .ok_or(ApiError::NotFound(r.name))?;
    from_row(&row)
}

pub async fn list(
    state: &AppState,
    caller: Caller,
    r: pb::ListCasesRequest,
) -> Result<pb::ListCasesResponse, ApiError> {
    let authority = parent_authority(&caller, "parent", &r.parent)?;
    let mut v = Violations::new();
    let status = match CaseStatus::try_from(r.status) {
        Ok(CaseStatus::Unspecified) => None,
        Ok(s) => Some(status_str(s).to_owned()),
        Err(_) => {
            v.add("status", "is not a case status");
            None
        }
    };
    let filter = CaseFilter {
        level: Some(r.level.clone()).filter(|l| !l.is_empty()),
        status,
        allocated_worker: Some(r.allocated_worker.clone()).filter(|w| !w.is_empty()),
    };
    let filter_key = format!(
        "{authority}|{:?}|{:?}|{:?}",
        filter.level, filter.status, filter.allocated_worker
    );
    let page = PageRequest::read(r.page_size, &r.page_token, &filter_key, &mut v);
    v.into_result()?;
    let rows = storage::list_cases(
        state.store().db(),
        &authority,
        &filter,
        page.after.as_deref(),
        page.limit(),
    )
    .await?;
    let (rows, next_page_token) = page.finish(rows, |last| last.id.clone());
    let cases = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    Ok(pb::ListCasesResponse {
        cases,
        next_page_token,
    })
}

/// What a change to a case needs besides the change itself.
struct Change<'a> {
    method: &'static str,
    name: &'a str,
    etag: &'a str,
    etag_required: bool,
    request_id: &'a str,
    hash: String,
}

impl<'a> Change<'a> {
    fn new(method: &'static str, name: &'a str, etag: &'a str) -> Self {
        Change {
            method,
            name,
            etag,
            etag_required: false,
            request_id: "",
            hash: String::new(),
        }
    }

    /// Retries with the same `request_id` (and request `hash`) return the case as it is.
    fn idempotent(self, request_id: &'a str, hash: String) -> Self {
        Change {
            request_id,
            hash,
            ..self
        }
    }

    fn etag_required(self) -> Self {
        Change {
            etag_required: true,
            ..self
        }
    }
}

/// Load a case in a write transaction, check its etag and that it is open, apply `f` (which
/// changes the case and says what happened), and write the case with its history event.
async fn modify(
    state: &AppState,
    caller: &Caller,
    change: Change<'_>,
    f: impl FnOnce(&mut pb::Case, DateTime<Utc>) -> Result<pb::CaseEvent, ApiError>,
) -> Result<pb::Case, ApiError> {
    caller.require_write()?;
    let n = parse_own(caller, change.name)?;
    let txn = state.store().begin_write().await?;
    if replay(
        &*txn,
        caller,
        change.request_id,
        change.method,
        &change.hash,
    )
    .await?
    .is_some()
    {
        let row = storage::get_case(&*txn, &n.authority, &n.id)
            .await?
            .ok_or_else(|| ApiError::NotFound(change.name.into()))?;
        return from_row(&row);
    }
    let row = storage::get_case(&*txn, &n.authority, &n.id)
        .await?
        .ok_or_else(|| ApiError::NotFound(change.name.into()))?;
    check_etag("etag", change.etag, row.version, change.etag_required)?;
    let mut case = from_row(&row)?;
    if case.status == CaseStatus::Closed as i32 {
        return Err(ApiError::precondition(
            "the case is closed",
            "STATE",
            "case status is CLOSED",
        ));
    }
    let now = Utc::now();
    let event = f(&mut case, now)?;
    case.update_time = Some(timestamp(now));
    case.etag = String::new();
    let status = CaseStatus::try_from(case.status).unwrap_or(CaseStatus::Unspecified);
    let updated = case::Model {
        status: status_str(status).into(),
        level: case.level.clone(),
        allocated_worker: case.allocated_worker.as_ref().map(|w| w.name.clone()),
        body: case.encode_to_vec(),
        updated_at: now,
        version: row.version + 1,
        ..row.clone()
    };
    if !storage::update_case(&*txn, &updated, row.version).await? {
        return Err(ApiError::Aborted(
            "the case changed while this change was being made; read it again and retry".into(),
        ));
    }
    record(
        &*txn,
        &n.authority,
        row.referral_id.as_deref(),
        Some(&n.id),
        event,
        now,
    )
    .await?;
    remember(
        &*txn,
        caller,
        change.request_id,
        change.method,
        &change.hash,
        change.name,
        now,
    )
    .await?;
    txn.commit().await?;
    from_row(&updated)
}

pub async fn allocate(
    state: &AppState,
    caller: Caller,
    r: pb::AllocateCaseRequest,
) -> Result<pb::Case, ApiError> {
    let n = parse_own(&caller, &r.name)?;
    let plugin = state.authority(&n.authority)?.clone();
    let d = plugin.description();
    let mut v = Violations::new();
    match &r.worker {
        None => v.add("worker", "is required"),
        Some(w) => {
            v.require(&w.name, "worker.name");
            v.check(
                d.roles.iter().any(|role| role.code == w.role),
                "worker.role",
                format!(
                    "{:?} is not one of {}'s roles ({})",
                    w.role,
                    d.name,
                    d.roles
                        .iter()
                        .map(|r| r.code.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    v.into_result()?;
    let worker = r.worker.clone().unwrap_or_default();
    let change = Change::new("AllocateCase", &r.name, &r.etag);
    modify(state, &caller, change, |case, now| {
        start_deadlines(case, &plugin, PluginCaseEvent::CaseAllocated, now)?;
        case.allocated_worker = Some(worker.clone());
        let mut e = event(
            "case.allocated",
            &r.name,
            &caller,
            now,
            format!("Allocated to {} ({})", worker.name, worker.role),
        );
        e.plugin = Some(plugin_ref(d));
        Ok(e)
    })
    .await
}

pub async fn update_team(
    state: &AppState,
    caller: Caller,
    r: pb::UpdateTeamRequest,
) -> Result<pb::Case, ApiError> {
    let mut v = Violations::new();
    v.check(
        !(r.join.is_empty() && r.leave.is_empty()),
        "join",
        "name at least one member joining or leaving",
    );
    for (i, m) in r.join.iter().enumerate() {
        v.require(&m.name, format!("join[{i}].name"));
        v.require(&m.agency, format!("join[{i}].agency"));
    }
    v.into_result()?;
    let change = Change::new("UpdateTeam", &r.name, &r.etag);
    modify(state, &caller, change, |case, now| {
        let mut v = Violations::new();
        let present: HashSet<String> = case.team.iter().map(|m| m.name.clone()).collect();
        for (i, name) in r.leave.iter().enumerate() {
            v.check(
                present.contains(name),
                format!("leave[{i}]"),
                format!("{name:?} is not in the team"),
            );
        }
        for (i, m) in r.join.iter().enumerate() {
            v.check(
                !present.contains(&m.name) || r.leave.contains(&m.name),
                format!("join[{i}].name"),
                format!("{:?} is already in the team", m.name),
            );
        }
        v.into_result()?;
        case.team.retain(|m| !r.leave.contains(&m.name));
        for m in &r.join {
            case.team.push(pb::TeamMember {
                join_time: Some(timestamp(now)),
                ..m.clone()
            });
        }
        let joined: Vec<String> = r
            .join
            .iter()
            .map(|m| format!("{} ({})", m.name, m.agency))
            .collect();
        Ok(event(
            "case.team_updated",
            &r.name,
            &caller,
            now,
            format!(
                "Team around the family: joined [{}], left [{}]",
                joined.join(", "),
                r.leave.join(", ")
            ),
        ))
    })
    .await
}

pub async fn record_contact(
    state: &AppState,
    caller: Caller,
    mut r: pb::RecordContactRequest,
) -> Result<pb::Case, ApiError> {
    let n = parse_own(&caller, &r.name)?;
    let plugin = state.authority(&n.authority)?.clone();
    let mut v = Violations::new();
    validate_request_id(&r.request_id, &mut v);
    let now = Utc::now();
    let mut when = None;
    match &r.contact {
        None => v.add("contact", "is required"),
        Some(c) => {
            v.check(
                matches!(ContactKind::try_from(c.kind), Ok(k) if k != ContactKind::Unspecified),
                "contact.kind",
                "is required: phone call, home visit or other",
            );
            match from_timestamp("contact.contact_time", c.contact_time.as_ref()) {
                Ok(Some(t)) => {
                    v.check(
                        t <= now + Duration::minutes(5),
                        "contact.contact_time",
                        "is in the future",
                    );
                    when = Some(t);
                }
                Ok(None) => v.add("contact.contact_time", "is required"),
                Err(e) => v.0.extend(e.0),
            }
        }
    }
    v.into_result()?;
    let request_id = std::mem::take(&mut r.request_id);
    let hash = request_hash(&r);
    let contact = r.contact.clone().unwrap_or_default();
    let change = Change::new("RecordContact", &r.name, &r.etag).idempotent(&request_id, hash);
    modify(state, &caller, change, |case, now| {
        let first = case.contacts.is_empty();
        let kind = ContactKind::try_from(contact.kind).unwrap_or(ContactKind::Other);
        case.contacts.push(pb::ContactRecord {
            recorded_by: caller.actor(),
            ..contact.clone()
        });
        if first {
            start_deadlines(
                case,
                &plugin,
                PluginCaseEvent::FirstContactMade,
                when.unwrap_or(now),
            )?;
        }
        let label = kind
            .as_str_name()
            .trim_start_matches("CONTACT_KIND_")
            .to_lowercase()
            .replace('_', " ");
        Ok(event(
            "case.contact_recorded",
            &r.name,
            &caller,
            now,
            format!("Contact with the family: {label}"),
        ))
    })
    .await
}

pub async fn update_plan(
    state: &AppState,
    caller: Caller,
    r: pb::UpdatePlanRequest,
) -> Result<pb::Case, ApiError> {
    let n = parse_own(&caller, &r.name)?;
    let plugin = state.authority(&n.authority)?.clone();
    let mut v = Violations::new();
    match &r.plan {
        None => v.add("plan", "is required"),
        Some(plan) => {
            v.check(
                !plan.outcomes.is_empty(),
                "plan.outcomes",
                "a plan has at least one outcome",
            );
            for (i, o) in plan.outcomes.iter().enumerate() {
                v.require(&o.need, format!("plan.outcomes[{i}].need"));
                v.require(&o.action, format!("plan.outcomes[{i}].action"));
                v.require(&o.who, format!("plan.outcomes[{i}].who"));
                v.require(&o.measure, format!("plan.outcomes[{i}].measure"));
                date(&format!("plan.outcomes[{i}].by_date"), &o.by_date, &mut v);
            }
        }
    }
    v.into_result()?;
    let plan = r.plan.clone().unwrap_or_default();
    let change = Change::new("UpdatePlan", &r.name, &r.etag);
    modify(state, &caller, change, |case, now| {
        let first = case.plan.is_none();
        case.plan = Some(pb::Plan {
            outcomes: plan.outcomes.clone(),
            update_time: Some(timestamp(now)),
        });
        if first {
            start_deadlines(case, &plugin, PluginCaseEvent::PlanAgreed, now)?;
        }
        Ok(event(
            "case.plan_updated",
            &r.name,
            &caller,
            now,
            format!(
                "Plan {} with {} outcomes",
                if first { "agreed" } else { "updated" },
                plan.outcomes.len()
            ),
        ))
    })
    .await
}

fn citation_text(c: Option<&continuum_plugin_api::pb::Citation>) -> String {
    c.map(|c| format!("{} § {}", c.source, c.section))
        .unwrap_or_default()
}

pub async fn transition(
    state: &AppState,
    caller: Caller,
    mut r: pb::TransitionCaseRequest,
) -> Result<pb::Case, ApiError> {
    let n = parse_own(&caller, &r.name)?;
    let plugin = state.authority(&n.authority)?.clone();
    let d = plugin.description();
    let mut v = Violations::new();
    validate_request_id(&r.request_id, &mut v);
    let kind = TransitionKind::try_from(r.kind).unwrap_or(TransitionKind::Unspecified);
    v.check(
        kind != TransitionKind::Unspecified,
        "kind",
        "is required: step up, step down, step across, close or transfer in",
    );
    if kind == TransitionKind::Close {
        v.check(
            r.target_level.is_empty(),
            "target_level",
            "must be empty for a closure",
        );
    } else if kind != TransitionKind::Unspecified {
        v.check(
            d.levels.iter().any(|l| l.code == r.target_level),
            "target_level",
            format!("{:?} is not one of {}'s levels", r.target_level, d.name),
        );
    }
    v.require(&r.reason, "reason");
    validate_consent(r.consent.as_ref(), "consent", &mut v);
    let forms: HashSet<&str> = d.forms.iter().map(|f| f.code.as_str()).collect();
    for (i, f) in r.forms_completed.iter().enumerate() {
        v.check(
            forms.contains(f.as_str()),
            format!("forms_completed[{i}]"),
            format!("{f:?} is not one of {}'s forms", d.name),
        );
    }
    if kind == TransitionKind::TransferIn {
        v.check(
            continuum_plugin_api::conformance::is_gss_code(&r.from_authority),
            "from_authority",
            "is required for a transfer in: the GSS code of the authority the family comes from",
        );
    }
    if r.etag.is_empty() {
        v.add("etag", "is required: send the etag of the case you read");
    }
    v.into_result()?;

    // The meetings held so far, for rules such as "a final meeting before closure".
    let held: Vec<i32> =
        storage::list_meetings(state.store().db(), &n.authority, &n.id, None, 10_000)
            .await?
            .iter()
            .filter_map(|m| decode::<pb::Meeting>(&m.body).ok())
            .filter(|m| m.state == pb::MeetingState::Held as i32)
            .map(|m| m.kind)
            .collect();

    let request_id = std::mem::take(&mut r.request_id);
    let hash = request_hash(&r);
    let change = Change::new("TransitionCase", &r.name, &r.etag)
        .idempotent(&request_id, hash)
        .etag_required();
    modify(state, &caller, change, |case, now| {
        let level_since = case
            .level_time
            .as_ref()
            .and_then(|t| DateTime::from_timestamp(t.seconds, 0))
            .unwrap_or(now);
        let request = TransitionRequest {
            kind: kind as i32,
            current_level: case.level.clone(),
            target_level: r.target_level.clone(),
            days_open: (now - level_since).num_days().max(0) as u32,
            consent: r.consent.as_ref().map(|c| c.status).unwrap_or_default(),
            forms_completed: r.forms_completed.clone(),
            meetings_held: held.clone(),
            significant_harm_suspected: r.significant_harm_suspected,
            from_authority: r.from_authority.clone(),
            age: child_age(case.child.as_ref()),
        };
        let answer = plugin
            .check_transition(&request)
            .map_err(|e| ApiError::from_plugin(e, ""))?;
        if !answer.allowed {
            return Err(ApiError::FailedPrecondition {
                summary: format!(
                    "{}'s rules do not allow this {} yet: {}",
                    d.name,
                    kind.as_str_name()
                        .trim_start_matches("TRANSITION_KIND_")
                        .to_lowercase()
                        .replace('_', " "),
                    answer
                        .unmet
                        .iter()
                        .map(|u| u.text.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                unmet: answer
                    .unmet
                    .iter()
                    .map(|u| Unmet {
                        kind: u.rule_id.clone(),
                        subject: citation_text(u.citation.as_ref()),
                        description: u.text.clone(),
                    })
                    .collect(),
            });
        }
        let from_level = case.level.clone();
        let kind_name = kind
            .as_str_name()
            .trim_start_matches("TRANSITION_KIND_")
            .to_lowercase();
        if kind == TransitionKind::Close {
            case.status = CaseStatus::Closed as i32;
            case.close_time = Some(timestamp(now));
        } else {
            let to = if answer.resulting_level.is_empty() {
                r.target_level.clone()
            } else {
                answer.resulting_level.clone()
            };
            if to != case.level {
                case.level_time = Some(timestamp(now));
            }
            case.level = to;
            let case_event = match kind {
                TransitionKind::StepUp => Some(PluginCaseEvent::StepUpRequested),
                TransitionKind::StepDown => Some(PluginCaseEvent::StepDownAgreed),
                TransitionKind::TransferIn => Some(PluginCaseEvent::TransferIn),
                _ => None,
            };
            if let Some(case_event) = case_event {
                start_deadlines(case, &plugin, case_event, now)?;
            }
        }
        case.consent = r.consent.clone();
        let mut e = event(
            &format!("case.{kind_name}"),
            &r.name,
            &caller,
            now,
            match kind {
                TransitionKind::Close => format!("Case closed at level {from_level}"),
                _ => format!(
                    "{} from {from_level} to {}",
                    kind_name.replace('_', " "),
                    case.level
                ),
            },
        );
        e.rules = answer.rules_applied;
        e.plugin = Some(plugin_ref(d));
        e.from_level = from_level;
        e.to_level = if kind == TransitionKind::Close {
            String::new()
        } else {
            case.level.clone()
        };
        e.consent = r.consent.clone();
        e.reason = r.reason.clone();
        Ok(e)
    })
    .await
}

pub async fn list_events(
    state: &AppState,
    caller: Caller,
    r: pb::ListCaseEventsRequest,
) -> Result<pb::ListCaseEventsResponse, ApiError> {
    let n = parse_own(&caller, &r.name)?;
    let mut v = Violations::new();
    let page = PageRequest::read(r.page_size, &r.page_token, &r.name, &mut v);
    let after_seq = match page.after.as_ref().map(|a| a.parse::<i64>()) {
        Some(Ok(seq)) => Some(seq),
        Some(Err(_)) => {
            v.add("page_token", "is not a token this query issued");
            None
        }
        None => None,
    };
    v.into_result()?;
    let db = state.store().db();
    let row = storage::get_case(db, &n.authority, &n.id)
        .await?
        .ok_or_else(|| ApiError::NotFound(r.name.clone()))?;
    let rows = storage::case_history(
        db,
        &n.authority,
        &n.id,
        row.referral_id.as_deref(),
        after_seq,
        page.limit(),
    )
    .await?;
    let (rows, next_page_token) = page.finish(rows, |last| last.seq.to_string());
    let events = rows
        .iter()
        .map(|e| decode::<pb::CaseEvent>(&e.body))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(pb::ListCaseEventsResponse {
        events,
        next_page_token,
    })
}
