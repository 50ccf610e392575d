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
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub level: String,
    pub format: String,
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
                .try_parsing(true),
        );
        let pairs = [
            ("server.bind", &overrides.bind),
            ("store.db", &overrides.db),
            ("fixtures.dir", &overrides.fixtures),
            ("server.public_url", &overrides.public_url),
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
}
