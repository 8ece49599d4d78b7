//! CaseService: allocation, the team, contacts, the plan, transitions and history.

use std::collections::HashSet;
use std::sync::Arc;

use continuum_domain::{Violations, census, names};
use continuum_plugin_api::pb::{CaseEvent as PluginCaseEvent, Decider, TransitionKind};
use continuum_plugin_host::DynamicPlugin;
use continuum_storage::{self as storage, CaseFilter};

use super::common::{
    PageRequest, decode, event, own, parent_authority, plugin_ref, require_open, today,
};
use super::moves::{self, Move};
use super::records::{Loaded, from_row, load, meetings_held, reload, status_column};
use super::tracking::{WorkingDays, case_opened, follow_worker, occur_time};
use super::validate;
use super::write::{Change, Etag, RequestId, Writes, write};
use crate::AppState;
use crate::auth::Role;
use crate::convert::{date, from_timestamp, instant, timestamp};
use crate::error::ApiError;
use crate::pb::{self, CaseStatus, ContactKind};
use crate::state::Ctx;

pub async fn get(state: &AppState, ctx: Ctx, r: pb::GetCaseRequest) -> Result<pb::Case, ApiError> {
    let mut case = load::<pb::Case>(state.store(), &ctx.caller, "name", &r.name)
        .await?
        .record;
    present(state, &ctx, &mut case);
    Ok(case)
}

/// The case `name` (in field "name") of the caller's authority, and that authority's plugin.
fn owned_case(
    state: &AppState,
    ctx: &Ctx,
    name: &str,
) -> Result<(names::CaseName, Arc<DynamicPlugin>), ApiError> {
    let n = names::parse_case("name", name)?;
    own(&ctx.caller, &n.authority, name)?;
    let plugin = state.authority(&n.authority)?.clone();
    Ok((n, plugin))
}

/// Derive what depends on the clock (overdue deadlines) in a case about to be answered.
fn present(state: &AppState, ctx: &Ctx, case: &mut pb::Case) {
    if let Some(days) = state.working_days(&ctx.caller.authority) {
        days.present_case(case, ctx.now);
    }
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
    v.text(&r.level, "level", validate::MAX_NAME, false);
    v.text(
        &r.allocated_worker,
        "allocated_worker",
        validate::MAX_NAME,
        false,
    );
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
    F: Fn(&mut pb::Case, &[i32], &mut Writes) -> Result<pb::CaseEvent, ApiError> + Send + Sync,
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
    F: Fn(&mut pb::Case, &[i32], &mut Writes) -> Result<pb::CaseEvent, ApiError> + Send + Sync,
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
        let held = if self.meetings_held {
            meetings_held(store, &case.row.authority_code, &case.row.id).await?
        } else {
            Vec::new()
        };
        Ok((case, held))
    }

    fn version(read: &Self::Read) -> Option<i64> {
        Some(read.0.version())
    }

    fn apply(&self, ctx: &Ctx, read: Self::Read, w: &mut Writes) -> Result<pb::Case, ApiError> {
        let (loaded, held) = read;
        let mut case = loaded.record.clone();
        require_open(&case)?;
        let event = (self.f)(&mut case, &held, w)?;
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
    let (_, plugin) = owned_case(state, &ctx, &r.name)?;
    let d = plugin.description();
    let mut v = Violations::new();
    match &r.worker {
        None => v.add("worker", "is required"),
        Some(w) => {
            v.require(&w.name, "worker.name");
            v.text(&w.name, "worker.name", validate::MAX_NAME, false);
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
    let m = Modify::new("AllocateCase", &r.name, Etag::required(&r.etag));
    modify(state, &ctx, m, |case, _, _| {
        let at = occur_time("occur_time", r.occur_time.as_ref(), now, case_opened(case))?;
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
    v.count(&r.join, "join", MAX_TEAM_CHANGE);
    v.count(&r.leave, "leave", MAX_TEAM_CHANGE);
    for (i, m) in r.join.iter().enumerate() {
        v.require(&m.name, format!("join[{i}].name"));
        v.require(&m.agency, format!("join[{i}].agency"));
        v.text(
            &m.name,
            format!("join[{i}].name"),
            validate::MAX_NAME,
            false,
        );
        v.text(
            &m.agency,
            format!("join[{i}].agency"),
            validate::MAX_NAME,
            false,
        );
        v.text(
            &m.role,
            format!("join[{i}].role"),
            validate::MAX_NAME,
            false,
        );
    }
    for (i, name) in r.leave.iter().enumerate() {
        v.text(name, format!("leave[{i}]"), validate::MAX_NAME, false);
    }
    v.into_result()?;
    let now = ctx.now;
    let m = Modify::new("UpdateTeam", &r.name, Etag::required(&r.etag));
    modify(state, &ctx, m, |case, _, _| {
        let at = occur_time("occur_time", r.occur_time.as_ref(), now, case_opened(case))?;
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
    let (_, plugin) = owned_case(state, &ctx, &r.name)?;
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
            v.text(&c.notes, "contact.notes", validate::MAX_TEXT, true);
        }
    }
    v.into_result()?;
    let request_id = RequestId::take(&mut r, |r| &mut r.request_id);
    let contact = r.contact.clone().unwrap_or_default();
    let timescales = state.timescales(&plugin);
    let m = Modify::new("RecordContact", &r.name, Etag::required(&r.etag)).idempotent(request_id);
    modify(state, &ctx, m, |case, _, _| {
        let at = occur_time(
            "contact.contact_time",
            contact.contact_time.as_ref(),
            now,
            case_opened(case),
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
    let (_, plugin) = owned_case(state, &ctx, &r.name)?;
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
    let m = Modify::new("RecordConcern", &r.name, Etag::required(&r.etag)).idempotent(request_id);
    modify(state, &ctx, m, |case, _, _| {
        let at = occur_time("occur_time", r.occur_time.as_ref(), now, case_opened(case))?;
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
    let (_, plugin) = owned_case(state, &ctx, &r.name)?;
    let mut v = Violations::new();
    match &r.plan {
        None => v.add("plan", "is required"),
        Some(plan) => {
            v.check(
                !plan.outcomes.is_empty(),
                "plan.outcomes",
                "a plan has at least one outcome",
            );
            v.count(&plan.outcomes, "plan.outcomes", MAX_OUTCOMES);
            for (i, o) in plan.outcomes.iter().enumerate() {
                for (name, value) in [
                    ("need", &o.need),
                    ("action", &o.action),
                    ("who", &o.who),
                    ("measure", &o.measure),
                ] {
                    v.text(
                        value,
                        format!("plan.outcomes[{i}].{name}"),
                        validate::MAX_TEXT,
                        true,
                    );
                }
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
    let m = Modify::new("UpdatePlan", &r.name, Etag::required(&r.etag));
    modify(state, &ctx, m, |case, _, _| {
        let at = occur_time("occur_time", r.occur_time.as_ref(), now, case_opened(case))?;
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

/// The longest reason accepted for a decision on a request.
const MAX_REASON: usize = 4_000;
/// Team members joining or leaving in one call; outcomes in one plan; forms named in one move.
const MAX_TEAM_CHANGE: usize = 30;
const MAX_OUTCOMES: usize = 30;
const MAX_FORMS: usize = 20;

pub async fn transition(
    state: &AppState,
    ctx: Ctx,
    mut r: pb::TransitionCaseRequest,
) -> Result<pb::Case, ApiError> {
    let (n, plugin) = owned_case(state, &ctx, &r.name)?;
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
    v.text(&r.reason, "reason", validate::MAX_TEXT, true);
    v.count(&r.forms_completed, "forms_completed", MAX_FORMS);
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
    if !r.closure_reason.is_empty() {
        if kind != TransitionKind::Close {
            v.add("closure_reason", "is given only with a closure");
        } else if let Err(e) = census::reason_for_closure(&r.closure_reason) {
            v.add("closure_reason", e.to_string());
        }
    }
    v.into_result()?;

    let request_id = RequestId::take(&mut r, |r| &mut r.request_id);
    let now = ctx.now;
    let timescales = state.timescales(&plugin);
    let mv = Move::of_request(&r);
    let m = Modify::new("TransitionCase", &r.name, Etag::required(&r.etag))
        .idempotent(request_id)
        .with_meetings_held();
    modify(state, &ctx, m, |case, held, w| {
        let at = occur_time("occur_time", r.occur_time.as_ref(), now, case_opened(case))?;
        if let Some(pending) = &case.pending_transition {
            return Err(ApiError::precondition(
                format!(
                    "the case has a transition request waiting for a decision ({}): decide or \
                     withdraw it first",
                    pending.name
                ),
                "STATE",
                "a transition request is pending",
            ));
        }
        // Before the rules: a reason the case cannot have is the caller's to correct first.
        moves::closure_allowed(case, &mv)?;
        let answer = moves::check(&timescales, case, &mv, held, at)?;
        if answer.allowed {
            return moves::make(&timescales, case, &mv, &answer, at, &ctx.caller, false);
        }
        if !moves::can_wait(&answer) {
            return Err(moves::refusal(d, &mv, &answer.unmet));
        }
        // A panel decides: the request joins its next sitting's agenda.
        let item = match moves::deciding_panel(&answer) {
            None => String::new(),
            Some(panel) => {
                let mut item = moves::agenda_item(&timescales, &n.authority, panel, today(at), at)?;
                item.kind = pb::AgendaItemKind::TransitionRequest as i32;
                item.subject = r.name.clone();
                item.requested_level = r.target_level.clone();
                item.transition_kind = r.kind;
                item.conditions = answer.unmet.clone();
                item.referrer = Some(pb::Referrer {
                    name: ctx.caller.actor(),
                    ..Default::default()
                });
                w.insert(&mut item)?;
                item.name
            }
        };
        moves::wait(&timescales, case, &mv, &answer, &item, at, &ctx.caller)
    })
    .await
}

/// The most factors an assessment records.
const MAX_FACTORS: usize = 40;

pub async fn record_assessment(
    state: &AppState,
    ctx: Ctx,
    mut r: pb::RecordAssessmentRequest,
) -> Result<pb::Case, ApiError> {
    let mut v = Violations::new();
    validate::request_id(&r.request_id, &mut v);
    let assessment = r.assessment.clone().unwrap_or_default();
    if r.assessment.is_none() {
        v.add("assessment", "is required");
    }
    v.require(&assessment.start_date, "assessment.start_date");
    let start = date("assessment.start_date", &assessment.start_date, &mut v);
    let authorised = date(
        "assessment.authorisation_date",
        &assessment.authorisation_date,
        &mut v,
    );
    let today = today(ctx.now);
    if let Some(start) = start {
        v.check(start <= today, "assessment.start_date", "is in the future");
    }
    if let Some(authorised) = authorised {
        v.check(
            authorised <= today,
            "assessment.authorisation_date",
            "is in the future",
        );
        v.check(
            start.is_none_or(|s| authorised >= s),
            "assessment.authorisation_date",
            "is before start_date",
        );
        v.check(
            !assessment.factors.is_empty(),
            "assessment.factors",
            "are required once the assessment is authorised (\"21\" for no factors identified)",
        );
    }
    v.check(
        assessment.factors.len() <= MAX_FACTORS,
        "assessment.factors",
        format!("at most {MAX_FACTORS}"),
    );
    let mut seen = HashSet::new();
    for (i, code) in assessment.factors.iter().enumerate() {
        let at = format!("assessment.factors[{i}]");
        if let Err(e) = census::factor(code) {
            v.add(at, e.to_string());
        } else if !seen.insert(code.as_str()) {
            v.add(at, format!("{code:?} is listed twice"));
        }
    }
    v.into_result()?;
    let request_id = RequestId::take(&mut r, |r| &mut r.request_id);
    let m =
        Modify::new("RecordAssessment", &r.name, Etag::required(&r.etag)).idempotent(request_id);
    modify(state, &ctx, m, |case, _, _| {
        let opened = instant(case.open_time.as_ref())
            .map(continuum_domain::uk_time::to_local)
            .map(|t| t.date());
        if let (Some(start), Some(opened)) = (start, opened)
            && start < opened
        {
            return Err(ApiError::invalid(
                "assessment.start_date",
                format!("{start} is before the case opened ({opened})"),
            ));
        }
        let first = case.assessment.is_none();
        case.assessment = Some(assessment.clone());
        Ok(event(
            "case.assessment_recorded",
            &r.name,
            &ctx.caller,
            ctx.now,
            format!(
                "Assessment {} (started {}{}), {} factors",
                if first { "recorded" } else { "updated" },
                assessment.start_date,
                if assessment.authorisation_date.is_empty() {
                    String::new()
                } else {
                    format!(", authorised {}", assessment.authorisation_date)
                },
                assessment.factors.len()
            ),
        ))
    })
    .await
}

pub async fn decide_request(
    state: &AppState,
    ctx: Ctx,
    mut r: pb::DecideTransitionRequestRequest,
) -> Result<pb::Case, ApiError> {
    let (_, plugin) = owned_case(state, &ctx, &r.name)?;
    let d = plugin.description();
    let mut v = Violations::new();
    validate::request_id(&r.request_id, &mut v);
    if !r.agree {
        v.require(&r.reason, "reason");
    }
    v.check(
        r.reason.chars().count() <= MAX_REASON,
        "reason",
        format!("is longer than {MAX_REASON} characters"),
    );
    if r.etag.is_empty() {
        v.add("etag", "is required: send the etag of the case you read");
    }
    if let Err(e) = from_timestamp("occur_time", r.occur_time.as_ref()) {
        v.0.extend(e.0);
    }
    v.into_result()?;
    let request_id = RequestId::take(&mut r, |r| &mut r.request_id);
    let now = ctx.now;
    let timescales = state.timescales(&plugin);
    let m = Modify::new("DecideTransitionRequest", &r.name, Etag::required(&r.etag))
        .idempotent(request_id)
        .with_meetings_held();
    modify(state, &ctx, m, |case, held, _| {
        let at = occur_time("occur_time", r.occur_time.as_ref(), now, case_opened(case))?;
        let Some(pending) = case.pending_transition.clone() else {
            return Err(ApiError::precondition(
                "the case has no transition request waiting for a decision",
                "STATE",
                "no pending transition request",
            ));
        };
        if !pending.agenda_item.is_empty() {
            return Err(ApiError::precondition(
                format!(
                    "a panel decides this request: record its decision on {}",
                    pending.agenda_item
                ),
                "PANEL",
                "the request is on a panel's agenda",
            ));
        }
        let managers = pending
            .awaiting
            .iter()
            .any(|u| u.decided_by == Decider::Manager as i32);
        if managers && ctx.caller.role != Role::Manager {
            return Err(ApiError::PermissionDenied(
                "a manager decides this request: the caller's role is not manager".into(),
            ));
        }
        let mut mv = Move::of_pending(&pending);
        if !r.agree {
            case.pending_transition = None;
            let mut e = event(
                "case.transition_request_withdrawn",
                &r.name,
                &ctx.caller,
                at,
                format!("{} to {} not agreed", mv.label(), mv.target_level),
            );
            e.reason = r.reason.clone();
            return Ok(e);
        }
        mv.manager_agreed = managers;
        let answer = moves::check(&timescales, case, &mv, held, at)?;
        if !answer.allowed {
            return Err(moves::refusal(d, &mv, &answer.unmet));
        }
        let mut e = moves::make(&timescales, case, &mv, &answer, at, &ctx.caller, true)?;
        if !r.reason.is_empty() {
            e.reason = format!("{} (agreed: {})", e.reason, r.reason);
        }
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
