//! The service's configuration (a TOML file), its senders (the tokens file, which holds only
//! SHA-256 hashes of tokens) and the making of new tokens.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use dsti::ident::Uscc;
use dsti::validate::Profile;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The configuration file of `dsti serve`.
///
/// Relative paths (`tokens`, the profiles) are read relative to the directory that holds the
/// configuration file, so that a deployment can be moved as one directory.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Config {
    /// The address to listen on, e.g. `127.0.0.1:8480`.
    pub listen: SocketAddr,
    /// The tokens file: `[{"sender":"<USCC>","name":"…","sha256":"<hex of the token>"}]`.
    pub tokens: PathBuf,
    /// Where clients reach the service (behind the proxy); used in the OpenAPI document.
    #[serde(default)]
    pub public_base_url: Option<String>,
    /// Largest upload body, in bytes, after decompression. Default 2 GiB.
    #[serde(default = "default_max_body_bytes")]
    pub max_body_bytes: u64,
    /// Uploads and migrations judged at once; more get 429. Default 64.
    #[serde(default = "default_max_concurrent_uploads")]
    pub max_concurrent_uploads: usize,
    /// Seconds a client may take to send a request's headers. Default 10.
    #[serde(default = "default_header_timeout_secs")]
    pub header_timeout_secs: u64,
    /// Seconds a whole request may take, its body and answer included. Default 900.
    #[serde(default = "default_request_timeout_secs")]
    pub request_timeout_secs: u64,
    /// Seconds uploads in flight may take to finish after SIGTERM. Default 60.
    #[serde(default = "default_drain_grace_secs")]
    pub drain_grace_secs: u64,
    /// Validator threads of an upload alone; uploads at once share them. Default: the cores.
    #[serde(default)]
    pub jobs: Option<usize>,
    /// Threads that run the connections: HTTP, the bodies' and answers' bytes, single-record
    /// validation. Default: half the cores, at least one (the uploads' validator threads, one
    /// per core, do the heavy work; more connection threads than that only wake each other).
    #[serde(default)]
    pub http_threads: Option<usize>,
    /// Named profiles (`?profile=NAME`); `default` always exists.
    #[serde(default)]
    pub profiles: BTreeMap<String, PathBuf>,
}

fn default_max_body_bytes() -> u64 {
    2 << 30
}
fn default_max_concurrent_uploads() -> usize {
    64
}
fn default_header_timeout_secs() -> u64 {
    10
}
fn default_request_timeout_secs() -> u64 {
    900
}
fn default_drain_grace_secs() -> u64 {
    60
}

/// What can be wrong with a configuration, its tokens file or a profile.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A file cannot be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The configuration is not valid TOML of the expected shape.
    #[error("{path}: {message}")]
    Toml {
        /// The file.
        path: PathBuf,
        /// What the parser says.
        message: String,
    },
    /// The tokens file is malformed (its values are never shown).
    #[error("{path}: {message}")]
    Tokens {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A profile is malformed.
    #[error("profile {name}: {message}")]
    Profile {
        /// The profile's name in the configuration.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// A value is out of range.
    #[error("{0}")]
    Invalid(String),
}

impl Config {
    /// Read a configuration file; relative paths in it are resolved against its directory.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut config = Config::from_toml(&text).map_err(|e| match e {
            ConfigError::Toml { message, .. } => ConfigError::Toml {
                path: path.to_owned(),
                message,
            },
            other => other,
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        config.tokens = base.join(&config.tokens);
        for file in config.profiles.values_mut() {
            *file = base.join(&*file);
        }
        Ok(config)
    }

    /// Parse a configuration; relative paths stay as written.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Toml {
            path: PathBuf::new(),
            message: e.message().to_owned(),
        })?;
        if config.max_concurrent_uploads == 0 {
            return Err(ConfigError::Invalid(
                "max_concurrent_uploads must be at least 1".into(),
            ));
        }
        if config.http_threads == Some(0) {
            return Err(ConfigError::Invalid(
                "http_threads must be at least 1".into(),
            ));
        }
        if config.header_timeout_secs == 0 || config.request_timeout_secs == 0 {
            return Err(ConfigError::Invalid(
                "timeouts must be at least 1 second".into(),
            ));
        }
        Ok(config)
    }

    /// Load every profile the configuration names, with `default` (the standard's defaults
    /// unless the configuration names a file for it).
    pub fn load_profiles(&self) -> Result<BTreeMap<String, Profile>, ConfigError> {
        let mut out = BTreeMap::new();
        out.insert("default".to_owned(), Profile::default());
        for (name, path) in &self.profiles {
            let profile = Profile::load(path).map_err(|e| ConfigError::Profile {
                name: name.clone(),
                message: format!("{}: {e}", path.display()),
            })?;
            out.insert(name.clone(), profile);
        }
        Ok(out)
    }
}

/// One line of the tokens file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TokenEntry {
    /// The sender's unified social credit code.
    pub sender: String,
    /// The sender's name, for people reading the file.
    #[serde(default)]
    pub name: String,
    /// SHA-256 of the token, lower-case hex.
    pub sha256: String,
}

/// A known sender.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Sender {
    /// Its unified social credit code.
    pub uscc: Uscc,
    /// Its name.
    pub name: String,
}

/// The senders of a tokens file, by the SHA-256 of their token. The tokens themselves are
/// never held.
#[derive(Debug, Clone, Default)]
pub struct Senders {
    by_hash: HashMap<[u8; 32], Sender>,
}

impl Senders {
    /// Read a tokens file.
    pub fn load(path: &Path) -> Result<Senders, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Senders::from_json(&text).map_err(|message| ConfigError::Tokens {
            path: path.to_owned(),
            message,
        })
    }

    /// Parse the tokens file's JSON.
    pub fn from_json(text: &str) -> Result<Senders, String> {
        let entries: Vec<TokenEntry> = serde_json::from_str(text)
            .map_err(|e| format!("not a list of {{sender, name, sha256}}: {e}"))?;
        let mut by_hash = HashMap::new();
        for (i, entry) in entries.into_iter().enumerate() {
            let hash = parse_hex32(&entry.sha256)
                .ok_or_else(|| format!("entry {i}: sha256 is not 64 hex digits"))?;
            let uscc: Uscc = entry
                .sender
                .parse()
                .map_err(|_| format!("entry {i}: sender is not a valid USCC"))?;
            let sender = Sender {
                uscc,
                name: entry.name,
            };
            if by_hash.insert(hash, sender).is_some() {
                return Err(format!("entry {i}: the same token hash appears twice"));
            }
        }
        Ok(Senders { by_hash })
    }

    /// The sender whose token this is.
    pub fn find(&self, token: &str) -> Option<&Sender> {
        let hash: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        self.by_hash.get(&hash)
    }

    /// How many tokens are known.
    pub fn len(&self) -> usize {
        self.by_hash.len()
    }

    /// Whether no token is known.
    pub fn is_empty(&self) -> bool {
        self.by_hash.is_empty()
    }
}

/// SHA-256 of `bytes` in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

fn parse_hex32(text: &str) -> Option<[u8; 32]> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        let hi = char::from(pair[0]).to_digit(16)?;
        let lo = char::from(pair[1]).to_digit(16)?;
        out[i] = u8::try_from(hi * 16 + lo).ok()?;
    }
    Some(out)
}

/// A new random bearer token for `sender` (`dsti_` and 64 hex digits, 256 bits from the
/// operating system's generator) and its tokens-file entry.
pub fn new_token(sender: &Uscc, name: &str) -> Result<(String, TokenEntry), getrandom::Error> {
    let mut random = [0u8; 32];
    getrandom::fill(&mut random)?;
    let token = format!("dsti_{}", hex(&random));
    let entry = TokenEntry {
        sender: sender.as_str().to_owned(),
        name: name.to_owned(),
        sha256: sha256_hex(token.as_bytes()),
    };
    Ok((token, entry))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_token_is_found_by_its_hash_only() {
        let uscc: Uscc = "91440101MA5CYUF35N".parse().expect("uscc");
        let (token, entry) = new_token(&uscc, "甲").expect("token");
        assert!(token.starts_with("dsti_") && token.len() == 69);
        let file = serde_json::to_string(&[&entry]).expect("json");
        assert!(!file.contains(&token[5..]), "the file holds no token");
        let senders = Senders::from_json(&file).expect("senders");
        assert_eq!(
            senders.find(&token).map(|s| s.uscc.as_str()),
            Some(uscc.as_str())
        );
        assert!(senders.find("dsti_0").is_none());
        let (other, _) = new_token(&uscc, "甲").expect("token");
        assert_ne!(token, other);
    }

    #[test]
    fn relative_paths_follow_the_configuration_file() {
        let dir = std::env::temp_dir().join(format!("dsti-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("serve.toml");
        std::fs::write(&path, "listen = \"127.0.0.1:0\"\ntokens = \"t.json\"\n").expect("write");
        let config = Config::load(&path).expect("config");
        assert_eq!(config.tokens, dir.join("t.json"));
        assert_eq!(config.max_concurrent_uploads, 64);
        assert!(Config::from_toml("listen = \"127.0.0.1:0\"\ntokens = \"t\"\nbogus = 1").is_err());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn connection_threads_are_a_positive_count_or_the_default() {
        let base = "listen = \"127.0.0.1:0\"\ntokens = \"t\"\n";
        assert_eq!(Config::from_toml(base).expect("config").http_threads, None);
        let three = Config::from_toml(&format!("{base}http_threads = 3\n")).expect("config");
        assert_eq!(three.http_threads, Some(3));
        let zero = Config::from_toml(&format!("{base}http_threads = 0\n"));
        assert!(matches!(zero, Err(ConfigError::Invalid(_))), "{zero:?}");
    }
}
