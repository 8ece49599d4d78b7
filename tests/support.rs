//! Shared test support: building the plugin libraries and finding them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The directory the workspace's plugin libraries are built into (`target/debug` for a debug
/// test run), after building them once per test process with the same cargo and profile.
pub fn plugin_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        // The test binary lives in `<target>/<profile>/deps/`.
        let exe = std::env::current_exe().expect("test executable path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("test executable is in <target>/<profile>/deps")
            .to_owned();
        let target_dir = profile_dir.parent().expect("<target>/<profile>");
        let mut cargo = Command::new(env!("CARGO"));
        cargo
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["build", "--quiet", "--target-dir"])
            .arg(target_dir);
        for package in PLUGIN_PACKAGES {
            cargo.args(["-p", package]);
        }
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            cargo.arg("--release");
        }
        let status = cargo.status().expect("run cargo build for the plugins");
        assert!(status.success(), "building the plugin libraries failed");
        profile_dir
    })
}

/// The path of a library the workspace builds, by its crate (lib) name.
pub fn library(lib_name: &str) -> PathBuf {
    plugin_dir().join(format!(
        "{}{lib_name}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    ))
}

/// The file name a plugin must have to be picked up from a plugin directory.
pub fn plugin_file_name(stem: &str) -> String {
    format!(
        "{}continuum_authority_{stem}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    )
}

/// The workspace packages that build plugin libraries: the authorities and the fault fixtures.
const PLUGIN_PACKAGES: &[&str] = &[
    "continuum-authority-bradford",
    "continuum-authority-carmarthenshire",
    "continuum-authority-torbay",
    "continuum-authority-worcestershire",
    "continuum-fixture-bad-description",
    "continuum-fixture-duplicate",
    "continuum-fixture-misbehaving",
    "continuum-fixture-missing-symbol",
    "continuum-fixture-wrong-abi",
];

/// The real authority plugins shipped in `plugins/`, by library name.
pub const AUTHORITY_PLUGINS: &[&str] = &[
    "continuum_authority_bradford",
    "continuum_authority_carmarthenshire",
    "continuum_authority_torbay",
    "continuum_authority_worcestershire",
];

/// `continuum serve` run as its own process on a port of its own, with the workspace's plugins;
/// killed when dropped, so a failed assertion leaves no server behind.
pub struct ServeProcess {
    pub child: std::process::Child,
    /// `host:port`, as the server printed it once listening.
    pub addr: String,
}

impl ServeProcess {
    /// Start it, `configure` adding flags and environment (the database, the secret); answers
    /// once it listens.
    pub fn start(configure: impl FnOnce(&mut Command)) -> ServeProcess {
        use std::io::BufRead;
        let mut command = Command::new(env!("CARGO_BIN_EXE_continuum"));
        command
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("CONTINUUM_PLUGINS_DIR", plugin_dir())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null());
        configure(&mut command);
        let mut child = command.spawn().expect("start continuum serve");
        let stdout = child.stdout.take().expect("its stdout");
        let listening = std::io::BufReader::new(stdout)
            .lines()
            .next()
            .expect("a line once it listens")
            .expect("readable stdout");
        let addr = listening
            .strip_prefix("continuum listening on ")
            .unwrap_or_else(|| panic!("{listening}"))
            .to_owned();
        ServeProcess { child, addr }
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
