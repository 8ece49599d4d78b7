//! Deadlines as tracked objects: started by case events, met by the events the authority's rule
//! names, rolled forward when recurring, cancelled when they no longer apply, and overdue when
//! read after their latest allowed time.
//!
//! Everything here is a pure function of the case, the event, its time and the authority's
//! plugin and calendar; the unit of work stores the result. A deadline's stored state is
//! PENDING, MET or CANCELLED; OVERDUE is derived from the clock whenever one is read
//! ([`WorkingDays::present`]), so nothing has to run for a deadline to become overdue.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use continuum_domain::calendar::{Calendar, Division};
use continuum_domain::{deadline, uk_time};
use continuum_plugin_api::Authority;
use continuum_plugin_api::pb::{
    CaseEvent as PluginCaseEvent, ChildAge, Deadline, Nation, Span, TimescaleRequest,
};
use continuum_plugin_host::DynamicPlugin;

use super::common::{child_age, new_id, plugin_ref};
use crate::convert::{from_timestamp, instant, timestamp, unit};
use crate::error::ApiError;
use crate::pb::{self, DeadlineState};

/// How many days of closed dates a routing request carries: the day before its date, its date
/// and the 13 after.
const CLOSED_DATES_DAYS: u32 = 15;

/// An authority's working days: the UK calendar of its division.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WorkingDays<'a> {
    pub calendar: &'a Calendar,
    pub division: Division,
}

/// The bank-holiday division of a nation (Wales shares England's).
pub(crate) fn division(nation: i32) -> Division {
    match Nation::try_from(nation) {
        Ok(Nation::Scotland) => Division::Scotland,
        Ok(Nation::NorthernIreland) => Division::NorthernIreland,
        _ => Division::EnglandAndWales,
    }
}

impl WorkingDays<'_> {
    /// The bank holidays and local closures a routing request carries: from the day before
    /// `date` (a window that opened then, past midnight, may still be open) to 13 days after
    /// it, in date order. `None` outside the calendar's years.
    pub fn closed_near(&self, date: NaiveDate) -> Option<Vec<NaiveDate>> {
        self.calendar
            .closed_dates(self.division, date.pred_opt()?, CLOSED_DATES_DAYS)
    }

    /// When a span after `from` ends; `None` when it cannot be computed (an unknown unit, or a
    /// date outside the calendar's years): the service never guesses a date.
    pub fn after(&self, from: DateTime<Utc>, span: &Span) -> Option<DateTime<Utc>> {
        let unit = unit(span.unit)?;
        deadline::due(self.calendar, self.division, from, span.amount, unit)
    }

    /// The working-day number of `at`'s UK date (see `Calendar::working_day_number`).
    pub fn number(&self, at: DateTime<Utc>) -> Result<i64, ApiError> {
        let date = uk_time::to_local(at).date();
        self.calendar
            .working_day_number(self.division, date)
            .ok_or_else(|| ApiError::Internal(format!("{date} is outside the calendar's years")))
    }

    /// Working days from the day of `due` to the day of `at` (0 when not later).
    fn days_late(&self, due: DateTime<Utc>, at: DateTime<Utc>) -> Result<i32, ApiError> {
        let late = self.number(at)? - self.number(due)?;
        Ok(late.clamp(0, i64::from(i32::MAX)) as i32)
    }

    /// Derive what depends on the clock: a pending deadline past its latest allowed time is
    /// OVERDUE, by so many working days.
    pub fn present(&self, d: &mut pb::DeadlineRecord, now: DateTime<Utc>) {
        if d.state != DeadlineState::Pending as i32 {
            return;
        }
        if let Some(late) = late_time(d)
            && late < now
        {
            d.state = DeadlineState::Overdue as i32;
            d.working_days_late = self.days_late(late, now).unwrap_or(0);
        }
    }

    /// [`present`](Self::present) every deadline of a case.
    pub fn present_case(&self, case: &mut pb::Case, now: DateTime<Utc>) {
        for d in &mut case.deadlines {
            self.present(d, now);
        }
    }
}

/// A deadline's latest allowed time: the end of its range, or its due time.
pub(crate) fn late_time(d: &pb::DeadlineRecord) -> Option<DateTime<Utc>> {
    instant(d.latest_time.as_ref().or(d.due_time.as_ref()))
}

/// The authority's timescales, worked out in its working days.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timescales<'a> {
    pub plugin: &'a DynamicPlugin,
    pub days: WorkingDays<'a>,
}

impl Timescales<'_> {
    /// The deadlines `event` starts at `level` for a child of `age` (unset: the rules for every
    /// child only), due from `at`, as the plugin says (not yet named: a preview, or for
    /// [`Timescales::on_event`] to add to a case).
    pub fn started(
        &self,
        event: PluginCaseEvent,
        level: &str,
        age: Option<ChildAge>,
        at: DateTime<Utc>,
    ) -> Result<Vec<pb::DeadlineRecord>, ApiError> {
        let answer = self
            .plugin
            .timescales(&TimescaleRequest {
                event: event as i32,
                level_code: level.to_owned(),
                age,
            })
            .map_err(|e| ApiError::from_plugin(e, "level"))?;
        self.due(answer.deadlines, event, level, at)
    }

    /// Deadlines as a plugin states them, due from `at` in the authority's working days:
    /// pending records started by `event` (unspecified for a routing answer's follow-ups) at
    /// `level`.
    pub fn due(
        &self,
        deadlines: Vec<Deadline>,
        event: PluginCaseEvent,
        level: &str,
        at: DateTime<Utc>,
    ) -> Result<Vec<pb::DeadlineRecord>, ApiError> {
        let plugin = plugin_ref(self.plugin.description());
        deadlines
            .into_iter()
            .map(|d| {
                let span = d.due_in.unwrap_or_default();
                // A span without a unit is the plugin's fault; a due date the calendar cannot
                // count to (past its last year) is not.
                let due = self
                    .days
                    .after(at, &span)
                    .ok_or_else(|| match unit(span.unit) {
                        None => ApiError::Plugin(format!(
                            "deadline {} has a span without a unit",
                            d.code
                        )),
                        Some(_) => ApiError::OutOfRange(format!(
                            "deadline {} from {at} falls outside the calendar's years",
                            d.code
                        )),
                    })?;
                let latest = d.at_most.as_ref().and_then(|s| self.days.after(at, s));
                Ok(pb::DeadlineRecord {
                    code: d.code,
                    description: d.description,
                    due_time: Some(timestamp(due)),
                    repeat_every: d.repeat_every,
                    started_by: event as i32,
                    citation: d.citation,
                    plugin: Some(plugin.clone()),
                    due_in: Some(span),
                    latest_time: latest.map(timestamp),
                    at_most: d.at_most,
                    state: DeadlineState::Pending as i32,
                    start_time: Some(timestamp(at)),
                    level: level.to_owned(),
                    met_by: d.met_by,
                    ..Default::default()
                })
            })
            .collect()
    }

    /// A case event happened at `at`: the pending deadlines it meets are met (recurring ones
    /// start again from `at`, unless the event starts one of the same code itself), then the
    /// deadlines it starts at the case's level are added. How many deadlines changed or began.
    pub fn on_event(
        &self,
        case: &mut pb::Case,
        event: PluginCaseEvent,
        at: DateTime<Utc>,
    ) -> Result<usize, ApiError> {
        let age = child_age(case.child.as_ref(), uk_time::to_local(at).date());
        let started = self.started(event, &case.level, age, at)?;
        let mut changed = 0;
        let mut again = Vec::new();
        for d in &mut case.deadlines {
            let meets = d.state == DeadlineState::Pending as i32
                && d.met_by.contains(&(event as i32))
                && instant(d.start_time.as_ref()).is_some_and(|start| start <= at);
            if !meets {
                continue;
            }
            let late = late_time(d).is_some_and(|late| at > late);
            d.state = DeadlineState::Met as i32;
            d.met_time = Some(timestamp(at));
            d.met_event = event as i32;
            d.met_late = late;
            d.working_days_late = match late_time(d) {
                Some(due) if late => self.days.days_late(due, at)?,
                _ => 0,
            };
            changed += 1;
            if let Some(every) = &d.repeat_every
                && !started.iter().any(|s| s.code == d.code)
            {
                again.push(self.again(d, every, at)?);
            }
        }
        for mut d in again.into_iter().chain(started) {
            d.name = format!("{}/deadlines/{}", case.name, new_id());
            d.allocated_worker = worker(case);
            case.deadlines.push(d);
            changed += 1;
        }
        Ok(changed)
    }

    /// The next occurrence of a recurring deadline met at `at`.
    fn again(
        &self,
        met: &pb::DeadlineRecord,
        every: &Span,
        at: DateTime<Utc>,
    ) -> Result<pb::DeadlineRecord, ApiError> {
        let due = self.days.after(at, every).ok_or_else(|| {
            ApiError::Plugin(format!("deadline {} cannot recur from {at}", met.code))
        })?;
        let latest = met.at_most.as_ref().and_then(|s| self.days.after(at, s));
        Ok(pb::DeadlineRecord {
            code: met.code.clone(),
            description: met.description.clone(),
            due_time: Some(timestamp(due)),
            repeat_every: met.repeat_every,
            started_by: met.met_event,
            citation: met.citation.clone(),
            plugin: met.plugin.clone(),
            due_in: Some(*every),
            latest_time: latest.map(timestamp),
            at_most: met.at_most,
            state: DeadlineState::Pending as i32,
            start_time: Some(timestamp(at)),
            level: met.level.clone(),
            met_by: met.met_by.clone(),
            ..Default::default()
        })
    }
}

/// Cancel the case's pending deadlines that `applies` says no longer apply, at `at`, for
/// `reason`. How many were cancelled.
pub(crate) fn cancel(
    case: &mut pb::Case,
    at: DateTime<Utc>,
    reason: &str,
    applies: impl Fn(&pb::DeadlineRecord) -> bool,
) -> usize {
    let mut n = 0;
    for d in &mut case.deadlines {
        if d.state == DeadlineState::Pending as i32 && !applies(d) {
            d.state = DeadlineState::Cancelled as i32;
            d.cancel_time = Some(timestamp(at));
            d.cancel_reason = reason.to_owned();
            n += 1;
        }
    }
    n
}

/// The case's allocated worker's name ("" when unallocated).
pub(crate) fn worker(case: &pb::Case) -> String {
    case.allocated_worker
        .as_ref()
        .map(|w| w.name.clone())
        .unwrap_or_default()
}

/// Keep every deadline's `allocated_worker` the case's (after an allocation).
pub(crate) fn follow_worker(case: &mut pb::Case) {
    let name = worker(case);
    for d in &mut case.deadlines {
        if d.allocated_worker != name {
            d.allocated_worker.clone_from(&name);
        }
    }
}

/// When the case opened, for an `occur_time` that may not precede it.
pub(crate) fn case_opened(case: &pb::Case) -> Option<(DateTime<Utc>, &'static str)> {
    Some((instant(case.open_time.as_ref())?, "the case opened"))
}

/// How far ahead of the service's clock a caller's may be: an `occur_time` up to this far ahead
/// is taken as now.
const CLOCK_SKEW_SECONDS: i64 = 60;

/// A request's `occur_time`: when the thing happened. Now when unset; never in the future, nor
/// before `not_before` (named by `what`, e.g. "the case opened").
pub(crate) fn occur_time(
    field: &str,
    given: Option<&prost_types::Timestamp>,
    now: DateTime<Utc>,
    not_before: Option<(DateTime<Utc>, &str)>,
) -> Result<DateTime<Utc>, ApiError> {
    let Some(at) = from_timestamp(field, given)? else {
        return Ok(now);
    };
    // A caller's clock a little ahead of the service's is not a time in the future.
    if at > now + Duration::seconds(CLOCK_SKEW_SECONDS) {
        return Err(ApiError::invalid(
            field,
            format!("{at} is in the future (now {now}): give when it happened"),
        ));
    }
    let at = at.min(now);
    // What came first was itself recorded by a clock a little ahead, perhaps: never later than now.
    if let Some((earliest, what)) = not_before
        && at < earliest.min(now)
    {
        return Err(ApiError::invalid(
            field,
            format!("{at} is before {what} ({earliest})"),
        ));
    }
    Ok(at)
}
