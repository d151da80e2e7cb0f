//! `dsti keys generate`, `dsti sign`, `dsti verify` and `dsti status-list build`: the command
//! line of signed certificates and their status lists, over the library's `dsti::sign`.
//!
//! Inputs are framed as `dsti validate` frames them (`.json`: a record, an array or a batch;
//! `.ndjson`/`.jsonl`: a record a line; `-`: stdin, detected), read whole: signing and checking
//! are for issuers' and verifiers' files, not for gigabyte uploads. `sign` keeps each record's
//! text as it was and appends the proof; `verify` writes one verdict per record in the shape of
//! the validate report.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use dsti::sign::jws::{self, VerifyCode, PROOF};
use dsti::sign::keys::{Alg, Jwks, KeyError, PrivateKey};
use dsti::sign::status::{self, Bitstring, Purpose, StatusEntry, StatusList, MAX_DECODED_BYTES};
use dsti::validate::{InputFormat, Lang};
use dsti::Version;
use dsti_cli::load::{input_format, open};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::args::{FormatArg, LangArg};
use crate::Failure;

/// The kinds of record that carry a `proof`.
const SIGNABLE: &[&str] = &["certificate", "batch"];

#[derive(clap::Args)]
pub(crate) struct KeysArgs {
    #[command(subcommand)]
    command: KeysCommand,
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Make a key pair: DIR/key.jwk (private JWK with its kid), DIR/key.pem (PKCS#8, for
    /// OpenSSL), DIR/public.pem (SPKI) and DIR/jwks.json (the public key set verifiers read).
    Generate(KeysGenerateArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum AlgArg {
    Ed25519,
    Sm2,
}

impl From<AlgArg> for Alg {
    fn from(a: AlgArg) -> Alg {
        match a {
            AlgArg::Ed25519 => Alg::EdDsa,
            AlgArg::Sm2 => Alg::Sm2Sm3,
        }
    }
}

#[derive(clap::Args)]
struct KeysGenerateArgs {
    /// The algorithm: Ed25519 (RFC 8032) or SM2 with SM3 (GB/T 32918).
    #[arg(long, value_enum)]
    alg: AlgArg,
    /// The key's identifier, a URI: proofs name it, verifiers look it up in their JWKS.
    #[arg(long)]
    kid: String,
    /// Directory to write the key files to (created if missing; existing files are kept).
    #[arg(long)]
    out: PathBuf,
}

#[derive(clap::Args)]
pub(crate) struct SignArgs {
    /// The private key: a JWK (as `dsti keys generate` writes it) or a PKCS#8 PEM (as OpenSSL
    /// writes it).
    #[arg(long)]
    key: PathBuf,
    /// The key's identifier, where the key file carries none (a PEM key).
    #[arg(long)]
    kid: Option<String>,
    /// The proofs' `created` time (RFC 3339 with an offset; default: now).
    #[arg(long)]
    now: Option<String>,
    /// The records: signed copies go to stdout in the input's layout.
    file: PathBuf,
}

#[derive(clap::Args)]
pub(crate) struct VerifyArgs {
    /// The trusted public keys: a JWKS (`{"keys":[…]}`, as `dsti keys generate` writes it).
    #[arg(long)]
    keys: PathBuf,
    /// A status list credential (as `dsti status-list build` writes it) to check certificates'
    /// `credentialStatus` against; repeat for several.
    #[arg(long)]
    status: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: FormatArg,
    /// Language of messages.
    #[arg(long, value_enum, default_value = "en")]
    lang: LangArg,
    /// Files of signed records (`-` for stdin).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(clap::Args)]
pub(crate) struct StatusListArgs {
    #[command(subcommand)]
    command: StatusListCommand,
}

#[derive(Subcommand)]
enum StatusListCommand {
    /// Write the Bitstring Status List credential of the certificates in FILES to stdout: the
    /// entry of each certificate whose credentialStatus names URL and PURPOSE is set when its
    /// status is revoked (revocation) or suspended (suspension).
    Build(StatusListBuildArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum PurposeArg {
    Revocation,
    Suspension,
}

impl From<PurposeArg> for Purpose {
    fn from(p: PurposeArg) -> Purpose {
        match p {
            PurposeArg::Revocation => Purpose::Revocation,
            PurposeArg::Suspension => Purpose::Suspension,
        }
    }
}

#[derive(clap::Args)]
struct StatusListBuildArgs {
    /// What a set entry means.
    #[arg(long, value_enum)]
    purpose: PurposeArg,
    /// The URL the list is published at (certificates name it in statusListCredential).
    #[arg(long)]
    url: String,
    /// The list credential's issuer (default: the URL).
    #[arg(long)]
    issuer: Option<String>,
    /// The credential's validFrom (RFC 3339 with an offset; default: now).
    #[arg(long)]
    now: Option<String>,
    /// The issuer's certificates.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// `--now`, checked, or the current time, as an RFC 3339 timestamp.
fn timestamp(now: Option<&str>) -> Result<String, Failure> {
    let now = match now {
        Some(text) => chrono::DateTime::parse_from_rfc3339(text)
            .map_err(|_| Failure(format!("--now {text}: not an RFC 3339 time with an offset")))?,
        None => {
            use chrono::Timelike;
            let now = chrono::Utc::now().fixed_offset();
            now.with_nanosecond(0).unwrap_or(now)
        }
    };
    let ts =
        dsti::ident::Timestamp::from_datetime(now).map_err(|e| Failure(format!("--now: {e}")))?;
    Ok(ts.as_str().to_owned())
}

fn read_text(path: &Path) -> Result<String, Failure> {
    let (mut reader, _) = open(path).map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    let mut text = String::new();
    reader
        .read_to_string(&mut text)
        .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    Ok(text)
}

/// Write a new file, never over an existing one; private files readable by the owner only.
fn create(path: &Path, contents: &str, private: bool) -> Result<(), Failure> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options
        .open(path)
        .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    file.write_all(contents.as_bytes())
        .map_err(|e| Failure(format!("{}: {e}", path.display())))
}

pub(crate) fn keys(args: KeysArgs) -> Result<ExitCode, Failure> {
    let KeysCommand::Generate(args) = args.command;
    dsti::v2_1::KeyId::new(&args.kid).map_err(|e| Failure(format!("--kid {}: {e}", args.kid)))?;
    let key = PrivateKey::generate(args.alg.into())?.with_kid(args.kid);
    fs::create_dir_all(&args.out).map_err(|e| Failure(format!("{}: {e}", args.out.display())))?;
    let mut jwks = Jwks::new();
    jwks.push(key.public_key());
    let public_jwks = serde_json::from_str::<Value>(&jwks.to_json())
        .map(|v| serde_json::to_string_pretty(&v).unwrap_or_default())
        .unwrap_or_default();
    let files = [
        ("key.jwk", format!("{}\n", key.to_jwk().as_str()), true),
        ("key.pem", key.to_pkcs8_pem()?.to_string(), true),
        ("public.pem", key.public_key().to_spki_pem()?, false),
        ("jwks.json", format!("{public_jwks}\n"), false),
    ];
    for (name, _, _) in &files {
        let path = args.out.join(name);
        if path.exists() {
            return Err(Failure(format!(
                "{}: exists; not overwritten",
                path.display()
            )));
        }
    }
    for (name, contents, private) in &files {
        create(&args.out.join(name), contents, *private)?;
    }
    eprintln!(
        "dsti: {} key written to {}: key.jwk and key.pem are private; give jwks.json to verifiers",
        key.alg(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The private key of a JWK's text, or why the text is not JSON. The parsed private member
/// (`d`) is wiped once the key is made; the caller wipes the text.
pub(crate) fn private_jwk(text: &str) -> Result<Result<PrivateKey, KeyError>, serde_json::Error> {
    let mut jwk: Value = serde_json::from_str(text)?;
    let key = PrivateKey::from_jwk(&jwk);
    if let Some(Value::String(d)) = jwk.get_mut("d") {
        zeroize::Zeroize::zeroize(d);
    }
    Ok(key)
}

/// A private key file: a JWK (`{…}`) or a PKCS#8 PEM.
pub(crate) fn load_key(path: &Path, kid: Option<String>) -> Result<PrivateKey, Failure> {
    let text = zeroize::Zeroizing::new(read_text(path)?);
    let key = if text.trim_start().starts_with('{') {
        private_jwk(&text)
            .map_err(|_| Failure(format!("{}: not a JWK (not JSON)", path.display())))?
    } else {
        PrivateKey::from_pkcs8_pem(&text)
    }
    .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    let key = match kid {
        Some(kid) => key.with_kid(kid),
        None => key,
    };
    if let Some(kid) = key.kid() {
        dsti::v2_1::KeyId::new(kid).map_err(|e| Failure(format!("kid {kid}: {e}")))?;
    } else {
        return Err(Failure(format!(
            "{}: the key carries no kid: give --kid URI",
            path.display()
        )));
    }
    Ok(key)
}

/// One record of an input: its position and text.
struct Item<'a> {
    index: u64,
    line: u64,
    text: &'a str,
}

/// How an input is laid out.
enum Layout<'a> {
    /// One record a line.
    Lines(Vec<Item<'a>>),
    /// One record.
    Single(Item<'a>),
    /// An array of records.
    Array(Vec<Item<'a>>),
    /// A batch: its members, and its records.
    Batch(Map<String, Value>, Vec<Item<'a>>),
}

/// 1-based line numbers of byte offsets that only grow.
struct Lines<'a> {
    text: &'a str,
    offset: usize,
    line: u64,
}

impl Lines<'_> {
    fn at(&mut self, offset: usize) -> u64 {
        let offset = offset.clamp(self.offset, self.text.len());
        self.line += self.text.as_bytes()[self.offset..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.offset = offset;
        self.line
    }
}

fn items<'a>(text: &'a str, raws: &[&'a RawValue]) -> Vec<Item<'a>> {
    let mut lines = Lines {
        text,
        offset: 0,
        line: 1,
    };
    raws.iter()
        .enumerate()
        .map(|(i, raw)| {
            let offset = (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
            Item {
                index: i as u64,
                line: lines.at(offset),
                text: raw.get(),
            }
        })
        .collect()
}

fn layout(text: &str, format: InputFormat) -> Result<Layout<'_>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    let json = match format {
        InputFormat::Ndjson => false,
        InputFormat::Json => true,
        _ => trimmed.starts_with('[') || serde_json::from_str::<&RawValue>(text).is_ok(),
    };
    if !json {
        let mut records = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if !line.trim().is_empty() {
                records.push(Item {
                    index: records.len() as u64,
                    line: i as u64 + 1,
                    text: line,
                });
            }
        }
        return Ok(Layout::Lines(records));
    }
    if trimmed.starts_with('[') {
        let raws: Vec<&RawValue> = serde_json::from_str(text).map_err(|e| e.to_string())?;
        return Ok(Layout::Array(items(text, &raws)));
    }
    let members: BTreeMap<String, &RawValue> =
        serde_json::from_str(text).map_err(|e| e.to_string())?;
    let is_batch = members.get("kind").map(|k| k.get().trim()) == Some("\"batch\"");
    if is_batch {
        if let Some(records) = members.get("records") {
            let raws: Vec<&RawValue> =
                serde_json::from_str(records.get()).map_err(|e| format!("records: {e}"))?;
            let envelope: Map<String, Value> =
                serde_json::from_str(text).map_err(|e| e.to_string())?;
            return Ok(Layout::Batch(envelope, items(text, &raws)));
        }
    }
    let start = text.len() - trimmed.len();
    let line = 1 + text.as_bytes()[..start]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64;
    Ok(Layout::Single(Item {
        index: 0,
        line,
        text: text.trim(),
    }))
}

fn kind_of(record: &Value) -> Option<&str> {
    record.get("kind").and_then(Value::as_str)
}

/// The first version whose certificates and batches carry a `proof`.
const SIGNED_VERSION: Version = Version::V2_1;

/// A record ready to sign: 2.1 (or later) as it is; an earlier 2.x record upgraded to 2.1 with
/// the library's migration (only `schemaVersion` changes), `true` when it was.
fn upgrade(record: Value) -> Result<(Value, Option<String>), String> {
    let version = record
        .get("schemaVersion")
        .and_then(Value::as_str)
        .and_then(|v| v.parse::<Version>().ok());
    match version {
        Some(v) if v >= SIGNED_VERSION => Ok((record, None)),
        Some(Version::V2_0) => {
            let out = dsti::migrate::migrate(&record, SIGNED_VERSION);
            let converted = out.record.ok_or_else(|| {
                format!("the upgrade to {SIGNED_VERSION} was refused (`dsti migrate --to {SIGNED_VERSION}` says why)")
            })?;
            let text = serde_json::to_string(&converted).map_err(|e| e.to_string())?;
            Ok((converted.to_value(), Some(text)))
        }
        _ => {
            Err(format!(
                "only records of version 2.0 (upgraded) or {SIGNED_VERSION} can carry a proof; `dsti migrate --to {SIGNED_VERSION}` first"
            ))
        }
    }
}

/// What signing did, for the note on stderr.
#[derive(Default)]
struct Tally {
    signed: u64,
    upgraded: u64,
    skipped: u64,
}

/// Sign one record's text: the proof appended to the text as it was when the record had none
/// (the text of its 2.1 upgrade when it was 2.0); re-written (members sorted) when an old proof
/// is replaced. Records of kinds that carry no proof are returned as they were.
/// In a batch (`in_batch`), records of every kind are upgraded, so that the batch is of one
/// version.
fn sign_text(
    text: &str,
    key: &PrivateKey,
    created: &str,
    in_batch: bool,
    tally: &mut Tally,
) -> Result<String, String> {
    let record: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let signable = kind_of(&record).is_some_and(|k| SIGNABLE.contains(&k));
    if !signable && !in_batch {
        tally.skipped += 1;
        return Ok(text.to_owned());
    }
    let (mut record, upgraded) = upgrade(record)?;
    let text = match &upgraded {
        Some(upgraded_text) => {
            tally.upgraded += 1;
            upgraded_text.as_str()
        }
        None => text,
    };
    if !signable {
        return Ok(text.to_owned());
    }
    let had_proof = record.get(PROOF).is_some();
    jws::sign_value(&mut record, key, created).map_err(|e| e.to_string())?;
    tally.signed += 1;
    let trimmed = text.trim_end();
    match (had_proof, trimmed.strip_suffix('}')) {
        (false, Some(head)) => {
            let proof = record.get(PROOF).map(Value::to_string).unwrap_or_default();
            let comma = if head.trim_end().ends_with('{') {
                ""
            } else {
                ","
            };
            Ok(format!("{head}{comma}\"{PROOF}\":{proof}}}"))
        }
        _ => Ok(record.to_string()),
    }
}

pub(crate) fn sign(args: SignArgs) -> Result<ExitCode, Failure> {
    let key = load_key(&args.key, args.kid)?;
    let created = timestamp(args.now.as_deref())?;
    let text = read_text(&args.file)?;
    let name = args.file.display().to_string();
    let at = |item: &Item<'_>, e: String| Failure(format!("{name}:{}: {e}", item.line));
    let mut out = BufWriter::new(io::stdout().lock());
    let mut tally = Tally::default();
    let one = |item: &Item<'_>, in_batch: bool, tally: &mut Tally| -> Result<String, Failure> {
        sign_text(item.text, &key, &created, in_batch, tally).map_err(|e| at(item, e))
    };
    match layout(&text, input_format(&args.file)).map_err(|e| Failure(format!("{name}: {e}")))? {
        Layout::Lines(items) => {
            for item in &items {
                writeln!(out, "{}", one(item, false, &mut tally)?)?;
            }
        }
        Layout::Single(item) => writeln!(out, "{}", one(&item, false, &mut tally)?)?,
        Layout::Array(items) => {
            writeln!(out, "[")?;
            for (i, item) in items.iter().enumerate() {
                let sep = if i + 1 < items.len() { "," } else { "" };
                writeln!(out, "{}{sep}", one(item, false, &mut tally)?)?;
            }
            writeln!(out, "]")?;
        }
        Layout::Batch(mut envelope, items) => {
            let mut records = Vec::with_capacity(items.len());
            for item in &items {
                let text = one(item, true, &mut tally)?;
                records.push(
                    serde_json::from_str::<Value>(&text).map_err(|e| at(item, e.to_string()))?,
                );
            }
            // The envelope: the library migrates records, not batch envelopes; from 2.0 to 2.1
            // only schemaVersion changes, for an envelope as for its records.
            let version = envelope
                .get("schemaVersion")
                .and_then(Value::as_str)
                .and_then(|v| v.parse::<Version>().ok());
            match version {
                Some(v) if v >= SIGNED_VERSION => {}
                Some(Version::V2_0) => {
                    envelope.insert("schemaVersion".into(), SIGNED_VERSION.as_str().into());
                    tally.upgraded += 1;
                }
                _ => {
                    return Err(Failure(format!(
                        "{name}: batch: only batches of version 2.0 (upgraded) or {SIGNED_VERSION} can carry a proof"
                    )))
                }
            }
            envelope.insert("records".into(), Value::Array(records));
            let mut batch = Value::Object(envelope);
            jws::sign_value(&mut batch, &key, &created)?;
            tally.signed += 1;
            writeln!(out, "{batch}")?;
        }
    }
    out.flush()?;
    let mut note = format!(
        "dsti: {} signed with {} key {}",
        tally.signed,
        key.alg(),
        key.kid().unwrap_or_default()
    );
    if tally.upgraded > 0 {
        note += &format!(
            "; {} upgraded from 2.0 to {SIGNED_VERSION} first (only schemaVersion changes: the proof exists from {SIGNED_VERSION} on)",
            tally.upgraded
        );
    }
    if tally.skipped > 0 {
        note += &format!(
            "; {} records of kinds without a proof (only certificates and batches carry one) left as they were",
            tally.skipped
        );
    }
    eprintln!("{note}");
    Ok(ExitCode::SUCCESS)
}

/// One verdict of `dsti verify`.
struct Verdict {
    index: u64,
    line: u64,
    kind: Option<String>,
    id: Option<String>,
    issues: Vec<(&'static str, &'static str, String)>,
}

impl Verdict {
    fn of(item: &Item<'_>, record: Option<&Value>) -> Verdict {
        let kind = record
            .and_then(kind_of)
            .filter(|k| k.parse::<dsti::DocumentKind>().is_ok())
            .map(str::to_owned);
        let id = record
            .and_then(|r| r.get("id"))
            .and_then(Value::as_str)
            .filter(|id| id.parse::<dsti::ident::RecordId>().is_ok())
            .map(str::to_owned);
        Verdict {
            index: item.index,
            line: item.line,
            kind,
            id,
            issues: Vec::new(),
        }
    }

    fn push(&mut self, check: &dsti::sign::verify::Check, lang: Lang) {
        let message = match lang {
            Lang::Zh => check.code.summary_zh().to_owned(),
            _ => check.detail.to_owned(),
        };
        self.issues.push((check.code.as_str(), check.path, message));
    }
}

/// A verdict line, members in the validate report's order.
#[derive(serde::Serialize)]
struct Line<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    index: u64,
    line: u64,
    kind: Option<&'a str>,
    id: Option<&'a str>,
    valid: bool,
    issues: Vec<Issue<'a>>,
}

#[derive(serde::Serialize)]
struct Issue<'a> {
    code: &'a str,
    severity: &'a str,
    path: &'a str,
    message: &'a str,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    total: u64,
    valid: u64,
    invalid: u64,
    warnings: u64,
    envelopes_invalid: u64,
}

#[derive(serde::Serialize)]
struct EnvelopeLine<'a> {
    envelope: Line<'a>,
}

/// Writes verdicts in the validate report's shape.
struct Report<W: Write> {
    out: W,
    format: FormatArg,
    lang: Lang,
    file: Option<String>,
    first: bool,
    total: u64,
    invalid: u64,
    envelopes_invalid: u64,
    by_code: BTreeMap<&'static str, u64>,
}

impl<W: Write> Report<W> {
    fn new(mut out: W, format: FormatArg, lang: Lang) -> io::Result<Self> {
        if matches!(format, FormatArg::Json) {
            write!(out, "{{\"records\":[")?;
        }
        Ok(Report {
            out,
            format,
            lang,
            file: None,
            first: true,
            total: 0,
            invalid: 0,
            envelopes_invalid: 0,
            by_code: BTreeMap::new(),
        })
    }

    fn write(&mut self, v: &Verdict, envelope: bool) -> io::Result<()> {
        let valid = v.issues.is_empty();
        if envelope {
            self.envelopes_invalid += u64::from(!valid);
        } else {
            self.total += 1;
            self.invalid += u64::from(!valid);
        }
        for (code, _, _) in &v.issues {
            *self.by_code.entry(code).or_default() += 1;
        }
        let zh = self.lang == Lang::Zh;
        if matches!(self.format, FormatArg::Text) {
            if valid {
                return Ok(());
            }
            let what = match (envelope, zh) {
                (true, false) => "batch envelope".to_owned(),
                (true, true) => "批次封装".to_owned(),
                (false, false) => format!("record {}", v.index + 1),
                (false, true) => format!("第 {} 条记录", v.index + 1),
            };
            if let Some(file) = &self.file {
                write!(self.out, "{file}: ")?;
            }
            let kind =
                v.kind
                    .as_deref()
                    .unwrap_or(if zh { "类型未知" } else { "unknown kind" });
            let line_word = if zh { "行" } else { "line" };
            write!(self.out, "{what} ({line_word} {}, {kind}", v.line)?;
            if let Some(id) = &v.id {
                write!(self.out, " {id}")?;
            }
            writeln!(
                self.out,
                "): {}",
                if zh { "未通过" } else { "NOT VERIFIED" }
            )?;
            for (code, path, message) in &v.issues {
                writeln!(self.out, "  error   {code:<28} {path:<32} {message}")?;
            }
            return Ok(());
        }
        let line = Line {
            file: self.file.as_deref(),
            index: v.index,
            line: v.line,
            kind: v.kind.as_deref(),
            id: v.id.as_deref(),
            valid,
            issues: v
                .issues
                .iter()
                .map(|(code, path, message)| Issue {
                    code,
                    severity: "error",
                    path,
                    message,
                })
                .collect(),
        };
        if matches!(self.format, FormatArg::Json) && !self.first {
            self.out.write_all(b",")?;
        }
        self.first = false;
        if envelope {
            serde_json::to_writer(&mut self.out, &EnvelopeLine { envelope: line })?;
        } else {
            serde_json::to_writer(&mut self.out, &line)?;
        }
        if matches!(self.format, FormatArg::Ndjson) {
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn finish(mut self) -> io::Result<bool> {
        let summary = Summary {
            total: self.total,
            valid: self.total - self.invalid,
            invalid: self.invalid,
            warnings: 0,
            envelopes_invalid: self.envelopes_invalid,
        };
        let summary = serde_json::to_string(&summary)?;
        match self.format {
            FormatArg::Ndjson => writeln!(self.out, "{{\"summary\":{summary}}}")?,
            FormatArg::Json => writeln!(self.out, "],\"summary\":{summary}}}")?,
            FormatArg::Text => {
                if !self.by_code.is_empty() {
                    writeln!(self.out)?;
                    for (code, n) in &self.by_code {
                        let meaning = VerifyCode::ALL
                            .iter()
                            .find(|c| c.as_str() == *code)
                            .map(|c| {
                                if self.lang == Lang::Zh {
                                    c.summary_zh()
                                } else {
                                    c.summary_en()
                                }
                            })
                            .unwrap_or(if self.lang == Lang::Zh {
                                "记录不是合法的 JSON"
                            } else {
                                "the record is not well-formed JSON"
                            });
                        writeln!(self.out, "{n:>8}  {code:<28} {meaning}")?;
                    }
                }
                if self.lang == Lang::Zh {
                    writeln!(
                        self.out,
                        "共 {} 条记录：{} 条通过，{} 条未通过",
                        self.total,
                        self.total - self.invalid,
                        self.invalid
                    )?;
                } else {
                    writeln!(
                        self.out,
                        "{} records: {} verified, {} not verified",
                        self.total,
                        self.total - self.invalid,
                        self.invalid
                    )?;
                }
            }
        }
        self.out.flush()?;
        Ok(self.invalid > 0 || self.envelopes_invalid > 0)
    }
}

/// The verdict on one record's text.
fn verify_item(
    item: &Item<'_>,
    keys: &Jwks,
    lists: &[StatusList],
    covered: bool,
    lang: Lang,
) -> Verdict {
    match serde_json::from_str::<Value>(item.text) {
        Ok(record) => {
            let mut verdict = Verdict::of(item, Some(&record));
            for check in dsti::sign::verify::check_record(&record, keys, lists, covered) {
                verdict.push(&check, lang);
            }
            verdict
        }
        Err(_) => {
            let mut verdict = Verdict::of(item, None);
            let message = match lang {
                Lang::Zh => "记录不是合法的 JSON",
                _ => "the record is not well-formed JSON",
            };
            verdict.issues.push(("json.syntax", "", message.to_owned()));
            verdict
        }
    }
}

pub(crate) fn verify(args: VerifyArgs) -> Result<ExitCode, Failure> {
    let keys = Jwks::from_json(&read_text(&args.keys)?)
        .map_err(|e| Failure(format!("{}: {e}", args.keys.display())))?;
    let mut lists = Vec::new();
    for path in &args.status {
        let credential: Value = serde_json::from_str(&read_text(path)?)
            .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
        lists.push(
            StatusList::from_credential(&credential)
                .map_err(|e| Failure(format!("{}: {e}", path.display())))?,
        );
    }
    let lang = Lang::from(args.lang);
    let mut report = Report::new(BufWriter::new(io::stdout().lock()), args.format, lang)?;
    let several = args.files.len() > 1;
    for path in &args.files {
        report.file = several.then(|| path.display().to_string());
        let text = read_text(path)?;
        match layout(&text, input_format(path))
            .map_err(|e| Failure(format!("{}: {e}", path.display())))?
        {
            Layout::Lines(items) | Layout::Array(items) => {
                for item in &items {
                    report.write(&verify_item(item, &keys, &lists, false, lang), false)?;
                }
            }
            Layout::Single(item) => {
                report.write(&verify_item(&item, &keys, &lists, false, lang), false)?;
            }
            Layout::Batch(envelope, items) => {
                let batch = Value::Object(envelope);
                let envelope_item = Item {
                    index: 0,
                    line: 1,
                    text: "",
                };
                let mut verdict = Verdict::of(&envelope_item, Some(&batch));
                let signed = batch.get(PROOF).is_some();
                let covered = signed && jws::verify_value(&batch, &keys).is_ok();
                if signed {
                    for check in dsti::sign::verify::check_record(&batch, &keys, &[], false) {
                        verdict.push(&check, lang);
                    }
                }
                for item in &items {
                    report.write(&verify_item(item, &keys, &lists, covered, lang), false)?;
                }
                report.write(&verdict, true)?;
            }
        }
    }
    Ok(if report.finish()? {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub(crate) fn status_list(args: StatusListArgs) -> Result<ExitCode, Failure> {
    let StatusListCommand::Build(args) = args.command;
    let purpose = Purpose::from(args.purpose);
    let valid_from = timestamp(args.now.as_deref())?;
    let mut set = Vec::new();
    let (mut named, mut elsewhere) = (0u64, 0u64);
    for path in &args.files {
        let text = read_text(path)?;
        let name = path.display().to_string();
        let items =
            match layout(&text, input_format(path)).map_err(|e| Failure(format!("{name}: {e}")))? {
                Layout::Lines(items) | Layout::Array(items) | Layout::Batch(_, items) => items,
                Layout::Single(item) => vec![item],
            };
        for item in &items {
            let record: Value = serde_json::from_str(item.text)
                .map_err(|e| Failure(format!("{name}:{}: {e}", item.line)))?;
            if kind_of(&record) != Some("certificate") {
                continue;
            }
            let Some(entry) = StatusEntry::of_record(&record) else {
                continue;
            };
            if entry.list != args.url || entry.purpose != purpose {
                elsewhere += 1;
                continue;
            }
            named += 1;
            if entry.index >= (MAX_DECODED_BYTES as u64) * 8 {
                return Err(Failure(format!(
                    "{name}:{}: statusListIndex beyond the largest list ({} entries)",
                    item.line,
                    MAX_DECODED_BYTES * 8
                )));
            }
            if record.get("status").and_then(Value::as_str)
                == Some(status::certificate_status(purpose))
            {
                set.push(entry.index);
            }
        }
    }
    let entries = set.iter().max().map_or(0, |&m| m as usize + 1);
    let mut bits = Bitstring::new(entries);
    for &i in &set {
        bits.set(i, true);
    }
    let list = StatusList {
        url: args.url.clone(),
        purpose,
        bits,
    };
    let issuer = args.issuer.as_deref().unwrap_or(&args.url);
    let credential = list.to_credential(issuer, &valid_from);
    let mut out = io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string_pretty(&credential)?)?;
    eprintln!(
        "dsti: {} list of {} entries: {named} certificates name it, {} {}{}",
        purpose.as_str(),
        list.bits.len(),
        set.len(),
        status::certificate_status(purpose),
        if elsewhere > 0 {
            format!("; {elsewhere} name another list or purpose")
        } else {
            String::new()
        }
    );
    Ok(ExitCode::SUCCESS)
}
