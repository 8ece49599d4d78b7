//! The SDK's conformance check, and the shape of the description.

use continuum_authority_worcestershire::Worcestershire;
use continuum_plugin_api::Authority;
use continuum_plugin_api::conformance::check;
use continuum_plugin_api::pb::{Domain, Nation, Response};

#[test]
fn passes_the_conformance_check() {
    let violations = check(&Worcestershire);
    for v in &violations {
        println!("{v}");
    }
    assert!(violations.is_empty(), "{} violations", violations.len());
}

#[test]
fn describes_worcestershire() {
    let d = Worcestershire.describe();
    assert_eq!(d.code, "E10000034");
    assert_eq!(d.name, "Worcestershire");
    assert_eq!(d.nation, Nation::England as i32);
    assert_eq!(d.framework, "Multi Agency Levels of Need");
    assert_eq!(d.plugin_name, "continuum-authority-worcestershire");
    assert_eq!(d.plugin_version, env!("CARGO_PKG_VERSION"));
    let levels: Vec<(&str, &str, i32)> = d
        .levels
        .iter()
        .map(|l| (l.code.as_str(), l.label.as_str(), l.response))
        .collect();
    assert_eq!(
        levels,
        [
            ("L1", "Universal Services", Response::Universal as i32),
            (
                "L2",
                "Additional Support",
                Response::AdditionalSupport as i32
            ),
            ("L3", "Targeted Support", Response::TargetedEarlyHelp as i32),
            (
                "L4",
                "Statutory Social Work Intervention",
                Response::StatutorySocialCare as i32
            ),
        ]
    );
    // Every citation names the one source text, never an absolute path.
    let sources: Vec<&str> = d
        .indicators
        .iter()
        .filter_map(|x| x.citation.as_ref())
        .map(|c| c.source.as_str())
        .collect();
    assert!(
        sources
            .iter()
            .all(|s| *s == "shared/seeds/001_e8fa8c619eac9618.txt")
    );
}

/// Appendix 1 in full: 30 examples at level 1, 39 at level 2, 45 at level 3, 59 at level 4.
#[test]
fn the_indicator_catalogue_is_complete() {
    let d = Worcestershire.describe();
    let count = |level: &str| {
        d.indicators
            .iter()
            .filter(|x| x.level_code == level)
            .count()
    };
    assert_eq!(
        [count("L1"), count("L2"), count("L3"), count("L4")],
        [30, 39, 45, 59]
    );
    // Every level's table covers the three sides of the triangle.
    for level in ["L1", "L2", "L3", "L4"] {
        for domain in [
            Domain::ChildDevelopmentalNeeds,
            Domain::ParentingCapacity,
            Domain::FamilyAndEnvironmentalFactors,
        ] {
            assert!(
                d.indicators
                    .iter()
                    .any(|x| x.level_code == level && x.domain == domain as i32),
                "{level} has no {domain:?} example"
            );
        }
    }
    // Spot checks, one per level, against the text.
    let text = |code: &str| {
        d.indicators
            .iter()
            .find(|x| x.code == code)
            .map(|x| x.text.as_str())
    };
    assert_eq!(
        text("WOR-L1-HEALTH-01"),
        Some("Meeting development milestones, including speech and language")
    );
    assert_eq!(
        text("WOR-L2-HOUSING-02"),
        Some("Poor housing / home conditions")
    );
    assert_eq!(
        text("WOR-L3-HEALTH-02"),
        Some("Has some chronic / recurring health problems or terminal illness")
    );
    assert_eq!(
        text("WOR-L4-FAMILY-06"),
        Some("Toxic trio: mental health, drugs/alcohol and domestic abuse")
    );
}
