//! Loads authority plugins and calls them through the [`Authority`] trait.
//!
//! Invariants:
//! - A library is loaded once and never unloaded: its code may be running on any thread at any
//!   time, so its `Library` handle is leaked on purpose.
//! - Only operator-configured files are loaded: a directory's files named
//!   `{DLL_PREFIX}continuum_authority_*{DLL_SUFFIX}`, or paths given one by one.
//! - A plugin is refused at load, with a message naming the file and the reason, when it is not
//!   a library, lacks an entry symbol, speaks another ABI version, describes itself in bytes that
//!   do not decode or without an authority code, or claims an authority code another plugin
//!   already has. One refusal never stops the others from loading.
//! - All `unsafe` of the host lives in this crate; callers see only the safe trait.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use continuum_plugin_api::ffi::{self, AbiVersionFn, Buffer, CallFn, FreeFn};
use continuum_plugin_api::pb::{self, AuthorityDescription};
use continuum_plugin_api::{ABI_VERSION, Authority, Method, PluginError};
use prost::Message;

/// The file-name stem every plugin library carries, after the platform's library prefix.
pub const PLUGIN_STEM_PREFIX: &str = "continuum_authority_";

/// Why a plugin file was refused.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read plugin directory {dir}: {source}")]
    ReadDir {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a loadable library: {reason}")]
    NotALibrary { path: PathBuf, reason: String },
    #[error(
        "{path}: missing entry symbol `{symbol}`: not a Continuum plugin, or built with an old SDK"
    )]
    MissingSymbol { path: PathBuf, symbol: String },
    #[error(
        "{path}: plugin ABI version {found}, but this host speaks version {expected}: rebuild the plugin against the matching continuum-plugin-api"
    )]
    AbiMismatch {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    #[error("{path}: description refused: {reason}")]
    BadDescription { path: PathBuf, reason: String },
    #[error(
        "{path}: authority code {code} is already provided by {first}: two plugins cannot serve one authority"
    )]
    DuplicateAuthority {
        path: PathBuf,
        code: String,
        first: PathBuf,
    },
}

/// A plugin library that passed the load checks.
pub struct DynamicPlugin {
    path: PathBuf,
    description: AuthorityDescription,
    call: CallFn,
    free: FreeFn,
}

impl fmt::Debug for DynamicPlugin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DynamicPlugin")
            .field("path", &self.path)
            .field("code", &self.description.code)
            .field("plugin", &self.description.plugin_name)
            .field("version", &self.description.plugin_version)
            .finish()
    }
}

impl DynamicPlugin {
    /// Load one library and run the handshake. The library is never unloaded, even when it is
    /// refused after it was opened (its initialisers have run; unloading is not safe to assume).
    pub fn load(path: &Path) -> Result<DynamicPlugin, LoadError> {
        // SAFETY: loading a library runs its initialisers. Only files from the operator's
        // plugin directory (or explicit paths) reach here; that is the trust boundary.
        let library =
            unsafe { libloading::Library::new(path) }.map_err(|e| LoadError::NotALibrary {
                path: path.to_owned(),
                reason: e.to_string(),
            })?;
        let library: &'static libloading::Library = Box::leak(Box::new(library));

        let symbol = |name: &[u8]| LoadError::MissingSymbol {
            path: path.to_owned(),
            symbol: String::from_utf8_lossy(name).into_owned(),
        };
        // SAFETY: the symbol types are those the SDK's `export_authority!` defines; the ABI
        // version is checked before any other entry point is called.
        let (abi_version, call, free) = unsafe {
            let abi_version: AbiVersionFn = *library
                .get::<AbiVersionFn>(ffi::SYMBOL_ABI_VERSION)
                .map_err(|_| symbol(ffi::SYMBOL_ABI_VERSION))?;
            let call: CallFn = *library
                .get::<CallFn>(ffi::SYMBOL_CALL)
                .map_err(|_| symbol(ffi::SYMBOL_CALL))?;
            let free: FreeFn = *library
                .get::<FreeFn>(ffi::SYMBOL_FREE)
                .map_err(|_| symbol(ffi::SYMBOL_FREE))?;
            (abi_version, call, free)
        };
        // SAFETY: a nullary function returning u32, per the handshake's definition.
        let found = unsafe { abi_version() };
        if found != ABI_VERSION {
            return Err(LoadError::AbiMismatch {
                path: path.to_owned(),
                found,
                expected: ABI_VERSION,
            });
        }

        let mut plugin = DynamicPlugin {
            path: path.to_owned(),
            description: AuthorityDescription::default(),
            call,
            free,
        };
        let bad = |reason: String| LoadError::BadDescription {
            path: path.to_owned(),
            reason,
        };
        let description: AuthorityDescription = plugin
            .invoke(Method::Describe, &pb::DescribeRequest {})
            .map_err(|e| bad(e.to_string()))?;
        if description.code.trim().is_empty() {
            return Err(bad("it names no authority code".into()));
        }
        if description.levels.is_empty() {
            return Err(bad("it declares no levels of need".into()));
        }
        plugin.description = description;
        Ok(plugin)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The description read at load time.
    pub fn description(&self) -> &AuthorityDescription {
        &self.description
    }

    /// One call across the boundary: encode, call, decode from the plugin's buffer, hand the
    /// buffer back to the plugin to free.
    fn invoke<Req: Message, Resp: Message + Default>(
        &self,
        method: Method,
        request: &Req,
    ) -> Result<Resp, PluginError> {
        let input = request.encode_to_vec();
        let mut output = Buffer::empty();
        // SAFETY: `input` outlives the call; `output` is a valid place for the plugin to write.
        let status =
            unsafe { (self.call)(method as u32, input.as_ptr(), input.len(), &mut output) };
        // SAFETY: the plugin filled `output` (or left it empty); we free it exactly once below.
        let bytes = unsafe { output.as_slice() };
        let result = if status == ffi::STATUS_OK {
            Resp::decode(bytes).map_err(|e| {
                PluginError::Failed(format!(
                    "plugin {} answered {method} with bytes that do not decode: {e}",
                    self.path.display()
                ))
            })
        } else {
            Err(match ffi::decode_error(status, bytes) {
                PluginError::Failed(message) => PluginError::Failed(format!(
                    "plugin {} failed in {method}: {message}",
                    self.path.display()
                )),
                invalid => invalid,
            })
        };
        // SAFETY: `output` came from this library's `call` and is freed once, by its owner.
        unsafe { (self.free)(output) };
        result
    }
}

impl Authority for DynamicPlugin {
    fn describe(&self) -> AuthorityDescription {
        self.description.clone()
    }

    fn assess_threshold(
        &self,
        request: &pb::ThresholdRequest,
    ) -> Result<pb::ThresholdDecision, PluginError> {
        self.invoke(Method::AssessThreshold, request)
    }

    fn route_contact(
        &self,
        request: &pb::ContactRequest,
    ) -> Result<pb::ContactAnswer, PluginError> {
        self.invoke(Method::RouteContact, request)
    }

    fn next_panel(&self, request: &pb::PanelRequest) -> Result<pb::PanelAnswer, PluginError> {
        self.invoke(Method::NextPanel, request)
    }

    fn timescales(
        &self,
        request: &pb::TimescaleRequest,
    ) -> Result<pb::TimescaleAnswer, PluginError> {
        self.invoke(Method::Timescales, request)
    }

    fn check_transition(
        &self,
        request: &pb::TransitionRequest,
    ) -> Result<pb::TransitionAnswer, PluginError> {
        self.invoke(Method::CheckTransition, request)
    }
}

/// The plugins that loaded, by authority code, and the files that were refused.
#[derive(Debug, Default)]
pub struct PluginSet {
    plugins: Vec<Arc<DynamicPlugin>>,
    by_code: HashMap<String, usize>,
    refused: Vec<LoadError>,
}

impl PluginSet {
    /// Load every plugin library in `dir` (sorted by file name, so a duplicate is always the
    /// same one refused).
    pub fn load_dir(dir: &Path) -> Result<PluginSet, LoadError> {
        Ok(PluginSet::load_paths(&plugin_files(dir)?))
    }

    /// Load each of these files.
    pub fn load_paths(paths: &[PathBuf]) -> PluginSet {
        let mut set = PluginSet::default();
        for path in paths {
            match DynamicPlugin::load(path) {
                Ok(plugin) => set.add(plugin),
                Err(e) => {
                    tracing::warn!(error = %e, "plugin refused");
                    set.refused.push(e);
                }
            }
        }
        set
    }

    fn add(&mut self, plugin: DynamicPlugin) {
        let code = plugin.description.code.clone();
        if let Some(&i) = self.by_code.get(&code) {
            let e = LoadError::DuplicateAuthority {
                path: plugin.path.clone(),
                code,
                first: self.plugins[i].path.clone(),
            };
            tracing::warn!(error = %e, "plugin refused");
            self.refused.push(e);
            return;
        }
        tracing::info!(
            authority = %code,
            name = %plugin.description.name,
            plugin = %plugin.description.plugin_name,
            version = %plugin.description.plugin_version,
            path = %plugin.path.display(),
            "plugin loaded"
        );
        self.by_code.insert(code, self.plugins.len());
        self.plugins.push(Arc::new(plugin));
    }

    /// The plugin serving an authority code.
    pub fn get(&self, code: &str) -> Option<&Arc<DynamicPlugin>> {
        self.by_code.get(code).map(|&i| &self.plugins[i])
    }

    /// Loaded plugins, in load order.
    pub fn plugins(&self) -> &[Arc<DynamicPlugin>] {
        &self.plugins
    }

    /// Files refused, with why.
    pub fn refused(&self) -> &[LoadError] {
        &self.refused
    }
}

/// The plugin libraries in `dir` (files following the naming convention), sorted by name.
pub fn plugin_files(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let read = |source| LoadError::ReadDir {
        dir: dir.to_owned(),
        source,
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read)? {
        let path = entry.map_err(read)?.path();
        if is_plugin_file_name(&path) && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// Whether a file name follows the plugin naming convention for this platform.
pub fn is_plugin_file_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.strip_prefix(std::env::consts::DLL_PREFIX)
        .and_then(|n| n.strip_prefix(PLUGIN_STEM_PREFIX))
        .and_then(|n| n.strip_suffix(std::env::consts::DLL_SUFFIX))
        .is_some_and(|stem| !stem.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_file_names() {
        let ok = format!(
            "{}continuum_authority_worcestershire{}",
            std::env::consts::DLL_PREFIX,
            std::env::consts::DLL_SUFFIX
        );
        assert!(is_plugin_file_name(Path::new(&ok)));
        assert!(!is_plugin_file_name(Path::new("libprost.so.d")));
        assert!(!is_plugin_file_name(Path::new(&format!(
            "{}continuum_authority_{}",
            std::env::consts::DLL_PREFIX,
            std::env::consts::DLL_SUFFIX
        ))));
    }

    #[test]
    fn a_missing_directory_is_an_error() {
        let err = PluginSet::load_dir(Path::new("/nonexistent/continuum/plugins")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/continuum/plugins"));
    }
}
