//! `patchbay serve` and `patchbay check-fixtures DIR`.

use clap::{Parser, Subcommand};
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

#[derive(Subcommand)]
enum Command {
    /// Serve every vendor on one port.
    Serve {
        /// ADDR:PORT to listen on (port 0 picks a free one).
        #[arg(long)]
        bind: Option<String>,
        /// SQLite database file, or `:memory:`.
        #[arg(long)]
        db: Option<String>,
        /// Directory of `<vendor>.json` fixture files.
        #[arg(long)]
        fixtures: Option<String>,
        /// The URL clients reach patchbay at (for absolute links).
        #[arg(long)]
        public_url: Option<String>,
        /// A TOML settings file layered over the defaults.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Create a tenant for an unknown, well-formed key on first use.
        #[arg(long)]
        open_keys: bool,
        /// Require `Authorization: Bearer TOKEN` on the control API (else loopback only).
        #[arg(long, value_name = "TOKEN")]
        admin_token: Option<String>,
    },
    /// Validate fixture files and report errors with file and JSON path.
    CheckFixtures { dir: PathBuf },
}

#[actix_web::main]
async fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Serve {
            bind,
            db,
            fixtures,
            public_url,
            config,
            open_keys,
            admin_token,
        } => {
            let overrides = Overrides {
                bind,
                db,
                fixtures,
                public_url,
                open_keys: open_keys.then_some(true),
                admin_token,
            };
            let settings = match Settings::load(config.as_deref(), &overrides) {
                Ok(settings) => settings,
                Err(error) => return fail(&format!("settings: {error}")),
            };
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
        Command::CheckFixtures { dir } => match fixtures::check(&dir) {
            Ok(lines) => {
                lines.iter().for_each(|line| println!("{line}"));
                ExitCode::SUCCESS
            }
            Err(errors) => {
                errors.iter().for_each(|error| eprintln!("error: {error}"));
                ExitCode::FAILURE
            }
        },
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
