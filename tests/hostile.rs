//! Hostile input through the real server. For every RPC of the public API, requests built from
//! arbitrary values: strings (unicode, control characters, NUL, empty, up to about 1 MB),
//! numbers and enum values (unknown ones too), nested messages present or absent, repeated
//! fields up to hundreds of entries, resource names (well-formed for the caller's authority, for
//! another, names of real records, and garbage), etags and page tokens (garbage, and forged in
//! the server's own format), from callers with every role, another authority, or no valid token;
//! and request bodies that are not protobuf at all. The server must answer every one with a
//! status of its own choosing: never INTERNAL or UNKNOWN, always with a message, and it must
//! still answer a health check after each batch.
//!
//! One server (SQLite) per service. Requests are generated up front with proptest's strategies
//! from a seeded runner, then sent in order.
//!
//! - `CONTINUUM_PROPTEST_CASES`: requests per RPC (default 64).
//! - `CONTINUUM_PROPTEST_SEED`: the generator's seed (a number; default fixed, so a failure
//!   found by one run is found by the next: the servers' clock is fixed too). Each RPC's
//!   requests come from the seed and the RPC's name, so they do not depend on which RPCs ran
//!   before.
//!
//! The last test runs the body of the `decode_validate` fuzz target (`fuzz/README.md`) in-process
//! on generated inputs (`CONTINUUM_FUZZ_INPUTS`, default 2,000), on the stable toolchain.
//!
//! Below the protobuf message, gRPC's own framing (a frame cut short, no message for a unary
//! call, a compressed flag without an encoding) is answered by tonic, as INTERNAL where the gRPC
//! specification says so; this module sends whole frames.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::future::Future;
use std::time::{Duration, Instant};

use continuum::auth::Role;
use continuum::pb;
use continuum_domain::page;
use continuum_plugin_api::pb::{self as plugin, AuthorityDescription};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use prost::bytes::{Buf, BufMut};
use prost_types::Timestamp;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::transport::Channel;
use tonic::{Code, Request, Response, Status};

use crate::api_journey::{describe, open_case, receive_and_decide, referral};
use crate::server::{Backend, TestServer, WORCESTERSHIRE, as_practitioner, token, with_token};

/// Requests per RPC.
fn cases() -> usize {
    std::env::var("CONTINUUM_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64)
}

fn seed() -> u64 {
    std::env::var("CONTINUUM_PROPTEST_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(11)
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/// Characters that break careless code: NUL and other controls, line and paragraph separators,
/// a byte-order mark, bidirectional overrides, combining marks, astral-plane characters.
fn nasty_char() -> impl Strategy<Value = char> {
    prop_oneof![
        select(vec![
            '\0',
            '\n',
            '\r',
            '\t',
            '\u{7}',
            '\u{1b}',
            '\u{7f}',
            '\u{85}',
            '\u{a0}',
            '\u{2028}',
            '\u{2029}',
            '\u{202e}',
            '\u{200b}',
            '\u{feff}',
            '\u{301}',
            '\u{fffd}',
            '\u{1f468}',
            '\u{10ffff}',
            '/',
            '\\',
            '%',
            '"',
            '\'',
            ';',
            '|',
        ]),
        any::<char>(),
    ]
}

/// A string that is not huge: empty, printable ASCII, any unicode, or full of nasty characters.
fn short() -> BoxedStrategy<String> {
    prop_oneof![
        3 => Just(String::new()),
        4 => "[ -~]{0,40}",
        4 => "\\PC{0,40}",
        3 => prop::collection::vec(nasty_char(), 0..40).prop_map(String::from_iter),
        1 => Just(" \t ".to_owned()),
    ]
    .boxed()
}

/// A string: as `short`, or now and then one of up to about 1 MB.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        60 => short(),
        1 => (any::<char>(), 4_001usize..=1_000_000)
            .prop_map(|(c, bytes)| std::iter::repeat_n(c, bytes / c.len_utf8()).collect()),
    ]
    .boxed()
}

/// A repeated field: usually a few entries, sometimes dozens, now and then hundreds.
fn many<T: Debug + 'static>(each: BoxedStrategy<T>) -> BoxedStrategy<Vec<T>> {
    prop_oneof![
        6 => prop::collection::vec(each.clone(), 0..4),
        3 => prop::collection::vec(each.clone(), 0..64),
        1 => prop::collection::vec(each, 200..=600),
    ]
    .boxed()
}

fn strings() -> BoxedStrategy<Vec<String>> {
    many(short())
}

/// An `int32`: the edges, small values around the limits the API documents, anything.
fn int() -> BoxedStrategy<i32> {
    prop_oneof![
        select(vec![
            0,
            1,
            -1,
            2,
            26,
            27,
            500,
            501,
            1_000,
            1_001,
            i32::MIN,
            i32::MAX
        ]),
        -10..1_200i32,
        any::<i32>(),
    ]
    .boxed()
}

/// An enum field: a known value, one just past the known ones, or any number.
fn enumeration() -> BoxedStrategy<i32> {
    prop_oneof![4 => 0..24i32, 1 => any::<i32>()].boxed()
}

/// The servers' time, fixed (as is the fuzz target's), so that a seed makes the same requests
/// whatever the day: noon on Thursday 15 January 2026.
fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(1_768_478_400, 0).expect("a valid instant")
}

/// An optional instant: unset, around now (a little in the future too), long ago, or any
/// seconds and nanos at all (out of range, negative).
fn instant() -> BoxedStrategy<Option<Timestamp>> {
    let now = now().timestamp();
    let at = |(seconds, nanos)| Some(Timestamp { seconds, nanos });
    prop_oneof![
        3 => Just(None),
        4 => (now - 40 * 365 * 86_400..now + 400 * 86_400, 0..1_000_000_000i32).prop_map(at),
        // 1800 to 2300: valid instants, many outside the years the working-day calendar knows.
        1 => (-5_364_662_400..10_413_792_000i64, 0..1_000_000_000i32).prop_map(at),
        1 => (any::<i64>(), any::<i32>()).prop_map(at),
        1 => select(vec![
            (i64::MIN, i32::MIN),
            (i64::MAX, i32::MAX),
            (-62_135_596_800, 0),
            (253_402_300_799, 999_999_999),
            (253_402_300_800, 0),
            (0, -1),
            (now, 1_000_000_000),
            (now, 2_000_000_000),
        ])
        .prop_map(at),
    ]
    .boxed()
}

/// A "YYYY-MM-DD" field: empty, a real date near today, digits in the right shape, near misses,
/// the calendar's edges, or any text.
fn date() -> BoxedStrategy<String> {
    let today = now().date_naive();
    prop_oneof![
        2 => Just(String::new()),
        4 => (-20_000i64..20_000).prop_map(move |days| {
            (today + chrono::Duration::days(days)).format("%Y-%m-%d").to_string()
        }),
        2 => "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        2 => select(vec![
            "0000-01-01", "0001-01-01", "1582-10-10", "1900-02-29", "2024-02-29", "2023-02-29",
            "9999-12-31", "9999-12-27", "9999-12-20", "1994-12-31", "2100-12-31", "2101-01-01",
            "+2017-03-04", "2017-3-4", "-0001-01-01", "2017-03-04T00:00:00", "2017-03-04 ",
            "٢٠١٧-٠٣-٠٤",
        ])
        .prop_map(str::to_owned),
        1 => text(),
    ]
    .boxed()
}

/// A "YYYY-MM-DDTHH:MM[:SS]" local time, or near misses, or any text.
fn local_time() -> BoxedStrategy<String> {
    prop_oneof![
        2 => Just(String::new()),
        4 => (date(), "[0-9]{2}:[0-9]{2}(:[0-9]{2})?").prop_map(|(d, t)| format!("{d}T{t}")),
        1 => select(vec![
            "2026-03-29T01:30:00", "2026-10-25T01:30:00", "2026-12-25T24:00:00",
            "2026-06-30T23:59:60", "9999-12-31T23:59:59", "0000-01-01T00:00",
        ])
        .prop_map(str::to_owned),
        1 => text(),
    ]
    .boxed()
}

/// A code the authority defines (a level, an indicator, a role ...), or anything else.
fn code(known: &[String]) -> BoxedStrategy<String> {
    let any_text = prop_oneof![4 => short(), 1 => text()];
    if known.is_empty() {
        return any_text.boxed();
    }
    prop_oneof![3 => select(known.to_vec()), 2 => any_text].boxed()
}

/// A Children in Need census code of some code set, a withdrawn one, or anything.
fn census() -> BoxedStrategy<String> {
    code(
        &[
            "1A", "2A", "5A", "10", "N1", "N9", "N0", "RC1", "RC8", "RC9", "18A", "19A", "24A",
            "WBRI", "MWBC", "REFU", "NOBT", "M", "F", "U", "NONE", "MOB", "HAND", "LD", "AUT",
            "1a", " 1A", "RC10",
        ]
        .map(str::to_owned),
    )
}

/// An etag: none, a version that may be current, a stale or impossible one, or garbage.
fn etag() -> BoxedStrategy<String> {
    prop_oneof![
        3 => Just(String::new()),
        4 => (0..12i64).prop_map(|v| format!("v{v}")),
        1 => any::<i64>().prop_map(|v| format!("v{v}")),
        1 => Just("v99999999999999999999999".to_owned()),
        2 => text(),
    ]
    .boxed()
}

/// A request id: none, a short one that repeats across requests (so retries with different
/// bodies happen), a long one, or anything.
fn request_id() -> BoxedStrategy<String> {
    prop_oneof![
        4 => Just(String::new()),
        3 => (0..8u8).prop_map(|n| format!("hostile-{n}")),
        1 => "[ -~]{120,140}",
        2 => text(),
    ]
    .boxed()
}

/// A page token: none, garbage, base64 of garbage, or forged in the server's format for the
/// right or a wrong filter with any key.
fn page_token(mut filters: Vec<String>) -> BoxedStrategy<String> {
    use base64::Engine;
    filters.push(String::new());
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    prop_oneof![
        3 => Just(String::new()),
        2 => text(),
        2 => prop::collection::vec(any::<u8>(), 0..64).prop_map(move |b| engine.encode(b)),
        3 => (select(filters), short()).prop_map(|(f, key)| page::encode_token(&key, &f)),
    ]
    .boxed()
}

/// An event cursor: none, garbage, or forged for the right or a wrong authority with any number.
fn cursor(authorities: &[String]) -> BoxedStrategy<String> {
    let scopes: Vec<String> = authorities.iter().map(|a| format!("events|{a}")).collect();
    let number = prop_oneof![
        (0..64i64).prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        short(),
    ];
    prop_oneof![
        2 => Just(String::new()),
        1 => text(),
        4 => (select(scopes), number).prop_map(|(s, n)| page::encode_token(&n, &s)),
    ]
    .boxed()
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/// What the server holds when the requests start, so that requests can name real records.
#[derive(Debug, Clone, Default)]
struct Known {
    authorities: Vec<String>,
    referrals: Vec<String>,
    cases: Vec<String>,
    meetings: Vec<String>,
    panels: Vec<String>,
    sittings: Vec<String>,
    items: Vec<String>,
    levels: Vec<String>,
    indicators: Vec<String>,
    roles: Vec<String>,
    forms: Vec<String>,
    panel_codes: Vec<String>,
    decisions: Vec<String>,
    /// The case events and levels the authorities' timescales start deadlines for.
    rules: Vec<(i32, String)>,
    descriptions: Vec<AuthorityDescription>,
}

impl Known {
    /// Add the codes an authority's description defines.
    fn absorb(&mut self, d: &AuthorityDescription) {
        self.authorities.push(d.code.clone());
        self.levels.extend(d.levels.iter().map(|l| l.code.clone()));
        self.indicators
            .extend(d.indicators.iter().map(|i| i.code.clone()));
        self.roles.extend(d.roles.iter().map(|r| r.code.clone()));
        self.forms.extend(d.forms.iter().map(|f| f.code.clone()));
        for p in &d.panels {
            self.panel_codes.push(p.code.clone());
            self.panels
                .push(format!("authorities/{}/panels/{}", d.code, p.code));
            self.decisions
                .extend(p.decisions.iter().map(|o| o.code.clone()));
        }
        self.rules
            .extend(d.timescales.iter().map(|t| (t.event, t.level_code.clone())));
        self.descriptions.push(d.clone());
    }

    /// The codes of one authority only.
    fn only(d: &AuthorityDescription) -> Known {
        let mut k = Known::default();
        k.absorb(d);
        k
    }
}

/// `make` for one authority named with its own codes (so that the request reaches its rules), or
/// for any name with any authority's codes.
fn per_authority<T: Debug + 'static>(
    k: &Known,
    make: impl Fn(BoxedStrategy<String>, &Known) -> BoxedStrategy<T>,
) -> BoxedStrategy<T> {
    let mut options: Vec<(u32, BoxedStrategy<T>)> = k
        .descriptions
        .iter()
        .map(|d| {
            (
                1,
                make(
                    Just(format!("authorities/{}", d.code)).boxed(),
                    &Known::only(d),
                ),
            )
        })
        .collect();
    options.push((options.len() as u32, make(parent(k), k)));
    prop::strategy::Union::new_weighted(options).boxed()
}

/// A segment of a resource name: well-formed, too long, empty, or anything.
fn segment() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "[A-Za-z0-9_-]{1,64}",
        2 => Just("01a22997-e3eb-7315-aee4-6b2f75fbc1b2".to_owned()),
        1 => "[a-z]{65,80}",
        1 => Just(String::new()),
        2 => short(),
    ]
    .boxed()
}

/// Any resource name of any kind, for any authority, and names that are not names at all.
fn any_name(k: &Known) -> BoxedStrategy<String> {
    let authority = prop_oneof![3 => select(k.authorities.clone()), 1 => segment()];
    let shape = select(vec![
        "authorities/{a}",
        "authorities/{a}/referrals/{x}",
        "authorities/{a}/cases/{x}",
        "authorities/{a}/cases/{x}/meetings/{y}",
        "authorities/{a}/panels/{x}",
        "authorities/{a}/panels/{x}/sittings/{d}",
        "authorities/{a}/panels/{x}/items/{y}",
        "authorities/{a}/cases/{x}/transitionRequests/{y}",
        "authorities//{x}",
        "/authorities/{a}",
        "authorities/{a}/",
        "{x}",
    ]);
    let formed =
        (shape, authority, segment(), segment(), date()).prop_map(|(shape, a, x, y, d)| {
            shape
                .replace("{a}", &a)
                .replace("{x}", &x)
                .replace("{y}", &y)
                .replace("{d}", &d)
        });
    prop_oneof![4 => formed, 1 => text()].boxed()
}

/// A name for a field that names records of one kind: a real one (when the server holds any),
/// one of the right shape for the caller's authority, or any name at all.
fn name(k: &Known, real: &[String], shape: &'static str) -> BoxedStrategy<String> {
    let right_shape =
        (segment(), segment()).prop_map(move |(x, y)| shape.replace("{x}", &x).replace("{y}", &y));
    let mut options = vec![(3, right_shape.boxed()), (3, any_name(k))];
    if !real.is_empty() {
        options.push((6, select(real.to_vec()).boxed()));
    }
    prop::strategy::Union::new_weighted(options).boxed()
}

const REFERRAL: &str = "authorities/E10000034/referrals/{x}";
const CASE: &str = "authorities/E10000034/cases/{x}";
const MEETING: &str = "authorities/E10000034/cases/{x}/meetings/{y}";
const PANEL: &str = "authorities/E10000034/panels/{x}";
const SITTING: &str = "authorities/E10000034/panels/{x}/sittings/2026-01-07";
const ITEM: &str = "authorities/E10000034/panels/{x}/items/{y}";
const AUTHORITY: &str = "authorities/E10000034";

fn parent(k: &Known) -> BoxedStrategy<String> {
    name(k, &k.authorities_names(), AUTHORITY)
}

impl Known {
    fn authorities_names(&self) -> Vec<String> {
        self.authorities
            .iter()
            .map(|a| format!("authorities/{a}"))
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

fn optional<T: Debug + Clone + 'static>(s: BoxedStrategy<T>) -> BoxedStrategy<Option<T>> {
    prop_oneof![1 => Just(None), 4 => s.prop_map(Some)].boxed()
}

fn nhs_number() -> BoxedStrategy<String> {
    prop_oneof![
        Just(String::new()),
        select(vec![
            "9434765919",
            "943 476 5919",
            "9434765918",
            "0000000000"
        ])
        .prop_map(str::to_owned),
        "[0-9 ]{0,14}",
        short(),
    ]
    .boxed()
}

fn upn() -> BoxedStrategy<String> {
    prop_oneof![
        Just(String::new()),
        select(vec!["A801200000001", "A80120000000A"]).prop_map(str::to_owned),
        "[A-Z0-9]{13}",
        short(),
    ]
    .boxed()
}

fn child() -> BoxedStrategy<pb::Child> {
    (
        (text(), text(), date(), date(), any::<bool>(), any::<bool>()),
        (nhs_number(), short(), upn(), short(), census(), census()),
        many(census()),
    )
        .prop_map(
            |((given_name, family_name, dob, edd, looked_after, ld), more, disabilities)| {
                let (nhs_number, nhs_why, upn, upn_why, sex, ethnicity) = more;
                pb::Child {
                    given_name,
                    family_name,
                    date_of_birth: dob,
                    expected_date_of_delivery: edd,
                    looked_after,
                    learning_difficulty_or_disability: ld,
                    nhs_number,
                    nhs_number_unknown_reason: nhs_why,
                    upn,
                    upn_unknown_reason: upn_why,
                    sex,
                    ethnicity,
                    disabilities,
                }
            },
        )
        .boxed()
}

fn concern(k: &Known) -> BoxedStrategy<pb::Concern> {
    (code(&k.indicators), text(), enumeration())
        .prop_map(|(indicator_code, text, domain)| pb::Concern {
            indicator_code,
            text,
            domain,
        })
        .boxed()
}

fn consent() -> BoxedStrategy<pb::ConsentRecord> {
    (enumeration(), text())
        .prop_map(|(status, reason)| pb::ConsentRecord { status, reason })
        .boxed()
}

fn referrer() -> BoxedStrategy<pb::Referrer> {
    (text(), text(), text(), text(), text())
        .prop_map(|(name, agency, role, phone, email)| pb::Referrer {
            name,
            agency,
            role,
            phone,
            email,
        })
        .boxed()
}

fn household() -> BoxedStrategy<pb::Household> {
    let member = (short(), short())
        .prop_map(|(name, relationship)| pb::HouseholdMember { name, relationship })
        .boxed();
    (text(), many(member))
        .prop_map(|(address, members)| pb::Household { address, members })
        .boxed()
}

/// A referral as a caller would send one, with output-only fields set too now and then.
fn referral_message(k: &Known) -> BoxedStrategy<pb::Referral> {
    let small_children = prop::collection::vec(child(), 0..12);
    (
        (
            optional(child()),
            optional(household()),
            optional(referrer()),
        ),
        (
            many(concern(k)),
            optional(consent()),
            any::<bool>(),
            any::<bool>(),
        ),
        (instant(), census(), small_children, enumeration(), short()),
    )
        .prop_map(|(people, what, more)| {
            let (child, household, referrer) = people;
            let (concerns, consent, immediate_risk, significant_harm_suspected) = what;
            let (receive_time, referral_source, other_children, status, case) = more;
            pb::Referral {
                child,
                household,
                referrer,
                concerns,
                consent,
                immediate_risk,
                significant_harm_suspected,
                receive_time,
                referral_source,
                other_children,
                status,
                case,
                ..Default::default()
            }
        })
        .boxed()
}

fn child_age() -> BoxedStrategy<continuum_plugin_api::pb::ChildAge> {
    (
        any::<bool>(),
        any::<u32>(),
        any::<u32>(),
        0..30u32,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(unborn, gestation_weeks, years, small, looked_after, ld)| {
                continuum_plugin_api::pb::ChildAge {
                    unborn,
                    gestation_weeks: if unborn {
                        gestation_weeks % 50
                    } else {
                        gestation_weeks
                    },
                    years: if years % 2 == 0 { small } else { years },
                    looked_after,
                    learning_difficulty_or_disability: ld,
                }
            },
        )
        .boxed()
}

fn threshold_request(k: &Known) -> BoxedStrategy<continuum_plugin_api::pb::ThresholdRequest> {
    let concern = (code(&k.indicators), short(), enumeration())
        .prop_map(
            |(indicator_code, text, domain)| continuum_plugin_api::pb::Concern {
                indicator_code,
                text,
                domain,
            },
        )
        .boxed();
    (
        many(concern),
        any::<bool>(),
        any::<bool>(),
        enumeration(),
        optional(child_age()),
    )
        .prop_map(|(concerns, immediate_risk, harm, consent, age)| {
            continuum_plugin_api::pb::ThresholdRequest {
                concerns,
                immediate_risk,
                significant_harm_suspected: harm,
                consent,
                age,
            }
        })
        .boxed()
}

fn transition_request(k: &Known) -> BoxedStrategy<continuum_plugin_api::pb::TransitionRequest> {
    (
        (
            enumeration(),
            code(&k.levels),
            code(&k.levels),
            any::<u32>(),
            enumeration(),
        ),
        (
            many(code(&k.forms)),
            many(enumeration()),
            any::<bool>(),
            short(),
        ),
        (optional(child_age()), any::<bool>(), code(&k.decisions)),
    )
        .prop_map(|(a, b, c)| {
            let (kind, current_level, target_level, days_open, consent) = a;
            let (forms_completed, meetings_held, harm, from_authority) = b;
            let (age, manager_agreed, panel_decision) = c;
            continuum_plugin_api::pb::TransitionRequest {
                kind,
                current_level,
                target_level,
                days_open,
                consent,
                forms_completed,
                meetings_held,
                significant_harm_suspected: harm,
                from_authority,
                age,
                manager_agreed,
                panel_decision,
            }
        })
        .boxed()
}

/// A case event and a level: one the authority's timescales start deadlines for, or any.
fn timescale_rule(k: &Known) -> BoxedStrategy<(i32, String)> {
    let any_rule = (enumeration(), code(&k.levels));
    if k.rules.is_empty() {
        return any_rule.boxed();
    }
    prop_oneof![select(k.rules.clone()), any_rule].boxed()
}

// ---------------------------------------------------------------------------------------------
// Callers
// ---------------------------------------------------------------------------------------------

/// Who sends a request: mostly a Worcestershire practitioner (whose records exist) or someone
/// of the authority the request names (so that its name reaches that authority's rules), but
/// also the other roles, other authorities, and callers without a valid token.
#[derive(Debug, Clone)]
enum Caller {
    Token(String),
    /// A token for the authority the request's first resource name names.
    OfNamedAuthority(Role),
    Garbage(String),
    Anonymous,
}

fn caller(k: &Known) -> BoxedStrategy<Caller> {
    let role = select(vec![
        Role::Practitioner,
        Role::Manager,
        Role::Viewer,
        Role::Auditor,
    ]);
    prop_oneof![
        8 => Just(Caller::Token(token("hostile", WORCESTERSHIRE, Role::Practitioner))),
        4 => Just(Caller::OfNamedAuthority(Role::Practitioner)),
        2 => Just(Caller::Token(token("hostile", WORCESTERSHIRE, Role::Manager))),
        1 => Just(Caller::Token(token("hostile", WORCESTERSHIRE, Role::Viewer))),
        2 => Just(Caller::Token(token("hostile", WORCESTERSHIRE, Role::Auditor))),
        2 => (select(k.authorities.clone()), role)
            .prop_map(|(a, role)| Caller::Token(token("hostile", &a, role))),
        1 => "[ -~]{0,60}".prop_map(Caller::Garbage),
        1 => Just(Caller::Anonymous),
    ]
    .boxed()
}

impl Caller {
    fn request<T: Debug>(&self, message: T) -> Request<T> {
        match self {
            Caller::Token(token) => with_token(token, message),
            Caller::OfNamedAuthority(role) => {
                let text = format!("{message:?}");
                let code = text
                    .split("authorities/")
                    .nth(1)
                    .map(|rest| rest.split(['/', '"']).next().unwrap_or_default())
                    .filter(|code| !code.is_empty())
                    .unwrap_or(WORCESTERSHIRE);
                with_token(&token("hostile", code, *role), message)
            }
            Caller::Garbage(value) => {
                let mut request = Request::new(message);
                if let Ok(value) = format!("Bearer {value}").parse() {
                    request.metadata_mut().insert("authorization", value);
                }
                request
            }
            Caller::Anonymous => Request::new(message),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Sending and judging
// ---------------------------------------------------------------------------------------------

/// A server under attack, what it holds, and what it has answered so far.
struct Hostile {
    server: TestServer,
    channel: Channel,
    known: Known,
    /// By RPC, the answers' codes: how many of each, and the first one's message.
    tally: BTreeMap<&'static str, BTreeMap<String, (usize, String)>>,
    /// The answers that broke the rules, with the request that got each.
    failures: Vec<String>,
    started: Instant,
}

/// The request as text, cut short: a megabyte string is not worth printing.
fn show(message: &impl Debug) -> String {
    let mut text = format!("{message:?}");
    if text.len() > 1_500 {
        let mut end = 1_500;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push_str(" ...");
    }
    text
}

impl Hostile {
    /// Start a server on SQLite and give it a few records to be named: referrals received,
    /// screened and queued for a panel, an open case with a meeting.
    async fn start() -> Hostile {
        let server = TestServer::start(Backend::Sqlite).await.unwrap();
        server.clock.set(now());
        let channel = server.channel().await;
        let known = seed_records(&server).await;
        Hostile {
            server,
            channel,
            known,
            tally: BTreeMap::new(),
            failures: Vec::new(),
            started: Instant::now(),
        }
    }

    /// Send `cases()` requests of `strategy` to `method` through `call`, each from a generated
    /// caller, and judge each answer; then check the server still answers its health check.
    async fn run<T, R, F, Fut>(&mut self, method: &'static str, strategy: BoxedStrategy<T>, call: F)
    where
        T: Debug + Clone + 'static,
        F: Fn(Channel, Request<T>) -> Fut,
        Fut: Future<Output = Result<Response<R>, Status>>,
    {
        let mut runner = runner(method);
        let generate = (caller(&self.known), strategy);
        for _ in 0..cases() {
            let (who, message) = generate
                .new_tree(&mut runner)
                .expect("a strategy without filters always generates")
                .current();
            let answer = call(self.channel.clone(), who.request(message.clone())).await;
            self.judge(method, &message, answer.map(|_| ()));
        }
        healthy(&self.server, method).await;
    }

    /// An answer breaks the rules when it is INTERNAL, UNKNOWN, CANCELLED or UNAVAILABLE, or a
    /// refusal without a message.
    fn judge(&mut self, method: &'static str, message: &impl Debug, answer: Result<(), Status>) {
        let (code, text) = match &answer {
            Ok(()) => (Code::Ok, ""),
            Err(status) => (status.code(), status.message()),
        };
        let seen = self
            .tally
            .entry(method)
            .or_default()
            .entry(format!("{code:?}"))
            .or_insert_with(|| (0, show(&text)));
        seen.0 += 1;
        if let Err(status) = answer {
            // INTERNAL and UNKNOWN are the server's own failures; CANCELLED and UNAVAILABLE are
            // how a client reports a stream or connection the server reset instead of answering.
            let bad_code = matches!(
                status.code(),
                Code::Internal | Code::Unknown | Code::Cancelled | Code::Unavailable
            );
            if bad_code || status.message().trim().is_empty() {
                self.failures.push(format!(
                    "{method} answered {:?} {:?} to {}",
                    status.code(),
                    status.message(),
                    show(message)
                ));
            }
        }
    }

    /// Say what was sent and how it was answered; fail with every broken rule.
    async fn finish(self, service: &str) {
        let sent: usize = self
            .tally
            .values()
            .flat_map(|codes| codes.values().map(|(n, _)| n))
            .sum();
        println!(
            "hostile {service}: {sent} requests ({} per RPC, seed {}) in {:.1?}",
            cases(),
            seed(),
            self.started.elapsed()
        );
        for (method, codes) in &self.tally {
            let counts: Vec<String> = codes.iter().map(|(c, (n, _))| format!("{c} {n}")).collect();
            println!("  {method}: {}", counts.join(", "));
            // The codes a refusal of bad input is not expected to have: say what they were.
            for (code, (_, first)) in codes {
                if !EXPECTED.contains(&code.as_str()) {
                    println!("    {code}, e.g. {first}");
                }
            }
        }
        self.server.stop().await;
        assert!(
            self.failures.is_empty(),
            "{} answers broke the rules:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

/// The server still says it is serving.
async fn healthy(server: &TestServer, after: &str) {
    use tonic_health::pb::health_check_response::ServingStatus;
    use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};
    let answer = HealthClient::new(server.channel().await)
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .unwrap_or_else(|e| panic!("the health check after {after} failed: {e:?}"))
        .into_inner();
    assert_eq!(answer.status(), ServingStatus::Serving, "after {after}");
}

/// The codes hostile input is expected to get (others are printed with an example).
const EXPECTED: &[&str] = &[
    "Ok",
    "InvalidArgument",
    "NotFound",
    "Unauthenticated",
    "PermissionDenied",
    "FailedPrecondition",
    "Aborted",
];

/// A generator seeded from the run's seed and the RPC's name.
fn runner(method: &str) -> TestRunner {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed().to_le_bytes());
    for (i, b) in method.bytes().enumerate() {
        bytes[8 + i % 24] ^= b;
    }
    TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    )
}

/// Records for requests to name, and the authority's codes for them to use.
async fn seed_records(server: &TestServer) -> Known {
    let mut k = Known::default();
    let mut authorities = server.authorities().await;
    let listed = authorities
        .list_authorities(as_practitioner(
            WORCESTERSHIRE,
            pb::ListAuthoritiesRequest {},
        ))
        .await
        .unwrap()
        .into_inner();
    for a in listed.authorities {
        k.absorb(&a.description.unwrap_or_default());
    }

    let d = describe(server, WORCESTERSHIRE).await;
    let (case, _) = open_case(server, WORCESTERSHIRE, 2, None).await;
    k.cases.push(case.name.clone());
    k.referrals.push(case.referral.clone());
    let _ = receive_and_decide(
        server,
        WORCESTERSHIRE,
        referral(&d, 3),
        pb::ReferralOutcome::QueueForPanel,
        |_| {},
    )
    .await;
    let created = server
        .referrals()
        .await
        .create_referral(as_practitioner(
            WORCESTERSHIRE,
            pb::CreateReferralRequest {
                parent: AUTHORITY.into(),
                referral: Some(referral(&d, 1)),
                request_id: String::new(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    k.referrals.push(created.name);
    let meeting = server
        .meetings()
        .await
        .schedule_meeting(as_practitioner(
            WORCESTERSHIRE,
            pb::ScheduleMeetingRequest {
                parent: case.name.clone(),
                meeting: Some(pb::Meeting {
                    kind: continuum_plugin_api::pb::MeetingKind::TeamMeeting as i32,
                    schedule_time: Some(Timestamp {
                        seconds: now().timestamp() + 86_400,
                        nanos: 0,
                    }),
                    ..Default::default()
                }),
                request_id: String::new(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    k.meetings.push(meeting.name);

    // The agenda items and every other record, from the event stream.
    let events = pb::event_service_client::EventServiceClient::new(server.channel().await)
        .list_events(as_practitioner(
            WORCESTERSHIRE,
            pb::ListEventsRequest {
                parent: AUTHORITY.into(),
                after: String::new(),
                page_size: 1_000,
            },
        ))
        .await
        .unwrap()
        .into_inner();
    for e in events.events {
        let list = match e.payload {
            Some(pb::event::Payload::Referral(_)) => &mut k.referrals,
            Some(pb::event::Payload::Case(_)) => &mut k.cases,
            Some(pb::event::Payload::Meeting(_)) => &mut k.meetings,
            Some(pb::event::Payload::AgendaItem(_)) => &mut k.items,
            None => continue,
        };
        if !list.contains(&e.resource) {
            list.push(e.resource);
        }
    }
    let mut panels = server.panels().await;
    for panel in k.panels.clone() {
        let listed = panels
            .list_panel_sittings(as_practitioner(
                panel.split('/').nth(1).unwrap_or_default(),
                pb::ListPanelSittingsRequest {
                    parent: panel.clone(),
                    from_date: String::new(),
                    count: 2,
                },
            ))
            .await;
        if let Ok(listed) = listed {
            k.sittings
                .extend(listed.into_inner().sittings.into_iter().map(|s| s.name));
        }
    }
    k
}

// ---------------------------------------------------------------------------------------------
// Requests, one strategy per request message of the public API
// ---------------------------------------------------------------------------------------------

fn create_referral(k: &Known) -> BoxedStrategy<pb::CreateReferralRequest> {
    (parent(k), optional(referral_message(k)), request_id())
        .prop_map(|(parent, referral, request_id)| pb::CreateReferralRequest {
            parent,
            referral,
            request_id,
        })
        .boxed()
}

fn get_referral(k: &Known) -> BoxedStrategy<pb::GetReferralRequest> {
    name(k, &k.referrals, REFERRAL)
        .prop_map(|name| pb::GetReferralRequest { name })
        .boxed()
}

fn list_referrals(k: &Known) -> BoxedStrategy<pb::ListReferralsRequest> {
    let filters = vec![String::new(), "status=0".into(), AUTHORITY.into()];
    (
        (parent(k), int(), page_token(filters), enumeration()),
        (date(), date()),
    )
        .prop_map(
            |((parent, page_size, page_token, status), (from, before))| pb::ListReferralsRequest {
                parent,
                page_size,
                page_token,
                status,
                received_on_or_after: from,
                received_before: before,
            },
        )
        .boxed()
}

fn screen_referral(k: &Known) -> BoxedStrategy<pb::ScreenReferralRequest> {
    (name(k, &k.referrals, REFERRAL), request_id(), etag())
        .prop_map(|(name, request_id, etag)| pb::ScreenReferralRequest {
            name,
            request_id,
            etag,
        })
        .boxed()
}

fn decide_referral(k: &Known) -> BoxedStrategy<pb::DecideReferralRequest> {
    let child_decision = (any::<u32>(), 0..12u32, any::<bool>(), text(), short())
        .prop_map(
            |(any_child, small, open_case, reason, case)| pb::ChildDecision {
                child: if any_child % 2 == 0 { small } else { any_child },
                open_case,
                reason,
                case,
            },
        )
        .boxed();
    (
        (
            name(k, &k.referrals, REFERRAL),
            code(&k.levels),
            enumeration(),
            text(),
        ),
        (
            request_id(),
            etag(),
            census(),
            many(child_decision),
            instant(),
        ),
    )
        .prop_map(|((name, level, outcome, reason), rest)| {
            let (request_id, etag, primary_need, children, occur_time) = rest;
            pb::DecideReferralRequest {
                name,
                level,
                outcome,
                reason,
                request_id,
                etag,
                primary_need,
                children,
                occur_time,
            }
        })
        .boxed()
}

fn get_case(k: &Known) -> BoxedStrategy<pb::GetCaseRequest> {
    name(k, &k.cases, CASE)
        .prop_map(|name| pb::GetCaseRequest { name })
        .boxed()
}

fn list_cases(k: &Known) -> BoxedStrategy<pb::ListCasesRequest> {
    let filters = vec![String::new(), "None|0|None".into()];
    (
        (parent(k), int(), page_token(filters)),
        (code(&k.levels), enumeration(), text()),
    )
        .prop_map(
            |((parent, page_size, page_token), (level, status, worker))| pb::ListCasesRequest {
                parent,
                page_size,
                page_token,
                level,
                status,
                allocated_worker: worker,
            },
        )
        .boxed()
}

fn allocate_case(k: &Known) -> BoxedStrategy<pb::AllocateCaseRequest> {
    let worker = (text(), code(&k.roles))
        .prop_map(|(name, role)| pb::Worker { name, role })
        .boxed();
    (name(k, &k.cases, CASE), optional(worker), etag(), instant())
        .prop_map(|(name, worker, etag, occur_time)| pb::AllocateCaseRequest {
            name,
            worker,
            etag,
            occur_time,
        })
        .boxed()
}

fn update_team(k: &Known) -> BoxedStrategy<pb::UpdateTeamRequest> {
    let member = (short(), short(), short(), instant())
        .prop_map(|(name, agency, role, join_time)| pb::TeamMember {
            name,
            agency,
            role,
            join_time,
        })
        .boxed();
    (
        name(k, &k.cases, CASE),
        many(member),
        strings(),
        etag(),
        instant(),
    )
        .prop_map(
            |(name, join, leave, etag, occur_time)| pb::UpdateTeamRequest {
                name,
                join,
                leave,
                etag,
                occur_time,
            },
        )
        .boxed()
}

fn record_contact(k: &Known) -> BoxedStrategy<pb::RecordContactRequest> {
    let contact = (enumeration(), instant(), text(), short())
        .prop_map(
            |(kind, contact_time, notes, recorded_by)| pb::ContactRecord {
                kind,
                contact_time,
                notes,
                recorded_by,
            },
        )
        .boxed();
    (
        name(k, &k.cases, CASE),
        optional(contact),
        etag(),
        request_id(),
    )
        .prop_map(
            |(name, contact, etag, request_id)| pb::RecordContactRequest {
                name,
                contact,
                etag,
                request_id,
            },
        )
        .boxed()
}

fn record_concern(k: &Known) -> BoxedStrategy<pb::RecordConcernRequest> {
    let case = name(k, &k.cases, CASE);
    (case, optional(concern(k)), etag(), request_id(), instant())
        .prop_map(
            |(name, concern, etag, request_id, occur_time)| pb::RecordConcernRequest {
                name,
                concern,
                etag,
                request_id,
                occur_time,
            },
        )
        .boxed()
}

fn update_plan(k: &Known) -> BoxedStrategy<pb::UpdatePlanRequest> {
    let outcome = (text(), text(), text(), date(), text())
        .prop_map(|(need, action, who, by_date, measure)| pb::PlanOutcome {
            need,
            action,
            who,
            by_date,
            measure,
        })
        .boxed();
    let plan = (many(outcome), instant())
        .prop_map(|(outcomes, update_time)| pb::Plan {
            outcomes,
            update_time,
        })
        .boxed();
    (name(k, &k.cases, CASE), optional(plan), etag(), instant())
        .prop_map(|(name, plan, etag, occur_time)| pb::UpdatePlanRequest {
            name,
            plan,
            etag,
            occur_time,
        })
        .boxed()
}

fn record_assessment(k: &Known) -> BoxedStrategy<pb::RecordAssessmentRequest> {
    let assessment = (date(), date(), many(census()))
        .prop_map(|(start_date, authorisation_date, factors)| pb::Assessment {
            start_date,
            authorisation_date,
            factors,
        })
        .boxed();
    (
        name(k, &k.cases, CASE),
        optional(assessment),
        etag(),
        request_id(),
    )
        .prop_map(
            |(name, assessment, etag, request_id)| pb::RecordAssessmentRequest {
                name,
                assessment,
                etag,
                request_id,
            },
        )
        .boxed()
}

fn transition_case(k: &Known) -> BoxedStrategy<pb::TransitionCaseRequest> {
    let gss = prop_oneof![
        Just(String::new()),
        "[EWSN][0-9]{8}",
        select(k.authorities.clone()),
        short()
    ];
    (
        (
            name(k, &k.cases, CASE),
            enumeration(),
            code(&k.levels),
            text(),
        ),
        (optional(consent()), many(code(&k.forms)), any::<bool>()),
        (etag(), request_id(), gss, instant(), census()),
    )
        .prop_map(|(a, b, c)| {
            let (name, kind, target_level, reason) = a;
            let (consent, forms_completed, significant_harm_suspected) = b;
            let (etag, request_id, from_authority, occur_time, closure_reason) = c;
            pb::TransitionCaseRequest {
                name,
                kind,
                target_level,
                reason,
                consent,
                forms_completed,
                significant_harm_suspected,
                etag,
                request_id,
                from_authority,
                occur_time,
                closure_reason,
            }
        })
        .boxed()
}

fn decide_transition_request(k: &Known) -> BoxedStrategy<pb::DecideTransitionRequestRequest> {
    let case = name(k, &k.cases, CASE);
    (case, any::<bool>(), text(), etag(), request_id(), instant())
        .prop_map(|(name, agree, reason, etag, request_id, occur_time)| {
            pb::DecideTransitionRequestRequest {
                name,
                agree,
                reason,
                etag,
                request_id,
                occur_time,
            }
        })
        .boxed()
}

fn list_case_events(k: &Known) -> BoxedStrategy<pb::ListCaseEventsRequest> {
    (name(k, &k.cases, CASE), int(), page_token(k.cases.clone()))
        .prop_map(|(name, page_size, page_token)| pb::ListCaseEventsRequest {
            name,
            page_size,
            page_token,
        })
        .boxed()
}

fn list_deadlines(k: &Known) -> BoxedStrategy<pb::ListDeadlinesRequest> {
    (
        (
            parent(k),
            int(),
            page_token(vec![String::new()]),
            enumeration(),
        ),
        (
            instant(),
            instant(),
            text(),
            code(&k.levels),
            code(&k.levels),
        ),
    )
        .prop_map(|(a, b)| {
            let (parent, page_size, page_token, state) = a;
            let (due_after, due_before, allocated_worker, code, level) = b;
            pb::ListDeadlinesRequest {
                parent,
                page_size,
                page_token,
                state,
                due_after,
                due_before,
                allocated_worker,
                code,
                level,
            }
        })
        .boxed()
}

fn get_compliance_summary(k: &Known) -> BoxedStrategy<pb::GetComplianceSummaryRequest> {
    (parent(k), date(), date())
        .prop_map(
            |(authority, from_date, to_date)| pb::GetComplianceSummaryRequest {
                authority,
                from_date,
                to_date,
            },
        )
        .boxed()
}

fn schedule_meeting(k: &Known) -> BoxedStrategy<pb::ScheduleMeetingRequest> {
    let meeting = (
        (
            enumeration(),
            instant(),
            strings(),
            enumeration(),
            instant(),
        ),
        (strings(), enumeration(), date(), text(), etag(), short()),
    )
        .prop_map(|(a, b)| {
            let (kind, schedule_time, invitees, state, held_time) = a;
            let (attendees, outcome, next_review_date, notes, etag, name) = b;
            pb::Meeting {
                name,
                kind,
                schedule_time,
                invitees,
                state,
                held_time,
                attendees,
                outcome,
                next_review_date,
                notes,
                etag,
            }
        })
        .boxed();
    (name(k, &k.cases, CASE), optional(meeting), request_id())
        .prop_map(|(parent, meeting, request_id)| pb::ScheduleMeetingRequest {
            parent,
            meeting,
            request_id,
        })
        .boxed()
}

fn record_meeting_outcome(k: &Known) -> BoxedStrategy<pb::RecordMeetingOutcomeRequest> {
    (
        (
            name(k, &k.meetings, MEETING),
            instant(),
            strings(),
            enumeration(),
        ),
        (date(), text(), etag(), request_id()),
    )
        .prop_map(|(a, b)| {
            let (name, held_time, attendees, outcome) = a;
            let (next_review_date, notes, etag, request_id) = b;
            pb::RecordMeetingOutcomeRequest {
                name,
                held_time,
                attendees,
                outcome,
                next_review_date,
                notes,
                etag,
                request_id,
            }
        })
        .boxed()
}

fn list_meetings(k: &Known) -> BoxedStrategy<pb::ListMeetingsRequest> {
    (name(k, &k.cases, CASE), int(), page_token(k.cases.clone()))
        .prop_map(|(parent, page_size, page_token)| pb::ListMeetingsRequest {
            parent,
            page_size,
            page_token,
        })
        .boxed()
}

fn list_panel_sittings(k: &Known) -> BoxedStrategy<pb::ListPanelSittingsRequest> {
    (name(k, &k.panels, PANEL), date(), int())
        .prop_map(|(parent, from_date, count)| pb::ListPanelSittingsRequest {
            parent,
            from_date,
            count,
        })
        .boxed()
}

fn get_panel_sitting(k: &Known) -> BoxedStrategy<pb::GetPanelSittingRequest> {
    name(k, &k.sittings, SITTING)
        .prop_map(|name| pb::GetPanelSittingRequest { name })
        .boxed()
}

fn record_panel_decision(k: &Known) -> BoxedStrategy<pb::RecordPanelDecisionRequest> {
    let sitting = name(k, &k.sittings, SITTING);
    let item = name(k, &k.items, ITEM);
    (
        (sitting, item, code(&k.decisions), strings()),
        (text(), etag(), request_id(), instant()),
    )
        .prop_map(|(a, b)| {
            let (sitting, item, decision, present) = a;
            let (reason, etag, request_id, occur_time) = b;
            pb::RecordPanelDecisionRequest {
                sitting,
                item,
                decision,
                present,
                reason,
                etag,
                request_id,
                occur_time,
            }
        })
        .boxed()
}

fn list_authorities(_: &Known) -> BoxedStrategy<pb::ListAuthoritiesRequest> {
    Just(pb::ListAuthoritiesRequest {}).boxed()
}

fn get_authority(k: &Known) -> BoxedStrategy<pb::GetAuthorityRequest> {
    parent(k)
        .prop_map(|name| pb::GetAuthorityRequest { name })
        .boxed()
}

fn assess_threshold(k: &Known) -> BoxedStrategy<pb::AssessThresholdRequest> {
    per_authority(k, |authority, k| {
        (authority, optional(threshold_request(k)))
            .prop_map(|(authority, request)| pb::AssessThresholdRequest { authority, request })
            .boxed()
    })
}

fn route_contact(k: &Known) -> BoxedStrategy<pb::RouteContactRequest> {
    (
        parent(k),
        enumeration(),
        local_time(),
        any::<Option<bool>>(),
        (
            enumeration(),
            optional(case_history(k)),
            optional(child_age()),
        ),
    )
        .prop_map(
            |(authority, purpose, local_time, public_holiday, (urgency, history, age))| {
                pb::RouteContactRequest {
                    authority,
                    purpose,
                    local_time,
                    public_holiday,
                    urgency,
                    history,
                    age,
                }
            },
        )
        .boxed()
}

fn case_history(k: &Known) -> BoxedStrategy<plugin::CaseHistory> {
    (any::<bool>(), code(&k.levels), any::<bool>(), any::<u32>())
        .prop_map(
            |(open_case, open_level, closed_case, days_since_closed)| plugin::CaseHistory {
                open_case,
                open_level,
                closed_case,
                days_since_closed,
            },
        )
        .boxed()
}

fn get_next_panel_sitting(k: &Known) -> BoxedStrategy<pb::GetNextPanelSittingRequest> {
    per_authority(k, |authority, k| {
        (authority, code(&k.panel_codes), date())
            .prop_map(
                |(authority, panel, on_or_after)| pb::GetNextPanelSittingRequest {
                    authority,
                    panel,
                    on_or_after,
                },
            )
            .boxed()
    })
}

fn preview_timescales(k: &Known) -> BoxedStrategy<pb::PreviewTimescalesRequest> {
    per_authority(k, |authority, k| {
        (authority, timescale_rule(k), instant())
            .prop_map(
                |(authority, (event, level), event_time)| pb::PreviewTimescalesRequest {
                    authority,
                    event,
                    level,
                    event_time,
                    ..Default::default()
                },
            )
            .boxed()
    })
}

fn check_transition(k: &Known) -> BoxedStrategy<pb::CheckTransitionRequest> {
    per_authority(k, |authority, k| {
        (authority, optional(transition_request(k)))
            .prop_map(|(authority, request)| pb::CheckTransitionRequest { authority, request })
            .boxed()
    })
}

fn list_statutory_codes(_: &Known) -> BoxedStrategy<pb::ListStatutoryCodesRequest> {
    let tags = [
        "",
        "ReferralSource",
        "PrimaryNeedCode",
        "ReasonForClosure",
        "AssessmentFactors",
        "Ethnicity",
        "Sex",
        "Disability",
        "referralsource",
    ];
    prop_oneof![select(tags.map(str::to_owned).to_vec()), text()]
        .prop_map(|code_set| pb::ListStatutoryCodesRequest { code_set })
        .boxed()
}

fn list_events(k: &Known) -> BoxedStrategy<pb::ListEventsRequest> {
    (parent(k), cursor(&k.authorities), int())
        .prop_map(|(parent, after, page_size)| pb::ListEventsRequest {
            parent,
            after,
            page_size,
        })
        .boxed()
}

fn watch_events(k: &Known) -> BoxedStrategy<pb::WatchEventsRequest> {
    (parent(k), cursor(&k.authorities))
        .prop_map(|(parent, after)| pb::WatchEventsRequest { parent, after })
        .boxed()
}

fn export_children(k: &Known) -> BoxedStrategy<pb::ExportChildrenRequest> {
    (parent(k), cursor(&k.authorities), int())
        .prop_map(|(parent, after, max_events)| pb::ExportChildrenRequest {
            parent,
            after,
            max_events,
        })
        .boxed()
}

fn list_audit_events(k: &Known) -> BoxedStrategy<pb::ListAuditEventsRequest> {
    let filters = k
        .authorities
        .iter()
        .map(|a| format!("audit|authorities/{a}||"))
        .collect();
    (parent(k), int(), page_token(filters), text(), short())
        .prop_map(
            |(parent, page_size, page_token, resource, subject)| pb::ListAuditEventsRequest {
                parent,
                page_size,
                page_token,
                resource,
                subject,
            },
        )
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// The services, one server each
// ---------------------------------------------------------------------------------------------

/// `client.method(request)` on a fresh client over the shared channel.
macro_rules! rpc {
    ($client:ident, $method:ident) => {
        |channel: Channel, request| async move { $client::new(channel).$method(request).await }
    };
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn referral_service_refuses_hostile_requests_cleanly() {
    use pb::referral_service_client::ReferralServiceClient as C;
    let mut h = Hostile::start().await;
    let k = h.known.clone();
    h.run(
        "CreateReferral",
        create_referral(&k),
        rpc!(C, create_referral),
    )
    .await;
    h.run("GetReferral", get_referral(&k), rpc!(C, get_referral))
        .await;
    h.run("ListReferrals", list_referrals(&k), rpc!(C, list_referrals))
        .await;
    h.run(
        "ScreenReferral",
        screen_referral(&k),
        rpc!(C, screen_referral),
    )
    .await;
    h.run(
        "DecideReferral",
        decide_referral(&k),
        rpc!(C, decide_referral),
    )
    .await;
    h.finish("ReferralService").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_service_refuses_hostile_requests_cleanly() {
    use pb::case_service_client::CaseServiceClient as C;
    let mut h = Hostile::start().await;
    let k = h.known.clone();
    h.run("GetCase", get_case(&k), rpc!(C, get_case)).await;
    h.run("ListCases", list_cases(&k), rpc!(C, list_cases))
        .await;
    h.run("AllocateCase", allocate_case(&k), rpc!(C, allocate_case))
        .await;
    h.run("UpdateTeam", update_team(&k), rpc!(C, update_team))
        .await;
    h.run("RecordContact", record_contact(&k), rpc!(C, record_contact))
        .await;
    h.run("RecordConcern", record_concern(&k), rpc!(C, record_concern))
        .await;
    h.run("UpdatePlan", update_plan(&k), rpc!(C, update_plan))
        .await;
    let assessment = record_assessment(&k);
    h.run("RecordAssessment", assessment, rpc!(C, record_assessment))
        .await;
    h.run(
        "TransitionCase",
        transition_case(&k),
        rpc!(C, transition_case),
    )
    .await;
    let decide = decide_transition_request(&k);
    h.run(
        "DecideTransitionRequest",
        decide,
        rpc!(C, decide_transition_request),
    )
    .await;
    h.run(
        "ListCaseEvents",
        list_case_events(&k),
        rpc!(C, list_case_events),
    )
    .await;
    h.run("ListDeadlines", list_deadlines(&k), rpc!(C, list_deadlines))
        .await;
    let compliance = get_compliance_summary(&k);
    h.run(
        "GetComplianceSummary",
        compliance,
        rpc!(C, get_compliance_summary),
    )
    .await;
    h.finish("CaseService").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meeting_service_refuses_hostile_requests_cleanly() {
    use pb::meeting_service_client::MeetingServiceClient as C;
    let mut h = Hostile::start().await;
    let k = h.known.clone();
    h.run(
        "ScheduleMeeting",
        schedule_meeting(&k),
        rpc!(C, schedule_meeting),
    )
    .await;
    let outcome = record_meeting_outcome(&k);
    h.run(
        "RecordMeetingOutcome",
        outcome,
        rpc!(C, record_meeting_outcome),
    )
    .await;
    h.run("ListMeetings", list_meetings(&k), rpc!(C, list_meetings))
        .await;
    h.finish("MeetingService").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn panel_service_refuses_hostile_requests_cleanly() {
    use pb::panel_service_client::PanelServiceClient as C;
    let mut h = Hostile::start().await;
    let k = h.known.clone();
    let list = list_panel_sittings(&k);
    h.run("ListPanelSittings", list, rpc!(C, list_panel_sittings))
        .await;
    h.run(
        "GetPanelSitting",
        get_panel_sitting(&k),
        rpc!(C, get_panel_sitting),
    )
    .await;
    let decide = record_panel_decision(&k);
    h.run(
        "RecordPanelDecision",
        decide,
        rpc!(C, record_panel_decision),
    )
    .await;
    h.finish("PanelService").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authority_service_refuses_hostile_requests_cleanly() {
    use pb::authority_service_client::AuthorityServiceClient as C;
    let mut h = Hostile::start().await;
    let k = h.known.clone();
    h.run(
        "ListAuthorities",
        list_authorities(&k),
        rpc!(C, list_authorities),
    )
    .await;
    h.run("GetAuthority", get_authority(&k), rpc!(C, get_authority))
        .await;
    h.run(
        "AssessThreshold",
        assess_threshold(&k),
        rpc!(C, assess_threshold),
    )
    .await;
    h.run("RouteContact", route_contact(&k), rpc!(C, route_contact))
        .await;
    let next = get_next_panel_sitting(&k);
    h.run("GetNextPanelSitting", next, rpc!(C, get_next_panel_sitting))
        .await;
    let preview = preview_timescales(&k);
    h.run("PreviewTimescales", preview, rpc!(C, preview_timescales))
        .await;
    h.run(
        "CheckTransition",
        check_transition(&k),
        rpc!(C, check_transition),
    )
    .await;
    let codes = list_statutory_codes(&k);
    h.run("ListStatutoryCodes", codes, rpc!(C, list_statutory_codes))
        .await;
    h.finish("AuthorityService").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn event_and_export_services_refuse_hostile_requests_cleanly() {
    use pb::event_service_client::EventServiceClient as E;
    use pb::export_service_client::ExportServiceClient as X;
    let mut h = Hostile::start().await;
    let k = h.known.clone();
    h.run("ListEvents", list_events(&k), rpc!(E, list_events))
        .await;
    // WatchEvents: opened, its first answer (if one comes at once) judged, then dropped.
    h.run(
        "WatchEvents",
        watch_events(&k),
        |channel, request| async move {
            let mut stream = E::new(channel).watch_events(request).await?.into_inner();
            match tokio::time::timeout(Duration::from_millis(20), stream.message()).await {
                Ok(Err(status)) => Err(status),
                _ => Ok(Response::new(())),
            }
        },
    )
    .await;
    h.run(
        "ExportChildren",
        export_children(&k),
        rpc!(X, export_children),
    )
    .await;
    h.finish("EventService and ExportService").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_service_refuses_hostile_requests_cleanly() {
    use pb::audit_service_client::AuditServiceClient as A;
    let mut h = Hostile::start().await;
    let k = h.known.clone();
    h.run(
        "ListAuditEvents",
        list_audit_events(&k),
        rpc!(A, list_audit_events),
    )
    .await;
    h.finish("AuditService").await;
}

// ---------------------------------------------------------------------------------------------
// Bodies that are not protobuf
// ---------------------------------------------------------------------------------------------

/// A codec that sends and receives bytes as they are, so a request's body can be anything.
#[derive(Debug, Clone, Copy, Default)]
struct RawCodec;

impl Codec for RawCodec {
    type Encode = Vec<u8>;
    type Decode = Vec<u8>;
    type Encoder = RawCodec;
    type Decoder = RawCodec;

    fn encoder(&mut self) -> RawCodec {
        RawCodec
    }

    fn decoder(&mut self) -> RawCodec {
        RawCodec
    }
}

impl Encoder for RawCodec {
    type Item = Vec<u8>;
    type Error = Status;

    fn encode(&mut self, item: Vec<u8>, buf: &mut EncodeBuf<'_>) -> Result<(), Status> {
        buf.put_slice(&item);
        Ok(())
    }
}

impl Decoder for RawCodec {
    type Item = Vec<u8>;
    type Error = Status;

    fn decode(&mut self, buf: &mut DecodeBuf<'_>) -> Result<Option<Vec<u8>>, Status> {
        Ok(Some(buf.copy_to_bytes(buf.remaining()).to_vec()))
    }
}

/// Every unary RPC of the public API, by path.
const UNARY: &[&str] = &[
    "/continuum.v1.ReferralService/CreateReferral",
    "/continuum.v1.ReferralService/GetReferral",
    "/continuum.v1.ReferralService/ListReferrals",
    "/continuum.v1.ReferralService/ScreenReferral",
    "/continuum.v1.ReferralService/DecideReferral",
    "/continuum.v1.CaseService/GetCase",
    "/continuum.v1.CaseService/ListCases",
    "/continuum.v1.CaseService/AllocateCase",
    "/continuum.v1.CaseService/UpdateTeam",
    "/continuum.v1.CaseService/RecordContact",
    "/continuum.v1.CaseService/RecordConcern",
    "/continuum.v1.CaseService/UpdatePlan",
    "/continuum.v1.CaseService/RecordAssessment",
    "/continuum.v1.CaseService/TransitionCase",
    "/continuum.v1.CaseService/DecideTransitionRequest",
    "/continuum.v1.CaseService/ListCaseEvents",
    "/continuum.v1.CaseService/ListDeadlines",
    "/continuum.v1.CaseService/GetComplianceSummary",
    "/continuum.v1.MeetingService/ScheduleMeeting",
    "/continuum.v1.MeetingService/RecordMeetingOutcome",
    "/continuum.v1.MeetingService/ListMeetings",
    "/continuum.v1.PanelService/ListPanelSittings",
    "/continuum.v1.PanelService/GetPanelSitting",
    "/continuum.v1.PanelService/RecordPanelDecision",
    "/continuum.v1.AuthorityService/ListAuthorities",
    "/continuum.v1.AuthorityService/GetAuthority",
    "/continuum.v1.AuthorityService/AssessThreshold",
    "/continuum.v1.AuthorityService/RouteContact",
    "/continuum.v1.AuthorityService/GetNextPanelSitting",
    "/continuum.v1.AuthorityService/PreviewTimescales",
    "/continuum.v1.AuthorityService/CheckTransition",
    "/continuum.v1.AuthorityService/ListStatutoryCodes",
    "/continuum.v1.EventService/ListEvents",
    "/continuum.v1.ExportService/ExportChildren",
];

/// Send `body` as the whole request message of the RPC at `path`.
async fn send_raw(channel: Channel, path: &str, body: Vec<u8>) -> Result<(), Status> {
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready()
        .await
        .map_err(|e| Status::unavailable(e.to_string()))?;
    let path: http::uri::PathAndQuery = path.parse().expect("a valid path");
    let request = with_token(&token("hostile", WORCESTERSHIRE, Role::Practitioner), body);
    grpc.unary(request, path, RawCodec).await.map(|_| ())
}

/// Bytes that are not protobuf for any message: a field cut short, a varint that never ends, a
/// reserved wire type, field number 0, an end-group without a start.
const NOT_PROTOBUF: &[&[u8]] = &[
    &[0x0a, 0x05, b'a'],
    &[0xff; 11],
    &[
        0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
    ],
    &[0x0e, 0x00],
    &[0x0f],
    &[0x02, 0x00],
    &[0x0c],
    &[0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f],
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_that_are_not_protobuf_are_invalid_argument() {
    let server = TestServer::start(Backend::Sqlite).await.unwrap();
    let channel = server.channel().await;
    let mut sent = 0;
    for path in UNARY {
        let mut bodies: Vec<Vec<u8>> = NOT_PROTOBUF.iter().map(|b| b.to_vec()).collect();
        // Field 1 (a string in every request but ListAuthorities') holding bytes that are not
        // UTF-8.
        if !path.ends_with("/ListAuthorities") {
            bodies.push(vec![0x0a, 0x02, 0xc3, 0x28]);
        }
        for body in bodies {
            let status = send_raw(channel.clone(), path, body.clone())
                .await
                .expect_err("bytes that do not decode are refused");
            assert_eq!(
                status.code(),
                Code::InvalidArgument,
                "{path} answered {status:?} to {body:02x?}"
            );
            assert!(!status.message().is_empty(), "{path}: {status:?}");
            sent += 1;
        }
    }
    healthy(&server, "the bodies that are not protobuf").await;
    println!("hostile raw bodies: {sent} requests, every one INVALID_ARGUMENT");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_bytes_as_bodies_are_refused_cleanly() {
    let mut h = Hostile::start().await;
    let bodies = prop::collection::vec(any::<u8>(), 0..512).boxed();
    for path in UNARY {
        let mut runner = runner(path);
        for _ in 0..cases() {
            let body = bodies
                .new_tree(&mut runner)
                .expect("a strategy without filters always generates")
                .current();
            let answer = send_raw(h.channel.clone(), path, body.clone()).await;
            h.judge(path, &body, answer);
        }
        healthy(&h.server, path).await;
    }
    h.finish("random bodies").await;
}

/// A refusal travels in HTTP/2 headers, which clients cap (16 KiB in this one): however much a
/// request gets wrong, its refusal fits. A 1 MB name is quoted by its ends; of thousands of bad
/// fields, the first are listed and the rest counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_fits_in_its_headers() {
    use tonic_types::StatusExt;
    let server = TestServer::start(Backend::Sqlite).await.unwrap();
    let mut referrals = server.referrals().await;
    let name = "é".repeat(500_000);
    let status = referrals
        .get_referral(as_practitioner(
            WORCESTERSHIRE,
            pb::GetReferralRequest { name },
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert!(
        status.message().len() <= 1_100,
        "{}",
        status.message().len()
    );
    assert!(
        status
            .message()
            .ends_with("is not a resource name of the form authorities/{code}/referrals/{id}"),
        "{}",
        status.message()
    );

    let d = describe(&server, WORCESTERSHIRE).await;
    let mut r = referral(&d, 1);
    let bad = pb::Concern {
        indicator_code: "NOT-AN-INDICATOR".into(),
        ..Default::default()
    };
    // Too many concerns, and each has an unknown indicator and no domain: 4,001 violations.
    r.concerns = vec![bad; 2_000];
    let status = referrals
        .create_referral(as_practitioner(
            WORCESTERSHIRE,
            pb::CreateReferralRequest {
                parent: AUTHORITY.into(),
                referral: Some(r),
                request_id: String::new(),
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    let listed = status
        .get_error_details()
        .bad_request()
        .expect("a BadRequest detail")
        .field_violations
        .len();
    assert!((1..4_001).contains(&listed), "{listed}");
    assert!(
        status
            .message()
            .ends_with(&format!("(and {} more)", 4_001 - listed)),
        "{}",
        status.message()
    );
    server.stop().await;
}

/// A preview of deadlines counted in working days from an instant in a year the working-day
/// calendar does not cover is the caller's mistake, and so is one whose deadline would fall due
/// past the calendar's last year: neither is the service's failure.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_preview_outside_the_calendars_years_is_refused_as_the_callers() {
    use continuum_plugin_api::pb::CaseEvent;
    const BRADFORD: &str = "E08000032";
    let server = TestServer::start(Backend::Sqlite).await.unwrap();
    let d = describe(&server, BRADFORD).await;
    let rule = d
        .timescales
        .iter()
        .find(|t| t.event == CaseEvent::CaseAllocated as i32)
        .expect("Bradford's allocation starts deadlines counted in working days");
    let mut authorities = server.authorities().await;
    // 1 January 1900; noon on 30 December 2100 (five working days later is in 2101).
    for (seconds, code) in [
        (-2_208_988_800, Code::InvalidArgument),
        (4_133_851_200, Code::OutOfRange),
    ] {
        let status = authorities
            .preview_timescales(as_practitioner(
                BRADFORD,
                pb::PreviewTimescalesRequest {
                    authority: format!("authorities/{BRADFORD}"),
                    event: rule.event,
                    level: rule.level_code.clone(),
                    event_time: Some(Timestamp { seconds, nanos: 0 }),
                    ..Default::default()
                },
            ))
            .await
            .unwrap_err();
        assert_eq!(status.code(), code, "{status:?}");
    }
    server.stop().await;
}

// ---------------------------------------------------------------------------------------------
// The fuzz target's body, on the stable toolchain
// ---------------------------------------------------------------------------------------------

fn encoded<M: prost::Message + Debug + 'static>(s: BoxedStrategy<M>) -> BoxedStrategy<Vec<u8>> {
    s.prop_map(|m| m.encode_to_vec()).boxed()
}

fn contact_request() -> BoxedStrategy<plugin::ContactRequest> {
    (
        enumeration(),
        local_time(),
        any::<bool>(),
        many(date()),
        (enumeration(), optional(child_age())),
    )
        .prop_map(
            |(purpose, local_time, public_holiday, closed_dates, (urgency, age))| {
                plugin::ContactRequest {
                    purpose,
                    local_time,
                    public_holiday,
                    closed_dates,
                    urgency,
                    age,
                    ..Default::default()
                }
            },
        )
        .boxed()
}

fn panel_request(k: &Known) -> BoxedStrategy<plugin::PanelRequest> {
    (code(&k.panel_codes), date())
        .prop_map(|(panel_code, on_or_after)| plugin::PanelRequest {
            panel_code,
            on_or_after,
        })
        .boxed()
}

fn timescale_request(k: &Known) -> BoxedStrategy<plugin::TimescaleRequest> {
    timescale_rule(k)
        .prop_map(|(event, level_code)| plugin::TimescaleRequest {
            event,
            level_code,
            age: None,
        })
        .boxed()
}

/// Every message the fuzz target decodes, with a strategy for its encoding.
fn encodings(k: &Known) -> Vec<(&'static str, BoxedStrategy<Vec<u8>>)> {
    vec![
        ("CreateReferralRequest", encoded(create_referral(k))),
        ("GetReferralRequest", encoded(get_referral(k))),
        ("ListReferralsRequest", encoded(list_referrals(k))),
        ("ScreenReferralRequest", encoded(screen_referral(k))),
        ("DecideReferralRequest", encoded(decide_referral(k))),
        ("GetCaseRequest", encoded(get_case(k))),
        ("ListCasesRequest", encoded(list_cases(k))),
        ("AllocateCaseRequest", encoded(allocate_case(k))),
        ("UpdateTeamRequest", encoded(update_team(k))),
        ("RecordContactRequest", encoded(record_contact(k))),
        ("RecordConcernRequest", encoded(record_concern(k))),
        ("UpdatePlanRequest", encoded(update_plan(k))),
        ("RecordAssessmentRequest", encoded(record_assessment(k))),
        ("TransitionCaseRequest", encoded(transition_case(k))),
        (
            "DecideTransitionRequestRequest",
            encoded(decide_transition_request(k)),
        ),
        ("ListCaseEventsRequest", encoded(list_case_events(k))),
        ("ListDeadlinesRequest", encoded(list_deadlines(k))),
        (
            "GetComplianceSummaryRequest",
            encoded(get_compliance_summary(k)),
        ),
        ("ScheduleMeetingRequest", encoded(schedule_meeting(k))),
        (
            "RecordMeetingOutcomeRequest",
            encoded(record_meeting_outcome(k)),
        ),
        ("ListMeetingsRequest", encoded(list_meetings(k))),
        ("ListPanelSittingsRequest", encoded(list_panel_sittings(k))),
        ("GetPanelSittingRequest", encoded(get_panel_sitting(k))),
        (
            "RecordPanelDecisionRequest",
            encoded(record_panel_decision(k)),
        ),
        ("ListAuthoritiesRequest", encoded(list_authorities(k))),
        ("GetAuthorityRequest", encoded(get_authority(k))),
        ("AssessThresholdRequest", encoded(assess_threshold(k))),
        ("RouteContactRequest", encoded(route_contact(k))),
        (
            "GetNextPanelSittingRequest",
            encoded(get_next_panel_sitting(k)),
        ),
        ("PreviewTimescalesRequest", encoded(preview_timescales(k))),
        ("CheckTransitionRequest", encoded(check_transition(k))),
        (
            "ListStatutoryCodesRequest",
            encoded(list_statutory_codes(k)),
        ),
        ("ListEventsRequest", encoded(list_events(k))),
        ("WatchEventsRequest", encoded(watch_events(k))),
        ("ExportChildrenRequest", encoded(export_children(k))),
        ("ThresholdRequest", encoded(threshold_request(k))),
        ("ContactRequest", encoded(contact_request())),
        ("PanelRequest", encoded(panel_request(k))),
        ("TimescaleRequest", encoded(timescale_request(k))),
        ("TransitionRequest", encoded(transition_request(k))),
    ]
}

/// What is done to an encoding before it is decoded.
#[derive(Debug, Clone)]
enum Damage {
    None,
    /// Bytes replaced, at positions chosen in proportion to the length.
    Set(Vec<(prop::sample::Index, u8)>),
    Cut(prop::sample::Index),
    Append(Vec<u8>),
    /// Not the encoding at all: these bytes instead.
    Replace(Vec<u8>),
}

fn damage() -> BoxedStrategy<Damage> {
    prop_oneof![
        8 => Just(Damage::None),
        3 => prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4)
            .prop_map(Damage::Set),
        2 => any::<prop::sample::Index>().prop_map(Damage::Cut),
        1 => prop::collection::vec(any::<u8>(), 1..16).prop_map(Damage::Append),
        2 => prop::collection::vec(any::<u8>(), 0..256).prop_map(Damage::Replace),
    ]
    .boxed()
}

impl Damage {
    fn apply(&self, mut bytes: Vec<u8>) -> Vec<u8> {
        match self {
            Damage::None => {}
            Damage::Set(changes) => {
                for (at, value) in changes {
                    if !bytes.is_empty() {
                        let at = at.index(bytes.len());
                        bytes[at] = *value;
                    }
                }
            }
            Damage::Cut(at) => bytes.truncate(at.index(bytes.len() + 1)),
            Damage::Append(more) => bytes.extend_from_slice(more),
            Damage::Replace(other) => bytes.clone_from(other),
        }
        bytes
    }
}

/// Inputs for the body of the `decode_validate` fuzz target (`fuzz/`), run in-process with
/// Worcestershire's plugin as a library: `CONTINUUM_FUZZ_INPUTS` of them (default 2,000), in
/// turn for each message it decodes, each the encoding of a generated message, as it is or
/// damaged, or other bytes. It must never panic; an undamaged encoding must decode.
#[test]
fn the_fuzz_targets_body_never_panics() {
    use continuum::fuzzing::{MESSAGES, Target, input};
    use continuum_authority_worcestershire::Worcestershire;
    use continuum_plugin_api::Authority;

    let count: usize = std::env::var("CONTINUUM_FUZZ_INPUTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000);
    let target = Target::new(Box::new(Worcestershire));
    let k = Known::only(&Worcestershire.describe());
    let encodings = encodings(&k);
    let names: Vec<&str> = encodings.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names, MESSAGES,
        "every message the target decodes, in its order"
    );

    let started = Instant::now();
    let mut runner = runner("decode_validate");
    let (mut decoded, mut checked) = (0, 0);
    for i in 0..count {
        let (message, encoding) = &encodings[i % encodings.len()];
        let (bytes, damage) = (encoding, damage())
            .new_tree(&mut runner)
            .expect("a strategy without filters always generates")
            .current();
        let bytes = damage.apply(bytes);
        let data = input(message, &bytes).expect("a message the target decodes");
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| target.run(&data)));
        let Ok(violations) = run else {
            panic!(
                "decode_validate panicked on {message} (seed {}): {}",
                seed(),
                show(&data)
            );
        };
        if matches!(damage, Damage::None) {
            assert!(
                violations.is_some(),
                "{message} did not decode: {}",
                show(&data)
            );
        }
        if let Some(n) = violations {
            decoded += 1;
            checked += n;
        }
    }
    println!(
        "decode_validate: {count} inputs ({} per message, seed {}), {decoded} decoded, \
         {checked} field violations found, in {:.1?}",
        count / MESSAGES.len(),
        seed(),
        started.elapsed()
    );
}
