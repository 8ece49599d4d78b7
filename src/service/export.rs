//! ExportService: the Department for Education's children's social care data flow (v0.8), built
//! from the records: for the children whose records changed after an event cursor, each child's
//! details and social care episodes (one per referral of the child), as the JSON payload DfE
//! takes. Committed schema: `docs/dfe-children.schema.json`.
//!
//! A child is known across referrals as "known before" knows it (NHS number, or exact name and
//! date of birth), and `la_child_id` is a pseudonym of that: the same child keeps the same id from
//! export to export without an identifier leaving in it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::DateTime;
use continuum_domain::{Violations, uk_time};
use continuum_plugin_api::pb::{AuthorityDescription, Response};
use continuum_storage::{self as storage, Store};
use prost::Message;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::common::{event_after, event_cursor, parent_authority};
use super::records::{child_key, from_row, load};
use crate::AppState;
use crate::convert::instant;
use crate::error::ApiError;
use crate::pb::{self, ReferralOutcome, event};
use crate::state::Ctx;

const DEFAULT_EVENTS: i32 = 10_000;
const MAX_EVENTS: i32 = 100_000;
/// The most earlier referrals of one child an export reads.
const MAX_EPISODES: u64 = 200;

pub async fn export(
    state: &AppState,
    ctx: Ctx,
    r: pb::ExportChildrenRequest,
) -> Result<pb::ExportChildrenResponse, ApiError> {
    let authority = parent_authority(&ctx.caller, "parent", &r.parent)?;
    let plugin = state.authority(&authority)?;
    let mut v = Violations::new();
    let from = event_after(&authority, "after", &r.after).unwrap_or_else(|e| {
        v.0.extend(e.0);
        0
    });
    let max = match r.max_events {
        0 => DEFAULT_EVENTS,
        n => n,
    };
    v.check(
        (1..=MAX_EVENTS).contains(&max),
        "max_events",
        format!("must be between 1 and {MAX_EVENTS}"),
    );
    v.into_result()?;
    let store = state.store();
    let mut rows = storage::list_outbox(store, &authority, from, max as u64 + 1).await?;
    let more = rows.len() > max as usize;
    rows.truncate(max as usize);
    let last = rows.last().map_or(from, |row| row.seq);

    // The referrals whose children changed: each record names its referral.
    let mut referrals = BTreeSet::new();
    for row in &rows {
        let e = pb::Event::decode(row.body.as_slice())
            .map_err(|e| ApiError::Internal(format!("a stored event does not decode: {e}")))?;
        match e.payload {
            Some(event::Payload::Referral(r)) => {
                referrals.insert(r.name);
            }
            Some(event::Payload::Case(c)) => {
                referrals.insert(c.referral);
            }
            Some(event::Payload::Meeting(m)) => {
                let case = m.name.split("/meetings/").next().unwrap_or_default();
                if let Ok(c) = load::<pb::Case>(store, &ctx.caller, "case", case).await {
                    referrals.insert(c.record.referral);
                }
            }
            Some(event::Payload::AgendaItem(_)) | None => {}
        }
    }
    referrals.remove("");

    let d = plugin.description();
    let mut children: BTreeMap<String, Value> = BTreeMap::new();
    for name in &referrals {
        let referral = load::<pb::Referral>(store, &ctx.caller, "referral", name)
            .await?
            .record;
        let family = referral.child.iter().chain(&referral.other_children);
        for (i, child) in family.enumerate() {
            let id = la_child_id(&authority, child, name, i);
            if children.contains_key(&id) {
                continue;
            }
            // The same child's other referrals: known as the first child of each.
            let mut theirs = vec![(referral.clone(), i)];
            if i == 0 {
                for other in earlier(store, &authority, child).await? {
                    if other.name != referral.name {
                        theirs.push((other, 0));
                    }
                }
            }
            let mut episodes = Vec::new();
            for (r, index) in &theirs {
                episodes.push(episode(store, &ctx, d, r, *index).await?);
            }
            children.insert(
                id.clone(),
                json!({
                    "la_child_id": id,
                    "child_details": child_details(child),
                    "social_care_episodes": episodes,
                    "purge": false,
                }),
            );
        }
    }
    let count = children.len() as i32;
    let payload = json!({
        "la_code": authority,
        "children": children.into_values().collect::<Vec<_>>(),
    });
    Ok(pb::ExportChildrenResponse {
        payload: payload.to_string(),
        children: count,
        next_cursor: event_cursor(&authority, last),
        more,
    })
}

/// Every referral of this child to the authority, newest first.
async fn earlier(
    store: &Store,
    authority: &str,
    child: &pb::Child,
) -> Result<Vec<pb::Referral>, ApiError> {
    let nhs = Some(child.nhs_number.as_str()).filter(|n| !n.is_empty());
    let key = child_key(child);
    let far = DateTime::<chrono::Utc>::MAX_UTC;
    let rows = storage::earlier_referrals(store, authority, nhs, key.as_deref(), far, MAX_EPISODES)
        .await?;
    rows.iter().map(from_row::<pb::Referral>).collect()
}

/// A stable pseudonym for a child of the authority: from its NHS number, else its exact name and
/// date of birth, else (an unborn child) its place on the referral.
fn la_child_id(authority: &str, child: &pb::Child, referral: &str, index: usize) -> String {
    let known = if !child.nhs_number.is_empty() {
        format!("nhs|{}", child.nhs_number)
    } else if let Some(key) = child_key(child) {
        format!("key|{key}")
    } else {
        format!("referral|{referral}|{index}")
    };
    let digest = Sha256::digest(format!("{authority}|{known}").as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("C{hex}")
}

fn child_details(c: &pb::Child) -> Value {
    let mut m = Map::new();
    put(&mut m, "unique_pupil_number", &c.upn);
    put(&mut m, "first_name", &c.given_name);
    put(&mut m, "surname", &c.family_name);
    put(&mut m, "date_of_birth", &c.date_of_birth);
    put(
        &mut m,
        "expected_date_of_birth",
        &c.expected_date_of_delivery,
    );
    put(&mut m, "sex", &c.sex);
    put(&mut m, "ethnicity", &c.ethnicity);
    if !c.disabilities.is_empty() {
        m.insert("disabilities".into(), json!(c.disabilities));
    }
    m.insert("purge".into(), json!(false));
    Value::Object(m)
}

/// One referral of the child as a social care episode, with the child's case from it, if any.
async fn episode(
    store: &Store,
    ctx: &Ctx,
    d: &AuthorityDescription,
    referral: &pb::Referral,
    index: usize,
) -> Result<Value, ApiError> {
    let id = referral.name.rsplit('/').next().unwrap_or_default();
    let mut m = Map::new();
    m.insert(
        "social_care_episode_id".into(),
        json!(format!("{id}-{index}")),
    );
    put(
        &mut m,
        "referral_date",
        &date_of(referral.receive_time.as_ref()),
    );
    put(&mut m, "referral_source", &referral.referral_source);
    let decision = referral.decision.as_ref();
    let no_further_action = decision.is_some_and(|dec| {
        matches!(
            ReferralOutcome::try_from(dec.outcome),
            Ok(ReferralOutcome::SignpostUniversal | ReferralOutcome::ReturnToReferrer)
        )
    });
    m.insert(
        "referral_no_further_action_flag".into(),
        json!(no_further_action),
    );
    let case_name = decision
        .and_then(|dec| dec.children.iter().find(|c| c.child as usize == index))
        .map(|c| c.case.clone())
        .or_else(|| (index == 0).then(|| referral.case.clone()))
        .unwrap_or_default();
    if !case_name.is_empty() {
        let case = load::<pb::Case>(store, &ctx.caller, "case", &case_name)
            .await?
            .record;
        let case_id = case_name.rsplit('/').next().unwrap_or_default();
        let opened = date_of(case.open_time.as_ref());
        let closed = date_of(case.close_time.as_ref());
        if let Some(worker) = &case.allocated_worker {
            // The allocation's own date is not kept apart from the case's: the case's opening
            // stands for it.
            let mut w = Map::new();
            w.insert("worker_id".into(), json!(worker.name));
            put(&mut w, "start_date", &opened);
            put(&mut w, "end_date", &closed);
            m.insert("care_worker_details".into(), json!([w]));
        }
        if let Some(a) = &case.assessment {
            let mut am = Map::new();
            am.insert(
                "child_and_family_assessment_id".into(),
                json!(format!("{case_id}-A")),
            );
            put(&mut am, "start_date", &a.start_date);
            put(&mut am, "authorisation_date", &a.authorisation_date);
            am.insert("factors".into(), json!(a.factors));
            am.insert("purge".into(), json!(false));
            m.insert("child_and_family_assessments".into(), json!([am]));
        }
        // A plan at a level whose response is statutory social care is a child in need plan.
        let statutory = d
            .levels
            .iter()
            .any(|l| l.code == case.level && l.response == Response::StatutorySocialCare as i32);
        if let Some(plan) = case.plan.as_ref().filter(|_| statutory) {
            let mut p = Map::new();
            p.insert(
                "child_in_need_plan_id".into(),
                json!(format!("{case_id}-P")),
            );
            put(&mut p, "start_date", &date_of(plan.update_time.as_ref()));
            put(&mut p, "end_date", &closed);
            p.insert("purge".into(), json!(false));
            m.insert("child_in_need_plans".into(), json!([p]));
        }
        put(&mut m, "closure_date", &closed);
        put(&mut m, "closure_reason", &case.closure_reason);
    }
    m.insert("purge".into(), json!(false));
    Ok(Value::Object(m))
}

/// Set `key` to `value` unless it is empty (the specification leaves absent what is unknown).
fn put(m: &mut Map<String, Value>, key: &str, value: &str) {
    if !value.is_empty() {
        m.insert(key.into(), json!(value));
    }
}

/// The UK date of an instant, "YYYY-MM-DD" ("" for none).
fn date_of(t: Option<&prost_types::Timestamp>) -> String {
    instant(t)
        .map(|t| uk_time::to_local(t).date().format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}
