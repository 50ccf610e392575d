//! The `patchbay` command line: `serve`, `check-fixtures DIR`, `fixtures export DIR`,
//! `health` and `completions SHELL`.

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use patchbay_server::{fixtures, telemetry, Application, Overrides, Settings};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "patchbay",
    version,
    about = "Stateful, vendor-faithful emulator of integration vendors' APIs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Every `serve` flag also reads the environment variable that sets the same setting (the names
/// `settings.rs` reads), so a flag and its variable never disagree about which is which.
#[derive(Subcommand)]
enum Command {
    /// Serve every vendor on one port.
    #[command(
        after_help = "Settings are layered: built-in defaults, --config FILE, PATCHBAY__SECTION__KEY \
        environment variables (every key of config/default.toml, e.g. PATCHBAY__CONTROL__ALLOW_NETWORKS), \
        then these flags."
    )]
    Serve {
        /// ADDR:PORT to listen on (port 0 picks a free one).
        #[arg(long, env = "PATCHBAY__SERVER__BIND", value_name = "ADDR:PORT")]
        bind: Option<String>,
        /// SQLite database file, or `:memory:`.
        #[arg(long, env = "PATCHBAY__STORE__DB", value_name = "FILE")]
        db: Option<String>,
        /// Directory of `<vendor>.json` fixture files; the default `fixtures`, when absent, means
        /// the demo data built into the binary.
        #[arg(long, env = "PATCHBAY__FIXTURES__DIR", value_name = "DIR")]
        fixtures: Option<String>,
        /// The URL clients reach patchbay at (for absolute links); empty: derived from the bound
        /// address.
        #[arg(long, env = "PATCHBAY__SERVER__PUBLIC_URL", value_name = "URL")]
        public_url: Option<String>,
        /// A TOML settings file layered over the defaults.
        #[arg(long, env = "PATCHBAY_CONFIG", value_name = "FILE")]
        config: Option<PathBuf>,
        /// Create a tenant for an unknown, well-formed key on first use.
        #[arg(long, env = "PATCHBAY__CONTROL__OPEN_KEYS")]
        open_keys: bool,
        /// Require `Authorization: Bearer TOKEN` on the control API (else loopback only). Prefer
        /// the environment variable: a flag's value is visible to every user in `ps`.
        #[arg(
            long,
            value_name = "TOKEN",
            env = "PATCHBAY__CONTROL__ADMIN_TOKEN",
            hide_env_values = true
        )]
        admin_token: Option<String>,
        /// Log filter: a level (trace, debug, info, warn, error, off) or TARGET=LEVEL directives;
        /// RUST_LOG overrides it.
        #[arg(long, env = "PATCHBAY__LOG__LEVEL", value_name = "FILTER")]
        log_level: Option<String>,
        /// Log line format.
        #[arg(
            long,
            env = "PATCHBAY__LOG__FORMAT",
            value_parser = clap::builder::PossibleValuesParser::new(patchbay_server::settings::LOG_FORMATS)
        )]
        log_format: Option<String>,
    },
    /// Validate fixture files: every error, with file:line:column and JSON path.
    CheckFixtures { dir: PathBuf },
    /// The demo fixtures built into the binary.
    #[command(subcommand)]
    Fixtures(FixturesCommand),
    /// Exit 0 if the server at URL answers its health route (a container's HEALTHCHECK: the image
    /// needs no HTTP client of its own).
    Health {
        #[arg(long, default_value = "http://127.0.0.1:8080", value_name = "URL")]
        url: String,
    },
    /// Print a shell completion script, e.g. `patchbay completions bash > /etc/bash_completion.d/patchbay`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Subcommand)]
enum FixturesCommand {
    /// Write the built-in demo fixtures into DIR (created if missing), to edit and serve with
    /// `--fixtures DIR`.
    Export {
        dir: PathBuf,
        /// Replace files already in DIR.
        #[arg(long)]
        force: bool,
    },
}

/// The `serve` flags whose help shows the built-in default, read from the compiled-in settings so
/// that help and behaviour cannot drift apart.
fn with_defaults(command: clap::Command) -> clap::Command {
    let Ok(defaults) = Settings::load(None, &Overrides::default()) else {
        return command;
    };
    let shown = [
        ("bind", defaults.server.bind.clone()),
        ("db", defaults.store.db.clone()),
        ("fixtures", defaults.fixtures.dir.clone()),
        ("log_level", defaults.log.level.clone()),
        ("log_format", defaults.log.format.clone()),
    ];
    command.mut_subcommand("serve", |serve| {
        shown.into_iter().fold(serve, |serve, (id, value)| {
            serve.mut_arg(id, |arg| {
                let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
                arg.help(format!("{help} [default: {value}]"))
            })
        })
    })
}

#[actix_web::main]
async fn main() -> ExitCode {
    let matches = with_defaults(Cli::command()).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    match cli.command {
        Command::Serve {
            bind,
            db,
            fixtures,
            public_url,
            config,
            open_keys,
            admin_token,
            log_level,
            log_format,
        } => {
            let overrides = Overrides {
                bind,
                db,
                fixtures,
                public_url,
                open_keys: open_keys.then_some(true),
                admin_token,
                log_level,
                log_format,
            };
            let settings = match Settings::load(config.as_deref(), &overrides) {
                Ok(settings) => settings,
                Err(error) => return fail(&format!("settings: {error}")),
            };
            if let Err(error) = settings.validate() {
                return fail(&format!("settings: {error}"));
            }
            telemetry::init(&settings.log.level, &settings.log.format);
            let app = match Application::build(settings).await {
                Ok(app) => app,
                Err(error) => {
                    let _ = fail(&error.to_string());
                    return ExitCode::from(error.exit_code());
                }
            };
            if let Err(error) = stop_on_signals(app.handle()) {
                return fail(&format!("cannot listen for signals: {error}"));
            }
            let mut stdout = std::io::stdout().lock();
            let _ = stdout
                .write_all(app.banner().as_bytes())
                .and_then(|()| stdout.flush());
            drop(stdout);
            let stopped = app.run_until_stopped().await;
            telemetry::flush();
            match stopped {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => fail(&format!("server: {error}")),
            }
        }
        Command::CheckFixtures { dir } => {
            let report = fixtures::check(&dir);
            report.lines.iter().for_each(|line| println!("{line}"));
            report
                .warnings
                .iter()
                .for_each(|warning| eprintln!("warning: {warning}"));
            report
                .errors
                .iter()
                .for_each(|error| eprintln!("error: {error}"));
            if report.errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                eprintln!("{} errors", report.errors.len());
                ExitCode::FAILURE
            }
        }
        Command::Fixtures(FixturesCommand::Export { dir, force }) => {
            match fixtures::export(&dir, force) {
                Ok(written) => {
                    written.iter().for_each(|path| println!("wrote {path}"));
                    ExitCode::SUCCESS
                }
                Err(error) => fail(&error),
            }
        }
        Command::Health { url } => match health(&url) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => fail(&format!("health {url}: {error}")),
        },
        Command::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "patchbay", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
    }
}

/// `GET /_patchbay/health` over a plain HTTP/1.0 connection, within a few seconds.
fn health(url: &str) -> Result<(), String> {
    use std::io::Read;
    use std::net::{TcpStream, ToSocketAddrs};
    use std::time::Duration;
    let parsed = url::Url::parse(url).map_err(|error| error.to_string())?;
    if parsed.scheme() != "http" {
        return Err("only http:// URLs".into());
    }
    let host = parsed.host_str().ok_or("no host")?;
    let port = parsed.port_or_known_default().unwrap_or(80);
    let address = (host, port)
        .to_socket_addrs()
        .map_err(|error| error.to_string())?
        .next()
        .ok_or("the host resolves to no address")?;
    let timeout = Duration::from_secs(3);
    let mut stream =
        TcpStream::connect_timeout(&address, timeout).map_err(|error| error.to_string())?;
    stream
        .set_read_timeout(Some(timeout))
        .and_then(|()| stream.set_write_timeout(Some(timeout)))
        .map_err(|error| error.to_string())?;
    let path = format!("{}/_patchbay/health", parsed.path().trim_end_matches('/'));
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n")
        .map_err(|error| error.to_string())?;
    let mut answer = Vec::new();
    stream
        .take(64 * 1024)
        .read_to_end(&mut answer)
        .map_err(|error| error.to_string())?;
    let answer = String::from_utf8_lossy(&answer);
    let status_line = answer.lines().next().unwrap_or_default();
    if status_line.split(' ').nth(1) == Some("200") {
        Ok(())
    } else {
        Err(format!("answered {status_line:?}"))
    }
}

/// SIGINT and SIGTERM stop the server gracefully: in-flight requests finish, queued writes commit.
/// The listeners are registered before returning, so a signal right after the banner is handled.
/// Nothing here writes to stderr directly: a closed stderr must not keep the server running.
fn stop_on_signals(handle: actix_web::dev::ServerHandle) -> std::io::Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    actix_web::rt::spawn(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
        tracing::info!("signal received: shutting down");
        handle.stop(true).await;
    });
    Ok(())
}

fn fail(message: &str) -> ExitCode {
    // `eprintln!` would panic on a closed stderr.
    let _ = writeln!(std::io::stderr(), "patchbay: {message}");
    ExitCode::FAILURE
}
