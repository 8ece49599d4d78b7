//! Faults at the plugin boundary, against real libraries: each broken plugin is refused at load
//! or fails its one call with a clear message, and never takes the host or the other plugins
//! down with it.

use std::path::{Path, PathBuf};

use continuum_plugin_api::pb::{self, ContactPurpose};
use continuum_plugin_api::{Authority, PluginError};
use continuum_plugin_host::{DynamicPlugin, LoadError, PluginSet};

use crate::support::{library, plugin_file_name};

fn load(lib_name: &str) -> Result<DynamicPlugin, LoadError> {
    DynamicPlugin::load(&library(lib_name))
}

fn failure_message<T: std::fmt::Debug>(result: Result<T, PluginError>) -> String {
    match result {
        Err(PluginError::Failed(message)) => message,
        other => panic!("expected a plugin failure, got {other:?}"),
    }
}

#[test]
fn a_panic_fails_that_call_and_the_next_call_works() {
    let plugin = load("continuum_fixture_misbehaving").expect("the misbehaving fixture loads");
    let message = failure_message(plugin.assess_threshold(&pb::ThresholdRequest::default()));
    assert!(message.contains("plugin panicked"), "{message}");
    assert!(message.contains("fixture panics on purpose"), "{message}");
    assert!(
        message.contains("libcontinuum_fixture_misbehaving"),
        "names the file: {message}"
    );

    // The plugin is still usable, by the same thread and by others.
    let answer = plugin
        .check_transition(&pb::TransitionRequest {
            target_level: "F2".into(),
            ..Default::default()
        })
        .expect("a method that does not panic still works");
    assert_eq!(answer.resulting_level, "F2");
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                assert!(
                    plugin
                        .assess_threshold(&pb::ThresholdRequest::default())
                        .is_err()
                );
                assert!(plugin.timescales(&pb::TimescaleRequest::default()).is_ok());
            });
        }
    });
    // And it panics again, cleanly, on the next bad call.
    assert!(
        failure_message(plugin.assess_threshold(&pb::ThresholdRequest::default()))
            .contains("panicked")
    );
}

#[test]
fn an_answer_that_does_not_decode_fails_that_call_only() {
    let plugin = load("continuum_fixture_misbehaving").expect("the misbehaving fixture loads");
    let request = pb::ContactRequest {
        purpose: ContactPurpose::Advice as i32,
        local_time: "2026-11-23T10:00:00".into(),
        public_holiday: false,
        ..Default::default()
    };
    let message = failure_message(plugin.route_contact(&request));
    assert!(
        message.contains("answered route_contact with bytes that do not decode"),
        "{message}"
    );
    let answer = plugin
        .next_panel(&pb::PanelRequest::default())
        .expect("next call works");
    assert!(answer.note.contains("no panel"));
}

#[test]
fn an_invalid_request_is_told_apart_from_a_failure() {
    let plugin = load("continuum_fixture_misbehaving").expect("loads");
    let request = pb::ContactRequest {
        local_time: "2026-11-23T10:00:00".into(),
        ..Default::default()
    };
    // route_contact is the garbage method in this fixture; use the transition check instead.
    drop(request);
    let refused = plugin.check_transition(&pb::TransitionRequest {
        current_level: "NOPE".into(),
        ..Default::default()
    });
    assert_eq!(
        refused,
        Err(PluginError::invalid("current_level", "unknown level"))
    );
}

#[test]
fn a_wrong_abi_version_is_refused_at_load() {
    let err = load("continuum_fixture_wrong_abi").expect_err("refused");
    assert!(
        matches!(
            err,
            LoadError::AbiMismatch {
                found: 999,
                expected: continuum_plugin_api::ABI_VERSION,
                ..
            }
        ),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("libcontinuum_fixture_wrong_abi"),
        "{message}"
    );
    assert!(message.contains("ABI version 999"), "{message}");
}

#[test]
fn a_missing_entry_symbol_is_refused_at_load() {
    let err = load("continuum_fixture_missing_symbol").expect_err("refused");
    assert!(
        matches!(&err, LoadError::MissingSymbol { symbol, .. } if symbol == "continuum_plugin_call"),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("libcontinuum_fixture_missing_symbol")
    );
}

#[test]
fn a_text_file_named_like_a_library_is_refused_at_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(plugin_file_name("fake"));
    std::fs::write(&path, "this is a text file, not a shared library\n").unwrap();
    let err = DynamicPlugin::load(&path).expect_err("refused");
    assert!(matches!(err, LoadError::NotALibrary { .. }), "{err:?}");
    assert!(err.to_string().contains(&path.display().to_string()));
}

#[test]
fn a_description_that_does_not_decode_is_refused_at_load() {
    let err = load("continuum_fixture_bad_description").expect_err("refused");
    assert!(matches!(err, LoadError::BadDescription { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("do not decode"), "{message}");
    assert!(
        message.contains("libcontinuum_fixture_bad_description"),
        "{message}"
    );
}

/// Copy a built library into `dir` under a plugin file name.
fn install(dir: &Path, lib_name: &str, stem: &str) -> PathBuf {
    let to = dir.join(plugin_file_name(stem));
    std::fs::copy(library(lib_name), &to).unwrap();
    to
}

#[test]
fn one_directory_with_every_fault_still_loads_the_good_plugins() {
    let dir = tempfile::tempdir().unwrap();
    // Names sort so that the real Worcestershire loads before the duplicate that claims its code.
    install(
        dir.path(),
        "continuum_authority_worcestershire",
        "worcestershire",
    );
    install(
        dir.path(),
        "continuum_fixture_duplicate",
        "worcestershire_zz_duplicate",
    );
    install(dir.path(), "continuum_fixture_misbehaving", "misbehaving");
    install(dir.path(), "continuum_fixture_wrong_abi", "wrong_abi");
    install(
        dir.path(),
        "continuum_fixture_missing_symbol",
        "missing_symbol",
    );
    install(
        dir.path(),
        "continuum_fixture_bad_description",
        "bad_description",
    );
    std::fs::write(dir.path().join(plugin_file_name("text")), "not a library").unwrap();
    // Files that do not follow the naming convention are not plugins and are not touched.
    std::fs::write(dir.path().join("README.txt"), "operator notes").unwrap();

    let set = PluginSet::load_dir(dir.path()).expect("the directory is readable");

    let mut loaded: Vec<&str> = set
        .plugins()
        .iter()
        .map(|p| p.description().code.as_str())
        .collect();
    loaded.sort();
    assert_eq!(loaded, ["E10000034", "E99999901"]);
    assert_eq!(
        set.get("E10000034").unwrap().description().name,
        "Worcestershire"
    );

    let refused: Vec<String> = set.refused().iter().map(ToString::to_string).collect();
    assert_eq!(refused.len(), 5, "{refused:#?}");
    for (file, reason) in [
        ("worcestershire_zz_duplicate", "already provided by"),
        ("wrong_abi", "ABI version 999"),
        ("missing_symbol", "missing entry symbol"),
        ("bad_description", "do not decode"),
        ("text", "not a loadable library"),
    ] {
        let name = plugin_file_name(file);
        assert!(
            refused
                .iter()
                .any(|r| r.contains(&name) && r.contains(reason)),
            "no refusal of {name} for {reason:?} in {refused:#?}"
        );
    }

    // The good plugin answers, through the same trait an in-process plugin implements.
    let worcestershire: &dyn Authority = set.get("E10000034").unwrap().as_ref();
    let decision = worcestershire
        .assess_threshold(&pb::ThresholdRequest {
            immediate_risk: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(decision.response, pb::Response::Emergency as i32);
}
