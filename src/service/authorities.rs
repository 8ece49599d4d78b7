//! AuthorityService: the loaded plugins, and dry runs of their rules. Nothing here is stored.

use chrono::NaiveDateTime;
use continuum_domain::{Violations, census, names, uk_time};
use continuum_plugin_api::Authority;
use continuum_plugin_api::pb::{CaseEvent, ContactRequest, PanelRequest, Urgency};

use super::common::plugin_ref;
use super::validate;
use crate::AppState;
use crate::convert::from_timestamp;
use crate::error::ApiError;
use crate::pb;
use crate::state::Ctx;

fn authority<'s>(
    state: &'s AppState,
    field: &str,
    name: &str,
) -> Result<&'s std::sync::Arc<continuum_plugin_host::DynamicPlugin>, ApiError> {
    let name = names::parse_authority(field, name)?;
    state.authority(&name.authority)
}

pub async fn list(
    state: &AppState,
    _: Ctx,
    _: pb::ListAuthoritiesRequest,
) -> Result<pb::ListAuthoritiesResponse, ApiError> {
    Ok(pb::ListAuthoritiesResponse {
        authorities: state
            .plugins()
            .plugins()
            .iter()
            .map(|p| pb::Authority {
                name: names::authority(&p.description().code),
                description: Some(p.describe()),
            })
            .collect(),
    })
}

pub async fn get(
    state: &AppState,
    _: Ctx,
    r: pb::GetAuthorityRequest,
) -> Result<pb::Authority, ApiError> {
    let plugin = authority(state, "name", &r.name)?;
    Ok(pb::Authority {
        name: r.name,
        description: Some(plugin.describe()),
    })
}

pub async fn assess(
    state: &AppState,
    _: Ctx,
    r: pb::AssessThresholdRequest,
) -> Result<pb::AssessThresholdResponse, ApiError> {
    let plugin = authority(state, "authority", &r.authority)?;
    let request = r
        .request
        .ok_or_else(|| ApiError::invalid("request", "is required"))?;
    let decision = plugin
        .assess_threshold(&request)
        .map_err(|e| ApiError::from_plugin(e, "request"))?;
    Ok(pb::AssessThresholdResponse {
        decision: Some(decision),
        plugin: Some(plugin_ref(plugin.description())),
    })
}

pub async fn route(
    state: &AppState,
    ctx: Ctx,
    r: pb::RouteContactRequest,
) -> Result<pb::RouteContactResponse, ApiError> {
    let plugin = authority(state, "authority", &r.authority)?;
    let mut v = Violations::new();
    v.check(
        Urgency::try_from(r.urgency).is_ok(),
        "urgency",
        format!("{} is not an urgency", r.urgency),
    );
    validate::case_history(r.history.as_ref(), "history", plugin.description(), &mut v);
    validate::child_age(r.age.as_ref(), "age", &mut v);
    v.into_result()?;
    let local_time = if r.local_time.is_empty() {
        uk_time::to_local(ctx.now)
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string()
    } else {
        r.local_time
    };
    // The bank holidays of the authority's division around that date, from the calendar; the
    // caller may still say whether the date itself is one.
    let local = NaiveDateTime::parse_from_str(&local_time, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(&local_time, "%Y-%m-%dT%H:%M"))
        .map_err(|_| {
            ApiError::invalid(
                "local_time",
                format!("{local_time:?} is not a local date-time of the form YYYY-MM-DDTHH:MM:SS"),
            )
        })?;
    let date = local.date();
    let days = state.working_days_of(plugin);
    let closed = days.closed_near(date).ok_or_else(|| {
        ApiError::invalid(
            "local_time",
            format!("{date} is outside the years the bank-holiday calendar covers"),
        )
    })?;
    let public_holiday = r.public_holiday.unwrap_or_else(|| closed.contains(&date));
    let closed_dates = closed
        .into_iter()
        .filter(|d| public_holiday || *d != date)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .collect();
    let at = uk_time::from_local(local);
    let answer = plugin
        .route_contact(&ContactRequest {
            purpose: r.purpose,
            local_time,
            public_holiday,
            closed_dates,
            urgency: r.urgency,
            history: r.history,
            age: r.age,
        })
        .map_err(|e| ApiError::from_plugin(e, ""))?;
    // What the route obliges the caller to do next, due from the time of the contact.
    let follow_ups =
        state
            .timescales(plugin)
            .due(answer.follow_ups.clone(), CaseEvent::Unspecified, "", at)?;
    Ok(pb::RouteContactResponse {
        answer: Some(answer),
        plugin: Some(plugin_ref(plugin.description())),
        follow_ups,
    })
}

pub async fn next_panel(
    state: &AppState,
    ctx: Ctx,
    r: pb::GetNextPanelSittingRequest,
) -> Result<pb::GetNextPanelSittingResponse, ApiError> {
    let plugin = authority(state, "authority", &r.authority)?;
    let on_or_after = if r.on_or_after.is_empty() {
        uk_time::to_local(ctx.now).format("%Y-%m-%d").to_string()
    } else {
        r.on_or_after
    };
    let answer = plugin
        .next_panel(&PanelRequest {
            panel_code: r.panel,
            on_or_after,
        })
        .map_err(|e| match ApiError::from_plugin(e, "") {
            ApiError::Invalid(mut v) => {
                for f in &mut v.0 {
                    if f.field == "panel_code" {
                        f.field = "panel".into();
                    }
                }
                ApiError::Invalid(v)
            }
            other => other,
        })?;
    Ok(pb::GetNextPanelSittingResponse {
        answer: Some(answer),
        plugin: Some(plugin_ref(plugin.description())),
    })
}

pub async fn timescales(
    state: &AppState,
    ctx: Ctx,
    r: pb::PreviewTimescalesRequest,
) -> Result<pb::PreviewTimescalesResponse, ApiError> {
    let plugin = authority(state, "authority", &r.authority)?;
    let event = CaseEvent::try_from(r.event)
        .ok()
        .filter(|e| *e != CaseEvent::Unspecified)
        .ok_or_else(|| ApiError::invalid("event", "is required"))?;
    let at = from_timestamp("event_time", r.event_time.as_ref())?.unwrap_or(ctx.now);
    let days = state.working_days_of(plugin);
    let date = uk_time::to_local(at).date();
    if days
        .calendar
        .working_day_number(days.division, date)
        .is_none()
    {
        return Err(ApiError::invalid(
            "event_time",
            format!("{date} is outside the years the working-day calendar covers"),
        ));
    }
    let mut v = Violations::new();
    validate::child_age(r.age.as_ref(), "age", &mut v);
    v.into_result()?;
    let deadlines = state
        .timescales(plugin)
        .started(event, &r.level, r.age, at)?;
    Ok(pb::PreviewTimescalesResponse { deadlines })
}

pub async fn check_transition(
    state: &AppState,
    _: Ctx,
    r: pb::CheckTransitionRequest,
) -> Result<pb::CheckTransitionResponse, ApiError> {
    let plugin = authority(state, "authority", &r.authority)?;
    let request = r
        .request
        .ok_or_else(|| ApiError::invalid("request", "is required"))?;
    let answer = plugin
        .check_transition(&request)
        .map_err(|e| ApiError::from_plugin(e, "request"))?;
    Ok(pb::CheckTransitionResponse {
        answer: Some(answer),
        plugin: Some(plugin_ref(plugin.description())),
    })
}

pub async fn statutory_codes(
    _: &AppState,
    _: Ctx,
    r: pb::ListStatutoryCodesRequest,
) -> Result<pb::ListStatutoryCodesResponse, ApiError> {
    let tables: Vec<&census::Table> = census::TABLES
        .iter()
        .copied()
        .filter(|t| r.code_set.is_empty() || t.tag == r.code_set)
        .collect();
    if tables.is_empty() {
        return Err(ApiError::invalid(
            "code_set",
            format!(
                "{:?} is not a code set: one of {}",
                r.code_set,
                census::TABLES
                    .iter()
                    .map(|t| t.tag)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let code = |code: &str, label: &str, use_instead: &[&str]| pb::StatutoryCode {
        code: code.to_owned(),
        label: label.to_owned(),
        use_instead: use_instead.iter().map(|c| (*c).to_owned()).collect(),
    };
    Ok(pb::ListStatutoryCodesResponse {
        specification: census::SPECIFICATION.to_owned(),
        code_sets: tables
            .into_iter()
            .map(|t| pb::StatutoryCodeSet {
                tag: t.tag.to_owned(),
                item: t.item.to_owned(),
                meaning: t.meaning.to_owned(),
                codes: t.codes.iter().map(|c| code(c.code, c.label, &[])).collect(),
                withdrawn: t
                    .deprecated
                    .iter()
                    .map(|d| code(d.code, d.label, d.use_instead))
                    .collect(),
            })
            .collect(),
    })
}
