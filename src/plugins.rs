//! `continuum plugins ...`: load plugin libraries and check them against the contract; start a
//! new authority's plugin from the template.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use continuum_plugin_api::conformance::{self, Violation};
use continuum_plugin_host::{PluginSet, plugin_files};

#[derive(Debug, Subcommand)]
pub enum PluginsCommand {
    /// Create a new authority's plugin crate from the template, anywhere: the package and
    /// library named, the authority's code, name and nation filled in, the SDK dependency set,
    /// and a README with the rules the conformance check enforces. What is left to write from
    /// the authority's text is marked `AUTHORITY:`.
    New(NewArgs),
    /// Load plugins, print each description and report every conformance violation.
    /// Exits non-zero if any plugin is refused or breaks the contract.
    Check {
        /// Plugin libraries, or directories holding them (files named
        /// `libcontinuum_authority_*.so` on Linux).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// A directory holding the cited sources: every quote is then looked for, word for
        /// word, in the file its citation names (by file name, e.g. a citation of
        /// `shared/seeds/001_x.txt` is looked for as `DIR/001_x.txt`).
        #[arg(long, value_name = "DIR")]
        sources: Option<PathBuf>,
    },
}

/// `continuum plugins new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The authority's short name in lower case (letters, digits, `_`): the crate is
    /// `continuum-authority-<name>`, its library `continuum_authority_<name>`.
    name: String,
    /// The authority's ONS GSS code (a letter and eight digits, e.g. E06000027).
    #[arg(long)]
    code: String,
    /// england, wales, scotland or northern-ireland: the bank holidays its working days follow.
    #[arg(long)]
    nation: String,
    /// The authority's name as published (default: the short name, capitalised).
    #[arg(long)]
    display_name: Option<String>,
    /// The folder to create the crate in (it gets a folder of its own there).
    #[arg(long, default_value = ".")]
    dir: PathBuf,
    /// The SDK dependency as a TOML value, e.g. '{ git = "https://…/continuum", tag = "v1.2.0" }'.
    /// Default: a path to the SDK of the checkout this program was built from.
    #[arg(long)]
    sdk: Option<String>,
}

/// The template, as built into this program.
const TEMPLATE_MANIFEST: &str = include_str!("../plugins/template/Cargo.toml");
const TEMPLATE_LOCK: &str = include_str!("../plugins/template/Cargo.lock");
const TEMPLATE_LIB: &str = include_str!("../plugins/template/src/lib.rs");
/// The guide, whose checklist of the rules the check enforces goes into the new README.
const GUIDE: &str = include_str!("../crates/plugin-api/README.md");

fn new(args: &NewArgs) -> anyhow::Result<ExitCode> {
    use anyhow::{Context, bail};
    let name = &args.name;
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        bail!("the name {name:?} must be lower-case letters, digits and '_'");
    }
    if !conformance::is_gss_code(&args.code) || conformance::is_placeholder_code(&args.code) {
        bail!(
            "{:?} is not an ONS GSS code (a letter E, W, S or N and eight digits, not a \
             placeholder)",
            args.code
        );
    }
    let nation = match args.nation.as_str() {
        "england" => "England",
        "wales" => "Wales",
        "scotland" => "Scotland",
        "northern-ireland" => "NorthernIreland",
        other => bail!("unknown nation {other:?}: england, wales, scotland or northern-ireland"),
    };
    let display_name = args.display_name.clone().unwrap_or_else(|| {
        let mut chars = name.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    });
    let crate_dir = args.dir.join(format!("continuum-authority-{name}"));
    if crate_dir.exists() {
        bail!("{} exists already", crate_dir.display());
    }
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("cannot create {}", args.dir.display()))?;
    let sdk = match &args.sdk {
        Some(sdk) => sdk.clone(),
        None => {
            let sdk = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/plugin-api");
            if !sdk.join("Cargo.toml").is_file() {
                bail!(
                    "the SDK this program was built from ({}) is gone: give --sdk, e.g. \
                     '{{ git = \"<the service's repository>\", tag = \"<its release>\" }}'",
                    sdk.display()
                );
            }
            let crate_abs = std::path::absolute(&crate_dir)?;
            let path = relative_to(&sdk, &crate_abs).unwrap_or(sdk);
            format!("{{ path = {:?} }}", path.display().to_string())
        }
    };

    let manifest = replaced(
        TEMPLATE_MANIFEST,
        &[
            (
                "name = \"continuum-authority-template\"",
                format!("name = \"continuum-authority-{name}\""),
            ),
            (
                "name = \"continuum_authority_template\"",
                format!("name = \"continuum_authority_{name}\""),
            ),
            (
                "continuum-plugin-api = { path = \"../../crates/plugin-api\" }",
                format!("continuum-plugin-api = {sdk}"),
            ),
        ],
    )?;
    let lib = replaced(
        TEMPLATE_LIB,
        &[
            (
                "pub const CODE: &str = \"E99999999\";",
                format!("pub const CODE: &str = \"{}\";", args.code),
            ),
            (
                "pub const NAME: &str = \"Example Authority\";",
                format!("pub const NAME: &str = {display_name:?};"),
            ),
            (
                "nation: Nation::England as i32,",
                format!("nation: Nation::{nation} as i32,"),
            ),
        ],
    )?;
    let checklist = GUIDE
        .split_once("### The rules that protect children")
        .and_then(|(_, rest)| rest.split_once("\n## ").map(|(list, _)| list))
        .context("the guide has no checklist")?;
    let readme = format!(
        "# continuum-authority-{name}: {display_name} ({code})\n\n\
         A Continuum authority plugin, made by `continuum plugins new`. Replace every value \
         marked `AUTHORITY:` in `src/lib.rs` with what {display_name}'s published procedure \
         says, citing the file, section and sentence each rule comes from. Then:\n\n\
         ```sh\ncargo test\ncargo build --release\n\
         continuum plugins check --sources <folder of the texts you cite> \
         target/release/{lib}\n```\n\n\
         ## The rules that protect children{checklist}",
        code = args.code,
        lib = library_file_name(name),
    );
    std::fs::create_dir_all(crate_dir.join("src"))?;
    std::fs::write(crate_dir.join("Cargo.toml"), manifest)?;
    std::fs::write(crate_dir.join("Cargo.lock"), TEMPLATE_LOCK)?;
    std::fs::write(crate_dir.join("src/lib.rs"), lib)?;
    std::fs::write(crate_dir.join("README.md"), readme)?;
    println!(
        "created {} for {display_name} ({}); fill in what is marked AUTHORITY: in src/lib.rs",
        crate_dir.display(),
        args.code
    );
    Ok(ExitCode::SUCCESS)
}

/// `text` with each `(from, to)` replaced once; an error names a `from` the template no longer
/// holds.
fn replaced(text: &str, edits: &[(&str, String)]) -> anyhow::Result<String> {
    let mut text = text.to_owned();
    for (from, to) in edits {
        if !text.contains(from) {
            anyhow::bail!("the template no longer contains {from:?}");
        }
        text = text.replacen(from, to, 1);
    }
    Ok(text)
}

/// The path from `base` to `target` when both are in one tree (`../..`-style), for a crate
/// created inside the repository.
fn relative_to(target: &Path, base: &Path) -> Option<PathBuf> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !base.starts_with(repo) {
        return None;
    }
    let up = base.strip_prefix(repo).ok()?.components().count();
    let mut path = PathBuf::new();
    for _ in 0..up {
        path.push("..");
    }
    Some(path.join(target.strip_prefix(repo).ok()?))
}

/// The library file a crate named `continuum_authority_<name>` builds, on this platform.
fn library_file_name(name: &str) -> String {
    format!(
        "{}continuum_authority_{name}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    )
}

pub fn run(command: PluginsCommand) -> anyhow::Result<ExitCode> {
    match command {
        PluginsCommand::New(args) => new(&args),
        PluginsCommand::Check { paths, sources } => check(&paths, sources.as_deref()),
    }
}

fn check(paths: &[PathBuf], sources: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            files.extend(plugin_files(path)?);
        } else {
            files.push(path.clone());
        }
    }
    if files.is_empty() {
        anyhow::bail!("no plugin libraries found in {paths:?}");
    }

    let set = PluginSet::load_paths(&files);
    let mut failed = 0;
    for refusal in set.refused() {
        failed += 1;
        println!("FAIL {refusal}");
    }
    for plugin in set.plugins() {
        let d = plugin.description();
        let violations = match sources {
            None => conformance::check(plugin.as_ref()),
            Some(dir) => conformance::check_with_sources(plugin.as_ref(), &|cited| {
                let name = std::path::Path::new(cited).file_name()?;
                std::fs::read_to_string(dir.join(name)).ok()
            }),
        };
        let verdict = if violations.is_empty() {
            "PASS"
        } else {
            "FAIL"
        };
        println!(
            "{verdict} {} {} ({} {}) from {}",
            d.code,
            d.name,
            d.plugin_name,
            d.plugin_version,
            plugin.path().display()
        );
        println!("     framework: {}", d.framework);
        for level in &d.levels {
            println!("     level {} {}: {}", level.rank, level.code, level.label);
        }
        println!(
            "     {} roles, {} indicators, {} contact points, {} panels, {} timescale rules, {} forms, {} gaps noted",
            d.roles.len(),
            d.indicators.len(),
            d.contact_points.len(),
            d.panels.len(),
            d.timescales.len(),
            d.forms.len(),
            d.gaps.len()
        );
        for doc in &d.documents {
            let at = [&doc.url, &doc.reference]
                .into_iter()
                .find(|s| !s.is_empty())
                .map_or(String::new(), |s| format!(" <{s}>"));
            println!("     document {}: {}{at}", doc.id, doc.title);
        }
        for c in &d.conflicts {
            let followed = c.claims.get(c.followed as usize).map(|q| q.source.as_str());
            println!(
                "     conflict {}: follows {} ({})",
                c.topic,
                followed.unwrap_or("?"),
                c.reason
            );
        }
        if !violations.is_empty() {
            failed += 1;
            println!("     {} violations:", violations.len());
            print_grouped(&violations);
        }
    }
    println!(
        "{} plugins loaded, {} refused, {} failing",
        set.plugins().len(),
        set.refused().len(),
        failed
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Print violations, folding those with the same problem (a probe that fails the same way at
/// every time of day) into one line with a count.
fn print_grouped(violations: &[Violation]) {
    let mut groups: Vec<(&Violation, usize)> = Vec::new();
    for v in violations {
        let problem = v.problem.as_str();
        match groups
            .iter_mut()
            .find(|(first, _)| first.problem == problem)
        {
            Some((_, n)) => *n += 1,
            None => groups.push((v, 1)),
        }
    }
    for (v, n) in groups {
        if n == 1 {
            println!("       - {v}");
        } else {
            println!("       - {v} (and {} more probes the same way)", n - 1);
        }
    }
}
