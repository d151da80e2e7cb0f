//! `dsti release`: the reproducible bundle of one version (the files are
//! [`dsti_cli::kit::bundle`]'s), written into an empty directory.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dsti::sign::keys::PrivateKey;
use dsti::{schema, Version};
use dsti_cli::kit::bundle;

use crate::Failure;

/// `dsti release`'s arguments.
#[derive(clap::Args)]
pub(crate) struct ReleaseArgs {
    /// Version of the standard to release (`1.0`, `2.0`, …).
    #[arg(long, value_parser = parse_version)]
    pub(crate) version: Version,
    /// Directory to write the bundle into (absent or empty).
    #[arg(long)]
    pub(crate) out: PathBuf,
    /// The test vectors: a directory of `<version>/valid/` and `<version>/invalid/`.
    #[arg(long, default_value = "tests/vectors")]
    pub(crate) vectors: PathBuf,
    /// Base of the schemas' `$id`.
    #[arg(long, default_value = schema::DEFAULT_BASE_URI)]
    pub(crate) base_uri: String,
    /// The association's private key (PKCS#8 PEM or JWK): sign SHA256SUMS (a detached JWS in
    /// SHA256SUMS.jws, the public key in SHA256SUMS.jwks.json).
    #[arg(long)]
    pub(crate) key: Option<PathBuf>,
    /// The key's id in the signature (default: the JWK's `kid`).
    #[arg(long, requires = "key")]
    pub(crate) kid: Option<String>,
}

/// The private key in `path`, PEM or JWK, and the kid to sign under.
fn load_key(path: &Path, kid: Option<&str>) -> Result<(PrivateKey, String), Failure> {
    let text = zeroize::Zeroizing::new(
        std::fs::read_to_string(path).map_err(|e| Failure(format!("{}: {e}", path.display())))?,
    );
    let key = if text.trim_start().starts_with("-----BEGIN") {
        PrivateKey::from_pkcs8_pem(&text)
    } else {
        crate::sign::private_jwk(&text)
            .map_err(|e| Failure(format!("{}: neither PEM nor JSON: {e}", path.display())))?
    }
    .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    let kid = kid
        .map(str::to_owned)
        .or_else(|| key.kid().map(str::to_owned))
        .ok_or_else(|| {
            Failure(format!(
                "{}: the key has no kid; give --kid",
                path.display()
            ))
        })?;
    Ok((key, kid))
}

/// A version named on the command line, from the library's list of versions.
pub(crate) fn parse_version(s: &str) -> Result<Version, String> {
    s.parse::<Version>().map_err(|_| {
        let known: Vec<&str> = Version::ALL.iter().map(|v| v.as_str()).collect();
        format!("unknown version (known: {})", known.join(", "))
    })
}

pub(crate) fn run(args: ReleaseArgs) -> Result<ExitCode, Failure> {
    let signer = match &args.key {
        Some(path) => Some(load_key(path, args.kid.as_deref())?),
        None => None,
    };
    let mut files = bundle::build(args.version, &args.vectors, &args.base_uri)?;
    let sums = files
        .last()
        .map(|f| bundle::sha256_hex(&f.bytes))
        .unwrap_or_default();
    if let Some((key, kid)) = &signer {
        bundle::sign(&mut files, key, kid)?;
    }
    let written = bundle::write(&args.out, &files, bundle::epoch())?;
    writeln!(
        io::stderr().lock(),
        "wrote {} files of DSTI {} under {} (SHA256SUMS {sums}{})",
        written.len(),
        args.version,
        args.out.display(),
        signer.map_or_else(String::new, |(_, kid)| format!(", signed by {kid}"))
    )?;
    Ok(ExitCode::SUCCESS)
}
