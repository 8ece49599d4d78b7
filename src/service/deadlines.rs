//! CaseService's views across an authority's cases: what is due and what is late
//! (`ListDeadlines`), and how many were done on time (`GetComplianceSummary`). Both read the
//! deadlines' index rows; the summary is computed by the database.

use std::collections::{BTreeMap, HashSet};

use chrono::{Duration, NaiveDate};
use continuum_domain::{Violations, names, uk_time};
use continuum_storage::{self as storage, DeadlineFilter, DeadlineState as StateFilter};

use super::common::{PageRequest, decode, parent_authority};
use crate::AppState;
use crate::convert::{date, from_timestamp, timestamp};
use crate::error::ApiError;
use crate::pb::{self, DeadlineState};
use crate::state::Ctx;

/// The longest `allocated_worker`, `code` or `level` filter accepted.
const MAX_FILTER: usize = 200;

/// The longest date range a compliance summary covers, in days.
const MAX_SUMMARY_DAYS: i64 = 366;

pub async fn list(
    state: &AppState,
    ctx: Ctx,
    r: pb::ListDeadlinesRequest,
) -> Result<pb::ListDeadlinesResponse, ApiError> {
    let authority = parent_authority(&ctx.caller, "parent", &r.parent)?;
    let plugin = state.authority(&authority)?;
    let d = plugin.description();
    let mut v = Violations::new();
    let now = ctx.now.timestamp_millis();
    let state_filter = match DeadlineState::try_from(r.state) {
        Ok(DeadlineState::Unspecified) => None,
        Ok(DeadlineState::Pending) => Some(StateFilter::Pending {
            now,
            widest: widest_range_ms(d),
        }),
        Ok(DeadlineState::Overdue) => Some(StateFilter::Overdue { now }),
        Ok(DeadlineState::Met) => Some(StateFilter::Met),
        Ok(DeadlineState::Cancelled) => Some(StateFilter::Cancelled),
        Err(_) => {
            v.add("state", format!("{} is not a deadline state", r.state));
            None
        }
    };
    let after = from_timestamp("due_after", r.due_after.as_ref()).unwrap_or_else(|e| {
        v.0.extend(e.0);
        None
    });
    let before = from_timestamp("due_before", r.due_before.as_ref()).unwrap_or_else(|e| {
        v.0.extend(e.0);
        None
    });
    if let (Some(a), Some(b)) = (after, before) {
        v.check(
            a < b,
            "due_before",
            format!("{b} is not after due_after ({a})"),
        );
    }
    for (field, value) in [
        ("allocated_worker", &r.allocated_worker),
        ("code", &r.code),
        ("level", &r.level),
    ] {
        v.check(
            value.chars().count() <= MAX_FILTER,
            field,
            format!("is longer than {MAX_FILTER} characters"),
        );
    }
    if !r.code.is_empty() {
        let codes: HashSet<&str> = d
            .timescales
            .iter()
            .flat_map(|t| &t.deadlines)
            .map(|dl| dl.code.as_str())
            .collect();
        v.check(
            codes.contains(r.code.as_str()),
            "code",
            format!(
                "{:?} is not a deadline kind of {} ({})",
                r.code,
                d.name,
                sorted(codes).join(", ")
            ),
        );
    }
    if !r.level.is_empty() {
        v.check(
            d.levels.iter().any(|l| l.code == r.level),
            "level",
            format!("{:?} is not one of {}'s levels", r.level, d.name),
        );
    }
    let filter = DeadlineFilter {
        state: state_filter,
        due_from: after.map(|t| t.timestamp_millis()),
        due_before: before.map(|t| t.timestamp_millis()),
        allocated_worker: Some(r.allocated_worker.clone()).filter(|w| !w.is_empty()),
        code: Some(r.code.clone()).filter(|c| !c.is_empty()),
        level: Some(r.level.clone()).filter(|l| !l.is_empty()),
    };
    // The token is for this query only; "pending" and "overdue" move with the clock, so the
    // state is part of it but not the instant.
    let filter_key = format!(
        "deadlines|{authority}|{}|{:?}|{:?}|{:?}|{:?}|{:?}",
        r.state,
        filter.due_from,
        filter.due_before,
        filter.allocated_worker,
        filter.code,
        filter.level
    );
    let page = PageRequest::read(r.page_size, &r.page_token, &filter_key, &mut v);
    let resume = match page.after.as_deref().map(parse_key) {
        Some(None) => {
            v.add("page_token", "is not a token this method issued");
            None
        }
        Some(Some(key)) => Some(key),
        None => None,
    };
    v.into_result()?;
    let rows = storage::list_deadlines(
        state.store(),
        &authority,
        &filter,
        resume.as_ref().map(|(due, id)| (*due, id.as_str())),
        page.limit(),
    )
    .await?;
    let (rows, next_page_token) = page.finish(rows, |last| format!("{}|{}", last.due_at, last.id));
    let days = state.working_days_of(plugin);
    let deadlines = rows
        .iter()
        .map(|row| {
            let mut d: pb::DeadlineRecord = decode(&row.body)?;
            days.present(&mut d, ctx.now);
            Ok(d)
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(pb::ListDeadlinesResponse {
        deadlines,
        next_page_token,
    })
}

/// A page key: the last deadline's due instant (milliseconds) and id.
fn parse_key(key: &str) -> Option<(i64, String)> {
    let (due, id) = key.split_once('|')?;
    Some((due.parse().ok()?, id.to_owned()))
}

fn sorted(codes: HashSet<&str>) -> Vec<&str> {
    let mut codes: Vec<&str> = codes.into_iter().collect();
    codes.sort_unstable();
    codes
}

pub async fn compliance(
    state: &AppState,
    ctx: Ctx,
    r: pb::GetComplianceSummaryRequest,
) -> Result<pb::ComplianceSummary, ApiError> {
    let authority = parent_authority(&ctx.caller, "authority", &r.authority)?;
    let plugin = state.authority(&authority)?;
    let mut v = Violations::new();
    v.require(&r.from_date, "from_date");
    v.require(&r.to_date, "to_date");
    let from = date("from_date", &r.from_date, &mut v);
    let to = date("to_date", &r.to_date, &mut v);
    if let (Some(from), Some(to)) = (from, to) {
        v.check(
            from <= to,
            "to_date",
            format!("{to} is before from_date ({from})"),
        );
        v.check(
            (to - from).num_days() < MAX_SUMMARY_DAYS,
            "to_date",
            format!("the range may cover at most {MAX_SUMMARY_DAYS} days"),
        );
    }
    v.into_result()?;
    let (Some(from), Some(to)) = (from, to) else {
        return Err(ApiError::invalid("from_date", "is required"));
    };
    let days = state.working_days_of(plugin);
    let now = ctx.now.timestamp_millis();
    let start = midnight(from);
    let end = midnight(to + Duration::days(1));
    let store = state.store();
    let counts = storage::compliance_counts(store, &authority, start, end, now).await?;
    let histogram =
        storage::late_histogram(store, &authority, start, end, now, days.number(ctx.now)?).await?;
    let mut late: BTreeMap<&str, Vec<(i64, i64)>> = BTreeMap::new();
    for row in &histogram {
        late.entry(row.code.as_str())
            .or_default()
            .push((row.days_late, row.n));
    }
    let kinds = counts
        .into_iter()
        .map(|c| {
            let by_days = late.get(c.code.as_str()).map(Vec::as_slice).unwrap_or(&[]);
            pb::DeadlineCompliance {
                median_working_days_late: percentile(by_days, 50),
                p90_working_days_late: percentile(by_days, 90),
                code: c.code,
                met_on_time: c.met_on_time.max(0) as u64,
                met_late: c.met_late.max(0) as u64,
                overdue: c.overdue.max(0) as u64,
                pending: c.pending.max(0) as u64,
                cancelled: c.cancelled.max(0) as u64,
            }
        })
        .collect();
    Ok(pb::ComplianceSummary {
        authority: names::authority(&authority),
        from_date: r.from_date,
        to_date: r.to_date,
        kinds,
        compute_time: Some(timestamp(ctx.now)),
    })
}

/// The instant a UK date begins, in milliseconds since the epoch.
fn midnight(date: NaiveDate) -> i64 {
    uk_time::from_local(date.and_time(chrono::NaiveTime::MIN)).timestamp_millis()
}

/// The nearest-rank `p`th percentile of a histogram of `(value, count)` in value order; 0 for
/// an empty one.
fn percentile(histogram: &[(i64, i64)], p: i64) -> u32 {
    let total: i64 = histogram.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return 0;
    }
    let rank = (p * total + 99) / 100;
    let mut seen = 0;
    for (value, n) in histogram {
        seen += n;
        if seen >= rank.max(1) {
            return (*value).clamp(0, i64::from(u32::MAX)) as u32;
        }
    }
    0
}

/// The most any of the authority's deadlines lets its latest allowed time follow its due time
/// (a range's `at_most`), in milliseconds, rounded up: a bound the pending list uses to start its
/// scan near now. Working days are taken at their longest (two calendar days each, plus ten for
/// bank holidays), a month at 31 days, and a day is added for the clock changes.
fn widest_range_ms(d: &continuum_plugin_api::pb::AuthorityDescription) -> i64 {
    use continuum_plugin_api::pb::TimeUnit;
    let days = d
        .timescales
        .iter()
        .flat_map(|t| &t.deadlines)
        .filter_map(|dl| dl.at_most.as_ref())
        .map(|span| {
            let n = i64::from(span.amount);
            match TimeUnit::try_from(span.unit) {
                Ok(TimeUnit::Hours) => (n + 23) / 24,
                Ok(TimeUnit::WorkingDays) => 2 * n + 10,
                Ok(TimeUnit::CalendarDays) => n,
                Ok(TimeUnit::Weeks) => 7 * n,
                Ok(TimeUnit::Months) => 31 * n,
                _ => 0,
            }
        })
        .max()
        .unwrap_or(0);
    (days + 1) * 86_400_000
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn nearest_rank_percentiles() {
        assert_eq!(percentile(&[], 50), 0);
        assert_eq!(percentile(&[(3, 1)], 90), 3);
        // 1, 2, 2, 5, 9: the median is 2, the 90th percentile 9.
        let h = [(1, 1), (2, 2), (5, 1), (9, 1)];
        assert_eq!(percentile(&h, 50), 2);
        assert_eq!(percentile(&h, 90), 9);
    }
}
