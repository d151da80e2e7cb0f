//! Parquet export for analytics engines (DuckDB, Spark, DataFusion): one file per record kind
//! (`person.parquet`, `course.parquet`, `completion.parquet`, `certificate.parquet`,
//! `competition.parquet`), valid records only, flat columns, document numbers replaced by
//! keyed `documentDigest`s. Names, phone numbers and certificate numbers are not exported.
//! The columns of each kind are [`COLUMNS`]; the README has them as a table.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use chrono::{DateTime, FixedOffset, NaiveDate};
use dsti::ident::IdDocument;
use dsti::privacy::{DigestAlgorithm, DigestKey};
use dsti::validate::Validator;
use dsti::Kind;
use dsti_cli::load::{input_format, open};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use serde_json::Value;

use crate::Failure;

/// How a column's value is read from a record (a JSON pointer into its 2.1 form).
#[derive(Clone, Copy)]
enum Get {
    /// A string.
    Str(&'static str),
    /// A number.
    F64(&'static str),
    /// A whole number.
    I64(&'static str),
    /// A boolean.
    Bool(&'static str),
    /// A date (`YYYY-MM-DD`), as an Arrow date.
    Date(&'static str),
    /// A timestamp with offset, as an instant (UTC, microseconds).
    Ts(&'static str),
    /// The date of a timestamp in its own offset (what a reader of the record calls its day).
    LocalDate(&'static str),
    /// The first two digits of a region code: the province.
    Province(&'static str),
    /// The `documentDigest` of a person reference or of a document.
    Digest(&'static str),
    /// The `zh-CN` text of a localized text.
    Zh(&'static str),
    /// An array of strings, joined with commas.
    Joined(&'static str),
}

impl Get {
    fn data_type(self) -> DataType {
        match self {
            Get::F64(_) => DataType::Float64,
            Get::I64(_) => DataType::Int64,
            Get::Bool(_) => DataType::Boolean,
            Get::Date(_) | Get::LocalDate(_) => DataType::Date32,
            Get::Ts(_) => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            _ => DataType::Utf8,
        }
    }
}

/// The columns of one kind's file.
pub(crate) struct Columns {
    kind: Kind,
    columns: &'static [(&'static str, Get)],
}

use Get::*;

/// Every kind's columns, in file order.
pub(crate) const COLUMNS: [Columns; 5] = [
    Columns {
        kind: Kind::Person,
        columns: &[
            ("id", Str("/id")),
            ("documentType", Str("/document/type")),
            ("documentDigest", Digest("/document")),
            ("gender", Str("/gender")),
            ("birthDate", Date("/birthDate")),
            ("region", Str("/region")),
            ("province", Province("/region")),
            ("verificationMethod", Str("/verification/method")),
            ("verificationResult", Str("/verification/result")),
            ("verifiedAt", Ts("/verification/verifiedAt")),
        ],
    },
    Columns {
        kind: Kind::Course,
        columns: &[
            ("id", Str("/id")),
            ("code", Str("/code")),
            ("title", Zh("/title")),
            ("providerUscc", Str("/provider/uscc")),
            ("providerRegion", Str("/provider/region")),
            ("province", Province("/provider/region")),
            ("occupation", Str("/occupation/code")),
            ("jobType", Str("/occupation/jobType")),
            ("serviceCategories", Joined("/serviceCategories")),
            ("trainingType", Str("/trainingType")),
            ("deliveryMode", Str("/deliveryMode")),
            ("classHours", F64("/classHours")),
            ("ethicsHours", F64("/ethicsHours")),
            ("targetLevel", Str("/targetLevel")),
            ("programme", Str("/programme")),
            ("programmeKind", Str("/programmeKind")),
            ("credits", F64("/credits")),
            ("validFrom", Date("/validFrom")),
            ("validUntil", Date("/validUntil")),
        ],
    },
    Columns {
        kind: Kind::Completion,
        columns: &[
            ("id", Str("/id")),
            ("learnerPersonId", Str("/learner/personId")),
            ("learnerDigest", Digest("/learner")),
            ("courseId", Str("/course/id")),
            ("providerUscc", Str("/provider/uscc")),
            ("providerRegion", Str("/provider/region")),
            ("province", Province("/provider/region")),
            ("trainingType", Str("/trainingType")),
            ("deliveryMode", Str("/deliveryMode")),
            ("status", Str("/status")),
            ("enrolledAt", Ts("/enrolledAt")),
            ("startedAt", Ts("/startedAt")),
            ("completedAt", Ts("/completedAt")),
            ("completedOn", LocalDate("/completedAt")),
            ("classHours", F64("/classHours")),
            ("studyMinutes", I64("/onlineLearning/studyMinutes")),
            ("assessmentPassed", Bool("/assessment/passed")),
            ("assessmentScore", F64("/assessment/score")),
            ("creditsEarned", F64("/creditsEarned")),
        ],
    },
    Columns {
        kind: Kind::Certificate,
        columns: &[
            ("id", Str("/id")),
            ("certificateType", Str("/certificateType")),
            ("holderPersonId", Str("/holder/personId")),
            ("holderDigest", Digest("/holder")),
            ("occupation", Str("/occupation/code")),
            ("jobType", Str("/occupation/jobType")),
            ("level", Str("/level")),
            ("issuerUscc", Str("/issuer/uscc")),
            ("issuerRegion", Str("/issuer/region")),
            ("province", Province("/issuer/region")),
            ("issuedOn", Date("/issuedOn")),
            ("validUntil", Date("/validUntil")),
            ("status", Str("/status")),
            ("statusReason", Str("/statusReason")),
        ],
    },
    Columns {
        kind: Kind::Competition,
        columns: &[
            ("id", Str("/id")),
            ("participantPersonId", Str("/participant/personId")),
            ("participantDigest", Digest("/participant")),
            ("eventName", Zh("/event/name")),
            ("eventLevel", Str("/event/level")),
            ("organizerUscc", Str("/event/organizer/uscc")),
            ("organizerRegion", Str("/event/organizer/region")),
            ("province", Province("/event/organizer/region")),
            ("occupation", Str("/event/occupation/code")),
            ("heldFrom", Date("/event/heldFrom")),
            ("heldUntil", Date("/event/heldUntil")),
            ("rank", I64("/rank")),
            ("award", Str("/award")),
            ("score", F64("/score")),
            ("grantsLevel", Str("/grantsLevel")),
            ("certificate", Str("/certificate")),
        ],
    },
];

/// Rows per record batch (and so the memory a file's pending rows take).
const BATCH_ROWS: usize = 16 * 1024;

enum Builder {
    Str(StringBuilder),
    F64(Float64Builder),
    I64(Int64Builder),
    Bool(BooleanBuilder),
    Date(Date32Builder),
    Ts(TimestampMicrosecondBuilder),
}

fn days(date: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    i32::try_from((date - epoch).num_days()).unwrap_or_default()
}

fn date(value: Option<&Value>) -> Option<NaiveDate> {
    value?.as_str()?.parse().ok()
}

fn timestamp(value: Option<&Value>) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(value?.as_str()?).ok()
}

fn digest(value: Option<&Value>, key: &DigestKey) -> Option<String> {
    let value = value?;
    let document = if value.get("number").is_some() {
        Some(value)
    } else {
        value.get("document")
    };
    if let Some(document) = document {
        let doc: IdDocument = serde_json::from_value(document.clone()).ok()?;
        return Some(
            doc.digest(key, DigestAlgorithm::HmacSm3)
                .as_str()
                .to_owned(),
        );
    }
    value.get("documentDigest")?.as_str().map(str::to_owned)
}

impl Builder {
    fn new(get: Get) -> Builder {
        match get {
            Get::F64(_) => Builder::F64(Float64Builder::new()),
            Get::I64(_) => Builder::I64(Int64Builder::new()),
            Get::Bool(_) => Builder::Bool(BooleanBuilder::new()),
            Get::Date(_) | Get::LocalDate(_) => Builder::Date(Date32Builder::new()),
            Get::Ts(_) => Builder::Ts(TimestampMicrosecondBuilder::new().with_timezone("UTC")),
            _ => Builder::Str(StringBuilder::new()),
        }
    }

    fn append(&mut self, get: Get, record: &Value, key: &DigestKey) {
        match (self, get) {
            (Builder::Str(b), Get::Str(p)) => {
                b.append_option(record.pointer(p).and_then(Value::as_str))
            }
            (Builder::Str(b), Get::Province(p)) => b.append_option(
                record
                    .pointer(p)
                    .and_then(Value::as_str)
                    .and_then(|r| r.get(..2)),
            ),
            (Builder::Str(b), Get::Digest(p)) => b.append_option(digest(record.pointer(p), key)),
            (Builder::Str(b), Get::Zh(p)) => b.append_option(
                record
                    .pointer(p)
                    .and_then(|t| t.get("zh-CN"))
                    .and_then(Value::as_str),
            ),
            (Builder::Str(b), Get::Joined(p)) => {
                b.append_option(record.pointer(p).and_then(Value::as_array).map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(",")
                }))
            }
            (Builder::F64(b), Get::F64(p)) => {
                b.append_option(record.pointer(p).and_then(Value::as_f64))
            }
            (Builder::I64(b), Get::I64(p)) => {
                b.append_option(record.pointer(p).and_then(Value::as_i64))
            }
            (Builder::Bool(b), Get::Bool(p)) => {
                b.append_option(record.pointer(p).and_then(Value::as_bool))
            }
            (Builder::Date(b), Get::Date(p)) => b.append_option(date(record.pointer(p)).map(days)),
            (Builder::Date(b), Get::LocalDate(p)) => {
                b.append_option(timestamp(record.pointer(p)).map(|t| days(t.date_naive())))
            }
            (Builder::Ts(b), Get::Ts(p)) => {
                b.append_option(timestamp(record.pointer(p)).map(|t| t.timestamp_micros()))
            }
            // A builder is made for its column's `Get`, so no other pair occurs.
            (Builder::Str(b), _) => b.append_null(),
            (Builder::F64(b), _) => b.append_null(),
            (Builder::I64(b), _) => b.append_null(),
            (Builder::Bool(b), _) => b.append_null(),
            (Builder::Date(b), _) => b.append_null(),
            (Builder::Ts(b), _) => b.append_null(),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Str(b) => Arc::new(b.finish()),
            Builder::F64(b) => Arc::new(b.finish()),
            Builder::I64(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
            Builder::Date(b) => Arc::new(b.finish()),
            Builder::Ts(b) => Arc::new(b.finish()),
        }
    }
}

/// The Arrow schema of one kind's file: every column nullable except `id`.
pub(crate) fn schema(columns: &Columns) -> SchemaRef {
    Arc::new(Schema::new(
        columns
            .columns
            .iter()
            .map(|(name, get)| Field::new(*name, get.data_type(), *name != "id"))
            .collect::<Vec<_>>(),
    ))
}

/// One kind's file being written.
struct KindFile {
    columns: &'static Columns,
    schema: SchemaRef,
    builders: Vec<Builder>,
    rows: usize,
    written: u64,
    writer: ArrowWriter<File>,
}

impl KindFile {
    fn flush(&mut self) -> Result<(), Failure> {
        if self.rows == 0 {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        let batch = RecordBatch::try_new(self.schema.clone(), arrays)?;
        self.writer.write(&batch)?;
        self.written += self.rows as u64;
        self.rows = 0;
        Ok(())
    }
}

/// What an export wrote.
pub(crate) struct Written {
    /// Per kind: the file and its rows.
    pub(crate) files: Vec<(PathBuf, u64)>,
    /// Records read, and of them invalid (skipped).
    pub(crate) read: u64,
    pub(crate) invalid: u64,
}

/// Write the valid records of `inputs` as one Parquet file per kind under `out`.
pub(crate) fn export(
    validator: &Validator,
    inputs: &[PathBuf],
    out: &Path,
    key: &DigestKey,
) -> Result<Written, Failure> {
    std::fs::create_dir_all(out).map_err(|e| Failure(format!("{}: {e}", out.display())))?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        // Row groups are held in memory until written: keep them small.
        .set_max_row_group_size(4 * BATCH_ROWS)
        .build();
    let mut files = Vec::new();
    for columns in &COLUMNS {
        let schema = schema(columns);
        let path = out.join(format!("{}.parquet", columns.kind.as_str()));
        let file = File::create(&path).map_err(|e| Failure(format!("{}: {e}", path.display())))?;
        files.push(KindFile {
            columns,
            writer: ArrowWriter::try_new(file, schema.clone(), Some(props.clone()))?,
            schema,
            builders: columns
                .columns
                .iter()
                .map(|(_, g)| Builder::new(*g))
                .collect(),
            rows: 0,
            written: 0,
        });
    }
    let (mut read, mut invalid) = (0, 0);
    for path in inputs {
        let (reader, _) = open(path).map_err(|e| Failure(format!("{}: {e}", path.display())))?;
        let mut failure = None;
        let (r, i) =
            dsti::history::valid_records(validator, reader, input_format(path), |kind, record| {
                if failure.is_some() {
                    return;
                }
                let Some(file) = files.iter_mut().find(|f| f.columns.kind == kind) else {
                    return;
                };
                for (builder, (_, get)) in file.builders.iter_mut().zip(file.columns.columns) {
                    builder.append(*get, &record, key);
                }
                file.rows += 1;
                if file.rows >= BATCH_ROWS {
                    if let Err(e) = file.flush() {
                        failure = Some(e);
                    }
                }
            })
            .map_err(|e: io::Error| Failure(format!("{}: {e}", path.display())))?;
        if let Some(e) = failure {
            return Err(e);
        }
        read += r;
        invalid += i;
    }
    let mut written = Vec::new();
    for mut file in files {
        file.flush()?;
        let rows = file.written;
        file.writer.close()?;
        written.push((
            out.join(format!("{}.parquet", file.columns.kind.as_str())),
            rows,
        ));
    }
    Ok(Written {
        files: written,
        read,
        invalid,
    })
}
