//! Settings: one value loaded once at start and passed in, never a global. Layers, lowest first:
//! the compiled-in `config/default.toml`, an optional `--config FILE`, `PATCHBAY__SECTION__KEY`
//! environment variables, then command-line flags.

use serde::Deserialize;
use std::path::Path;

const DEFAULTS: &str = include_str!("../../../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub store: StoreSettings,
    pub fixtures: FixtureSettings,
    pub control: ControlSettings,
    pub log: LogSettings,
    pub ui: UiSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub bind: String,
    pub public_url: String,
    pub workers: usize,
    pub body_limit: usize,
    pub shutdown_timeout: u64,
    // Connection limits: what one slow or idle client can hold, and for how long.
    /// Seconds a client has to send a request's head (0: no limit).
    pub head_timeout: u64,
    /// Seconds a client has to send a request's whole body, from its head (0: no limit).
    pub body_timeout: u64,
    /// Seconds an idle keep-alive connection is kept open (0: closed after each response).
    pub keep_alive: u64,
    /// Connections each worker holds at most; more wait in the listen queue.
    pub max_connections: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreSettings {
    pub db: String,
    pub readers: usize,
    pub batch_max: usize,
    pub synchronous: String,
    pub cache_records: usize,
    pub cache_bytes: usize,
    /// `PRAGMA quick_check` of the database file at start; a damaged file stops the start.
    pub quick_check: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureSettings {
    pub dir: String,
    pub load: bool,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlSettings {
    pub open_keys: bool,
    pub open_keys_bytes: usize,
    /// Open tenants held at most.
    pub open_keys_max: usize,
    /// Seconds after which an open tenant that served no request is removed (0: never).
    pub open_keys_idle_expiry: u64,
    pub admin_token: String,
    pub journal_capacity: usize,
    pub journal_bytes: usize,
    /// Networks whose clients may use the control API without the admin token.
    pub allow_networks: Vec<ipnet::IpNet>,
    // Memory bounds of the control plane: one journal entry's body, control bodies, fault rules.
    /// The largest body one journal entry keeps.
    pub journal_entry_bytes: usize,
    /// The largest body of a control request other than a seed (reset, fault rules).
    pub control_body_bytes: usize,
    /// The largest body of `POST /_patchbay/seed`.
    pub seed_bytes: usize,
    /// The most fault rules in force at once.
    pub fault_rules: usize,
}

impl std::fmt::Debug for ControlSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ControlSettings")
            .field("open_keys", &self.open_keys)
            .field("open_keys_bytes", &self.open_keys_bytes)
            .field("open_keys_max", &self.open_keys_max)
            .field("open_keys_idle_expiry", &self.open_keys_idle_expiry)
            .field(
                "admin_token",
                &(!self.admin_token.is_empty()).then_some("****"),
            )
            .field("journal_capacity", &self.journal_capacity)
            .field("journal_bytes", &self.journal_bytes)
            .field("allow_networks", &self.allow_networks)
            .field("journal_entry_bytes", &self.journal_entry_bytes)
            .field("control_body_bytes", &self.control_body_bytes)
            .field("seed_bytes", &self.seed_bytes)
            .field("fault_rules", &self.fault_rules)
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub level: String,
    pub format: String,
}

/// The browser dashboard and its live journal stream.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiSettings {
    /// The most viewers of `GET /_patchbay/requests/stream` at once; more get 503.
    pub stream_viewers: usize,
    /// Seconds between the stream's heartbeat comments, so idle connections stay open.
    pub stream_heartbeat_secs: u64,
}

/// Command-line values that override every other layer; `None` leaves the setting alone.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub bind: Option<String>,
    pub db: Option<String>,
    pub fixtures: Option<String>,
    pub public_url: Option<String>,
    pub open_keys: Option<bool>,
    pub admin_token: Option<String>,
    pub log_level: Option<String>,
    pub log_format: Option<String>,
}

impl Settings {
    /// Loads every layer. `file` is `--config`; it must exist when given.
    pub fn load(
        file: Option<&Path>,
        overrides: &Overrides,
    ) -> Result<Settings, config::ConfigError> {
        let mut builder = config::Config::builder()
            .add_source(config::File::from_str(DEFAULTS, config::FileFormat::Toml));
        if let Some(file) = file {
            builder = builder.add_source(config::File::from(file).required(true));
        }
        builder = builder.add_source(
            config::Environment::with_prefix("PATCHBAY")
                .prefix_separator("__")
                .separator("__")
                .try_parsing(true)
                .list_separator(",")
                .with_list_parse_key("control.allow_networks"),
        );
        let pairs = [
            ("server.bind", &overrides.bind),
            ("store.db", &overrides.db),
            ("fixtures.dir", &overrides.fixtures),
            ("server.public_url", &overrides.public_url),
            ("log.level", &overrides.log_level),
            ("log.format", &overrides.log_format),
        ];
        for (key, value) in pairs {
            if let Some(value) = value {
                builder = builder.set_override(key, value.as_str())?;
            }
        }
        if let Some(token) = &overrides.admin_token {
            builder = builder.set_override("control.admin_token", token.as_str())?;
        }
        if let Some(open_keys) = overrides.open_keys {
            builder = builder.set_override("control.open_keys", open_keys)?;
        }
        builder.build()?.try_deserialize()
    }

    /// Refuses values that would fail only later (or be silently replaced by a default), each
    /// with what is accepted instead. Runs before anything is opened or loaded.
    pub fn validate(&self) -> Result<(), String> {
        one_of("log.format", &self.log.format, LOG_FORMATS)?;
        validate_log_level(&self.log.level)?;
        one_of(
            "store.synchronous",
            &self.store.synchronous.to_ascii_lowercase(),
            SYNCHRONOUS_MODES,
        )?;
        validate_bind(&self.server.bind)?;
        let public_url = &self.server.public_url;
        if !public_url.is_empty() {
            let parsed = url::Url::parse(public_url)
                .map_err(|error| format!("server.public_url {public_url:?}: {error}"))?;
            if !matches!(parsed.scheme(), "http" | "https") || !parsed.has_host() {
                return Err(format!(
                    "server.public_url {public_url:?}: must be an http:// or https:// URL"
                ));
            }
        }
        for (name, value) in [
            ("store.readers", self.store.readers),
            ("store.batch_max", self.store.batch_max),
        ] {
            if value == 0 {
                return Err(format!("{name} = 0: must be at least 1"));
            }
        }
        let dir = Path::new(&self.fixtures.dir);
        // The default directory may be absent (the built-in demo data stands in); one that was
        // named on purpose and is missing is a mistake worth stopping for.
        if self.fixtures.load && self.fixtures.dir != DEFAULT_FIXTURES_DIR && !dir.is_dir() {
            return Err(format!(
                "fixtures.dir {:?}: no such directory (`patchbay fixtures export DIR` writes the built-in demo data to one)",
                self.fixtures.dir
            ));
        }
        Ok(())
    }
}

/// The default `fixtures.dir`, relative, so that it is found only when started in the checkout.
pub const DEFAULT_FIXTURES_DIR: &str = "fixtures";
pub const LOG_FORMATS: &[&str] = &["full", "compact", "json"];
pub const LOG_LEVELS: &[&str] = &["trace", "debug", "info", "warn", "error", "off"];
pub const SYNCHRONOUS_MODES: &[&str] = &["off", "normal", "full", "extra"];

fn one_of(name: &str, value: &str, valid: &[&str]) -> Result<(), String> {
    if valid.contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "{name} {value:?} is not one of: {}",
            valid.join(", ")
        ))
    }
}

/// A tracing filter accepts almost any word as a target name, so `verbose` would quietly mean
/// "everything from a module called verbose": here each directive must be a level, or
/// `TARGET=LEVEL`.
fn validate_log_level(filter: &str) -> Result<(), String> {
    let refused = |directive: &str| {
        format!(
            "log.level {filter:?}: {directive:?} is not a level; use one of {}, or TARGET=LEVEL directives separated by commas",
            LOG_LEVELS.join(", ")
        )
    };
    for directive in filter.split(',').map(str::trim) {
        let level = match directive.rsplit_once('=') {
            Some((target, level)) if !target.is_empty() => level,
            Some(_) => return Err(refused(directive)),
            None => directive,
        };
        if !LOG_LEVELS.contains(&level.to_ascii_lowercase().as_str()) {
            return Err(refused(directive));
        }
    }
    Ok(())
}

fn validate_bind(bind: &str) -> Result<(), String> {
    use std::net::ToSocketAddrs;
    match bind.to_socket_addrs().map(|mut addresses| addresses.next()) {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(format!("server.bind {bind:?}: resolves to no address")),
        Err(error) => Err(format!(
            "server.bind {bind:?}: {error} (expected ADDRESS:PORT, such as 127.0.0.1:8080 or 0.0.0.0:0)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_load_and_flags_win() {
        let settings = Settings::load(None, &Overrides::default()).expect("defaults");
        assert_eq!(settings.server.bind, "127.0.0.1:8080");
        assert_eq!(settings.store.db, "patchbay.db");
        assert_eq!(settings.server.body_limit, 1024 * 1024);
        let overrides = Overrides {
            bind: Some("127.0.0.1:0".into()),
            db: Some(":memory:".into()),
            ..Overrides::default()
        };
        let settings = Settings::load(None, &overrides).expect("overridden");
        assert_eq!(settings.server.bind, "127.0.0.1:0");
        assert_eq!(settings.store.db, ":memory:");
    }

    #[test]
    fn a_config_file_is_layered_over_the_defaults() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/test.toml");
        let settings = Settings::load(Some(&path), &Overrides::default()).expect("test config");
        assert_eq!(settings.server.bind, "127.0.0.1:0");
        assert_eq!(settings.log.level, "warn");
        assert_eq!(settings.store.synchronous, "normal");
    }

    fn validated(adjust: impl FnOnce(&mut Settings)) -> Result<(), String> {
        let mut settings = Settings::load(None, &Overrides::default()).expect("defaults");
        adjust(&mut settings);
        settings.validate()
    }

    #[test]
    fn the_defaults_are_valid() {
        assert_eq!(validated(|_| {}), Ok(()));
        assert_eq!(
            validated(|settings| {
                settings.log.level = "patchbay_server=debug, warn".into();
                settings.log.format = "json".into();
                settings.store.synchronous = "FULL".into();
                settings.server.bind = "[::1]:0".into();
                settings.server.public_url = "https://patchbay.test:8443/".into();
            }),
            Ok(())
        );
    }

    #[test]
    fn unknown_values_are_refused_with_the_valid_ones() {
        let error = validated(|settings| settings.log.format = "jsn".into()).expect_err("format");
        assert_eq!(
            error,
            "log.format \"jsn\" is not one of: full, compact, json"
        );
        let error = validated(|settings| settings.log.level = "verbose".into()).expect_err("level");
        assert!(
            error.contains(
                "\"verbose\" is not a level; use one of trace, debug, info, warn, error, off"
            ),
            "{error}"
        );
        let error =
            validated(|settings| settings.log.level = "info,patchbay=loud".into()).expect_err("");
        assert!(
            error.contains("\"patchbay=loud\" is not a level"),
            "{error}"
        );
        let error =
            validated(|settings| settings.store.synchronous = "sometimes".into()).expect_err("");
        assert_eq!(
            error,
            "store.synchronous \"sometimes\" is not one of: off, normal, full, extra"
        );
        let error = validated(|settings| settings.server.bind = "8080".into()).expect_err("bind");
        assert!(error.starts_with("server.bind \"8080\": "), "{error}");
        let error = validated(|settings| settings.server.public_url = "patchbay:8080".into())
            .expect_err("");
        assert!(
            error.contains("must be an http:// or https:// URL"),
            "{error}"
        );
        let error =
            validated(|settings| settings.fixtures.dir = "/no/such/dir".into()).expect_err("");
        assert!(
            error.starts_with("fixtures.dir \"/no/such/dir\": no such directory"),
            "{error}"
        );
        assert_eq!(
            validated(|settings| {
                settings.fixtures.dir = "/no/such/dir".into();
                settings.fixtures.load = false;
            }),
            Ok(())
        );
    }
}
