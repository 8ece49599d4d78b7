//! Runs the Torbay scenario table (`tests/scenarios/torbay.rs` at the workspace root) against
//! the plugin through the `Authority` trait.

#[allow(dead_code)]
#[path = "../../../tests/scenarios/mod.rs"]
mod scenarios;

use continuum_authority_torbay::Torbay;

const SOURCE: &str = "shared/seeds/003_36c46301cae4322f.txt";

#[test]
fn torbay_scenarios_pass() {
    let table = scenarios::torbay::SCENARIOS;
    assert!(table.len() >= 20, "only {} scenarios", table.len());
    let failures = scenarios::run_on_trait(&Torbay, table);
    for f in &failures {
        println!("{f}");
    }
    assert!(failures.is_empty(), "{} scenario(s) failed", failures.len());
}

/// Every row has its own name and cites the Torbay text as `<file>, <section>: "<quote>"`; the
/// quote is in the text word for word when the text is beside the repository.
#[test]
fn torbay_scenarios_cite_the_text() {
    let table = scenarios::torbay::SCENARIOS;
    let mut names = std::collections::HashSet::new();
    let text = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(3)
        .and_then(|beside| std::fs::read_to_string(beside.join(SOURCE)).ok())
        .map(|t| words(&t));
    for s in table {
        assert!(names.insert(s.name), "{} is used twice", s.name);
        let rest = s
            .cites
            .strip_prefix(SOURCE)
            .and_then(|r| r.strip_prefix(", "));
        let quote = rest
            .and_then(|r| r.split_once(": \""))
            .and_then(|(_, q)| q.strip_suffix('"'));
        let Some(quote) = quote else {
            panic!(
                "{}: {:?} is not `{SOURCE}, <section>: \"<quote>\"`",
                s.name, s.cites
            );
        };
        if let Some(text) = &text {
            assert!(
                text.contains(&words(quote)),
                "{}: {quote:?} is not in the text",
                s.name
            );
        }
    }
}

/// Whitespace runs as one space (the text's no-break spaces included).
fn words(s: &str) -> String {
    s.replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
