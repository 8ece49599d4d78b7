//! The conformance check every authority plugin must pass.
//!
//! [`check`] reads the description for internal consistency (levels ordered and labelled, codes
//! unique, every indicator mapped to a level, opening hours valid, timescales positive, every rule
//! cited) and then sends a fixed set of probe requests through each method, checking that every
//! answer is well formed and cited. It works on any [`Authority`]: a plugin's own tests call it
//! on the type directly, and `continuum plugins check` calls it on a library loaded through the
//! dynamic boundary.

use std::collections::HashSet;
use std::fmt;

use crate::pb::{
    self, AuthorityDescription, CaseEvent, ChildAge, Concern, Consent, ContactPurpose, MeetingKind,
    Response, TimeUnit, TransitionKind, Weekday,
};
use crate::{Authority, PluginError, time};

/// One way a plugin breaks the contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Which rule: one of the child-safety rules ([`rules`]), or [`rules::CONTRACT`] for the
    /// shape of the description and answers.
    pub rule: &'static str,
    /// Where: a description path ("levels[2].citation") or a probe ("route_contact(...)").
    pub at: String,
    /// What is wrong, and how to put it right.
    pub problem: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}: {}", self.rule, self.at, self.problem)
    }
}

/// The rules the check enforces beyond the contract's shape: what protects children first, and
/// what keeps a plugin faithful to its sources. A violation names its rule.
pub mod rules {
    /// The description and answers are well formed and every rule is cited.
    pub const CONTRACT: &str = "CONTRACT";
    /// No placeholder left from the template: the authority's code and its phone numbers are
    /// real ones.
    pub const PLACEHOLDER: &str = "PLACEHOLDER";
    /// Every citation quotes the sentence it encodes (word for word with `--sources`).
    pub const QUOTE: &str = "QUOTE";
    /// An always-open emergency route (police on 999) is declared and offered with every answer.
    pub const EMERGENCY_ROUTE: &str = "EMERGENCY-ROUTE";
    /// A safeguarding referral reaches an open line at night, at the weekend and on a bank
    /// holiday.
    pub const OUT_OF_HOURS: &str = "OUT-OF-HOURS";
    /// A child at immediate risk gets the emergency response.
    pub const IMMEDIATE_RISK: &str = "IMMEDIATE-RISK";
    /// Consent is not demanded when significant harm is suspected.
    pub const CONSENT_AND_HARM: &str = "CONSENT-AND-HARM";
    /// Every opening window says what it does on a bank holiday, and routing answers as the
    /// hours say: an office-hours line is not given as open on a bank holiday it is closed.
    pub const BANK_HOLIDAY: &str = "BANK-HOLIDAY";
}

/// Run every check; an empty list means the plugin conforms.
pub fn check(authority: &dyn Authority) -> Vec<Violation> {
    checked(authority).violations
}

/// A citation the check met: where, the source it names and its quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cited {
    pub at: String,
    pub source: String,
    pub quote: String,
}

/// Every citation in the description and in the answers to the check's probes.
pub fn citations(authority: &dyn Authority) -> Vec<Cited> {
    checked(authority).citations
}

/// [`check`], and then every quote looked for word for word in the source it cites:
/// `source_text` gives a cited source's text (the citation's `source`, e.g.
/// "shared/seeds/001_x.txt"), or `None` if it is not at hand. Whitespace and line breaks count
/// as one space; a quote that leaves words out with "..." is looked for part by part. A quote
/// from a document published on the web (one with a `url`) that is not at hand is not checked.
pub fn check_with_sources(
    authority: &dyn Authority,
    source_text: &dyn Fn(&str) -> Option<String>,
) -> Vec<Violation> {
    let mut c = checked(authority);
    let mut texts: std::collections::HashMap<String, Option<String>> = Default::default();
    let mut seen = HashSet::new();
    for Cited { at, source, quote } in std::mem::take(&mut c.citations) {
        if quote.trim().is_empty() || !seen.insert((source.clone(), quote.clone())) {
            continue;
        }
        let text = texts
            .entry(source.clone())
            .or_insert_with(|| source_text(&source).map(|t| words(&t)));
        match text {
            None if c.web_pages.contains(&source) => {}
            None => c.fail_rule(
                rules::QUOTE,
                format!("{at}.citation.source"),
                format!("{source:?} is not in the sources given: cite a file that is"),
            ),
            Some(text) => {
                let missing = quote
                    .split(['…'])
                    .flat_map(|part| part.split("..."))
                    .map(words)
                    .filter(|part| !part.is_empty())
                    .find(|part| !text.contains(part.as_str()));
                if let Some(part) = missing {
                    c.fail_rule(
                        rules::QUOTE,
                        format!("{at}.citation.quote"),
                        format!(
                            "{part:?} is not in {source} word for word: copy the sentence from \
                             the source (mark words left out with \"...\")"
                        ),
                    );
                }
            }
        }
    }
    c.violations
}

/// Text with every run of whitespace as one space, typographic quotes and dashes as plain ones,
/// and Markdown's emphasis marks (`*`, `` ` ``) dropped, so a quote copied from a web page or
/// a Markdown source matches its text.
fn words(text: &str) -> String {
    let plain: String = unlink(text)
        .chars()
        .filter(|ch| !matches!(ch, '*' | '`'))
        .map(|ch| match ch {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            '\u{00A0}' => ' ',
            other => other,
        })
        .collect();
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Markdown links `[text](target)` as their text.
fn unlink(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let link = after.find("](").and_then(|close| {
            let target = &after[close + 2..];
            target.find(')').map(|end| (close, close + 2 + end + 1))
        });
        match link {
            Some((close, end)) if !after[..close].contains(['[', ']']) => {
                out.push_str(&rest[..open]);
                out.push_str(&after[..close]);
                rest = &after[end..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn checked(authority: &dyn Authority) -> Checker {
    let description = authority.describe();
    let mut c = Checker::default();
    c.description(&description);
    c.probes(authority, &description);
    c
}

/// Whether a GSS code is a placeholder (the template's E99999999, or all zeros or nines).
pub fn is_placeholder_code(code: &str) -> bool {
    let digits = code.get(1..).unwrap_or_default();
    !digits.is_empty() && (digits.bytes().all(|b| b == b'9') || digits.bytes().all(|b| b == b'0'))
}

/// Whether a phone number is a placeholder: the template's (01000 ...), one in a range Ofcom
/// never allocates to lines (0100...), or one with six zeros in a row.
pub fn is_placeholder_phone(phone: &str) -> bool {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    digits.starts_with("0100") || digits.contains("000000")
}

/// The probe times outside office hours: a weekday night, a Saturday, a Sunday evening.
const OUT_OF_HOURS: [&str; 3] = [
    "2026-11-25T23:30:00",
    "2026-11-28T11:00:00",
    "2026-11-29T19:00:00",
];

/// Dates and times the probes use: a Monday morning, a Friday late afternoon, a weekday night, a
/// Saturday, a Sunday evening.
const PROBE_TIMES: [&str; 6] = [
    "2026-11-23T10:00:00",
    "2026-11-27T16:45:00",
    "2026-11-25T23:30:00",
    "2026-11-28T11:00:00",
    "2026-11-29T19:00:00",
    "2026-11-24T07:59:00",
];

#[derive(Default)]
struct Checker {
    violations: Vec<Violation>,
    /// Every citation seen.
    citations: Vec<Cited>,
    /// The description's document ids (empty: citations name files freely).
    documents: HashSet<String>,
    /// The ids of documents published on the web: their quotes are not looked for in files.
    web_pages: HashSet<String>,
}

impl Checker {
    fn fail(&mut self, at: impl Into<String>, problem: impl Into<String>) {
        self.fail_rule(rules::CONTRACT, at, problem);
    }

    fn fail_rule(&mut self, rule: &'static str, at: impl Into<String>, problem: impl Into<String>) {
        self.violations.push(Violation {
            rule,
            at: at.into(),
            problem: problem.into(),
        });
    }

    fn require(&mut self, ok: bool, at: impl Into<String>, problem: impl Into<String>) {
        if !ok {
            self.fail(at, problem);
        }
    }

    fn require_rule(
        &mut self,
        rule: &'static str,
        ok: bool,
        at: impl Into<String>,
        problem: impl Into<String>,
    ) {
        if !ok {
            self.fail_rule(rule, at, problem);
        }
    }

    fn citation(&mut self, at: &str, citation: Option<&pb::Citation>) {
        match citation {
            None => self.fail(
                format!("{at}.citation"),
                "missing: every rule cites its source",
            ),
            Some(c) => {
                self.require(
                    !c.source.trim().is_empty(),
                    format!("{at}.citation.source"),
                    "empty: name the source file",
                );
                self.require(
                    self.documents.is_empty() || self.documents.contains(&c.source),
                    format!("{at}.citation.source"),
                    format!(
                        "{:?} is not one of the description's documents: add it there, or cite \
                         one by its id",
                        c.source
                    ),
                );
                self.require(
                    !c.section.trim().is_empty(),
                    format!("{at}.citation.section"),
                    "empty: name the section",
                );
                self.require_rule(
                    rules::QUOTE,
                    !c.quote.trim().is_empty(),
                    format!("{at}.citation.quote"),
                    "empty: quote the sentence the rule encodes, word for word",
                );
                self.citations.push(Cited {
                    at: at.to_owned(),
                    source: c.source.clone(),
                    quote: c.quote.clone(),
                });
            }
        }
    }

    fn unique<'a>(
        &mut self,
        at: &str,
        codes: impl IntoIterator<Item = &'a str>,
    ) -> HashSet<String> {
        self.unique_field(at, "code", codes)
    }

    /// Each of `values` (the `field` of the items at `at`) is non-empty and used once.
    fn unique_field<'a>(
        &mut self,
        at: &str,
        field: &str,
        values: impl IntoIterator<Item = &'a str>,
    ) -> HashSet<String> {
        let mut seen = HashSet::new();
        for (i, value) in values.into_iter().enumerate() {
            if value.trim().is_empty() {
                self.fail(format!("{at}[{i}].{field}"), "empty");
            } else if !seen.insert(value.to_owned()) {
                self.fail(
                    format!("{at}[{i}].{field}"),
                    format!("{value:?} is used twice"),
                );
            }
        }
        seen
    }

    fn description(&mut self, d: &AuthorityDescription) {
        self.require(
            is_gss_code(&d.code),
            "code",
            format!(
                "{:?} is not an ONS GSS code (a letter and eight digits)",
                d.code
            ),
        );
        self.require_rule(
            rules::PLACEHOLDER,
            !is_placeholder_code(&d.code),
            "code",
            format!(
                "{:?} is a placeholder: use the authority's ONS GSS code (`continuum plugins new \
                 --code`)",
                d.code
            ),
        );
        self.require(!d.name.trim().is_empty(), "name", "empty");
        self.require(
            d.nation != pb::Nation::Unspecified as i32,
            "nation",
            "unspecified",
        );
        self.require(!d.framework.trim().is_empty(), "framework", "empty");
        self.require(!d.plugin_name.trim().is_empty(), "plugin_name", "empty");
        self.require(
            is_semver(&d.plugin_version),
            "plugin_version",
            format!(
                "{:?} is not a semantic version (MAJOR.MINOR.PATCH)",
                d.plugin_version
            ),
        );
        self.require(
            !d.sources.is_empty() || !d.documents.is_empty(),
            "sources",
            "no source procedure is named: list the documents the rules come from",
        );
        for (i, s) in d.sources.iter().enumerate() {
            self.require(
                !s.source.trim().is_empty(),
                format!("sources[{i}].source"),
                "empty",
            );
        }
        self.documents =
            self.unique_field("documents", "id", d.documents.iter().map(|x| x.id.as_str()));
        for (i, doc) in d.documents.iter().enumerate() {
            let at = format!("documents[{i}]");
            self.require(!doc.title.trim().is_empty(), format!("{at}.title"), "empty");
            self.require(
                doc.url.is_empty()
                    || doc.url.starts_with("https://")
                    || doc.url.starts_with("http://"),
                format!("{at}.url"),
                format!("{:?} is not a web address (https://...)", doc.url),
            );
            for (field, date) in [("published", &doc.published), ("retrieved", &doc.retrieved)] {
                self.require(
                    date.is_empty() || time::parse_date(field, date).is_ok(),
                    format!("{at}.{field}"),
                    format!("{date:?} is not a date of the form YYYY-MM-DD"),
                );
            }
            self.require(
                !doc.url.is_empty() || !doc.reference.trim().is_empty(),
                format!("{at}.reference"),
                "give the document's web address (url) or a reference (a file name, a number)",
            );
            if !doc.url.is_empty() {
                self.require(
                    !doc.retrieved.is_empty(),
                    format!("{at}.retrieved"),
                    "empty: give the date you read the web page (it can change)",
                );
                self.web_pages.insert(doc.id.clone());
            }
        }
        for (i, s) in d.sources.iter().enumerate() {
            self.require(
                self.documents.is_empty() || self.documents.contains(&s.source),
                format!("sources[{i}].source"),
                format!("{:?} is not one of the description's documents", s.source),
            );
        }
        for (i, conflict) in d.conflicts.iter().enumerate() {
            let at = format!("conflicts[{i}]");
            self.require(
                !conflict.topic.trim().is_empty(),
                format!("{at}.topic"),
                "empty",
            );
            self.require(
                conflict.claims.len() >= 2,
                format!("{at}.claims"),
                "a conflict quotes at least two sources: what each says",
            );
            self.require(
                (conflict.followed as usize) < conflict.claims.len(),
                format!("{at}.followed"),
                "is not the index of one of the claims",
            );
            self.require(
                !conflict.reason.trim().is_empty(),
                format!("{at}.reason"),
                "empty: say why the plugin follows that source",
            );
            for (j, claim) in conflict.claims.iter().enumerate() {
                self.citation(&format!("{at}.claims[{j}]"), Some(claim));
                self.require(
                    !conflict.claims[..j].contains(claim),
                    format!("{at}.claims[{j}]"),
                    "the same claim twice: quote what each source says",
                );
            }
        }

        let roles = self.unique("roles", d.roles.iter().map(|r| r.code.as_str()));
        for (i, r) in d.roles.iter().enumerate() {
            self.require(
                !r.label.trim().is_empty(),
                format!("roles[{i}].label"),
                "empty",
            );
            self.citation(&format!("roles[{i}]"), r.citation.as_ref());
        }

        self.require(
            !d.levels.is_empty(),
            "levels",
            "an authority has at least one level of need",
        );
        let levels = self.unique("levels", d.levels.iter().map(|l| l.code.as_str()));
        for (i, l) in d.levels.iter().enumerate() {
            let at = format!("levels[{i}]");
            self.require(
                l.rank == i as u32 + 1,
                format!("{at}.rank"),
                format!(
                    "is {}, expected {} (levels are listed in order, ranked from 1)",
                    l.rank,
                    i + 1
                ),
            );
            self.require(!l.label.trim().is_empty(), format!("{at}.label"), "empty");
            self.require(
                !l.description.trim().is_empty(),
                format!("{at}.description"),
                "empty",
            );
            self.require(
                l.response != Response::Unspecified as i32,
                format!("{at}.response"),
                "unspecified",
            );
            if d.levels
                .iter()
                .enumerate()
                .any(|(j, other)| j != i && other.response == l.response)
            {
                self.require(
                    !l.response_text.trim().is_empty(),
                    format!("{at}.response_text"),
                    "another level has the same response: say in the text's words what this \
                     one's is",
                );
                self.require(
                    !d.levels.iter().enumerate().any(|(j, other)| {
                        j != i
                            && other.response == l.response
                            && other.response_text.trim() == l.response_text.trim()
                    }),
                    format!("{at}.response_text"),
                    "the same as another level's with the same response: say how they differ",
                );
            }
            if let Some(ages) = &l.ages {
                self.age_range(&format!("{at}.ages"), ages);
            }
            for code in &l.role_codes {
                self.require(
                    roles.contains(code),
                    format!("{at}.role_codes"),
                    format!("{code:?} is not a declared role"),
                );
            }
            self.citation(&at, l.citation.as_ref());
        }

        if let Some(a) = &d.age_range {
            self.age_range("age_range", a);
        } else {
            self.fail("age_range", "missing");
        }

        self.unique("indicators", d.indicators.iter().map(|x| x.code.as_str()));
        for (i, x) in d.indicators.iter().enumerate() {
            let at = format!("indicators[{i}]");
            self.require(
                levels.contains(&x.level_code),
                format!("{at}.level_code"),
                format!("{:?} is not a level", x.level_code),
            );
            self.require(
                pb::Domain::try_from(x.domain).is_ok(),
                format!("{at}.domain"),
                format!(
                    "{} is not a domain (unspecified: not domain-specific)",
                    x.domain
                ),
            );
            self.require(!x.text.trim().is_empty(), format!("{at}.text"), "empty");
            self.citation(&at, x.citation.as_ref());
        }

        self.require(!d.contact_points.is_empty(), "contact_points", "none");
        self.unique(
            "contact_points",
            d.contact_points.iter().map(|x| x.code.as_str()),
        );
        for (i, cp) in d.contact_points.iter().enumerate() {
            self.contact_point(&format!("contact_points[{i}]"), cp);
        }
        self.require_rule(
            rules::EMERGENCY_ROUTE,
            d.contact_points
                .iter()
                .any(|cp| cp.always_open && serves(cp, ContactPurpose::Emergency)),
            "contact_points",
            "no always-open emergency contact: declare the police on 999 for a child in \
             immediate danger, citing where the text says so",
        );

        self.unique("panels", d.panels.iter().map(|x| x.code.as_str()));
        for (i, p) in d.panels.iter().enumerate() {
            let at = format!("panels[{i}]");
            self.require(!p.name.trim().is_empty(), format!("{at}.name"), "empty");
            self.require(
                p.cadence != pb::Cadence::Unspecified as i32,
                format!("{at}.cadence"),
                "unspecified",
            );
            self.require(
                !p.decisions.is_empty(),
                format!("{at}.decisions"),
                "a panel takes at least one kind of decision",
            );
            self.unique(
                &format!("{at}.decisions"),
                p.decisions.iter().map(|x| x.code.as_str()),
            );
            for (j, o) in p.decisions.iter().enumerate() {
                self.require(
                    !o.label.trim().is_empty(),
                    format!("{at}.decisions[{j}].label"),
                    "empty",
                );
                self.citation(&format!("{at}.decisions[{j}]"), o.citation.as_ref());
                self.require(
                    o.effect != pb::PanelEffect::Unspecified as i32,
                    format!("{at}.decisions[{j}].effect"),
                    "unspecified: say whether it accepts, declines or defers",
                );
                self.require(
                    o.level_code.is_empty() || d.levels.iter().any(|l| l.code == o.level_code),
                    format!("{at}.decisions[{j}].level_code"),
                    format!("{:?} is not a level", o.level_code),
                );
            }
            self.citation(&at, p.citation.as_ref());
        }

        for (i, t) in d.timescales.iter().enumerate() {
            let at = format!("timescales[{i}]");
            self.require(
                t.event != CaseEvent::Unspecified as i32,
                format!("{at}.event"),
                "unspecified",
            );
            self.require(
                t.level_code.is_empty() || levels.contains(&t.level_code),
                format!("{at}.level_code"),
                format!("{:?} is not a level", t.level_code),
            );
            self.require(
                pb::Circumstance::try_from(t.only_if).is_ok(),
                format!("{at}.only_if"),
                format!("{} is not a circumstance", t.only_if),
            );
            for (j, dl) in t.deadlines.iter().enumerate() {
                self.deadline(&format!("{at}.deadlines[{j}]"), dl);
            }
        }

        self.unique("forms", d.forms.iter().map(|x| x.code.as_str()));
        for (i, f) in d.forms.iter().enumerate() {
            self.require(
                !f.name.trim().is_empty(),
                format!("forms[{i}].name"),
                "empty",
            );
            self.citation(&format!("forms[{i}]"), f.citation.as_ref());
        }
        for (i, g) in d.gaps.iter().enumerate() {
            self.require(
                !g.topic.trim().is_empty(),
                format!("gaps[{i}].topic"),
                "empty",
            );
        }
    }

    fn contact_point(&mut self, at: &str, cp: &pb::ContactPoint) {
        self.require(!cp.name.trim().is_empty(), format!("{at}.name"), "empty");
        self.require_rule(
            rules::PLACEHOLDER,
            !is_placeholder_phone(&cp.phone),
            format!("{at}.phone"),
            format!(
                "{:?} is a placeholder: give the number the source publishes, or none and \
                 how_to_reach",
                cp.phone
            ),
        );
        self.require(
            !(cp.phone.is_empty()
                && cp.email.is_empty()
                && cp.web_form.is_empty()
                && cp.how_to_reach.trim().is_empty()),
            at,
            "no phone, email, web form or how_to_reach: say how a caller reaches it",
        );
        self.require(
            !cp.purposes.is_empty(),
            format!("{at}.purposes"),
            "none: say what the line is for",
        );
        self.require(
            cp.always_open == cp.hours.is_empty(),
            format!("{at}.hours"),
            "give opening hours, or mark the line always open (not both)",
        );
        for (j, w) in cp.hours.iter().enumerate() {
            let wat = format!("{at}.hours[{j}]");
            self.require(
                w.weekday != Weekday::Unspecified as i32,
                format!("{wat}.weekday"),
                "unspecified",
            );
            self.window_times(&wat, &w.opens, &w.closes);
            match pb::BankHoliday::try_from(w.on_bank_holiday) {
                Ok(pb::BankHoliday::Unspecified) | Err(_) => self.fail_rule(
                    rules::BANK_HOLIDAY,
                    format!("{wat}.on_bank_holiday"),
                    "unspecified: say what the window does on a bank holiday (CLOSED for an \
                     office-hours line, OPEN_ALL_DAY for \"weekends and bank holidays\", \
                     AS_USUAL, or OPEN_THESE_HOURS), citing the text, or record a Gap where it \
                     is silent",
                ),
                Ok(pb::BankHoliday::OpenTheseHours) => self.window_times(
                    &format!("{wat}.bank_holiday_opens"),
                    &w.bank_holiday_opens,
                    &w.bank_holiday_closes,
                ),
                Ok(_) => self.require(
                    w.bank_holiday_opens.is_empty() && w.bank_holiday_closes.is_empty(),
                    format!("{wat}.bank_holiday_opens"),
                    "bank-holiday hours are only for OPEN_THESE_HOURS",
                ),
            }
        }
        if let Some(ages) = &cp.ages {
            self.age_range(&format!("{at}.ages"), ages);
        }
        self.citation(at, cp.citation.as_ref());
    }

    /// A window's edges: "HH:MM" opening, "HH:MM" (or "24:00") closing; a close at or before the
    /// opening runs past midnight.
    fn window_times(&mut self, at: &str, opens: &str, closes: &str) {
        let valid = time::minute_of_day(opens).is_some_and(|m| m < 24 * 60)
            && time::minute_of_day(closes).is_some();
        self.require(
            valid,
            at,
            format!(
                "{opens:?}-{closes:?} is not HH:MM-HH:MM (closing at 24:00 is the end of the day; \
                 closing at or before the opening runs past midnight)"
            ),
        );
    }

    fn age_range(&mut self, at: &str, a: &pb::AgeRange) {
        self.require(
            a.max_age_years >= a.min_age_years,
            format!("{at}.max_age_years"),
            "below min_age_years",
        );
        self.require(
            !a.serves_unborn || a.unborn_from_gestation_weeks <= 42,
            format!("{at}.unborn_from_gestation_weeks"),
            "must be 1-42 (or 0 for \"pre-birth\" with no week given)",
        );
        for (i, e) in a.extensions.iter().enumerate() {
            self.require(
                e.max_age_years > a.max_age_years,
                format!("{at}.extensions[{i}]"),
                "does not extend the range",
            );
            self.require(
                pb::Circumstance::try_from(e.circumstance).is_ok(),
                format!("{at}.extensions[{i}].circumstance"),
                format!("{} is not a circumstance", e.circumstance),
            );
            self.citation(&format!("{at}.extensions[{i}]"), e.citation.as_ref());
        }
        self.citation(at, a.citation.as_ref());
    }

    fn deadline(&mut self, at: &str, dl: &pb::Deadline) {
        self.require(!dl.code.trim().is_empty(), format!("{at}.code"), "empty");
        self.span(&format!("{at}.due_in"), dl.due_in.as_ref(), true);
        self.span(
            &format!("{at}.repeat_every"),
            dl.repeat_every.as_ref(),
            false,
        );
        self.span(&format!("{at}.at_most"), dl.at_most.as_ref(), false);
        self.require(
            !dl.met_by.is_empty(),
            format!("{at}.met_by"),
            "empty: name the case events that meet this deadline, as the text says",
        );
        for (i, e) in dl.met_by.iter().enumerate() {
            self.require(
                CaseEvent::try_from(*e).is_ok_and(|e| e != CaseEvent::Unspecified),
                format!("{at}.met_by[{i}]"),
                format!("{e} is not a case event"),
            );
        }
        self.citation(at, dl.citation.as_ref());
    }

    fn span(&mut self, at: &str, span: Option<&pb::Span>, required: bool) {
        match span {
            None if required => self.fail(at, "missing"),
            None => {}
            Some(s) => {
                self.require(
                    s.amount > 0,
                    format!("{at}.amount"),
                    "timescales are positive",
                );
                self.require(
                    s.unit != TimeUnit::Unspecified as i32,
                    format!("{at}.unit"),
                    "unspecified",
                );
            }
        }
    }

    fn outcomes(&mut self, at: &str, outcomes: &[pb::RuleOutcome]) {
        for (i, o) in outcomes.iter().enumerate() {
            self.require(
                !o.rule_id.trim().is_empty(),
                format!("{at}[{i}].rule_id"),
                "empty",
            );
            self.require(
                !o.text.trim().is_empty(),
                format!("{at}[{i}].text"),
                "empty",
            );
            self.citation(&format!("{at}[{i}]"), o.citation.as_ref());
        }
    }

    /// What every routing answer must be: a declared contact point, an always-open emergency
    /// alternative, open or closed as its own hours say at that time (bank holidays included),
    /// the next opening its hours give, a channel the contact point offers, follow-ups that are
    /// well-formed deadlines, and every reason cited.
    fn routed(
        &mut self,
        at: &str,
        request: &pb::ContactRequest,
        answer: &pb::ContactAnswer,
        contacts: &[pb::ContactPoint],
    ) {
        let purpose = request.purpose;
        if answer.contact.is_none() {
            self.fail(format!("{at}.contact"), "missing");
        }
        // Each contact the answer names is a declared one, with the hours it was declared with:
        // the hours the answer is checked against are the description's.
        for (field, given) in [
            ("contact", &answer.contact),
            ("out_of_hours", &answer.out_of_hours),
        ] {
            let Some(c) = given else { continue };
            match contacts.iter().find(|d| d.code == c.code) {
                None => self.fail(
                    format!("{at}.{field}"),
                    format!("{:?} is not a declared contact point", c.code),
                ),
                Some(d) => self.require(
                    d.hours == c.hours && d.always_open == c.always_open,
                    format!("{at}.{field}"),
                    format!(
                        "{} is given with other hours than the description declares: return \
                         the declared contact point",
                        c.code
                    ),
                ),
            }
        }
        if purpose != ContactPurpose::Emergency as i32
            && let (Some(c), Some(e)) = (&answer.contact, &answer.emergency)
        {
            self.require(
                c.code != e.code,
                format!("{at}.contact"),
                "a purpose that is not an emergency is sent to the emergency line: name the team \
                 the text names, with how_to_reach when it gives no number",
            );
        }
        match &answer.emergency {
            Some(c) => self.require_rule(
                rules::EMERGENCY_ROUTE,
                c.always_open,
                format!("{at}.emergency"),
                "the emergency alternative must always be open",
            ),
            None => self.fail_rule(
                rules::EMERGENCY_ROUTE,
                format!("{at}.emergency"),
                "missing: always say what to do in an emergency",
            ),
        }
        if let (Some(c), Ok(t)) = (
            &answer.contact,
            time::parse_date_time("local_time", &request.local_time),
        ) {
            let closed = time::ClosedDates::of(request, t).unwrap_or_default();
            let holiday = closed.contains(t.date());
            let rule = if holiday {
                rules::BANK_HOLIDAY
            } else {
                rules::CONTRACT
            };
            let open = c.always_open || time::is_open(&c.hours, t, &closed);
            self.require_rule(
                rule,
                answer.open_now == open,
                format!("{at}.open_now"),
                format!(
                    "is {} but {}'s hours say it is {}{}: use time::is_open(hours, at, \
                     &time::ClosedDates::of(request, at)?)",
                    answer.open_now,
                    c.code,
                    if open { "open" } else { "closed" },
                    if holiday { " on this bank holiday" } else { "" },
                ),
            );
            if !answer.open_now && !c.always_open {
                let next = time::next_opening(&c.hours, t, &closed).map(time::format_date_time);
                self.require_rule(
                    rule,
                    next.as_deref() == Some(answer.next_opening.as_str()),
                    format!("{at}.next_opening"),
                    format!(
                        "is {:?} but {}'s hours next open at {:?}: use time::next_opening with \
                         time::ClosedDates::of(request, at)?",
                        answer.next_opening,
                        c.code,
                        next.unwrap_or_default()
                    ),
                );
            }
            let offered = match pb::Channel::try_from(answer.channel) {
                Ok(pb::Channel::Unspecified) | Ok(pb::Channel::Other) => true,
                Ok(pb::Channel::Phone) => !c.phone.is_empty(),
                Ok(pb::Channel::Email) => !c.email.is_empty(),
                Ok(pb::Channel::WebForm) => !c.web_form.is_empty(),
                Err(_) => false,
            };
            self.require(
                offered,
                format!("{at}.channel"),
                format!(
                    "{} does not offer that channel (no number, email or form)",
                    c.code
                ),
            );
        }
        for (i, dl) in answer.follow_ups.iter().enumerate() {
            self.deadline(&format!("{at}.follow_ups[{i}]"), dl);
        }
        self.outcomes(&format!("{at}.reasons"), &answer.reasons);
    }

    fn answer<T>(&mut self, at: &str, result: Result<T, PluginError>) -> Option<T> {
        match result {
            Ok(t) => Some(t),
            Err(e) => {
                self.fail(at, format!("no answer to a valid probe: {e}"));
                None
            }
        }
    }

    fn probes(&mut self, a: &dyn Authority, d: &AuthorityDescription) {
        let levels: HashSet<&str> = d.levels.iter().map(|l| l.code.as_str()).collect();
        let contacts = &d.contact_points;
        let child = Some(ChildAge {
            years: 8,
            ..Default::default()
        });

        // Thresholds: nothing known, every indicator on its own, all of them, immediate risk.
        let mut threshold_probes = vec![(
            "assess_threshold(no concerns)".to_owned(),
            pb::ThresholdRequest {
                age: child,
                consent: Consent::GivenVerbally as i32,
                ..Default::default()
            },
        )];
        for x in &d.indicators {
            threshold_probes.push((
                format!("assess_threshold({})", x.code),
                pb::ThresholdRequest {
                    concerns: vec![Concern {
                        indicator_code: x.code.clone(),
                        text: String::new(),
                        domain: x.domain,
                    }],
                    age: child,
                    consent: Consent::GivenInWriting as i32,
                    ..Default::default()
                },
            ));
        }
        threshold_probes.push((
            "assess_threshold(every indicator)".to_owned(),
            pb::ThresholdRequest {
                concerns: d
                    .indicators
                    .iter()
                    .map(|x| Concern {
                        indicator_code: x.code.clone(),
                        text: String::new(),
                        domain: x.domain,
                    })
                    .collect(),
                age: child,
                consent: Consent::Refused as i32,
                significant_harm_suspected: true,
                ..Default::default()
            },
        ));
        for (at, request) in threshold_probes {
            if let Some(answer) = self.answer(&at, a.assess_threshold(&request)) {
                if request.significant_harm_suspected {
                    self.require_rule(
                        rules::CONSENT_AND_HARM,
                        answer
                            .consent
                            .as_ref()
                            .is_none_or(|c| !c.required || c.may_proceed_without),
                        format!("{at}.consent"),
                        "consent is demanded although significant harm is suspected: the child's \
                         safety comes first (may_proceed_without, with the reason recorded)",
                    );
                }
                self.require(
                    levels.contains(answer.recommended_level.as_str()),
                    format!("{at}.recommended_level"),
                    format!("{:?} is not a level", answer.recommended_level),
                );
                self.require(
                    !answer.reasons.is_empty(),
                    format!("{at}.reasons"),
                    "a recommendation gives its reasons",
                );
                self.outcomes(&format!("{at}.reasons"), &answer.reasons);
            }
        }
        let at = "assess_threshold(immediate risk)";
        let request = pb::ThresholdRequest {
            immediate_risk: true,
            age: child,
            ..Default::default()
        };
        if let Some(answer) = self.answer(at, a.assess_threshold(&request)) {
            self.require_rule(
                rules::IMMEDIATE_RISK,
                answer.response == Response::Emergency as i32,
                format!("{at}.response"),
                "a child at immediate risk calls for the emergency response (police on 999)",
            );
            self.outcomes(&format!("{at}.reasons"), &answer.reasons);
        }
        let at = "assess_threshold(unknown indicator)";
        let request = pb::ThresholdRequest {
            concerns: vec![Concern {
                indicator_code: "NO-SUCH-INDICATOR".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        match a.assess_threshold(&request) {
            Err(PluginError::InvalidRequest { .. }) => {}
            Err(PluginError::Failed(e)) => {
                self.fail(at, format!("failed instead of refusing the request: {e}"))
            }
            Ok(_) => self.fail(
                at,
                "accepted an indicator code that is not in the catalogue",
            ),
        }

        // Contact routing: every purpose at each probe time, and on a bank holiday: Monday 28
        // December 2026 (Boxing Day's substitute in England and Wales), with Friday 1 January
        // 2027 ahead.
        let bank_holiday = ["2026-12-28".to_owned(), "2027-01-01".to_owned()];
        for purpose in [
            ContactPurpose::Advice,
            ContactPurpose::EarlyHelpRequest,
            ContactPurpose::SafeguardingReferral,
            ContactPurpose::Emergency,
        ] {
            // The bank holiday's daytime, and the night after it (a window that opened on the
            // bank holiday runs past midnight).
            let times = PROBE_TIMES.iter().map(|t| (*t, false));
            let holidays = [("2026-12-28T11:00:00", true), ("2026-12-29T02:00:00", true)];
            for (local_time, holiday) in times.chain(holidays) {
                let today = holiday && local_time.starts_with("2026-12-28");
                let at = format!(
                    "route_contact({}, {local_time}{})",
                    purpose.as_str_name(),
                    match (holiday, today) {
                        (false, _) => "",
                        (true, true) => ", bank holiday",
                        (true, false) => ", the night after a bank holiday",
                    }
                );
                let request = pb::ContactRequest {
                    purpose: purpose as i32,
                    local_time: local_time.into(),
                    public_holiday: today,
                    closed_dates: if holiday {
                        bank_holiday.to_vec()
                    } else {
                        vec![]
                    },
                    ..Default::default()
                };
                let Some(answer) = self.answer(&at, a.route_contact(&request)) else {
                    continue;
                };
                self.routed(&at, &request, &answer, contacts);
                if purpose == ContactPurpose::SafeguardingReferral
                    && (holiday || OUT_OF_HOURS.contains(&local_time))
                {
                    // Open itself, or an out-of-hours alternative open at that time.
                    let open = time::parse_date_time("local_time", local_time).is_ok_and(|t| {
                        let closed = time::ClosedDates::of(&request, t).unwrap_or_default();
                        let open_at = |c: &pb::ContactPoint| {
                            c.always_open || time::is_open(&c.hours, t, &closed)
                        };
                        answer.open_now
                            || answer.contact.as_ref().is_some_and(|c| c.always_open)
                            || answer.out_of_hours.as_ref().is_some_and(open_at)
                    });
                    self.require_rule(
                        rules::OUT_OF_HOURS,
                        open,
                        format!("{at}.open_now"),
                        "a safeguarding referral at night, at the weekend or on a bank holiday \
                         reaches no open line: route it to the out-of-hours (emergency duty) team \
                         the text names (with its bank-holiday hours), or record a Gap and an \
                         always-open line saying how to reach one",
                    );
                }
            }
        }
        // What the caller says and knows: urgency and the child's history with the authority.
        let histories = [
            None,
            Some(pb::CaseHistory {
                open_case: true,
                open_level: d.levels.last().map(|l| l.code.clone()).unwrap_or_default(),
                ..Default::default()
            }),
            Some(pb::CaseHistory {
                closed_case: true,
                days_since_closed: 30,
                ..Default::default()
            }),
        ];
        for purpose in [
            ContactPurpose::EarlyHelpRequest,
            ContactPurpose::SafeguardingReferral,
        ] {
            for urgency in [pb::Urgency::Urgent, pb::Urgency::NotUrgent] {
                for history in &histories {
                    let at = format!(
                        "route_contact({}, {}, {})",
                        purpose.as_str_name(),
                        urgency.as_str_name(),
                        match history {
                            None => "history unknown",
                            Some(h) if h.open_case => "open case",
                            Some(_) => "closed 30 days ago",
                        }
                    );
                    let request = pb::ContactRequest {
                        purpose: purpose as i32,
                        local_time: PROBE_TIMES[0].into(),
                        urgency: urgency as i32,
                        history: history.clone(),
                        age: child,
                        ..Default::default()
                    };
                    if let Some(answer) = self.answer(&at, a.route_contact(&request)) {
                        self.routed(&at, &request, &answer, contacts);
                    }
                }
            }
        }
        let at = "route_contact(bad local_time)";
        let request = pb::ContactRequest {
            purpose: ContactPurpose::Advice as i32,
            local_time: "soon".into(),
            ..Default::default()
        };
        self.require(
            matches!(
                a.route_contact(&request),
                Err(PluginError::InvalidRequest { .. })
            ),
            at,
            "a malformed local_time must be refused as an invalid request",
        );

        // Panels: each panel from a Monday and a Thursday.
        for p in &d.panels {
            for on_or_after in ["2026-11-23", "2026-11-26"] {
                let at = format!("next_panel({}, {on_or_after})", p.code);
                let request = pb::PanelRequest {
                    panel_code: p.code.clone(),
                    on_or_after: on_or_after.into(),
                };
                let Some(answer) = self.answer(&at, a.next_panel(&request)) else {
                    continue;
                };
                if p.weekday != Weekday::Unspecified as i32 {
                    match time::parse_date("next_sitting", &answer.next_sitting) {
                        Ok(date) => {
                            self.require(
                                time::weekday_of(date) as i32 == p.weekday,
                                format!("{at}.next_sitting"),
                                "not on the panel's weekday",
                            );
                            self.require(
                                time::format_date(date).as_str() >= on_or_after,
                                format!("{at}.next_sitting"),
                                "before the date asked for",
                            );
                        }
                        Err(_) => self.fail(
                            format!("{at}.next_sitting"),
                            format!("{:?} is not a date", answer.next_sitting),
                        ),
                    }
                } else {
                    self.require(
                        !answer.note.trim().is_empty() || !answer.next_sitting.is_empty(),
                        format!("{at}.note"),
                        "no date and no note saying why",
                    );
                }
            }
        }

        // Timescales: every case event at every level.
        for event in (1..=19).filter_map(|e| CaseEvent::try_from(e).ok()) {
            for level in &d.levels {
                let at = format!("timescales({}, {})", event.as_str_name(), level.code);
                for age in [
                    child,
                    Some(ChildAge {
                        unborn: true,
                        gestation_weeks: 30,
                        ..Default::default()
                    }),
                ] {
                    let request = pb::TimescaleRequest {
                        event: event as i32,
                        level_code: level.code.clone(),
                        age,
                    };
                    if let Some(answer) = self.answer(&at, a.timescales(&request)) {
                        for (i, dl) in answer.deadlines.iter().enumerate() {
                            self.deadline(&format!("{at}.deadlines[{i}]"), dl);
                        }
                    }
                }
            }
        }

        // Transitions: each kind between neighbouring levels, with and without the usual facts.
        let held = vec![
            MeetingKind::TeamMeeting as i32,
            MeetingKind::Review as i32,
            MeetingKind::FinalMeeting as i32,
        ];
        for pair in d.levels.windows(2) {
            let (lower, upper) = (&pair[0].code, &pair[1].code);
            let probes = [
                (TransitionKind::StepUp, lower.clone(), upper.clone()),
                (TransitionKind::StepDown, upper.clone(), lower.clone()),
                (TransitionKind::StepAcross, upper.clone(), upper.clone()),
                (TransitionKind::Close, upper.clone(), String::new()),
                (TransitionKind::TransferIn, String::new(), upper.clone()),
            ];
            for (kind, current, target) in probes {
                for (days_open, consent, meetings) in [
                    (0, Consent::NotSought, vec![]),
                    (120, Consent::GivenInWriting, held.clone()),
                ] {
                    let at = format!(
                        "check_transition({}, {current:?} -> {target:?}, {days_open} days)",
                        kind.as_str_name()
                    );
                    let request = pb::TransitionRequest {
                        kind: kind as i32,
                        current_level: current.clone(),
                        target_level: target.clone(),
                        days_open,
                        consent: consent as i32,
                        forms_completed: d.forms.iter().map(|f| f.code.clone()).collect(),
                        meetings_held: meetings,
                        from_authority: if kind == TransitionKind::TransferIn {
                            "E99999999".into()
                        } else {
                            String::new()
                        },
                        age: child,
                        ..Default::default()
                    };
                    let Some(answer) = self.answer(&at, a.check_transition(&request)) else {
                        continue;
                    };
                    self.require(
                        answer.allowed || !answer.unmet.is_empty(),
                        format!("{at}.unmet"),
                        "refused without naming an unmet condition",
                    );
                    self.require(
                        !answer.allowed || answer.unmet.is_empty(),
                        format!("{at}.unmet"),
                        "allowed although conditions are unmet",
                    );
                    self.require(
                        answer.resulting_level.is_empty()
                            || levels.contains(answer.resulting_level.as_str()),
                        format!("{at}.resulting_level"),
                        format!("{:?} is not a level", answer.resulting_level),
                    );
                    self.require(
                        !answer.rules_applied.is_empty(),
                        format!("{at}.rules_applied"),
                        "no rule was checked",
                    );
                    self.outcomes(&format!("{at}.unmet"), &answer.unmet);
                    self.outcomes(&format!("{at}.rules_applied"), &answer.rules_applied);
                    for (i, u) in answer.unmet.iter().enumerate() {
                        self.require(
                            u.decided_by != pb::Decider::Panel as i32
                                || u.panel_code.is_empty()
                                || d.panels.iter().any(|p| p.code == u.panel_code),
                            format!("{at}.unmet[{i}].panel_code"),
                            format!("{:?} is not a declared panel", u.panel_code),
                        );
                    }
                }
            }
        }
        let at = "check_transition(unknown level)";
        let request = pb::TransitionRequest {
            kind: TransitionKind::StepUp as i32,
            current_level: "NO-SUCH-LEVEL".into(),
            target_level: "NO-SUCH-LEVEL-EITHER".into(),
            ..Default::default()
        };
        self.require(
            matches!(
                a.check_transition(&request),
                Err(PluginError::InvalidRequest { .. })
            ),
            at,
            "an unknown level must be refused as an invalid request",
        );
    }
}

fn serves(cp: &pb::ContactPoint, purpose: ContactPurpose) -> bool {
    cp.purposes.contains(&(purpose as i32))
}

/// An ONS GSS code: one of E, W, S, N and eight digits.
pub fn is_gss_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.len() == 9
        && matches!(bytes[0], b'E' | b'W' | b'S' | b'N')
        && bytes[1..].iter().all(u8::is_ascii_digit)
}

fn is_semver(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_match_their_sources_as_text() {
        assert_eq!(
            words("call **01274 437500**\n  or [437685](tel:01274437685), it\u{2019}s *open*"),
            "call 01274 437500 or 437685, it's open"
        );
        assert_eq!(unlink("a [b] c [d](e) [f](g"), "a [b] c d [f](g");
    }

    #[test]
    fn placeholders() {
        assert!(is_placeholder_code("E99999999"));
        assert!(is_placeholder_code("W00000000"));
        assert!(!is_placeholder_code("E10000034"));
        assert!(is_placeholder_phone("01000 000000"));
        assert!(is_placeholder_phone("0123 000 0000"));
        assert!(!is_placeholder_phone("01274 433999"));
        assert!(!is_placeholder_phone("999"));
    }

    #[test]
    fn gss_codes() {
        assert!(is_gss_code("E10000034"));
        assert!(is_gss_code("W06000010"));
        assert!(!is_gss_code("E1000003"));
        assert!(!is_gss_code("X10000034"));
    }

    #[test]
    fn versions() {
        assert!(is_semver("1.0.0"));
        assert!(is_semver("0.3.12-rc.1"));
        assert!(!is_semver("1.0"));
        assert!(!is_semver(""));
    }
}
