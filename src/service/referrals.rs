//! ReferralService: receive, screen against the authority's thresholds, decide.

use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use continuum_domain::{Violations, census, names, uk_time};
use continuum_plugin_api::Authority;
use continuum_plugin_api::pb::{AuthorityDescription, Consent, ConsentGuidance, ThresholdRequest};
use continuum_plugin_host::DynamicPlugin;
use continuum_storage::{self as storage, ReferralFilter};

use super::common::{
    PageRequest, child_age, event, label, new_id, parent_authority, plugin_ref, today,
};
use super::moves;
use super::records::{Loaded, child_key, from_row, load, reload, status_column};
use super::tracking::{Timescales, occur_time};
use super::validate;
use super::write::{Change, Etag, RequestId, Writes, write};
use crate::AppState;
use crate::convert::{date, from_timestamp, instant, timestamp};
use crate::error::{ApiError, Unmet};
use crate::pb::{self, ReferralOutcome, ReferralStatus};
use crate::state::Ctx;

pub async fn create(
    state: &AppState,
    ctx: Ctx,
    mut r: pb::CreateReferralRequest,
) -> Result<pb::Referral, ApiError> {
    ctx.caller.require_write()?;
    let authority = parent_authority(&ctx.caller, "parent", &r.parent)?;
    let plugin = state.authority(&authority)?;
    let now = ctx.now;

    let mut v = Violations::new();
    validate::request_id(&r.request_id, &mut v);
    let Some(referral) = r.referral.as_ref() else {
        v.add("referral", "is required");
        return Err(v.into());
    };
    validate::referral(referral, plugin.description(), today(now), &mut v);
    if !referral.referral_source.is_empty()
        && let Err(e) = census::referral_source(&referral.referral_source)
    {
        v.add("referral.referral_source", e.to_string());
    }
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
    v.check(
        received.year() >= EARLIEST_YEAR,
        "referral.receive_time",
        format!("is before {EARLIEST_YEAR}: give the date it was received"),
    );
    v.text(
        &referral.referral_source,
        "referral.referral_source",
        4,
        false,
    );
    v.into_result()?;

    let request_id = RequestId::take(&mut r, |r| &mut r.request_id);
    if let Some(referral) = r.referral.as_mut() {
        for child in referral
            .child
            .iter_mut()
            .chain(&mut referral.other_children)
        {
            validate::normalise_child(child);
        }
    }
    let change = CreateReferral {
        referral: r.referral.unwrap_or_default(),
        authority,
        received,
    };
    write(state, &ctx, request_id, Etag::none(), &change).await
}

struct CreateReferral {
    referral: pb::Referral,
    authority: String,
    received: chrono::DateTime<chrono::Utc>,
}

/// The earliest year a referral may have been received in (the working-day calendar's first).
const EARLIEST_YEAR: i32 = 1995;

/// How many earlier referrals of a child a new one links to.
const MAX_EARLIER: u64 = 50;

impl Change for CreateReferral {
    /// The same child's earlier referrals to this authority, newest first.
    type Read = Vec<pb::Referral>;
    type Output = pb::Referral;
    fn method(&self) -> &'static str {
        "CreateReferral"
    }

    async fn read(&self, state: &AppState, _: &Ctx) -> Result<Self::Read, ApiError> {
        let child = self.referral.child.clone().unwrap_or_default();
        let nhs = Some(child.nhs_number.as_str()).filter(|n| !n.is_empty());
        let key = child_key(&child);
        let rows = storage::earlier_referrals(
            state.store(),
            &self.authority,
            nhs,
            key.as_deref(),
            self.received,
            MAX_EARLIER,
        )
        .await?;
        rows.iter().map(from_row::<pb::Referral>).collect()
    }

    fn version(_: &Self::Read) -> Option<i64> {
        None
    }

    /// A new referral depends on nothing stored: a retry is found when its key is saved.
    fn replay_first(&self) -> bool {
        false
    }

    fn apply(
        &self,
        ctx: &Ctx,
        earlier: Self::Read,
        w: &mut Writes,
    ) -> Result<pb::Referral, ApiError> {
        let id = new_id();
        let name = names::referral(&self.authority, &id);
        let now = timestamp(ctx.now);
        // A re-referral: within 12 months of the child's last referral (the national measure).
        let year_before = self.received.checked_sub_months(chrono::Months::new(12));
        let re_referral = earlier
            .first()
            .and_then(|r| instant(r.receive_time.as_ref()))
            .is_some_and(|last| year_before.is_some_and(|y| last >= y));
        let mut referral = pb::Referral {
            name: name.clone(),
            status: ReferralStatus::Received as i32,
            receive_time: Some(timestamp(self.received)),
            recommendation: None,
            decision: None,
            case: String::new(),
            create_time: Some(now),
            update_time: Some(now),
            etag: String::new(),
            earlier_referrals: earlier.iter().map(|r| r.name.clone()).collect(),
            earlier_cases: earlier
                .iter()
                .filter(|r| !r.case.is_empty())
                .map(|r| r.case.clone())
                .collect(),
            re_referral,
            ..self.referral.clone()
        };
        w.insert(&mut referral)?;
        let referrer = referral.referrer.clone().unwrap_or_default();
        let mut e = event(
            "referral.created",
            &name,
            &ctx.caller,
            ctx.now,
            format!(
                "Referral received from {} ({})",
                referrer.name, referrer.agency
            ),
        );
        e.consent = referral.consent.clone();
        w.event(Some(&id), None, e);
        Ok(referral)
    }

    fn resource(output: &pb::Referral) -> &str {
        &output.name
    }

    async fn replay(
        &self,
        state: &AppState,
        ctx: &Ctx,
        resource: &str,
    ) -> Result<pb::Referral, ApiError> {
        reload(state, ctx, resource).await
    }
}

pub async fn get(
    state: &AppState,
    ctx: Ctx,
    r: pb::GetReferralRequest,
) -> Result<pb::Referral, ApiError> {
    Ok(
        load::<pb::Referral>(state.store(), &ctx.caller, "name", &r.name)
            .await?
            .record,
    )
}

pub async fn list(
    state: &AppState,
    ctx: Ctx,
    r: pb::ListReferralsRequest,
) -> Result<pb::ListReferralsResponse, ApiError> {
    let authority = parent_authority(&ctx.caller, "parent", &r.parent)?;
    let mut v = Violations::new();
    let status = match ReferralStatus::try_from(r.status) {
        Ok(ReferralStatus::Unspecified) => None,
        Ok(s) => Some(status_column(s.as_str_name(), "REFERRAL_STATUS_")),
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
        state.store(),
        &authority,
        &filter,
        page.after.as_deref(),
        page.limit(),
    )
    .await?;
    let (rows, next_page_token) = page.finish(rows, |last| last.id.clone());
    let referrals = rows
        .iter()
        .map(from_row::<pb::Referral>)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(pb::ListReferralsResponse {
        referrals,
        next_page_token,
    })
}

pub async fn screen(
    state: &AppState,
    ctx: Ctx,
    mut r: pb::ScreenReferralRequest,
) -> Result<pb::Referral, ApiError> {
    ctx.caller.require_write()?;
    let mut v = Violations::new();
    validate::request_id(&r.request_id, &mut v);
    v.into_result()?;
    let n = names::parse_referral("name", &r.name)?;
    super::common::own(&ctx.caller, &n.authority, &r.name)?;
    let plugin = state.authority(&n.authority)?.clone();
    let request_id = RequestId::take(&mut r, |r| &mut r.request_id);
    let change = ScreenReferral {
        name: r.name,
        plugin,
    };
    write(state, &ctx, request_id, Etag::required(&r.etag), &change).await
}

struct ScreenReferral {
    name: String,
    plugin: Arc<DynamicPlugin>,
}

impl Change for ScreenReferral {
    type Read = Loaded<pb::Referral>;
    type Output = pb::Referral;
    fn method(&self) -> &'static str {
        "ScreenReferral"
    }

    async fn read(&self, state: &AppState, ctx: &Ctx) -> Result<Self::Read, ApiError> {
        load(state.store(), &ctx.caller, "name", &self.name).await
    }

    fn version(read: &Self::Read) -> Option<i64> {
        Some(read.version())
    }

    fn apply(&self, ctx: &Ctx, read: Self::Read, w: &mut Writes) -> Result<pb::Referral, ApiError> {
        let mut referral = read.record.clone();
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
            age: child_age(referral.child.as_ref(), today(ctx.now)),
        };
        let decision = self
            .plugin
            .assess_threshold(&request)
            .map_err(|e| ApiError::from_plugin(e, "referral"))?;
        let plugin_ref = plugin_ref(self.plugin.description());
        referral.recommendation = Some(pb::Recommendation {
            level: decision.recommended_level.clone(),
            response: decision.response,
            matched_indicators: decision.matched_indicators.clone(),
            reasons: decision.reasons.clone(),
            consent: decision.consent.clone(),
            within_age_range: decision.within_age_range,
            plugin: Some(plugin_ref.clone()),
            assess_time: Some(timestamp(ctx.now)),
        });
        referral.status = ReferralStatus::Screened as i32;
        referral.update_time = Some(timestamp(ctx.now));
        w.update(&read, &mut referral)?;
        let mut e = event(
            "referral.screened",
            &self.name,
            &ctx.caller,
            ctx.now,
            format!(
                "Thresholds recommend {} ({} indicators matched)",
                decision.recommended_level,
                decision.matched_indicators.len()
            ),
        );
        e.rules = decision.reasons;
        e.plugin = Some(plugin_ref);
        e.to_level = decision.recommended_level;
        w.event(Some(&read.row.id), None, e);
        Ok(referral)
    }

    fn resource(output: &pb::Referral) -> &str {
        &output.name
    }

    async fn replay(
        &self,
        state: &AppState,
        ctx: &Ctx,
        resource: &str,
    ) -> Result<pb::Referral, ApiError> {
        reload(state, ctx, resource).await
    }
}

pub async fn decide(
    state: &AppState,
    ctx: Ctx,
    mut r: pb::DecideReferralRequest,
) -> Result<pb::DecideReferralResponse, ApiError> {
    ctx.caller.require_write()?;
    let n = names::parse_referral("name", &r.name)?;
    super::common::own(&ctx.caller, &n.authority, &r.name)?;
    let plugin = state.authority(&n.authority)?.clone();
    let description = plugin.description();

    let mut v = Violations::new();
    validate::request_id(&r.request_id, &mut v);
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
    if !r.primary_need.is_empty()
        && let Err(e) = census::primary_need(&r.primary_need)
    {
        v.add("primary_need", e.to_string());
    }
    v.into_result()?;

    let request_id = RequestId::take(&mut r, |r| &mut r.request_id);
    let etag = r.etag.clone();
    let change = DecideReferral {
        request: r,
        outcome,
        timescales: state.timescales(&plugin),
    };
    write(state, &ctx, request_id, Etag::required(&etag), &change).await
}

struct DecideReferral<'a> {
    request: pb::DecideReferralRequest,
    outcome: ReferralOutcome,
    timescales: Timescales<'a>,
}

impl Change for DecideReferral<'_> {
    type Read = Loaded<pb::Referral>;
    type Output = pb::DecideReferralResponse;
    fn method(&self) -> &'static str {
        "DecideReferral"
    }

    async fn read(&self, state: &AppState, ctx: &Ctx) -> Result<Self::Read, ApiError> {
        load(state.store(), &ctx.caller, "name", &self.request.name).await
    }

    fn version(read: &Self::Read) -> Option<i64> {
        Some(read.version())
    }

    fn apply(
        &self,
        ctx: &Ctx,
        read: Self::Read,
        w: &mut Writes,
    ) -> Result<pb::DecideReferralResponse, ApiError> {
        let r = &self.request;
        let authority = &ctx.caller.authority;
        let mut referral = read.record.clone();
        let received =
            instant(referral.receive_time.as_ref()).map(|t| (t, "the referral was received"));
        // When the decision was made: the case opens then, and its deadlines run from it.
        let now = occur_time("occur_time", r.occur_time.as_ref(), ctx.now, received)?;
        if referral.status == ReferralStatus::Decided as i32 {
            return Err(ApiError::precondition(
                "the referral has already been decided",
                "STATE",
                "referral status is DECIDED",
            ));
        }
        let Some(recommendation) = referral.recommendation.clone() else {
            return Err(ApiError::precondition(
                "screen the referral first: a decision is recorded beside the thresholds' recommendation",
                "STATE",
                "referral status is RECEIVED",
            ));
        };
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
        if self.outcome == ReferralOutcome::ReturnToReferrer && r.reason.trim().is_empty() {
            return Err(ApiError::invalid(
                "reason",
                "is required: say what more information is needed",
            ));
        }

        consent_allows(
            self.timescales.plugin.description(),
            self.outcome,
            referral.consent.as_ref(),
            recommendation.consent.as_ref(),
        )?;

        referral.decision = Some(pb::Decision {
            level: r.level.clone(),
            outcome: self.outcome as i32,
            reason: r.reason.clone(),
            differs_from_recommendation: differs,
            decided_by: ctx.caller.actor(),
            decide_time: Some(timestamp(now)),
            primary_need: r.primary_need.clone(),
            children: Vec::new(),
        });
        let referral_id = read.row.id.as_str();

        let excluded = children_excluded(&r.children, &referral, self.outcome)?;
        let mut opened = Vec::new();
        if self.outcome == ReferralOutcome::OpenCase {
            let cases = moves::open_cases(
                &self.timescales,
                authority,
                &r.name,
                &referral,
                &excluded,
                &r.level,
                now,
                ctx.now,
            )?;
            for mut case in cases {
                w.insert(&mut case)?;
                self.timescales.days.present_case(&mut case, ctx.now);
                let case_id = names::parse_case("case", &case.name)?.id;
                opened.push((case_id, case));
            }
            referral.cases = opened.iter().map(|(_, c)| c.name.clone()).collect();
            referral.case = referral.cases.first().cloned().unwrap_or_default();
            let children = child_decisions(&referral.cases, &r.children, &referral);
            if let Some(decision) = referral.decision.as_mut() {
                decision.children = children;
            }
        }
        if self.outcome == ReferralOutcome::QueueForPanel {
            // The authority's main panel decides: the referral joins its next sitting's agenda.
            let mut item = moves::agenda_item(&self.timescales, authority, "", today(now), now)?;
            item.kind = pb::AgendaItemKind::Referral as i32;
            item.subject = r.name.clone();
            item.requested_level = r.level.clone();
            item.recommendation = Some(recommendation.clone());
            item.referrer = referral.referrer.clone();
            w.insert(&mut item)?;
            let mut e = event(
                "referral.queued_for_panel",
                &r.name,
                &ctx.caller,
                now,
                format!(
                    "Queued for the panel's sitting of {}",
                    if item.sitting_date.is_empty() {
                        "its next meeting"
                    } else {
                        item.sitting_date.as_str()
                    }
                ),
            );
            e.reason = item.name.clone();
            w.event(Some(read.row.id.as_str()), None, e);
        }
        referral.status = ReferralStatus::Decided as i32;
        referral.update_time = Some(timestamp(ctx.now));
        w.update(&read, &mut referral)?;

        let mut e = event(
            "referral.decided",
            &r.name,
            &ctx.caller,
            now,
            format!(
                "Decided level {} ({}recommended {}); outcome: {}",
                r.level,
                if differs { "differs from " } else { "as " },
                recommendation.level,
                label(self.outcome.as_str_name(), "REFERRAL_OUTCOME_"),
            ),
        );
        e.from_level = recommendation.level.clone();
        e.to_level = r.level.clone();
        e.reason = r.reason.clone();
        e.plugin = recommendation.plugin.clone();
        w.event(Some(referral_id), None, e);
        for (case_id, case) in &opened {
            let mut e = event(
                "case.opened",
                &case.name,
                &ctx.caller,
                now,
                format!("Case opened at level {}", r.level),
            );
            e.to_level = r.level.clone();
            e.consent = referral.consent.clone();
            e.plugin = Some(plugin_ref(self.timescales.plugin.description()));
            w.event(Some(referral_id), Some(case_id), e);
        }
        Ok(pb::DecideReferralResponse {
            referral: Some(referral),
            case: opened.first().map(|(_, case)| case.clone()),
            cases: opened.into_iter().map(|(_, case)| case).collect(),
        })
    }

    fn resource(output: &pb::DecideReferralResponse) -> &str {
        output.referral.as_ref().map_or("", |r| r.name.as_str())
    }

    async fn replay(
        &self,
        state: &AppState,
        ctx: &Ctx,
        resource: &str,
    ) -> Result<pb::DecideReferralResponse, ApiError> {
        let db = state.store();
        let referral = load::<pb::Referral>(db, &ctx.caller, "name", resource)
            .await?
            .record;
        let mut cases = Vec::new();
        for name in &referral.cases {
            let mut case = load::<pb::Case>(db, &ctx.caller, "case", name)
                .await?
                .record;
            self.timescales.days.present_case(&mut case, ctx.now);
            cases.push(case);
        }
        Ok(pb::DecideReferralResponse {
            referral: Some(referral),
            case: cases.first().cloned(),
            cases,
        })
    }
}

/// FAILED_PRECONDITION, with the rule's citation, for a decision the authority's rules do not
/// allow without consent: one that opens a case, queues for a panel or refers on, when consent
/// was not given and the screening's consent guidance says it is required and may not be set
/// aside (it may where significant harm is suspected; the reason is then on the referral).
fn consent_allows(
    d: &AuthorityDescription,
    outcome: ReferralOutcome,
    consent: Option<&pb::ConsentRecord>,
    guidance: Option<&ConsentGuidance>,
) -> Result<(), ApiError> {
    let needs = !matches!(
        outcome,
        ReferralOutcome::SignpostUniversal | ReferralOutcome::ReturnToReferrer
    );
    let status = consent.map(|c| c.status).unwrap_or_default();
    let given = matches!(
        Consent::try_from(status),
        Ok(Consent::GivenVerbally | Consent::GivenInWriting)
    );
    match guidance {
        Some(g) if needs && !given && g.required && !g.may_proceed_without => {
            Err(ApiError::FailedPrecondition {
                summary: format!(
                    "{}'s rules do not allow this decision without consent: {}",
                    d.name, g.text
                ),
                unmet: vec![Unmet {
                    kind: "CONSENT".into(),
                    subject: g
                        .citation
                        .as_ref()
                        .map(|c| format!("{} § {}", c.source, c.section))
                        .unwrap_or_default(),
                    description: g.text.clone(),
                }],
            })
        }
        _ => Ok(()),
    }
}

/// The children a decision opens no case for, by child number (0: the referral's `child`, then
/// `other_children`), checked against the referral.
fn children_excluded(
    children: &[pb::ChildDecision],
    referral: &pb::Referral,
    outcome: ReferralOutcome,
) -> Result<Vec<u32>, ApiError> {
    if children.is_empty() {
        return Ok(Vec::new());
    }
    let mut v = Violations::new();
    v.check(
        outcome == ReferralOutcome::OpenCase,
        "children",
        "say what happens to each child only with a decision that opens cases",
    );
    let count = 1 + referral.other_children.len() as u32;
    let mut excluded = Vec::new();
    for (i, c) in children.iter().enumerate() {
        let at = format!("children[{i}]");
        v.check(
            c.child < count,
            format!("{at}.child"),
            format!("the referral names {count} children (0 to {})", count - 1),
        );
        v.check(
            !excluded.contains(&c.child),
            format!("{at}.child"),
            "names a child twice",
        );
        v.check(
            !c.open_case,
            format!("{at}.open_case"),
            "every child not listed gets a case: list only those who do not",
        );
        v.require(&c.reason, format!("{at}.reason"));
        v.check(
            c.reason.chars().count() <= 4_000,
            format!("{at}.reason"),
            "is longer than 4000 characters",
        );
        excluded.push(c.child);
    }
    v.check(
        (excluded.len() as u32) < count,
        "children",
        "excludes every child: choose an outcome that opens no case",
    );
    v.into_result()?;
    Ok(excluded)
}

/// What the decision did for each child: its case, or why it has none.
fn child_decisions(
    cases: &[String],
    excluded: &[pb::ChildDecision],
    referral: &pb::Referral,
) -> Vec<pb::ChildDecision> {
    let mut opened = cases.iter();
    (0..=referral.other_children.len() as u32)
        .map(|child| match excluded.iter().find(|c| c.child == child) {
            Some(c) => pb::ChildDecision {
                child,
                open_case: false,
                reason: c.reason.clone(),
                case: String::new(),
            },
            None => pb::ChildDecision {
                child,
                open_case: true,
                reason: String::new(),
                case: opened.next().cloned().unwrap_or_default(),
            },
        })
        .collect()
}
