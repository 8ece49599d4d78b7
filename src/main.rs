//! The `continuum` command line: `serve`, `migrate`, `token`, `plugins check`.

mod plugins;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};
use continuum::auth::{Role, mint_hs256};
use continuum::config::{KeySource, ServerConfig, default_plugins_dir, dev_secret};

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
    Serve(ServeArgs),
    /// Bring the database schema up to date, then exit.
    Migrate(DatabaseArgs),
    /// Mint a development bearer token signed with the HS256 secret.
    Token(TokenArgs),
    /// Work with authority plugins.
    #[command(subcommand)]
    Plugins(plugins::PluginsCommand),
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
    /// Development secret file, created if missing, used when neither of the above is given.
    #[arg(
        long,
        env = "CONTINUUM_DEV_SECRET_FILE",
        default_value = "continuum.dev-secret"
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
    #[command(flatten)]
    keys: KeyArgs,
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
    #[arg(long, env = "CONTINUUM_JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<String>,
    #[arg(
        long,
        env = "CONTINUUM_DEV_SECRET_FILE",
        default_value = "continuum.dev-secret"
    )]
    dev_secret_file: PathBuf,
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

fn main() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    match cli.command {
        Command::Plugins(command) => plugins::run(command),
        Command::Token(args) => {
            let role = Role::parse(&args.role).with_context(|| format!("unknown role {:?}: practitioner, manager or viewer", args.role))?;
            let secret = match args.jwt_secret {
                Some(s) => s.into_bytes(),
                None => dev_secret(&args.dev_secret_file)?,
            };
            println!("{}", mint_hs256(&secret, &args.subject, &args.authority, role, args.hours * 3600)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate(args) => runtime()?.block_on(async {
            let store = continuum_storage::Store::connect(&args.database_url).await?;
            store.migrate().await?;
            tracing::info!("database is up to date");
            Ok(ExitCode::SUCCESS)
        }),
        Command::Serve(args) => runtime()?.block_on(async {
            let config = ServerConfig {
                listen: args.listen,
                database_url: args.database.database_url,
                plugins_dir: args.plugins_dir.unwrap_or_else(default_plugins_dir),
                keys: args.keys.source(),
            };
            if matches!(config.keys, KeySource::DevSecretFile(_)) {
                tracing::warn!("no CONTINUUM_JWT_SECRET or CONTINUUM_JWT_PUBLIC_KEY: using the development secret file (mint tokens with `continuum token`)");
            }
            let server = continuum::start(&config).await?;
            println!("continuum listening on {}", server.addr);
            tokio::signal::ctrl_c().await?;
            tracing::info!("shutting down");
            server.stop().await?;
            Ok(ExitCode::SUCCESS)
        }),
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}
