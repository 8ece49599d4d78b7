//! The `continuum` command line: `serve`, `migrate`, `token`, `plugins check`, `load`, `echo`.

mod plugins;

/// mimalloc: per-thread free lists, where glibc malloc spent a fifth of a ListCases call in
/// allocation, free and consolidation (measured with perf at 64 in flight).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};
use continuum::auth::{Role, mint_hs256};
use continuum::config::{KeySource, Profile, ServerConfig, default_plugins_dir, dev_secret};
use continuum::load::{self, Credentials, Load, Op, StepConfig};

#[derive(Debug, Parser)]
#[command(
    name = "continuum",
    version,
    about = "Children's early help and social care pathways, as a gRPC service"
)]
struct Cli {
    /// Log format.
    #[arg(
        long,
        global = true,
        env = "CONTINUUM_LOG_FORMAT",
        default_value = "text"
    )]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the gRPC service (migrating the database first).
    Serve(Box<ServeArgs>),
    /// Bring the database schema up to date, then exit.
    Migrate(DatabaseArgs),
    /// Mint a development bearer token signed with the HS256 secret.
    Token(TokenArgs),
    /// Work with authority plugins.
    #[command(subcommand)]
    Plugins(plugins::PluginsCommand),
    /// Drive a running service with realistic load; report throughput, latency percentiles,
    /// errors and correctness checks (report.json, latency.svg).
    Load(Box<LoadArgs>),
    /// Serve a bare gRPC echo service, with the service's own transport and runtime: the
    /// baseline `continuum load --echo` calibrates against.
    Echo(EchoArgs),
    /// Check the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Recompute every hash chain (each authority's audit log and case history) and name the
    /// first row that was edited, deleted or moved. Exits 1 if any chain is broken. Prints each
    /// chain's head hash: keep them elsewhere to detect a rewrite of a chain's tail.
    Verify(AuditVerifyArgs),
}

#[derive(Debug, Args)]
struct AuditVerifyArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Only this authority's chains (its GSS code).
    #[arg(long)]
    authority: Option<String>,
}

#[derive(Debug, Args)]
struct DatabaseArgs {
    /// `sqlite://path.db` (the embedded default) or `postgres://user@host/db`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://continuum.db")]
    database_url: String,
}

#[derive(Debug, Args)]
struct KeyArgs {
    /// HS256 secret shared with the token issuer (at least 32 bytes).
    #[arg(long, env = "CONTINUUM_JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<String>,
    /// PEM public key of the token issuer (RS256 or ES256), instead of a shared secret.
    #[arg(long, env = "CONTINUUM_JWT_PUBLIC_KEY", conflicts_with = "jwt_secret")]
    jwt_public_key: Option<PathBuf>,
    /// Development secret file, created if missing, used when neither of the above is given
    /// (the same file `continuum token` signs with).
    #[arg(
        long,
        env = "CONTINUUM_DEV_SECRET_FILE",
        default_value_os_t = continuum::config::default_dev_secret_file()
    )]
    dev_secret_file: PathBuf,
}

impl KeyArgs {
    fn source(&self) -> KeySource {
        match (&self.jwt_secret, &self.jwt_public_key) {
            (Some(secret), _) => KeySource::Secret(secret.clone().into_bytes()),
            (None, Some(key)) => KeySource::PublicKey(key.clone()),
            (None, None) => KeySource::DevSecretFile(self.dev_secret_file.clone()),
        }
    }
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[arg(long, env = "CONTINUUM_LISTEN", default_value = "127.0.0.1:50051")]
    listen: SocketAddr,
    #[command(flatten)]
    database: DatabaseArgs,
    /// Directory of authority plugin libraries; default: next to this executable, where the
    /// workspace build puts them.
    #[arg(long, env = "CONTINUUM_PLUGINS_DIR")]
    plugins_dir: Option<PathBuf>,
    /// A bank-holidays file in gov.uk's JSON format (https://www.gov.uk/bank-holidays.json):
    /// the years it lists replace the built-in UK calendar's for each division it names, and a
    /// division marked `"extend": true` adds its dates (local closures) instead.
    #[arg(long, env = "CONTINUUM_CALENDAR_FILE")]
    calendar_file: Option<PathBuf>,
    #[command(flatten)]
    keys: KeyArgs,
    /// The issuer (`iss`) tokens must name; required in production.
    #[arg(long, env = "CONTINUUM_JWT_ISSUER")]
    jwt_issuer: Option<String>,
    /// The audience (`aud`) tokens must name; required in production.
    #[arg(long, env = "CONTINUUM_JWT_AUDIENCE")]
    jwt_audience: Option<String>,
    /// production refuses the development secret, a missing issuer or audience, and plaintext
    /// anywhere but loopback (TLS is fine anywhere).
    #[arg(long, env = "CONTINUUM_PROFILE", default_value = "development", value_parser = ["development", "production"])]
    profile: String,
    /// Serve plaintext on a non-loopback address (logs a warning; refused in production).
    #[arg(long)]
    insecure_plaintext: bool,
    /// The most requests served at once; more are answered RESOURCE_EXHAUSTED at once.
    #[arg(long, env = "CONTINUUM_MAX_IN_FLIGHT")]
    max_in_flight: Option<usize>,
    /// Serve TLS with this certificate chain (PEM, leaf first); needs --tls-key. Reloaded
    /// without a restart when the file changes (looked at every 5 s) or on SIGHUP.
    #[arg(long, env = "CONTINUUM_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM: PKCS#8, PKCS#1 or SEC1).
    #[arg(long, env = "CONTINUUM_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Mutual TLS: clients must present a certificate signed by a CA in this PEM file.
    #[arg(long, env = "CONTINUUM_TLS_CLIENT_CA", requires = "tls_cert")]
    tls_client_ca: Option<PathBuf>,
    /// The most connections open at once; at the limit, accepting pauses until one closes
    /// [default: the limit of open files, raised to its hard limit, less 256].
    #[arg(long, env = "CONTINUUM_MAX_CONNECTIONS", value_parser = clap::value_parser!(u64).range(1..))]
    max_connections: Option<u64>,
    /// Seconds a new connection has to finish its (TLS) handshake and start its first request
    /// before it is closed.
    #[arg(long, env = "CONTINUUM_HANDSHAKE_TIMEOUT", value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    handshake_timeout: u64,
    /// Seconds between looks at the TLS files for a new certificate (SIGHUP reloads at once).
    #[arg(long, env = "CONTINUUM_TLS_RELOAD_INTERVAL", value_name = "SECONDS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=86400))]
    tls_reload_interval: u64,
}

#[derive(Debug, Args)]
struct TokenArgs {
    /// Who the token names.
    #[arg(long, default_value = "dev")]
    subject: String,
    /// The caller's authority (ONS GSS code).
    #[arg(long, default_value = "E10000034")]
    authority: String,
    /// practitioner, manager or viewer.
    #[arg(long, default_value = "practitioner")]
    role: String,
    /// Lifetime in hours.
    #[arg(long, default_value_t = 8)]
    hours: u64,
    #[command(flatten)]
    secret: SecretArgs,
}

/// The HS256 secret tokens are signed with: given, or the development secret file's.
#[derive(Debug, Args)]
struct SecretArgs {
    /// The HS256 secret (at least 32 bytes).
    #[arg(long, env = "CONTINUUM_JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<String>,
    /// The development secret file, used when no secret is given: the same one `continuum
    /// serve` uses by default.
    #[arg(
        long,
        env = "CONTINUUM_DEV_SECRET_FILE",
        default_value_os_t = continuum::config::default_dev_secret_file()
    )]
    dev_secret_file: PathBuf,
}

impl SecretArgs {
    /// The secret: `--jwt-secret`, else the development file's. `create` makes the file when
    /// it is missing (as `serve` does); otherwise a missing file is `None`.
    fn secret(&self, create: bool) -> anyhow::Result<Option<Vec<u8>>> {
        if let Some(secret) = &self.jwt_secret {
            return Ok(Some(secret.clone().into_bytes()));
        }
        if !create && !self.dev_secret_file.exists() {
            return Ok(None);
        }
        Ok(Some(dev_secret(&self.dev_secret_file)?))
    }
}

#[derive(Debug, Args)]
struct EchoArgs {
    /// Address to serve on.
    #[arg(long, default_value = "127.0.0.1:50052")]
    listen: SocketAddr,
}

#[derive(Debug, Args)]
struct LoadArgs {
    /// The service to drive (host:port, plaintext). Only give addresses of your own servers.
    #[arg(long, default_value = "127.0.0.1:50051")]
    addr: String,
    /// An echo server (`continuum echo`) to calibrate against: driven first at the same rate or
    /// concurrency, and every figure is also reported as a share of echo's.
    #[arg(long, value_name = "ADDR")]
    echo: Option<String>,

    /// One bearer token: only its authority is driven.
    #[arg(long, env = "CONTINUUM_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// The authority a --token belongs to (default: its `authority` claim).
    #[arg(long, requires = "token")]
    authority: Option<String>,
    /// The server's secret (or development secret file): a practitioner token is minted for
    /// every authority.
    #[command(flatten)]
    secret: SecretArgs,

    /// What to drive: the realistic mix, or one operation alone.
    #[arg(long, default_value = "mix", value_name = "OP", long_help = OP_HELP)]
    op: Op,
    /// Open loop: tasks per second, each timed from its due time.
    #[arg(long, conflicts_with_all = ["concurrency", "step_from"])]
    rate: Option<f64>,
    /// Closed loop: callers, each waiting for its answer [default: 32].
    #[arg(long, conflicts_with = "step_from")]
    concurrency: Option<usize>,
    /// Step mode: open-loop steps from this rate until p99 exceeds --p99-ms.
    #[arg(long, requires = "p99_ms")]
    step_from: Option<f64>,
    /// Step mode: what each step adds to the rate [default: --step-from].
    #[arg(long, requires = "step_from")]
    step_by: Option<f64>,
    /// Step mode: the p99 bound (milliseconds, over all calls) a step must hold.
    #[arg(long, requires = "step_from")]
    p99_ms: Option<f64>,
    /// Step mode: how long each step lasts (e.g. 3s).
    #[arg(long, default_value = "3s", value_parser = parse_duration)]
    step_duration: Duration,
    /// Step mode: the most steps taken.
    #[arg(long, default_value_t = 10)]
    max_steps: usize,
    /// How long the run (and the echo baseline) lasts (e.g. 10s, 500ms, 2m).
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    duration: Duration,

    /// Children to seed first through the public API (referral, screening, decision opening a
    /// case), spread over the authorities.
    #[arg(long, default_value_t = 20_000)]
    seed: usize,
    /// Children seeded at once.
    #[arg(long, default_value_t = 32)]
    seed_concurrency: usize,
    /// How long seeding may take before the run goes on with the children seeded so far.
    #[arg(long, default_value = "10m", value_parser = parse_duration)]
    seed_time_limit: Duration,
    /// HTTP/2 connections per server [default: one per 16 requests in flight].
    #[arg(long)]
    connections: Option<usize>,
    /// Open loop: requests in flight at most.
    #[arg(long, default_value_t = 4096)]
    max_in_flight: usize,
    /// Every request's deadline.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    timeout: Duration,
    /// Acknowledged creates read back afterwards, at most (an even sample beyond).
    #[arg(long, default_value_t = 5000)]
    verify_max: usize,
    /// Acknowledged creates sent again with their request_id (idempotency check).
    #[arg(long, default_value_t = 20)]
    retries: usize,
    /// Seeds every random choice, for a repeatable run.
    #[arg(long, default_value_t = 1)]
    random_seed: u64,
    /// Where report.json and latency.svg are written.
    #[arg(long, default_value = "load-report")]
    out: PathBuf,
    /// No progress bars (they are hidden anyway when stderr is not a terminal).
    #[arg(long)]
    no_progress: bool,
}

const OP_HELP: &str = "What to drive: mix (the realistic mix), or one operation alone: echo, \
get-case, list-cases, list-cases-deep, route-contact, assess-threshold, create-referral, decide \
(create, screen and decide), allocate, record-contact, record-meeting (schedule and record the \
outcome), transition (step up and back down)";

/// "10s", "500ms", "2m", "1h", or plain seconds ("2.5").
fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (number, unit) = match s.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    let n: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a duration (e.g. 10s, 500ms, 2m)"))?;
    let seconds = match unit {
        "ms" => n / 1e3,
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(format!("{s:?}: the unit is one of ms, s, m, h")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("{s:?}: {e}"))
}

impl LoadArgs {
    fn credentials(&self) -> anyhow::Result<Credentials> {
        if let Some(token) = &self.token {
            return Ok(Credentials::Token {
                token: token.clone(),
                authority: self.authority.clone(),
            });
        }
        let secret = self.secret.secret(false)?.with_context(|| {
            format!(
                "no credentials: give --token, --jwt-secret (CONTINUUM_JWT_SECRET) or the server's --dev-secret-file ({} does not exist)",
                self.secret.dev_secret_file.display()
            )
        })?;
        Ok(Credentials::Secret(secret))
    }

    fn config(&self) -> anyhow::Result<load::Config> {
        let mut config = load::Config::new(self.addr.clone(), self.credentials()?);
        config.echo = self.echo.clone();
        config.load = match (self.rate, self.concurrency, self.step_from) {
            (Some(rate), _, _) => Load::Open { rate },
            (_, _, Some(from)) => Load::Step(StepConfig {
                from,
                by: self.step_by.unwrap_or(from),
                p99_ms: self.p99_ms.unwrap_or(10.0),
                step_duration: self.step_duration,
                max_steps: self.max_steps,
            }),
            (_, concurrency, _) => Load::Closed {
                concurrency: concurrency.unwrap_or(32),
            },
        };
        config.duration = self.duration;
        config.op = self.op;
        config.seed = self.seed;
        config.seed_concurrency = self.seed_concurrency;
        config.seed_time_limit = self.seed_time_limit;
        config.connections = self.connections;
        config.max_in_flight = self.max_in_flight;
        config.request_timeout = self.timeout;
        config.verify_max = self.verify_max;
        config.idempotency_retries = self.retries;
        config.random_seed = self.random_seed;
        config.out_dir = Some(self.out.clone());
        config.progress = !self.no_progress;
        Ok(config)
    }
}

/// Log to stderr through a background thread, so a request never waits for a write to stderr
/// (one line per request is written at full load). Lines are never dropped: when the buffer
/// of `LOG_BUFFER_LINES` is full, logging waits. The guard flushes what is buffered when `main`
/// returns.
fn init_logging(format: LogFormat) -> tracing_appender::non_blocking::WorkerGuard {
    const LOG_BUFFER_LINES: usize = 128 * 1024;
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(LOG_BUFFER_LINES)
        .lossy(false)
        .thread_name("continuum-log")
        .finish(std::io::stderr());
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
    guard
}

/// How long SIGTERM waits for requests in flight before the process exits.
const DRAIN: std::time::Duration = std::time::Duration::from_secs(20);

/// SIGTERM (how orchestrators stop a process) or Ctrl-C.
/// The signals `serve` answers, listened for from before start-up: one sent while the server
/// starts is neither lost nor fatal (SIGTERM's and SIGHUP's default action ends the process).
struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hangup: tokio::signal::unix::Signal,
}

impl Signals {
    fn listen() -> std::io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                term: signal(SignalKind::terminate())?,
                hangup: signal(SignalKind::hangup())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Signals {})
        }
    }

    /// Wait for SIGTERM or Ctrl-C, reloading the TLS files on each SIGHUP meanwhile.
    async fn until_terminated(mut self, server: &continuum::RunningServer) -> std::io::Result<()> {
        #[cfg(unix)]
        loop {
            tokio::select! {
                r = tokio::signal::ctrl_c() => return r,
                _ = self.term.recv() => return Ok(()),
                _ = self.hangup.recv() => match server.reload_tls() {
                    Ok(()) if server.tls.is_some() => tracing::info!("SIGHUP: TLS certificate reloaded"),
                    Ok(()) => tracing::info!("SIGHUP: no TLS configured, nothing to reload"),
                    Err(e) => tracing::error!(error = %e, "SIGHUP: TLS reload failed: keeping the certificate in use"),
                },
            }
        }
        #[cfg(not(unix))]
        {
            let _ = (&mut self, server);
            tokio::signal::ctrl_c().await
        }
    }
}

fn main() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let _log_guard = init_logging(cli.log_format);
    match cli.command {
        Command::Plugins(command) => plugins::run(command),
        Command::Token(args) => {
            let role = Role::parse(&args.role).with_context(|| format!("unknown role {:?}: practitioner, manager, viewer or auditor", args.role))?;
            let secret = args
                .secret
                .secret(true)?
                .context("no secret: give --jwt-secret or --dev-secret-file")?;
            // Say which secret signed it: a server verifying with another one refuses it.
            if args.secret.jwt_secret.is_some() {
                eprintln!(
                    "signed with the secret given (--jwt-secret or CONTINUUM_JWT_SECRET); the \
                     server must be started with the same one"
                );
            } else {
                eprintln!(
                    "signed with the development secret in {}: the one `continuum serve` uses \
                     when it is given no --jwt-secret or --jwt-public-key",
                    args.secret.dev_secret_file.display()
                );
            }
            println!("{}", mint_hs256(&secret, &args.subject, &args.authority, role, args.hours * 3600)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit(AuditCommand::Verify(args)) => runtime()?.block_on(async {
            let store =
                continuum_storage::Store::connect(&args.database.database_url).await?;
            let checks =
                continuum_storage::chain::verify(&store, args.authority.as_deref()).await?;
            let mut broken = 0;
            for check in &checks {
                match &check.problem {
                    None => println!(
                        "ok      {}: {} rows, head {} {}",
                        check.chain, check.rows, check.head_seq, check.head_hash
                    ),
                    Some(problem) => {
                        broken += 1;
                        println!("BROKEN  {}: {problem}", check.chain);
                    }
                }
            }
            println!(
                "{} chains checked, {} intact, {broken} broken",
                checks.len(),
                checks.len() - broken
            );
            Ok(if broken == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }),
        Command::Migrate(args) => runtime()?.block_on(async {
            let store = continuum_storage::Store::connect(&args.database_url).await?;
            store.migrate().await?;
            tracing::info!("database is up to date");
            Ok(ExitCode::SUCCESS)
        }),
        Command::Serve(args) => runtime()?.block_on(async {
            let args = *args;
            let config = ServerConfig {
                listen: args.listen,
                database_url: args.database.database_url,
                plugins_dir: args.plugins_dir.unwrap_or_else(default_plugins_dir),
                keys: args.keys.source(),
                calendar_file: args.calendar_file,
                jwt_issuer: args.jwt_issuer,
                jwt_audience: args.jwt_audience,
                profile: if args.profile == "production" {
                    Profile::Production
                } else {
                    Profile::Development
                },
                insecure_plaintext: args.insecure_plaintext,
                max_in_flight: args.max_in_flight,
                tls_cert: args.tls_cert,
                tls_key: args.tls_key,
                tls_client_ca: args.tls_client_ca,
                max_connections: args
                    .max_connections
                    .map(|max| usize::try_from(max).unwrap_or(usize::MAX)),
                handshake_timeout: Some(std::time::Duration::from_secs(args.handshake_timeout)),
                tls_reload_interval: Some(std::time::Duration::from_secs(
                    args.tls_reload_interval,
                )),
            };
            if matches!(config.keys, KeySource::DevSecretFile(_)) {
                tracing::warn!("no CONTINUUM_JWT_SECRET or CONTINUUM_JWT_PUBLIC_KEY: using the development secret file (mint tokens with `continuum token`)");
            }
            let signals = Signals::listen()?;
            let server = continuum::start(&config).await?;
            println!("continuum listening on {}", server.addr);
            signals.until_terminated(&server).await?;
            tracing::info!("shutting down: health NOT_SERVING, draining requests in flight");
            if !server.drain(DRAIN).await? {
                tracing::warn!(bound_s = DRAIN.as_secs(), "requests still in flight were cut off");
            }
            Ok(ExitCode::SUCCESS)
        }),
        Command::Echo(args) => runtime()?.block_on(async {
            let listener = tokio::net::TcpListener::bind(args.listen)
                .await
                .with_context(|| format!("cannot listen on {}", args.listen))?;
            println!("continuum echo listening on {}", listener.local_addr()?);
            continuum::echo::serve(listener, async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
            Ok(ExitCode::SUCCESS)
        }),
        Command::Load(args) => {
            let config = args.config()?;
            let report = runtime()?.block_on(load::run(config))?;
            print!("{}", report.table());
            if report.passed() {
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("continuum load: correctness checks FAILED (see above and report.json)");
                Ok(ExitCode::from(2))
            }
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}
