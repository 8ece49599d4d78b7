//! Validation of request fields, reporting every bad field at once (INVALID_ARGUMENT with a
//! BadRequest field violation each). Validators only look at the request and the authority's
//! description; they read nothing stored.

use chrono::{Datelike, Duration, NaiveDate};
use continuum_domain::Violations;
use continuum_domain::census;
use continuum_plugin_api::pb::{AuthorityDescription, CaseHistory, ChildAge, Consent, Domain};

use super::write::MAX_REQUEST_ID;
use crate::convert::date;
use crate::pb;

/// The longest pregnancy the service accepts an expected date of delivery for.
const MAX_GESTATION_WEEKS: i64 = 42;

/// A `request_id`: optional, at most [`MAX_REQUEST_ID`] printable characters.
pub(super) fn request_id(request_id: &str, violations: &mut Violations) {
    violations.check(
        request_id.len() <= MAX_REQUEST_ID && !request_id.chars().any(char::is_control),
        "request_id",
        format!("must be at most {MAX_REQUEST_ID} printable characters"),
    );
}

/// Check a child's identity and dates; `field` is the path of the child message.
pub(super) fn child(child: Option<&pb::Child>, field: &str, today: NaiveDate, v: &mut Violations) {
    let Some(child) = child else {
        v.add(field, "is required");
        return;
    };
    v.require(&child.given_name, format!("{field}.given_name"));
    v.require(&child.family_name, format!("{field}.family_name"));
    v.text(
        &child.given_name,
        format!("{field}.given_name"),
        MAX_NAME,
        false,
    );
    v.text(
        &child.family_name,
        format!("{field}.family_name"),
        MAX_NAME,
        false,
    );
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
    identity(child, field, v);
}

/// Bounds on what a request may carry (documented in the proto). A name, a short label.
pub(super) const MAX_NAME: usize = 200;
/// Free text: a concern, a note, a reason.
pub(super) const MAX_TEXT: usize = 4_000;
/// An address.
const MAX_ADDRESS: usize = 500;
/// Concerns on one referral; members of one household.
const MAX_CONCERNS: usize = 50;
const MAX_MEMBERS: usize = 30;

/// The most other children (siblings, an unborn baby) one referral names.
const MAX_OTHER_CHILDREN: usize = 9;

/// The longest reason an identifier is not known.
const MAX_UNKNOWN_REASON: usize = 200;

/// The child's identifiers and census-coded fields, each optional, checked when given.
fn identity(child: &pb::Child, field: &str, v: &mut Violations) {
    if !child.nhs_number.is_empty()
        && let Err(why) = continuum_domain::identity::nhs_number(&child.nhs_number)
    {
        v.add(format!("{field}.nhs_number"), why);
    }
    if !child.upn.is_empty()
        && let Err(why) = continuum_domain::identity::upn(&child.upn)
    {
        v.add(format!("{field}.upn"), why);
    }
    for (name, reason) in [
        (
            "nhs_number_unknown_reason",
            &child.nhs_number_unknown_reason,
        ),
        ("upn_unknown_reason", &child.upn_unknown_reason),
    ] {
        v.check(
            reason.chars().count() <= MAX_UNKNOWN_REASON,
            format!("{field}.{name}"),
            format!("is longer than {MAX_UNKNOWN_REASON} characters"),
        );
    }
    if !child.sex.is_empty()
        && let Err(e) = census::sex(&child.sex)
    {
        v.add(format!("{field}.sex"), e.to_string());
    }
    if !child.ethnicity.is_empty()
        && let Err(e) = census::ethnicity(&child.ethnicity)
    {
        v.add(format!("{field}.ethnicity"), e.to_string());
    }
    let mut seen = std::collections::HashSet::new();
    for (i, code) in child.disabilities.iter().enumerate() {
        let at = format!("{field}.disabilities[{i}]");
        if let Err(e) = census::disability(code) {
            v.add(at, e.to_string());
        } else if !seen.insert(code.as_str()) {
            v.add(at, format!("{code:?} is listed twice"));
        }
    }
    v.check(
        !(child.disabilities.len() > 1 && child.disabilities.iter().any(|d| d == "NONE")),
        format!("{field}.disabilities"),
        "\"NONE\" cannot be listed with a disability",
    );
}

/// The child's identifiers in their stored form (an NHS number without its spaces).
pub(super) fn normalise_child(child: &mut pb::Child) {
    if let Ok(nhs) = continuum_domain::identity::nhs_number(&child.nhs_number) {
        child.nhs_number = nhs;
    }
    if let Ok(upn) = continuum_domain::identity::upn(&child.upn) {
        child.upn = upn;
    }
}

/// Consent: a status, and a reason whenever it was not given.
pub(super) fn consent(consent: Option<&pb::ConsentRecord>, field: &str, v: &mut Violations) {
    let Some(consent) = consent else {
        v.add(
            field,
            "is required: record whether consent was given, refused or not sought",
        );
        return;
    };
    v.text(&consent.reason, format!("{field}.reason"), MAX_TEXT, true);
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

pub(super) fn referral(
    r: &pb::Referral,
    d: &AuthorityDescription,
    today: NaiveDate,
    v: &mut Violations,
) {
    child(r.child.as_ref(), "referral.child", today, v);
    v.check(
        r.other_children.len() <= MAX_OTHER_CHILDREN,
        "referral.other_children",
        format!("at most {MAX_OTHER_CHILDREN}"),
    );
    for (i, c) in r.other_children.iter().enumerate() {
        child(Some(c), &format!("referral.other_children[{i}]"), today, v);
    }
    match &r.referrer {
        None => v.add(
            "referral.referrer",
            "is required: a professional referral is never anonymous",
        ),
        Some(who) => {
            v.require(&who.name, "referral.referrer.name");
            v.require(&who.agency, "referral.referrer.agency");
            v.require(&who.role, "referral.referrer.role");
            for (field, value) in [
                ("name", &who.name),
                ("agency", &who.agency),
                ("role", &who.role),
                ("phone", &who.phone),
                ("email", &who.email),
            ] {
                v.text(value, format!("referral.referrer.{field}"), MAX_NAME, false);
            }
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
    v.count(&r.concerns, "referral.concerns", MAX_CONCERNS);
    for (i, c) in r.concerns.iter().enumerate() {
        concern(c, &format!("referral.concerns[{i}]"), d, v);
    }
    consent(r.consent.as_ref(), "referral.consent", v);
    if let Some(h) = &r.household {
        v.text(&h.address, "referral.household.address", MAX_ADDRESS, true);
        v.count(&h.members, "referral.household.members", MAX_MEMBERS);
        for (i, m) in h.members.iter().enumerate() {
            v.require(&m.name, format!("referral.household.members[{i}].name"));
            v.text(
                &m.name,
                format!("referral.household.members[{i}].name"),
                MAX_NAME,
                false,
            );
            v.text(
                &m.relationship,
                format!("referral.household.members[{i}].relationship"),
                MAX_NAME,
                false,
            );
        }
    }
}

/// One concern (in `field`): an indicator from the authority's catalogue, a text, or both, and
/// its Assessment Framework domain.
pub(super) fn concern(c: &pb::Concern, field: &str, d: &AuthorityDescription, v: &mut Violations) {
    v.text(&c.text, format!("{field}.text"), MAX_TEXT, true);
    v.text(
        &c.indicator_code,
        format!("{field}.indicator_code"),
        MAX_NAME,
        false,
    );
    if c.indicator_code.is_empty() {
        v.check(
            !c.text.trim().is_empty(),
            format!("{field}.text"),
            "give an indicator_code, a text, or both",
        );
    } else {
        v.check(
            d.indicators.iter().any(|i| i.code == c.indicator_code),
            format!("{field}.indicator_code"),
            format!(
                "{:?} is not in {}'s indicator catalogue",
                c.indicator_code, d.name
            ),
        );
    }
    // An indicator that is not domain-specific (a level's description) needs no domain.
    let without_domain = d
        .indicators
        .iter()
        .any(|i| i.code == c.indicator_code && i.domain == Domain::Unspecified as i32);
    v.check(
        matches!(Domain::try_from(c.domain), Ok(d) if d != Domain::Unspecified)
            || (c.domain == Domain::Unspecified as i32 && without_domain),
        format!("{field}.domain"),
        "is required: the Assessment Framework domain (unless the indicator has none)",
    );
}

/// The oldest age, in years, a request may say a child is (extensions run to 25).
const MAX_CHILD_YEARS: u32 = 30;

/// A child's age as a caller states it: up to 42 weeks of pregnancy, up to 30 years.
pub(super) fn child_age(age: Option<&ChildAge>, field: &str, v: &mut Violations) {
    let Some(age) = age else { return };
    if age.unborn {
        v.check(
            age.gestation_weeks <= MAX_GESTATION_WEEKS as u32,
            format!("{field}.gestation_weeks"),
            format!("at most {MAX_GESTATION_WEEKS}"),
        );
        v.check(
            age.years == 0,
            format!("{field}.years"),
            "must be 0 for an unborn child",
        );
    } else {
        v.check(
            age.years <= MAX_CHILD_YEARS,
            format!("{field}.years"),
            format!("at most {MAX_CHILD_YEARS}"),
        );
    }
}

/// The most days ago a caller may say a child's last case closed (about 30 years).
const MAX_DAYS_SINCE_CLOSED: u32 = 11_000;

/// What a caller knows of a child's history with an authority: an open case's level is one of
/// its levels; a closed case is at most 11,000 days ago.
pub(super) fn case_history(
    history: Option<&CaseHistory>,
    field: &str,
    d: &AuthorityDescription,
    v: &mut Violations,
) {
    let Some(h) = history else { return };
    v.check(
        h.open_level.is_empty() || d.levels.iter().any(|l| l.code == h.open_level),
        format!("{field}.open_level"),
        format!("{:?} is not one of {}'s levels", h.open_level, d.name),
    );
    v.check(
        h.open_case || h.open_level.is_empty(),
        format!("{field}.open_level"),
        "is for an open case: set open_case",
    );
    v.check(
        h.closed_case || h.days_since_closed == 0,
        format!("{field}.days_since_closed"),
        "is for a closed case: set closed_case",
    );
    v.check(
        h.days_since_closed <= MAX_DAYS_SINCE_CLOSED,
        format!("{field}.days_since_closed"),
        format!("at most {MAX_DAYS_SINCE_CLOSED}"),
    );
}
