//! `continuum plugins check`: passes a real plugin, fails each broken one with its reason.

use std::process::{Command, Output};

use crate::support::{AUTHORITY_PLUGINS, library, plugin_dir, plugin_file_name};

fn check(args: &[std::path::PathBuf]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_continuum"))
        .arg("plugins")
        .arg("check")
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run continuum plugins check")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_authority_plugins_pass() {
    for lib_name in AUTHORITY_PLUGINS {
        let output = check(&[library(lib_name)]);
        let out = stdout(&output);
        assert!(
            output.status.success(),
            "{lib_name} failed the check:\n{out}"
        );
        assert!(out.contains("PASS "), "{out}");
        assert!(out.contains("0 refused, 0 failing"), "{out}");
    }
}

#[test]
fn a_directory_is_checked_by_the_plugin_naming_convention() {
    let output = check(&[plugin_dir().to_owned()]);
    let out = stdout(&output);
    assert!(output.status.success(), "{out}");
    assert!(out.contains("PASS E10000034 Worcestershire"), "{out}");
    // Fixtures are not named like authority plugins, so they are not picked up.
    assert!(!out.contains("fixture"), "{out}");
}

#[test]
fn each_broken_plugin_fails_with_its_reason() {
    let text = tempfile::tempdir().unwrap();
    let text_path = text.path().join(plugin_file_name("text"));
    std::fs::write(&text_path, "not a library").unwrap();
    let wrong_abi = format!(
        "plugin ABI version 999, but this host speaks version {}",
        continuum_plugin_api::ABI_VERSION
    );
    for (lib, reason) in [
        (library("continuum_fixture_wrong_abi"), wrong_abi.as_str()),
        (
            library("continuum_fixture_missing_symbol"),
            "missing entry symbol `continuum_plugin_call`",
        ),
        (
            library("continuum_fixture_bad_description"),
            "description refused",
        ),
        (
            library("continuum_fixture_misbehaving"),
            "plugin panicked: fixture panics on purpose",
        ),
        (
            library("continuum_fixture_misbehaving"),
            "answered route_contact with bytes that do not decode",
        ),
        (text_path.clone(), "not a loadable library"),
    ] {
        let output = check(std::slice::from_ref(&lib));
        let out = stdout(&output);
        assert!(!output.status.success(), "{} passed:\n{out}", lib.display());
        assert!(out.contains("FAIL"), "{out}");
        assert!(
            out.contains(reason),
            "{} without {reason:?}:\n{out}",
            lib.display()
        );
    }
}

#[test]
fn a_duplicate_authority_code_fails_the_check() {
    let output = check(&[
        library("continuum_authority_worcestershire"),
        library("continuum_fixture_duplicate"),
    ]);
    let out = stdout(&output);
    assert!(!output.status.success(), "{out}");
    assert!(
        out.contains("authority code E10000034 is already provided by"),
        "{out}"
    );
    assert!(
        out.contains("PASS E10000034 Worcestershire"),
        "the first one still passes:\n{out}"
    );
}

/// `--sources DIR`: every quote is looked for in the file its citation names. The four
/// authorities' quotes are all in `shared/seeds` (when that directory is beside the
/// repository); against a directory without them, the check fails naming the rule.
#[test]
fn with_sources_every_quote_is_found_in_its_source() {
    let empty = tempfile::tempdir().unwrap();
    let mut args = vec!["--sources".into(), empty.path().to_owned()];
    args.push(library(AUTHORITY_PLUGINS[0]));
    let output = check(&args);
    let out = stdout(&output);
    assert!(!output.status.success(), "{out}");
    assert!(
        out.contains("[QUOTE]") && out.contains("is not in the sources given"),
        "{out}"
    );

    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if !seeds.is_dir() {
        eprintln!(
            "SKIPPED the quotes against shared/seeds: {} is not there",
            seeds.display()
        );
        return;
    }
    for lib_name in AUTHORITY_PLUGINS {
        let output = check(&["--sources".into(), seeds.clone(), library(lib_name)]);
        let out = stdout(&output);
        assert!(output.status.success(), "{lib_name}:\n{out}");
    }
}
