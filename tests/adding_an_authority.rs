//! Follows the guide in crates/plugin-api/README.md mechanically, so it cannot rot: create a
//! plugin with `continuum plugins new` outside the repository, see the check refuse only the
//! template's placeholders, fill them in, build it on its own, pass the conformance check, drop
//! the library into a plugins directory beside the four shipped authorities, start the server,
//! and call the new authority through the public API.

use std::path::{Path, PathBuf};
use std::process::Command;

use continuum::config::{KeySource, ServerConfig};
use continuum::pb;
use continuum_plugin_api::pb::{
    CaseEvent, CaseHistory, Channel, ChildAge, Concern, ContactPurpose, ThresholdRequest, Urgency,
};

use crate::server::{SECRET, as_practitioner};
use crate::support::{AUTHORITY_PLUGINS, library, plugin_dir, plugin_file_name};

const NEW_CODE: &str = "E06000099";
const NEW_NAME: &str = "Newshire";

fn replace(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.contains(from),
        "{} no longer contains {from:?}: update the guide and this test",
        path.display()
    );
    std::fs::write(path, text.replace(from, to)).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_guide_adds_an_authority_without_touching_the_core() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().unwrap();

    // Step 1: create the plugin crate from the template, outside the repository.
    let created = Command::new(env!("CARGO_BIN_EXE_continuum"))
        .args(["plugins", "new", "newshire", "--code", NEW_CODE])
        .args(["--nation", "england", "--display-name", NEW_NAME, "--dir"])
        .arg(work.path())
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let crate_dir = work.path().join("continuum-authority-newshire");
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"continuum_authority_newshire\""));
    let sdk = root.join("crates/plugin-api");
    assert!(
        manifest.contains(&format!("path = {:?}", sdk.display().to_string())),
        "outside the repository the SDK is found by its full path:\n{manifest}"
    );
    let readme = std::fs::read_to_string(crate_dir.join("README.md")).unwrap();
    for rule in [
        "PLACEHOLDER",
        "QUOTE",
        "EMERGENCY-ROUTE",
        "OUT-OF-HOURS",
        "IMMEDIATE-RISK",
        "CONSENT-AND-HARM",
        "BANK-HOLIDAY",
    ] {
        assert!(readme.contains(rule), "the README's checklist names {rule}");
    }
    let lib = crate_dir.join("src/lib.rs");
    let source = std::fs::read_to_string(&lib).unwrap();
    assert!(source.contains(&format!("pub const CODE: &str = \"{NEW_CODE}\";")));
    assert!(source.contains(&format!("pub const NAME: &str = \"{NEW_NAME}\";")));
    let target_dir = plugin_dir().parent().unwrap().join("guide-test");
    let cargo = |args: &[&str]| {
        let status = Command::new(env!("CARGO"))
            .current_dir(&crate_dir)
            .args(args)
            .arg("--target-dir")
            .arg(&target_dir)
            .env_remove("RUSTFLAGS")
            .status()
            .unwrap();
        assert!(status.success(), "cargo {args:?} failed for the new plugin");
    };
    let built: PathBuf = target_dir
        .join("release")
        .join(plugin_file_name("newshire"));
    let check = || {
        Command::new(env!("CARGO_BIN_EXE_continuum"))
            .args(["plugins", "check"])
            .arg(&built)
            .output()
            .unwrap()
    };
    // As made, it builds, and the check refuses only the template's placeholder numbers.
    cargo(&["build", "--release", "--quiet"]);
    let output = check();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{stdout}");
    let problems: Vec<&str> = stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("- "))
        .collect();
    assert!(!problems.is_empty(), "{stdout}");
    assert!(
        problems
            .iter()
            .all(|l| l.contains("[PLACEHOLDER]") && l.contains(".phone")),
        "{stdout}"
    );

    // Step 2: fill in the procedures (here: its published numbers, in place of the template's
    // placeholders).
    // Every placeholder number, wherever the template uses it (a phone, a quote, how_to_reach).
    let template = std::fs::read_to_string(&lib).unwrap();
    let placeholders: Vec<String> = (0..10)
        .map(|n| format!("01000 00000{n}"))
        .filter(|p| template.contains(p.as_str()))
        .collect();
    assert!(
        !placeholders.is_empty(),
        "the template has placeholder numbers"
    );
    for p in &placeholders {
        replace(&lib, p, &p.replace("01000 00000", "01234 56789"));
    }

    // Step 3: test and build it on its own (its own workspace; the core is not rebuilt).
    cargo(&["test", "--quiet"]);
    cargo(&["build", "--release", "--quiet"]);
    assert!(built.is_file(), "{} was not built", built.display());

    // Step 4: the service's conformance check passes it.
    let output = check();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains(&format!("PASS {NEW_CODE} {NEW_NAME}")),
        "{stdout}"
    );

    // Step 5: drop it into the plugins directory beside the shipped authorities, and restart.
    let plugins = work.path().join("plugins");
    std::fs::create_dir_all(&plugins).unwrap();
    for lib_name in AUTHORITY_PLUGINS {
        std::fs::copy(
            library(lib_name),
            plugins.join(library(lib_name).file_name().unwrap()),
        )
        .unwrap();
    }
    std::fs::copy(&built, plugins.join(plugin_file_name("newshire"))).unwrap();
    let server = continuum::start(&ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: format!("sqlite://{}", work.path().join("continuum.db").display()),
        plugins_dir: plugins,
        keys: KeySource::Secret(SECRET.to_vec()),
        calendar_file: None,
        ..Default::default()
    })
    .await
    .unwrap();

    let channel = tonic::transport::Channel::from_shared(format!("http://{}", server.addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut authorities =
        pb::authority_service_client::AuthorityServiceClient::new(channel.clone());
    let listed = authorities
        .list_authorities(as_practitioner(NEW_CODE, pb::ListAuthoritiesRequest {}))
        .await
        .unwrap()
        .into_inner()
        .authorities;
    let mut names: Vec<String> = listed.iter().map(|a| a.name.clone()).collect();
    names.sort();
    assert_eq!(names.len(), AUTHORITY_PLUGINS.len() + 1, "{names:?}");
    assert!(
        names.contains(&format!("authorities/{NEW_CODE}")),
        "{names:?}"
    );

    let d = listed
        .into_iter()
        .find(|a| a.name.ends_with(NEW_CODE))
        .unwrap()
        .description
        .unwrap();
    assert_eq!(d.name, NEW_NAME);
    assert_eq!(d.plugin_name, "continuum-authority-newshire");
    let decision = authorities
        .assess_threshold(as_practitioner(
            NEW_CODE,
            pb::AssessThresholdRequest {
                authority: format!("authorities/{NEW_CODE}"),
                request: Some(ThresholdRequest {
                    concerns: vec![Concern {
                        indicator_code: d.indicators[2].code.clone(),
                        ..Default::default()
                    }],
                    ..Default::default()
                }),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        decision.decision.unwrap().recommended_level,
        d.indicators[2].level_code
    );
    assert_eq!(
        decision.plugin.unwrap().name,
        "continuum-authority-newshire"
    );

    // What protocol v4 lets the template say, through the public API: an urgent referral by
    // phone, with its follow-up due one working day after the call (Monday 23 November 2026,
    // 10:00 UTC, to Tuesday 10:00).
    let route = |urgency: Urgency, history: Option<CaseHistory>| pb::RouteContactRequest {
        authority: format!("authorities/{NEW_CODE}"),
        purpose: ContactPurpose::SafeguardingReferral as i32,
        local_time: "2026-11-23T10:00:00".into(),
        urgency: urgency as i32,
        history,
        ..Default::default()
    };
    let urgent = authorities
        .route_contact(as_practitioner(NEW_CODE, route(Urgency::Urgent, None)))
        .await
        .unwrap()
        .into_inner();
    let answer = urgent.answer.unwrap();
    assert_eq!(answer.channel, Channel::Phone as i32, "{answer:#?}");
    assert_eq!(answer.follow_ups.len(), 1, "{answer:#?}");
    assert_eq!(urgent.follow_ups.len(), 1);
    let follow_up = &urgent.follow_ups[0];
    assert_eq!(follow_up.code, answer.follow_ups[0].code);
    assert_eq!(follow_up.due_time.unwrap().seconds, 1_795_428_000 + 86_400);
    assert_eq!(follow_up.plugin.as_ref().unwrap().version, d.plugin_version);
    let not_urgent = authorities
        .route_contact(as_practitioner(NEW_CODE, route(Urgency::NotUrgent, None)))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(not_urgent.answer.unwrap().channel, Channel::WebForm as i32);
    assert!(not_urgent.follow_ups.is_empty());
    // A history naming a level the authority does not have is refused by field.
    let status = authorities
        .route_contact(as_practitioner(
            NEW_CODE,
            route(
                Urgency::Urgent,
                Some(CaseHistory {
                    open_case: true,
                    open_level: "L9".into(),
                    ..Default::default()
                }),
            ),
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    assert!(
        status.message().contains("history.open_level"),
        "{status:?}"
    );

    // A timescale only for an unborn child: previewed with and without the child's age, and
    // started on a real case opened for an unborn child (the service passes the case's child).
    let preview = |age: Option<ChildAge>| pb::PreviewTimescalesRequest {
        authority: format!("authorities/{NEW_CODE}"),
        event: CaseEvent::ReferralAccepted as i32,
        level: "L4".into(),
        age,
        ..Default::default()
    };
    let unborn = ChildAge {
        unborn: true,
        gestation_weeks: 30,
        ..Default::default()
    };
    let codes = |deadlines: &[pb::DeadlineRecord]| -> Vec<String> {
        deadlines.iter().map(|x| x.code.clone()).collect()
    };
    let for_unborn = authorities
        .preview_timescales(as_practitioner(NEW_CODE, preview(Some(unborn))))
        .await
        .unwrap()
        .into_inner()
        .deadlines;
    assert!(codes(&for_unborn).contains(&"PRE_BIRTH_ASSESSMENT".to_owned()));
    let for_anyone = authorities
        .preview_timescales(as_practitioner(NEW_CODE, preview(None)))
        .await
        .unwrap()
        .into_inner()
        .deadlines;
    assert!(!codes(&for_anyone).contains(&"PRE_BIRTH_ASSESSMENT".to_owned()));
    let mut referrals = pb::referral_service_client::ReferralServiceClient::new(channel.clone());
    for (unborn, expected) in [(true, true), (false, false)] {
        let mut referral = crate::api_journey::referral(&d, 4);
        if unborn {
            let child = referral.child.as_mut().unwrap();
            child.date_of_birth.clear();
            child.expected_date_of_delivery = (chrono::Utc::now().date_naive()
                + chrono::Duration::weeks(10))
            .format("%Y-%m-%d")
            .to_string();
        }
        let decided = crate::api_journey::receive_and_decide_with(
            &mut referrals,
            NEW_CODE,
            referral,
            pb::ReferralOutcome::OpenCase,
            |r| {
                r.level = "L4".into();
                r.reason = "the test opens it at level 4".into();
            },
        )
        .await
        .unwrap();
        let case = decided.case.unwrap();
        assert_eq!(
            codes(&case.deadlines).contains(&"PRE_BIRTH_ASSESSMENT".to_owned()),
            expected,
            "unborn: {unborn}: {:?}",
            codes(&case.deadlines)
        );
    }
    server.stop().await.unwrap();
}

/// The guide's worked example quotes real plugin code: every line of each excerpt (a ```rust
/// block whose first line names its file) is still in that file, so the walkthrough cannot
/// drift from the code it explains.
#[test]
fn the_worked_example_quotes_code_that_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(root.join("crates/plugin-api/README.md")).unwrap();
    let mut excerpts = 0;
    for block in guide.split("```rust\n").skip(1) {
        let Some((code, _)) = block.split_once("```") else {
            continue;
        };
        let mut lines = code.lines();
        let Some(path) = lines.next().and_then(|l| l.strip_prefix("// ")) else {
            continue;
        };
        let file = std::fs::read_to_string(root.join(path))
            .unwrap_or_else(|e| panic!("the guide quotes {path}: {e}"));
        let file_lines: Vec<&str> = file.lines().map(str::trim).collect();
        for line in lines.map(str::trim).filter(|l| !l.is_empty()) {
            assert!(
                file_lines.contains(&line),
                "the guide quotes {line:?} from {path}, which no longer has it: update the guide"
            );
        }
        excerpts += 1;
    }
    assert!(
        excerpts >= 5,
        "the worked example's excerpts are found ({excerpts})"
    );
}
