//! CaseService: allocation, the team, contacts, the plan, transitions and history.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use continuum_domain::{Violations, names};
use continuum_plugin_api::Authority;
use continuum_plugin_api::pb::{CaseEvent as PluginCaseEvent, TransitionKind, TransitionRequest};
use continuum_storage::{self as storage, CaseFilter};

use super::common::{
    PageRequest, child_age, decode, event, own, parent_authority, plugin_ref, require_open, today,
};
use super::records::{Loaded, from_row, is_held, load, reload, status_column};
use super::tracking::{WorkingDays, cancel, follow_worker, occur_time};
use super::validate;
use super::write::{Change, Etag, RequestId, Writes, write};
use crate::AppState;
use crate::convert::{date, from_timestamp, timestamp};
use crate::error::{ApiError, Unmet};
use crate::pb::{self, CaseStatus, ContactKind};
use crate::state::Ctx;

pub async fn get(state: &AppState, ctx: Ctx, r: pb::GetCaseRequest) -> Result<pb::Case, ApiError> {
    let mut case = load::<pb::Case>(state.store(), &ctx.caller, "name", &r.name)
        .await?
        .record;
    present(state, &ctx, &mut case);
    Ok(case)
}

/// Derive what depends on the clock (overdue deadlines) in a case about to be answered.
fn present(state: &AppState, ctx: &Ctx, case: &mut pb::Case) {
    if let Some(days) = state.working_days(&ctx.caller.authority) {
        days.present_case(case, ctx.now);
    }
}

/// When the case opened, for an `occur_time` that may not precede it.
fn opened(case: &pb::Case) -> Option<(DateTime<Utc>, &'static str)> {
    let t = case.open_time.as_ref()?;
    Some((
        DateTime::from_timestamp(t.seconds, t.nanos.max(0) as u32)?,
        "the case opened",
    ))
}

pub async fn list(
    state: &AppState,
    ctx: Ctx,
    r: pb::ListCasesRequest,
) -> Result<pb::ListCasesResponse, ApiError> {
    let authority = parent_authority(&ctx.caller, "parent", &r.parent)?;
    let mut v = Violations::new();
    let status = match CaseStatus::try_from(r.status) {
        Ok(CaseStatus::Unspecified) => None,
        Ok(s) => Some(status_column(s.as_str_name(), "CASE_STATUS_")),
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
        state.store(),
        &authority,
        &filter,
        page.after.as_deref(),
        page.limit(),
    )
    .await?;
    let (rows, next_page_token) = page.finish(rows, |last| last.id.clone());
    let mut cases = rows
        .iter()
        .map(from_row::<pb::Case>)
        .collect::<Result<Vec<_>, _>>()?;
    for case in &mut cases {
        present(state, &ctx, case);
    }
    Ok(pb::ListCasesResponse {
        cases,
        next_page_token,
    })
}

/// A change to an open case: which RPC, the case, and what the caller sent with it.
struct Modify<'a> {
    method: &'static str,
    name: &'a str,
    etag: Etag<'a>,
    request_id: RequestId,
    meetings_held: bool,
}

impl<'a> Modify<'a> {
    fn new(method: &'static str, name: &'a str, etag: Etag<'a>) -> Self {
        Modify {
            method,
            name,
            etag,
            request_id: RequestId::default(),
            meetings_held: false,
        }
    }

    /// Retries with the same `request_id` return the case as it is.
    fn idempotent(self, request_id: RequestId) -> Self {
        Modify { request_id, ..self }
    }

    /// The change needs the kinds of the meetings held on the case so far.
    fn with_meetings_held(self) -> Self {
        Modify {
            meetings_held: true,
            ..self
        }
    }
}

/// Change an open case: `f` changes the case (given the kinds of meetings held, if asked for)
/// and says what happened; the unit of work does the rest.
async fn modify<F>(state: &AppState, ctx: &Ctx, m: Modify<'_>, f: F) -> Result<pb::Case, ApiError>
where
    F: Fn(&mut pb::Case, &[i32]) -> Result<pb::CaseEvent, ApiError> + Send + Sync,
{
    let change = ModifyCase {
        method: m.method,
        name: m.name,
        meetings_held: m.meetings_held,
        days: state.working_days(&ctx.caller.authority),
        f,
    };
    write(state, ctx, m.request_id, m.etag, &change).await
}

struct ModifyCase<'a, F> {
    method: &'static str,
    name: &'a str,
    meetings_held: bool,
    days: Option<WorkingDays<'a>>,
    f: F,
}

impl<F> ModifyCase<'_, F> {
    fn present(&self, ctx: &Ctx, mut case: pb::Case) -> pb::Case {
        if let Some(days) = &self.days {
            days.present_case(&mut case, ctx.now);
        }
        case
    }
}

impl<F> Change for ModifyCase<'_, F>
where
    F: Fn(&mut pb::Case, &[i32]) -> Result<pb::CaseEvent, ApiError> + Send + Sync,
{
    /// The case, and the kinds of the meetings held on it (if asked for).
    type Read = (Loaded<pb::Case>, Vec<i32>);
    type Output = pb::Case;

    fn method(&self) -> &'static str {
        self.method
    }

    async fn read(&self, state: &AppState, ctx: &Ctx) -> Result<Self::Read, ApiError> {
        let store = state.store();
        let case = load::<pb::Case>(store, &ctx.caller, "name", self.name).await?;
        let mut held = Vec::new();
        if self.meetings_held {
            // For rules such as "a final meeting before closure".
            let rows =
                storage::list_meetings(store, &case.row.authority_code, &case.row.id, None, 10_000)
                    .await?;
            for row in rows {
                let meeting: pb::Meeting = decode(&row.body)?;
                if is_held(&meeting) {
                    held.push(meeting.kind);
                }
            }
        }
        Ok((case, held))
    }

    fn version(read: &Self::Read) -> Option<i64> {
        Some(read.0.version())
    }

    fn apply(&self, ctx: &Ctx, read: Self::Read, w: &mut Writes) -> Result<pb::Case, ApiError> {
        let (loaded, held) = read;
        let mut case = loaded.record.clone();
        require_open(&case)?;
        let event = (self.f)(&mut case, &held)?;
        case.update_time = Some(timestamp(ctx.now));
        w.update(&loaded, &mut case)?;
        w.event(
            loaded.row.referral_id.as_deref(),
            Some(&loaded.row.id),
            event,
        );
        Ok(self.present(ctx, case))
    }

    fn resource(output: &pb::Case) -> &str {
        &output.name
    }

    async fn replay(
        &self,
        state: &AppState,
        ctx: &Ctx,
        resource: &str,
    ) -> Result<pb::Case, ApiError> {
        Ok(self.present(ctx, reload(state, ctx, resource).await?))
    }
}

pub async fn allocate(
    state: &AppState,
    ctx: Ctx,
    r: pb::AllocateCaseRequest,
) -> Result<pb::Case, ApiError> {
    let n = names::parse_case("name", &r.name)?;
    own(&ctx.caller, &n.authority, &r.name)?;
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
    let now = ctx.now;
    let timescales = state.timescales(&plugin);
    let m = Modify::new("AllocateCase", &r.name, Etag::optional(&r.etag));
    modify(state, &ctx, m, |case, _| {
        let at = occur_time("occur_time", r.occur_time.as_ref(), now, opened(case))?;
        case.allocated_worker = Some(worker.clone());
        follow_worker(case);
        timescales.on_event(case, PluginCaseEvent::CaseAllocated, at)?;
        let mut e = event(
            "case.allocated",
            &r.name,
            &ctx.caller,
            at,
            format!("Allocated to {} ({})", worker.name, worker.role),
        );
        e.plugin = Some(plugin_ref(d));
        Ok(e)
    })
    .await
}

pub async fn update_team(
    state: &AppState,
    ctx: Ctx,
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
    let now = ctx.now;
    let m = Modify::new("UpdateTeam", &r.name, Etag::optional(&r.etag));
    modify(state, &ctx, m, |case, _| {
        let at = occur_time("occur_time", r.occur_time.as_ref(), now, opened(case))?;
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
                join_time: Some(timestamp(at)),
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
            &ctx.caller,
            at,
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
    ctx: Ctx,
    mut r: pb::RecordContactRequest,
) -> Result<pb::Case, ApiError> {
    let n = names::parse_case("name", &r.name)?;
    own(&ctx.caller, &n.authority, &r.name)?;
    let plugin = state.authority(&n.authority)?.clone();
    let mut v = Violations::new();
    validate::request_id(&r.request_id, &mut v);
    let now = ctx.now;
    match &r.contact {
        None => v.add("contact", "is required"),
        Some(c) => {
            v.check(
                matches!(ContactKind::try_from(c.kind), Ok(k) if k != ContactKind::Unspecified),
                "contact.kind",
                "is required: phone call, home visit or other",
            );
            if let Err(e) = from_timestamp("contact.contact_time", c.contact_time.as_ref()) {
                v.0.extend(e.0);
            }
        }
    }
    v.into_result()?;
    let request_id = RequestId::take(&mut r, |r| &mut r.request_id);
    let contact = r.contact.clone().unwrap_or_default();
    let timescales = state.timescales(&plugin);
    let m = Modify::new("RecordContact", &r.name, Etag::optional(&r.etag)).idempotent(request_id);
    modify(state, &ctx, m, |case, _| {
        let at = occur_time(
            "contact.contact_time",
            contact.contact_time.as_ref(),
            now,
            opened(case),
        )?;
        let first = case.contacts.is_empty();
        let kind = ContactKind::try_from(contact.kind).unwrap_or(ContactKind::Other);
        case.contacts.push(pb::ContactRecord {
            recorded_by: ctx.caller.actor(),
            contact_time: Some(timestamp(at)),
            ..contact.clone()
        });
        if first {
            timescales.on_event(case, PluginCaseEvent::FirstContactMade, at)?;
        }
        let made = match kind {
            ContactKind::PhoneCall => PluginCaseEvent::PhoneCallMade,
            ContactKind::HomeVisit => PluginCaseEvent::HomeVisitMade,
            _ => PluginCaseEvent::OtherContactMade,
        };
        timescales.on_event(case, made, at)?;
        let label = kind
            .as_str_name()
            .trim_start_matches("CONTACT_KIND_")
            .to_lowercase()
            .replace('_', " ");
        Ok(event(
            "case.contact_recorded",
            &r.name,
            &ctx.caller,
            at,
            format!("Contact with the family: {label}"),
        ))
    })
    .await
}

pub async fn record_concern(
    state: &AppState,
    ctx: Ctx,
    mut r: pb::RecordConcernRequest,
) -> Result<pb::Case, ApiError> {
    let n = names::parse_case("name", &r.name)?;
    own(&ctx.caller, &n.authority, &r.name)?;
    let plugin = state.authority(&n.authority)?.clone();
    let mut v = Violations::new();
    validate::request_id(&r.request_id, &mut v);
    match &r.concern {
        None => v.add("concern", "is required"),
        Some(c) => validate::concern(c, "concern", plugin.description(), &mut v),
    }
    if let Err(e) = from_timestamp("occur_time", r.occur_time.as_ref()) {
        v.0.extend(e.0);
    }
    v.into_result()?;
    let request_id = RequestId::take(&mut r, |r| &mut r.request_id);
    let concern = r.concern.clone().unwrap_or_default();
    let now = ctx.now;
    let timescales = state.timescales(&plugin);
    let m = Modify::new("RecordConcern", &r.name, Etag::optional(&r.etag)).idempotent(request_id);
    modify(state, &ctx, m, |case, _| {
        let at = occur_time("occur_time", r.occur_time.as_ref(), now, opened(case))?;
        case.concerns.push(pb::RaisedConcern {
            concern: Some(concern.clone()),
            raise_time: Some(timestamp(at)),
            recorded_by: ctx.caller.actor(),
        });
        timescales.on_event(case, PluginCaseEvent::ConcernOnOpenCase, at)?;
        let what = if concern.indicator_code.is_empty() {
            concern.text.clone()
        } else {
            concern.indicator_code.clone()
        };
        Ok(event(
            "case.concern_raised",
            &r.name,
            &ctx.caller,
            at,
            format!("New concern on the open case: {what}"),
        ))
    })
    .await
}

pub async fn update_plan(
    state: &AppState,
    ctx: Ctx,
    r: pb::UpdatePlanRequest,
) -> Result<pb::Case, ApiError> {
    let n = names::parse_case("name", &r.name)?;
    own(&ctx.caller, &n.authority, &r.name)?;
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
    let now = ctx.now;
    let timescales = state.timescales(&plugin);
    let m = Modify::new("UpdatePlan", &r.name, Etag::optional(&r.etag));
    modify(state, &ctx, m, |case, _| {
        let at = occur_time("occur_time", r.occur_time.as_ref(), now, opened(case))?;
        let first = case.plan.is_none();
        case.plan = Some(pb::Plan {
            outcomes: plan.outcomes.clone(),
            update_time: Some(timestamp(at)),
        });
        if first {
            timescales.on_event(case, PluginCaseEvent::PlanAgreed, at)?;
        }
        Ok(event(
            "case.plan_updated",
            &r.name,
            &ctx.caller,
            at,
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
    ctx: Ctx,
    mut r: pb::TransitionCaseRequest,
) -> Result<pb::Case, ApiError> {
    let n = names::parse_case("name", &r.name)?;
    own(&ctx.caller, &n.authority, &r.name)?;
    let plugin = state.authority(&n.authority)?.clone();
    let d = plugin.description();
    let mut v = Violations::new();
    validate::request_id(&r.request_id, &mut v);
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
    validate::consent(r.consent.as_ref(), "consent", &mut v);
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

    let request_id = RequestId::take(&mut r, |r| &mut r.request_id);
    let now = ctx.now;
    let timescales = state.timescales(&plugin);
    let m = Modify::new("TransitionCase", &r.name, Etag::required(&r.etag))
        .idempotent(request_id)
        .with_meetings_held();
    modify(state, &ctx, m, |case, held| {
        let at = occur_time("occur_time", r.occur_time.as_ref(), now, opened(case))?;
        let today = today(at);
        let level_since = case
            .level_time
            .as_ref()
            .and_then(|t| DateTime::from_timestamp(t.seconds, 0))
            .unwrap_or(at);
        let request = TransitionRequest {
            kind: kind as i32,
            current_level: case.level.clone(),
            target_level: r.target_level.clone(),
            days_open: (at - level_since).num_days().max(0) as u32,
            consent: r.consent.as_ref().map(|c| c.status).unwrap_or_default(),
            forms_completed: r.forms_completed.clone(),
            meetings_held: held.to_vec(),
            significant_harm_suspected: r.significant_harm_suspected,
            from_authority: r.from_authority.clone(),
            age: child_age(case.child.as_ref(), today),
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
            case.close_time = Some(timestamp(at));
            cancel(case, at, "the case closed", |_| false);
        } else {
            let to = if answer.resulting_level.is_empty() {
                r.target_level.clone()
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
            let case_event = match kind {
                TransitionKind::StepUp => Some(PluginCaseEvent::StepUpRequested),
                TransitionKind::StepDown => Some(PluginCaseEvent::StepDownAgreed),
                TransitionKind::TransferIn => Some(PluginCaseEvent::TransferIn),
                _ => None,
            };
            if let Some(case_event) = case_event {
                timescales.on_event(case, case_event, at)?;
            }
        }
        case.consent = r.consent.clone();
        let mut e = event(
            &format!("case.{kind_name}"),
            &r.name,
            &ctx.caller,
            at,
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
    ctx: Ctx,
    r: pb::ListCaseEventsRequest,
) -> Result<pb::ListCaseEventsResponse, ApiError> {
    let n = names::parse_case("name", &r.name)?;
    own(&ctx.caller, &n.authority, &r.name)?;
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
    let store = state.store();
    let row = storage::get_case(store, &n.authority, &n.id)
        .await?
        .ok_or_else(|| ApiError::NotFound(r.name.clone()))?;
    let rows = storage::case_history(
        store,
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
