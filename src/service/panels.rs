//! PanelService: an authority's panels, their sittings (from the plugin's cadence), their
//! agendas (referrals queued for the panel, transition requests it decides) and its decisions.

use chrono::{Duration, NaiveDate};
use continuum_domain::{Violations, names};
use continuum_plugin_api::Authority;
use continuum_plugin_api::pb::{Panel, PanelDecisionOption, PanelEffect, PanelRequest, Weekday};
use continuum_plugin_host::DynamicPlugin;
use continuum_storage as storage;

use super::common::{event, own, plugin_ref, require_open, today};
use super::moves::{self, Move};
use super::records::{Loaded, from_row, load, meetings_held, reload};
use super::tracking::{Timescales, occur_time};
use super::validate;
use super::write::{Change, Etag, RequestId, Writes, write};
use crate::AppState;
use crate::convert::{date, from_timestamp, instant, timestamp};
use crate::error::ApiError;
use crate::pb::{self, AgendaItemKind, AgendaItemState};
use crate::state::Ctx;

/// The most sittings ListPanelSittings returns.
const MAX_SITTINGS: i32 = 26;
/// Sittings listed when the request does not say.
const DEFAULT_SITTINGS: i32 = 4;
/// The most items a sitting's agenda lists.
const MAX_AGENDA: u64 = 500;
/// Bounds on a decision's record.
const MAX_PRESENT: usize = 50;
const MAX_NAME: usize = 200;
const MAX_REASON: usize = 4_000;

/// The panel `code` of the plugin's authority; NOT_FOUND (naming `name`) if it has none such.
fn panel<'p>(plugin: &'p DynamicPlugin, code: &str, name: &str) -> Result<&'p Panel, ApiError> {
    plugin
        .description()
        .panels
        .iter()
        .find(|p| p.code == code)
        .ok_or_else(|| ApiError::NotFound(name.to_owned()))
}

/// A panel that sits on a known weekday; one that meets as needed sits on any date.
fn has_weekday(panel: &Panel) -> bool {
    panel.weekday != Weekday::Unspecified as i32
}

/// The panel's next sitting on or after `date` (None: it meets as needed), and the plugin's note.
fn next_sitting(
    plugin: &DynamicPlugin,
    panel: &Panel,
    date: NaiveDate,
) -> Result<(Option<NaiveDate>, String), ApiError> {
    let answer = plugin
        .next_panel(&PanelRequest {
            panel_code: panel.code.clone(),
            on_or_after: date.format("%Y-%m-%d").to_string(),
        })
        .map_err(|e| ApiError::from_plugin(e, "panel"))?;
    if answer.next_sitting.is_empty() {
        return Ok((None, answer.note));
    }
    let next = NaiveDate::parse_from_str(&answer.next_sitting, "%Y-%m-%d").map_err(|_| {
        ApiError::Plugin(format!(
            "next sitting {:?} is not a date",
            answer.next_sitting
        ))
    })?;
    Ok((Some(next), answer.note))
}

/// Check that `value` (in `field`) is a date on which `panel` sits; the date.
fn sitting_date(
    plugin: &DynamicPlugin,
    panel: &Panel,
    field: &str,
    value: &str,
) -> Result<NaiveDate, ApiError> {
    let mut v = Violations::new();
    let Some(day) = date(field, value, &mut v) else {
        v.into_result()?;
        return Err(ApiError::invalid(field, "is required"));
    };
    if has_weekday(panel) {
        let (next, _) = next_sitting(plugin, panel, day)?;
        if next != Some(day) {
            return Err(ApiError::invalid(
                field,
                format!(
                    "{day} is not a sitting of the {} (its next sitting is {})",
                    panel.name,
                    next.map(|d| d.to_string()).unwrap_or_default()
                ),
            ));
        }
    }
    Ok(day)
}

fn sitting(
    authority: &str,
    panel: &Panel,
    day: NaiveDate,
    plugin: &DynamicPlugin,
) -> pb::PanelSitting {
    let date = day.format("%Y-%m-%d").to_string();
    pb::PanelSitting {
        name: names::sitting(authority, &panel.code, &date),
        date,
        panel: Some(panel.clone()),
        agenda: Vec::new(),
        plugin: Some(plugin_ref(plugin.description())),
    }
}

pub async fn list_sittings(
    state: &AppState,
    ctx: Ctx,
    r: pb::ListPanelSittingsRequest,
) -> Result<pb::ListPanelSittingsResponse, ApiError> {
    let n = names::parse_panel("parent", &r.parent)?;
    own(&ctx.caller, &n.authority, &r.parent)?;
    let plugin = state.authority(&n.authority)?;
    let panel = panel(plugin, &n.panel, &r.parent)?;
    let mut v = Violations::new();
    let from = date("from_date", &r.from_date, &mut v).unwrap_or_else(|| today(ctx.now));
    let count = match r.count {
        0 => DEFAULT_SITTINGS,
        c => c,
    };
    v.check(
        (1..=MAX_SITTINGS).contains(&count),
        "count",
        format!("must be between 1 and {MAX_SITTINGS}"),
    );
    v.into_result()?;
    let mut sittings = Vec::new();
    let mut note = String::new();
    let mut day = from;
    while sittings.len() < count as usize {
        let (next, why) = next_sitting(plugin, panel, day)?;
        let Some(next) = next.filter(|n| *n >= day) else {
            note = why;
            break;
        };
        sittings.push(sitting(&n.authority, panel, next, plugin));
        day = next + Duration::days(1);
    }
    Ok(pb::ListPanelSittingsResponse { sittings, note })
}

pub async fn get_sitting(
    state: &AppState,
    ctx: Ctx,
    r: pb::GetPanelSittingRequest,
) -> Result<pb::PanelSitting, ApiError> {
    let n = names::parse_sitting("name", &r.name)?;
    own(&ctx.caller, &n.authority, &r.name)?;
    let plugin = state.authority(&n.authority)?;
    let panel = panel(plugin, &n.panel, &r.name)?;
    let day = sitting_date(plugin, panel, "name", &n.date)?;
    let mut out = sitting(&n.authority, panel, day, plugin);
    // A panel that meets as needed also has the undated queue before it.
    let dates: &[&str] = if has_weekday(panel) {
        &[out.date.as_str()]
    } else {
        &["", out.date.as_str()]
    };
    let rows =
        storage::list_agenda(state.store(), &n.authority, &n.panel, dates, MAX_AGENDA).await?;
    out.agenda = rows
        .iter()
        .map(from_row::<pb::AgendaItem>)
        .collect::<Result<_, _>>()?;
    Ok(out)
}

pub async fn decide(
    state: &AppState,
    ctx: Ctx,
    mut r: pb::RecordPanelDecisionRequest,
) -> Result<pb::AgendaItem, ApiError> {
    let s = names::parse_sitting("sitting", &r.sitting)?;
    own(&ctx.caller, &s.authority, &r.sitting)?;
    let plugin = state.authority(&s.authority)?.clone();
    let panel = panel(&plugin, &s.panel, &r.sitting)?.clone();
    let mut v = Violations::new();
    validate::request_id(&r.request_id, &mut v);
    match names::parse_agenda_item("item", &r.item) {
        Ok(item) => v.check(
            item.authority == s.authority && item.panel == s.panel,
            "item",
            format!("is not on the agenda of the {}", panel.name),
        ),
        Err(e) => v.0.extend(e.0),
    }
    let option = panel
        .decisions
        .iter()
        .find(|o| o.code == r.decision)
        .cloned();
    v.check(
        option.is_some(),
        "decision",
        format!(
            "{:?} is not a decision the {} can take ({})",
            r.decision,
            panel.name,
            panel
                .decisions
                .iter()
                .map(|o| o.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    v.check(
        !r.present.is_empty() && r.present.len() <= MAX_PRESENT,
        "present",
        format!("name who was present: 1 to {MAX_PRESENT} names"),
    );
    for (i, who) in r.present.iter().enumerate() {
        v.require(who, format!("present[{i}]"));
        v.check(
            who.chars().count() <= MAX_NAME,
            format!("present[{i}]"),
            format!("is longer than {MAX_NAME} characters"),
        );
    }
    if option.as_ref().is_some_and(|o| o.requires_reason) {
        v.require(&r.reason, "reason");
    }
    v.check(
        r.reason.chars().count() <= MAX_REASON,
        "reason",
        format!("is longer than {MAX_REASON} characters"),
    );
    v.check(
        !r.etag.is_empty(),
        "etag",
        "is required: send the etag of the agenda item you read",
    );
    if let Err(e) = from_timestamp("occur_time", r.occur_time.as_ref()) {
        v.0.extend(e.0);
    }
    v.into_result()?;
    let day = sitting_date(&plugin, &panel, "sitting", &s.date)?;
    let request_id = RequestId::take(&mut r, |r| &mut r.request_id);
    let etag = r.etag.clone();
    let change = Decide {
        request: r,
        panel,
        option: option.unwrap_or_default(),
        day,
        timescales: state.timescales(&plugin),
    };
    write(state, &ctx, request_id, Etag::required(&etag), &change).await
}

/// What an agenda item is about, as read for a decision.
enum Subject {
    Referral(Loaded<pb::Referral>),
    /// The case and the kinds of the meetings held on it.
    Case(Loaded<pb::Case>, Vec<i32>),
}

struct Decide<'a> {
    request: pb::RecordPanelDecisionRequest,
    panel: Panel,
    option: PanelDecisionOption,
    day: NaiveDate,
    timescales: Timescales<'a>,
}

impl Change for Decide<'_> {
    type Read = (Loaded<pb::AgendaItem>, Subject);
    type Output = pb::AgendaItem;

    fn method(&self) -> &'static str {
        "RecordPanelDecision"
    }

    async fn read(&self, state: &AppState, ctx: &Ctx) -> Result<Self::Read, ApiError> {
        let store = state.store();
        let first = load::<pb::AgendaItem>(store, &ctx.caller, "item", &self.request.item).await?;
        let subject = match AgendaItemKind::try_from(first.record.kind) {
            Ok(AgendaItemKind::Referral) => {
                Subject::Referral(load(store, &ctx.caller, "item", &first.record.subject).await?)
            }
            _ => {
                let case =
                    load::<pb::Case>(store, &ctx.caller, "item", &first.record.subject).await?;
                let held = meetings_held(store, &case.row.authority_code, &case.row.id).await?;
                Subject::Case(case, held)
            }
        };
        // The item again, after its subject: a decision that committed in between shows in
        // the item's version (a stale etag), never as a subject that no longer matches it.
        let item = load::<pb::AgendaItem>(store, &ctx.caller, "item", &self.request.item).await?;
        Ok((item, subject))
    }

    fn version(read: &Self::Read) -> Option<i64> {
        Some(read.0.version())
    }

    fn apply(
        &self,
        ctx: &Ctx,
        read: Self::Read,
        w: &mut Writes,
    ) -> Result<pb::AgendaItem, ApiError> {
        let (loaded, subject) = read;
        let r = &self.request;
        let mut item = loaded.record.clone();
        let date = self.day.format("%Y-%m-%d").to_string();
        if item.state != AgendaItemState::Queued as i32 {
            return Err(ApiError::precondition(
                "the panel has already decided this item",
                "STATE",
                "agenda item state is DECIDED",
            ));
        }
        let on_agenda = item.sitting_date == date
            || (item.sitting_date.is_empty() && !has_weekday(&self.panel));
        if !on_agenda {
            return Err(ApiError::invalid(
                "item",
                format!(
                    "is not on the agenda of the sitting of {date} (it is queued for {})",
                    item.sitting_date
                ),
            ));
        }
        let queued = instant(item.queue_time.as_ref()).map(|t| (t, "the item was queued"));
        let at = occur_time("occur_time", r.occur_time.as_ref(), ctx.now, queued)?;
        let effect = PanelEffect::try_from(self.option.effect).unwrap_or(PanelEffect::Unspecified);
        let plugin = plugin_ref(self.timescales.plugin.description());
        let mut decision = pb::PanelDecision {
            code: self.option.code.clone(),
            label: self.option.label.clone(),
            effect: self.option.effect,
            present: r.present.clone(),
            reason: r.reason.clone(),
            decided_by: ctx.caller.actor(),
            decide_time: Some(timestamp(at)),
            plugin: Some(plugin.clone()),
            ..Default::default()
        };
        let summary = format!("{} ({}): {}", self.panel.name, date, self.option.label);
        match (effect, subject) {
            (PanelEffect::Defer, subject) => {
                let (next, _) = next_sitting(
                    self.timescales.plugin,
                    &self.panel,
                    self.day + Duration::days(1),
                )?;
                item.deferred_from.push(date.clone());
                item.sitting_date = next
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default();
                let mut e = event(
                    "panel.deferred",
                    &item.name,
                    &ctx.caller,
                    at,
                    format!("{summary}; to the sitting of {}", item.sitting_date),
                );
                e.reason = r.reason.clone();
                e.plugin = Some(plugin);
                let (referral_id, case_id) = subject_ids(&subject);
                w.event(referral_id.as_deref(), case_id.as_deref(), e);
                w.update(&loaded, &mut item)?;
                return Ok(item);
            }
            (PanelEffect::Accept, Subject::Referral(referral_row)) => {
                let mut referral = referral_row.record.clone();
                if !referral.case.is_empty() {
                    return Err(ApiError::precondition(
                        format!("the referral already opened {}", referral.case),
                        "STATE",
                        "the referral has a case",
                    ));
                }
                let level = if self.option.level_code.is_empty() {
                    item.requested_level.clone()
                } else {
                    self.option.level_code.clone()
                };
                let cases = moves::open_cases(
                    &self.timescales,
                    &ctx.caller.authority,
                    &item.subject,
                    &referral,
                    &[],
                    &level,
                    at,
                    ctx.now,
                )?;
                referral.cases = cases.iter().map(|c| c.name.clone()).collect();
                referral.case = referral.cases.first().cloned().unwrap_or_default();
                referral.update_time = Some(timestamp(ctx.now));
                w.update(&referral_row, &mut referral)?;
                for mut case in cases {
                    w.insert(&mut case)?;
                    let case_id = names::parse_case("case", &case.name)?.id;
                    let mut e = event(
                        "case.opened",
                        &case.name,
                        &ctx.caller,
                        at,
                        format!("Case opened at level {level} by the {summary}"),
                    );
                    e.to_level = level.clone();
                    e.consent = referral.consent.clone();
                    e.reason = r.reason.clone();
                    e.plugin = Some(plugin.clone());
                    w.event(Some(&referral_row.row.id), Some(&case_id), e);
                }
                decision.case = referral.case.clone();
                decision.level = level;
            }
            (PanelEffect::Decline, Subject::Referral(referral_row)) => {
                let referrer = referral_row.record.referrer.clone().unwrap_or_default();
                let mut e = event(
                    "referral.declined_by_panel",
                    &item.subject,
                    &ctx.caller,
                    at,
                    format!(
                        "{summary}. Tell the referrer why: {} ({}, {}){}",
                        referrer.name,
                        referrer.agency,
                        [referrer.phone.as_str(), referrer.email.as_str()]
                            .iter()
                            .filter(|x| !x.is_empty())
                            .copied()
                            .collect::<Vec<_>>()
                            .join(", "),
                        if r.reason.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", r.reason)
                        }
                    ),
                );
                e.reason = r.reason.clone();
                e.plugin = Some(plugin);
                w.event(Some(&referral_row.row.id), None, e);
            }
            (PanelEffect::Accept, Subject::Case(case_row, held)) => {
                let mut case = case_row.record.clone();
                require_open(&case)?;
                let pending = waiting_on(&case, &item)?;
                let mut mv = Move::of_pending(&pending);
                mv.panel_decision = self.option.code.clone();
                if !self.option.level_code.is_empty() {
                    mv.target_level = self.option.level_code.clone();
                }
                let answer = moves::check(&self.timescales, &case, &mv, &held, at)?;
                if !answer.allowed {
                    return Err(moves::refusal(
                        self.timescales.plugin.description(),
                        &mv,
                        &answer.unmet,
                    ));
                }
                let mut e = moves::make(
                    &self.timescales,
                    &mut case,
                    &mv,
                    &answer,
                    at,
                    &ctx.caller,
                    true,
                )?;
                e.reason = format!("{}; {summary}", e.reason);
                case.update_time = Some(timestamp(ctx.now));
                w.update(&case_row, &mut case)?;
                w.event(
                    case_row.row.referral_id.as_deref(),
                    Some(&case_row.row.id),
                    e,
                );
                decision.case = case.name.clone();
                decision.level = case.level.clone();
            }
            (PanelEffect::Decline, Subject::Case(case_row, _)) => {
                let mut case = case_row.record.clone();
                let pending = waiting_on(&case, &item)?;
                case.pending_transition = None;
                case.update_time = Some(timestamp(ctx.now));
                w.update(&case_row, &mut case)?;
                let mut e = event(
                    "case.transition_request_declined",
                    &case.name,
                    &ctx.caller,
                    at,
                    format!(
                        "{summary}. Tell {} why{}",
                        pending.requested_by,
                        if r.reason.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", r.reason)
                        }
                    ),
                );
                e.reason = r.reason.clone();
                e.plugin = Some(plugin);
                w.event(
                    case_row.row.referral_id.as_deref(),
                    Some(&case_row.row.id),
                    e,
                );
            }
            (PanelEffect::Unspecified, _) => {
                return Err(ApiError::Plugin(format!(
                    "decision {} has no effect",
                    self.option.code
                )));
            }
        }
        item.state = AgendaItemState::Decided as i32;
        item.sitting_date = date;
        item.decision = Some(decision);
        w.update(&loaded, &mut item)?;
        Ok(item)
    }

    fn resource(output: &pb::AgendaItem) -> &str {
        &output.name
    }

    async fn replay(
        &self,
        state: &AppState,
        ctx: &Ctx,
        resource: &str,
    ) -> Result<pb::AgendaItem, ApiError> {
        reload(state, ctx, resource).await
    }
}

/// The referral and case ids an item's events belong to.
fn subject_ids(subject: &Subject) -> (Option<String>, Option<String>) {
    match subject {
        Subject::Referral(r) => (Some(r.row.id.clone()), None),
        Subject::Case(c, _) => (c.row.referral_id.clone(), Some(c.row.id.clone())),
    }
}

/// The case's pending transition request that `item` decides.
fn waiting_on(
    case: &pb::Case,
    item: &pb::AgendaItem,
) -> Result<pb::TransitionRequestRecord, ApiError> {
    case.pending_transition
        .clone()
        .filter(|p| p.agenda_item == item.name)
        .ok_or_else(|| {
            ApiError::precondition(
                "the case no longer has the transition request this item decides",
                "STATE",
                "no matching pending transition request",
            )
        })
}
