//! ReferralService: receive, screen against the authority's thresholds, decide.

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Utc};
use continuum_domain::{Violations, names, uk_time};
use continuum_plugin_api::Authority;
use continuum_plugin_api::pb::{
    AuthorityDescription, CaseEvent as PluginCaseEvent, ChildAge, Consent, Domain, ThresholdRequest,
};
use continuum_storage::{self as storage, ReferralFilter, case, referral};
use prost::Message;

use super::{
    PageRequest, check_etag, deadlines, decode, etag, event, new_id, own, parent_authority,
    plugin_ref, record, remember, replay, request_hash, validate_request_id,
};
use crate::AppState;
use crate::auth::Caller;
use crate::convert::{date, from_timestamp, timestamp};
use crate::error::ApiError;
use crate::pb::{self, ReferralOutcome, ReferralStatus};

/// The longest pregnancy the service accepts an expected date of delivery for.
const MAX_GESTATION_WEEKS: i64 = 42;

fn status_str(s: ReferralStatus) -> &'static str {
    match s {
        ReferralStatus::Unspecified => "UNSPECIFIED",
        ReferralStatus::Received => "RECEIVED",
        ReferralStatus::Screened => "SCREENED",
        ReferralStatus::Decided => "DECIDED",
    }
}

/// Write a changed referral over `row`, if no one else changed it since it was read.
async fn save(
    txn: &impl sea_orm::ConnectionTrait,
    row: &referral::Model,
    referral: &mut pb::Referral,
    status: ReferralStatus,
    now: chrono::DateTime<Utc>,
) -> Result<referral::Model, ApiError> {
    referral.status = status as i32;
    referral.update_time = Some(timestamp(now));
    referral.etag = String::new();
    let updated = referral::Model {
        status: status_str(status).into(),
        body: referral.encode_to_vec(),
        updated_at: now,
        version: row.version + 1,
        ..row.clone()
    };
    if storage::update_referral(txn, &updated, row.version).await? {
        Ok(updated)
    } else {
        Err(ApiError::Aborted(
            "the referral changed while this request was being made; read it again and retry"
                .into(),
        ))
    }
}

/// A stored row as the API message, with its status and etag from the row.
pub(super) fn from_row(row: &referral::Model) -> Result<pb::Referral, ApiError> {
    let mut r: pb::Referral = decode(&row.body)?;
    r.etag = etag(row.version);
    Ok(r)
}

fn today() -> NaiveDate {
    uk_time::to_local(Utc::now()).date()
}

/// Check a child's identity and dates; `field` is the path of the child message.
pub(super) fn validate_child(child: Option<&pb::Child>, field: &str, v: &mut Violations) {
    let Some(child) = child else {
        v.add(field, "is required");
        return;
    };
    v.require(&child.given_name, format!("{field}.given_name"));
    v.require(&child.family_name, format!("{field}.family_name"));
    let today = today();
    let dob = date(&format!("{field}.date_of_birth"), &child.date_of_birth, v);
    let edd = date(
        &format!("{field}.expected_date_of_delivery"),
        &child.expected_date_of_delivery,
        v,
    );
    match (
        child.date_of_birth.is_empty(),
        child.expected_date_of_delivery.is_empty(),
    ) {
        (true, true) => v.add(
            format!("{field}.date_of_birth"),
            "is required (or expected_date_of_delivery for an unborn child)",
        ),
        (false, false) => v.add(
            format!("{field}.expected_date_of_delivery"),
            "give either date_of_birth or expected_date_of_delivery, not both",
        ),
        _ => {}
    }
    if let Some(dob) = dob {
        v.check(
            dob <= today,
            format!("{field}.date_of_birth"),
            "is in the future: for an unborn child give expected_date_of_delivery",
        );
        v.check(
            today.year() - dob.year() <= 30,
            format!("{field}.date_of_birth"),
            "is more than 30 years ago",
        );
    }
    if let Some(edd) = edd {
        v.check(
            edd >= today - Duration::weeks(4)
                && edd <= today + Duration::weeks(MAX_GESTATION_WEEKS),
            format!("{field}.expected_date_of_delivery"),
            format!(
                "must be within the next {MAX_GESTATION_WEEKS} weeks (or at most 4 weeks overdue)"
            ),
        );
    }
}

/// Consent: a status, and a reason whenever it was not given.
pub(super) fn validate_consent(
    consent: Option<&pb::ConsentRecord>,
    field: &str,
    v: &mut Violations,
) {
    let Some(consent) = consent else {
        v.add(
            field,
            "is required: record whether consent was given, refused or not sought",
        );
        return;
    };
    match Consent::try_from(consent.status) {
        Ok(Consent::GivenVerbally | Consent::GivenInWriting) => {}
        Ok(Consent::Refused | Consent::NotSought) => {
            if consent.reason.trim().is_empty() {
                v.add(
                    format!("{field}.reason"),
                    "is required when consent is refused or not sought (e.g. seeking it would place the child at risk of significant harm)",
                );
            }
        }
        _ => v.add(format!("{field}.status"), "is required"),
    }
}

fn validate_referral(r: &pb::Referral, d: &AuthorityDescription, v: &mut Violations) {
    validate_child(r.child.as_ref(), "referral.child", v);
    match &r.referrer {
        None => v.add(
            "referral.referrer",
            "is required: a professional referral is never anonymous",
        ),
        Some(who) => {
            v.require(&who.name, "referral.referrer.name");
            v.require(&who.agency, "referral.referrer.agency");
            v.require(&who.role, "referral.referrer.role");
            v.check(
                !(who.phone.trim().is_empty() && who.email.trim().is_empty()),
                "referral.referrer.phone",
                "a phone number or an email address is required",
            );
        }
    }
    if r.concerns.is_empty() {
        v.add("referral.concerns", "at least one concern is required");
    }
    let catalogue: HashSet<&str> = d.indicators.iter().map(|i| i.code.as_str()).collect();
    for (i, c) in r.concerns.iter().enumerate() {
        let field = format!("referral.concerns[{i}]");
        if c.indicator_code.is_empty() {
            v.check(
                !c.text.trim().is_empty(),
                format!("{field}.text"),
                "give an indicator_code, a text, or both",
            );
        } else {
            v.check(
                catalogue.contains(c.indicator_code.as_str()),
                format!("{field}.indicator_code"),
                format!(
                    "{:?} is not in {}'s indicator catalogue",
                    c.indicator_code, d.name
                ),
            );
        }
        v.check(
            matches!(Domain::try_from(c.domain), Ok(d) if d != Domain::Unspecified),
            format!("{field}.domain"),
            "is required: the Assessment Framework domain",
        );
    }
    validate_consent(r.consent.as_ref(), "referral.consent", v);
    if let Some(h) = &r.household {
        for (i, m) in h.members.iter().enumerate() {
            v.require(&m.name, format!("referral.household.members[{i}].name"));
        }
    }
}

pub async fn create(
    state: &AppState,
    caller: Caller,
    mut r: pb::CreateReferralRequest,
) -> Result<pb::Referral, ApiError> {
    caller.require_write()?;
    let authority = parent_authority(&caller, "parent", &r.parent)?;
    let plugin = state.authority(&authority)?;
    let now = Utc::now();

    let mut v = Violations::new();
    validate_request_id(&r.request_id, &mut v);
    let Some(referral) = r.referral.as_mut() else {
        v.add("referral", "is required");
        return Err(v.into());
    };
    validate_referral(referral, plugin.description(), &mut v);
    let received = match from_timestamp("referral.receive_time", referral.receive_time.as_ref()) {
        Ok(t) => t.unwrap_or(now),
        Err(e) => {
            v.0.extend(e.0);
            now
        }
    };
    v.check(
        received <= now + Duration::minutes(5),
        "referral.receive_time",
        "is in the future",
    );
    v.into_result()?;

    let request_id = std::mem::take(&mut r.request_id);
    let hash = request_hash(&r);
    let txn = state.store().begin_write().await?;
    if let Some(name) = replay(&*txn, &caller, &request_id, "CreateReferral", &hash).await? {
        let id = names::parse_referral("name", &name)?.id;
        let row = storage::get_referral(&*txn, &authority, &id)
            .await?
            .ok_or(ApiError::NotFound(name))?;
        return from_row(&row);
    }

    let id = new_id();
    let name = names::referral(&authority, &id);
    let Some(mut referral) = r.referral else {
        return Err(ApiError::invalid("referral", "is required"));
    };
    referral.name = name.clone();
    referral.status = ReferralStatus::Received as i32;
    referral.receive_time = Some(timestamp(received));
    referral.recommendation = None;
    referral.decision = None;
    referral.case = String::new();
    referral.create_time = Some(timestamp(now));
    referral.update_time = Some(timestamp(now));
    referral.etag = String::new();
    let row = referral::Model {
        id: id.clone(),
        authority_code: authority.clone(),
        status: status_str(ReferralStatus::Received).into(),
        received_at: received,
        version: 1,
        body: referral.encode_to_vec(),
        created_at: now,
        updated_at: now,
    };
    storage::insert_referral(&*txn, row.clone()).await?;
    let mut e = event(
        "referral.created",
        &name,
        &caller,
        now,
        format!(
            "Referral received from {} ({})",
            referral
                .referrer
                .as_ref()
                .map(|r| r.name.as_str())
                .unwrap_or_default(),
            referral
                .referrer
                .as_ref()
                .map(|r| r.agency.as_str())
                .unwrap_or_default(),
        ),
    );
    e.consent = referral.consent.clone();
    record(&*txn, &authority, Some(&id), None, e, now).await?;
    remember(
        &*txn,
        &caller,
        &request_id,
        "CreateReferral",
        &hash,
        &name,
        now,
    )
    .await?;
    txn.commit().await?;
    from_row(&row)
}

async fn load(
    state: &AppState,
    caller: &Caller,
    name: &str,
) -> Result<(String, referral::Model), ApiError> {
    let n = names::parse_referral("name", name)?;
    own(caller, &n.authority, name)?;
    let row = storage::get_referral(state.store().db(), &n.authority, &n.id)
        .await?
        .ok_or_else(|| ApiError::NotFound(name.to_owned()))?;
    Ok((n.authority, row))
}

pub async fn get(
    state: &AppState,
    caller: Caller,
    r: pb::GetReferralRequest,
) -> Result<pb::Referral, ApiError> {
    let (_, row) = load(state, &caller, &r.name).await?;
    from_row(&row)
}

pub async fn list(
    state: &AppState,
    caller: Caller,
    r: pb::ListReferralsRequest,
) -> Result<pb::ListReferralsResponse, ApiError> {
    let authority = parent_authority(&caller, "parent", &r.parent)?;
    let mut v = Violations::new();
    let status = match ReferralStatus::try_from(r.status) {
        Ok(ReferralStatus::Unspecified) => None,
        Ok(s) => Some(status_str(s).to_owned()),
        Err(_) => {
            v.add("status", "is not a referral status");
            None
        }
    };
    let day_start = |d: NaiveDate| uk_time::from_local(d.and_time(NaiveTime::MIN));
    let from = date("received_on_or_after", &r.received_on_or_after, &mut v).map(day_start);
    let before = date("received_before", &r.received_before, &mut v).map(day_start);
    let filter_key = format!(
        "{authority}|{:?}|{}|{}",
        status, r.received_on_or_after, r.received_before
    );
    let page = PageRequest::read(r.page_size, &r.page_token, &filter_key, &mut v);
    v.into_result()?;

    let filter = ReferralFilter {
        status,
        received_on_or_after: from,
        received_before: before,
    };
    let rows = storage::list_referrals(
        state.store().db(),
        &authority,
        &filter,
        page.after.as_deref(),
        page.limit(),
    )
    .await?;
    let (rows, next_page_token) = page.finish(rows, |last| last.id.clone());
    let referrals = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    Ok(pb::ListReferralsResponse {
        referrals,
        next_page_token,
    })
}

/// The child's age as the thresholds want it, today.
pub(super) fn child_age(child: Option<&pb::Child>) -> Option<ChildAge> {
    let child = child?;
    let today = today();
    if let Ok(dob) = NaiveDate::parse_from_str(&child.date_of_birth, "%Y-%m-%d") {
        let years = today.years_since(dob).unwrap_or(0);
        return Some(ChildAge {
            years,
            looked_after: child.looked_after,
            learning_difficulty_or_disability: child.learning_difficulty_or_disability,
            ..Default::default()
        });
    }
    let edd = NaiveDate::parse_from_str(&child.expected_date_of_delivery, "%Y-%m-%d").ok()?;
    let weeks_to_go = (edd - today).num_weeks().clamp(0, 40);
    Some(ChildAge {
        unborn: true,
        gestation_weeks: (40 - weeks_to_go) as u32,
        ..Default::default()
    })
}

pub async fn screen(
    state: &AppState,
    caller: Caller,
    mut r: pb::ScreenReferralRequest,
) -> Result<pb::Referral, ApiError> {
    caller.require_write()?;
    let mut v = Violations::new();
    validate_request_id(&r.request_id, &mut v);
    v.into_result()?;
    let (authority, _) = load(state, &caller, &r.name).await?;
    let plugin = state.authority(&authority)?;
    let request_id = std::mem::take(&mut r.request_id);
    let hash = request_hash(&r);

    let txn = state.store().begin_write().await?;
    if replay(&*txn, &caller, &request_id, "ScreenReferral", &hash)
        .await?
        .is_some()
    {
        let (_, row) = load(state, &caller, &r.name).await?;
        return from_row(&row);
    }
    let n = names::parse_referral("name", &r.name)?;
    let row = storage::get_referral(&*txn, &authority, &n.id)
        .await?
        .ok_or_else(|| ApiError::NotFound(r.name.clone()))?;
    let mut referral = from_row(&row)?;
    if referral.status == ReferralStatus::Decided as i32 {
        return Err(ApiError::precondition(
            "the referral has been decided; screening it again would not change the decision",
            "STATE",
            "referral status is DECIDED",
        ));
    }
    let request = ThresholdRequest {
        concerns: referral
            .concerns
            .iter()
            .map(|c| continuum_plugin_api::pb::Concern {
                indicator_code: c.indicator_code.clone(),
                text: c.text.clone(),
                domain: c.domain,
            })
            .collect(),
        immediate_risk: referral.immediate_risk,
        significant_harm_suspected: referral.significant_harm_suspected,
        consent: referral
            .consent
            .as_ref()
            .map(|c| c.status)
            .unwrap_or_default(),
        age: child_age(referral.child.as_ref()),
    };
    let decision = plugin
        .assess_threshold(&request)
        .map_err(|e| ApiError::from_plugin(e, "referral"))?;
    let now = Utc::now();
    let plugin_ref = plugin_ref(plugin.description());
    let recommendation = pb::Recommendation {
        level: decision.recommended_level.clone(),
        response: decision.response,
        matched_indicators: decision.matched_indicators.clone(),
        reasons: decision.reasons.clone(),
        consent: decision.consent.clone(),
        within_age_range: decision.within_age_range,
        plugin: Some(plugin_ref.clone()),
        assess_time: Some(timestamp(now)),
    };
    referral.recommendation = Some(recommendation);
    let updated = save(&*txn, &row, &mut referral, ReferralStatus::Screened, now).await?;
    let mut e = event(
        "referral.screened",
        &r.name,
        &caller,
        now,
        format!(
            "Thresholds recommend {} ({} indicators matched)",
            decision.recommended_level,
            decision.matched_indicators.len()
        ),
    );
    e.rules = decision.reasons;
    e.plugin = Some(plugin_ref);
    e.to_level = decision.recommended_level;
    record(&*txn, &authority, Some(&n.id), None, e, now).await?;
    remember(
        &*txn,
        &caller,
        &request_id,
        "ScreenReferral",
        &hash,
        &r.name,
        now,
    )
    .await?;
    txn.commit().await?;
    from_row(&updated)
}

pub async fn decide(
    state: &AppState,
    caller: Caller,
    mut r: pb::DecideReferralRequest,
) -> Result<pb::DecideReferralResponse, ApiError> {
    caller.require_write()?;
    let (authority, _) = load(state, &caller, &r.name).await?;
    let plugin = state.authority(&authority)?;
    let description = plugin.description();

    let mut v = Violations::new();
    validate_request_id(&r.request_id, &mut v);
    let outcome = ReferralOutcome::try_from(r.outcome).unwrap_or(ReferralOutcome::Unspecified);
    v.check(
        outcome != ReferralOutcome::Unspecified,
        "outcome",
        "is required",
    );
    v.check(
        description.levels.iter().any(|l| l.code == r.level),
        "level",
        format!(
            "{:?} is not one of {}'s levels ({})",
            r.level,
            description.name,
            description
                .levels
                .iter()
                .map(|l| l.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    v.into_result()?;

    let request_id = std::mem::take(&mut r.request_id);
    let hash = request_hash(&r);
    let txn = state.store().begin_write().await?;
    let n = names::parse_referral("name", &r.name)?;
    if replay(&*txn, &caller, &request_id, "DecideReferral", &hash)
        .await?
        .is_some()
    {
        let row = storage::get_referral(&*txn, &authority, &n.id)
            .await?
            .ok_or_else(|| ApiError::NotFound(r.name.clone()))?;
        let referral = from_row(&row)?;
        let case = match names::parse_case("case", &referral.case) {
            Ok(c) => storage::get_case(&*txn, &authority, &c.id)
                .await?
                .map(|row| super::cases::from_row(&row))
                .transpose()?,
            Err(_) => None,
        };
        return Ok(pb::DecideReferralResponse {
            referral: Some(referral),
            case,
        });
    }
    let row = storage::get_referral(&*txn, &authority, &n.id)
        .await?
        .ok_or_else(|| ApiError::NotFound(r.name.clone()))?;
    check_etag("etag", &r.etag, row.version, false)?;
    let mut referral = from_row(&row)?;
    let Some(recommendation) = referral.recommendation.clone() else {
        return Err(ApiError::precondition(
            "screen the referral first: a decision is recorded beside the thresholds' recommendation",
            "STATE",
            "referral status is RECEIVED",
        ));
    };
    if referral.status == ReferralStatus::Decided as i32 {
        return Err(ApiError::precondition(
            "the referral has already been decided",
            "STATE",
            "referral status is DECIDED",
        ));
    }
    let differs = r.level != recommendation.level;
    if differs && r.reason.trim().is_empty() {
        return Err(ApiError::invalid(
            "reason",
            format!(
                "is required: the decided level {} differs from the recommended level {}",
                r.level, recommendation.level
            ),
        ));
    }
    if outcome == ReferralOutcome::ReturnToReferrer && r.reason.trim().is_empty() {
        return Err(ApiError::invalid(
            "reason",
            "is required: say what more information is needed",
        ));
    }

    let now = Utc::now();
    referral.decision = Some(pb::Decision {
        level: r.level.clone(),
        outcome: outcome as i32,
        reason: r.reason.clone(),
        differs_from_recommendation: differs,
        decided_by: caller.actor(),
        decide_time: Some(timestamp(now)),
    });

    let mut opened = None;
    if outcome == ReferralOutcome::OpenCase {
        let case_id = new_id();
        let case_name = names::case(&authority, &case_id);
        let deadlines = deadlines(plugin, PluginCaseEvent::ReferralAccepted, &r.level, now)?;
        let case = pb::Case {
            name: case_name.clone(),
            referral: r.name.clone(),
            status: pb::CaseStatus::Open as i32,
            level: r.level.clone(),
            child: referral.child.clone(),
            consent: referral.consent.clone(),
            deadlines,
            open_time: Some(timestamp(now)),
            level_time: Some(timestamp(now)),
            update_time: Some(timestamp(now)),
            ..Default::default()
        };
        let case_row = case::Model {
            id: case_id.clone(),
            authority_code: authority.clone(),
            referral_id: Some(n.id.clone()),
            status: super::cases::status_str(pb::CaseStatus::Open).into(),
            level: r.level.clone(),
            allocated_worker: None,
            version: 1,
            body: case.encode_to_vec(),
            opened_at: now,
            updated_at: now,
        };
        storage::insert_case(&*txn, case_row.clone()).await?;
        referral.case = case_name;
        opened = Some(case_row);
    }
    let updated = save(&*txn, &row, &mut referral, ReferralStatus::Decided, now).await?;
    let outcome_name = outcome
        .as_str_name()
        .trim_start_matches("REFERRAL_OUTCOME_")
        .to_lowercase()
        .replace('_', " ");
    let mut e = event(
        "referral.decided",
        &r.name,
        &caller,
        now,
        format!(
            "Decided level {} ({}recommended {}); outcome: {outcome_name}",
            r.level,
            if differs { "differs from " } else { "as " },
            recommendation.level
        ),
    );
    e.from_level = recommendation.level.clone();
    e.to_level = r.level.clone();
    e.reason = r.reason.clone();
    e.plugin = recommendation.plugin.clone();
    record(&*txn, &authority, Some(&n.id), None, e, now).await?;
    if let Some(case_row) = &opened {
        let mut e = event(
            "case.opened",
            &names::case(&authority, &case_row.id),
            &caller,
            now,
            format!("Case opened at level {}", r.level),
        );
        e.to_level = r.level.clone();
        e.consent = referral.consent.clone();
        e.plugin = Some(plugin_ref(description));
        record(&*txn, &authority, Some(&n.id), Some(&case_row.id), e, now).await?;
    }
    remember(
        &*txn,
        &caller,
        &request_id,
        "DecideReferral",
        &hash,
        &r.name,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(pb::DecideReferralResponse {
        referral: Some(from_row(&updated)?),
        case: opened.as_ref().map(super::cases::from_row).transpose()?,
    })
}
