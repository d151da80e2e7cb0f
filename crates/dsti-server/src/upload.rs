//! The authenticated endpoints: streamed uploads (`POST /v2/uploads`), one record
//! (`POST /v2/validate`) and streamed migration (`POST /v2/migrate`).
//!
//! An upload's answer is exactly what `dsti validate --format ndjson` writes for the same
//! input: the library's report writer writes it, line by line, as the records are judged. An
//! answer cut short (the body over the limit after decompression, the request timeout, an
//! unreadable body) ends with one `{"error":{"code":…,"message":…}}` line and no summary.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use dsti::report::{Format, ReportPieces, ReportWriter};
use dsti::validate::{InputFormat, Lang, Options, Validator};
use dsti::Version;
use serde::Serialize;
use tokio::sync::OwnedSemaphorePermit;

use crate::app::{log_request, route_of, App, LogSender, LoggedAtEnd};
use crate::bridge::{
    self, ChannelChunks, ChannelReader, ChannelWriter, Counted, Cut, Limited, LimitedChunks,
    SharedOutbox,
};
use crate::config::Sender;
use crate::metrics::{Outcome, Tally};
use crate::problem::Problem;

/// What a request asks for in its query.
struct Asked {
    profile: String,
    lang: Lang,
    to: Option<Version>,
}

fn query_of(request: &Request, migrate: bool) -> Result<Asked, Problem> {
    let Query(map) = Query::<HashMap<String, String>>::try_from_uri(request.uri())
        .map_err(|_| Problem::bad_request("request.bad-query", "the query string is malformed"))?;
    let mut asked = Asked {
        profile: "default".to_owned(),
        lang: Lang::En,
        to: None,
    };
    for (key, value) in map {
        match key.as_str() {
            "profile" if !migrate => asked.profile = value,
            "lang" => {
                asked.lang = match value.as_str() {
                    "en" => Lang::En,
                    "zh" => Lang::Zh,
                    _ => {
                        return Err(Problem::bad_request(
                            "request.bad-query",
                            "lang must be en or zh",
                        ))
                    }
                }
            }
            "to" if migrate => {
                asked.to = Some(value.parse().map_err(|_| {
                    Problem::bad_request(
                        "request.bad-query",
                        "to must be a version of the standard",
                    )
                })?)
            }
            _ => {
                return Err(Problem::bad_request(
                    "request.bad-query",
                    "the query has a parameter this endpoint does not take",
                ))
            }
        }
    }
    if migrate && asked.to.is_none() {
        return Err(Problem::bad_request(
            "request.bad-query",
            "to (the version to migrate to) is required",
        ));
    }
    Ok(asked)
}

/// The bearer token's sender.
fn authenticate<'a>(app: &'a App, headers: &HeaderMap) -> Result<&'a Sender, Problem> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .ok_or_else(Problem::unauthorized)?;
    app.inner
        .senders
        .find(token)
        .ok_or_else(Problem::unauthorized)
}

fn unsupported(detail: &str) -> Problem {
    Problem::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "request.unsupported-media-type",
        detail,
    )
}

/// The framing a `Content-Type` names.
fn format_of(headers: &HeaderMap) -> Result<InputFormat, Problem> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Ok(InputFormat::Auto);
    };
    let media = value
        .to_str()
        .ok()
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match media.as_str() {
        "application/x-ndjson" | "application/ndjson" | "application/jsonl" => {
            Ok(InputFormat::Ndjson)
        }
        "application/json" => Ok(InputFormat::Json),
        _ => Err(unsupported(
            "the body must be application/x-ndjson or application/json",
        )),
    }
}

/// Whether the body is gzip (`Content-Encoding`).
fn gzip_of(headers: &HeaderMap) -> Result<bool, Problem> {
    let mut gzip = false;
    for value in headers.get_all(header::CONTENT_ENCODING) {
        for coding in value.to_str().unwrap_or("?").split(',') {
            match coding.trim().to_ascii_lowercase().as_str() {
                "gzip" | "x-gzip" if !gzip => gzip = true,
                "identity" | "" => {}
                _ => return Err(unsupported("the only content coding accepted is gzip")),
            }
        }
    }
    Ok(gzip)
}

/// The declared length, when over `limit`: 413.
fn check_length(headers: &HeaderMap, limit: u64) -> Result<(), Problem> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(n) if n > limit => Err(Problem::too_large(limit)),
        _ => Ok(()),
    }
}

/// A request let in to stream.
struct Admitted {
    sender: Sender,
    asked: Asked,
    format: InputFormat,
    gzip: bool,
    permit: OwnedSemaphorePermit,
}

fn admit(app: &App, request: &Request, migrate: bool) -> Result<Admitted, Problem> {
    if app.draining() {
        return Err(Problem::draining());
    }
    let headers = request.headers();
    let sender = authenticate(app, headers)?.clone();
    let asked = query_of(request, migrate)?;
    if !migrate && !app.inner.profiles.contains_key(&asked.profile) {
        return Err(Problem::bad_request(
            "request.unknown-profile",
            "no profile of that name is configured",
        ));
    }
    let format = format_of(headers)?;
    let gzip = gzip_of(headers)?;
    check_length(headers, app.inner.config.max_body_bytes)?;
    let permit = app
        .inner
        .uploads
        .clone()
        .try_acquire_owned()
        .map_err(|_| Problem {
            retry_after: Some(1),
            ..Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                "upload.busy",
                "too many uploads at once; try again shortly",
            )
        })?;
    Ok(Admitted {
        sender,
        asked,
        format,
        gzip,
        permit,
    })
}

/// A refusal before streaming, with its sender (if known) for the log.
fn refused(app: &App, problem: Problem, sender: Option<&Sender>) -> Response {
    app.inner.metrics.upload_done(Outcome::Rejected, None);
    let mut response = problem.into_response();
    if let Some(sender) = sender {
        response
            .extensions_mut()
            .insert(LogSender(sender.uscc.as_str().to_owned()));
    }
    response
}

fn validator_for(app: &App, profile: &str, lang: Lang, sender: &Sender) -> Validator {
    let profile = app.inner.profiles.get(profile).cloned().unwrap_or_default();
    let mut options = Options::default()
        .profile(profile)
        .lang(lang)
        .expected_sender(sender.uscc.clone());
    if let Some(now) = app.inner.now {
        options = options.now(now);
    }
    Validator::new(options)
}

/// A request's body on the validator's thread, to be decoded there (a gzip decoder reads
/// its header as it is made): decompressed when gzip, counted into `bytes`, limited.
struct Decoding {
    raw: ChannelChunks,
    gzip: bool,
    limit: u64,
    bytes: Arc<AtomicU64>,
}

impl Decoding {
    /// The body as a reader.
    fn reader(self) -> Box<dyn Read + Send> {
        let raw = ChannelReader::new(self.raw);
        let decoded: Box<dyn Read + Send> = if self.gzip {
            Box::new(flate2::read::MultiGzDecoder::new(raw))
        } else {
            Box::new(raw)
        };
        Box::new(Limited::new(
            Counted {
                inner: decoded,
                count: self.bytes,
            },
            self.limit,
        ))
    }

    /// The body's chunks as they came, when it is not compressed (otherwise itself back).
    fn chunks(self) -> Result<LimitedChunks<ChannelChunks>, Self> {
        if self.gzip {
            return Err(self);
        }
        Ok(LimitedChunks::new(self.raw, self.limit, self.bytes))
    }
}

/// The largest declared body read (and dropped) before a streaming request is refused.
const REFUSED_DRAIN_BYTES: usize = 64 << 10;

/// A streaming request let in: its body on its way to the validator, its answer on its way to
/// the client. Both streaming endpoints (uploads and migration) start here.
struct Stream {
    app: App,
    admitted: Admitted,
    start: Instant,
    route: String,
    raw: ChannelChunks,
    outbox: SharedOutbox,
    bytes: Arc<AtomicU64>,
    answer: Body,
}

impl Stream {
    /// Admit `request` (draining, auth, query, content type and coding, declared length, a
    /// concurrency permit) and wire its body and answer; a refusal is the answer to send.
    /// Returns once the body's first frame came (or its end, an error, the timeout), so that
    /// a `100 Continue` goes out before the answer's head.
    async fn open(app: &App, request: Request, migrate: bool) -> Result<Stream, Response> {
        let start = Instant::now();
        let route = route_of(&request);
        let admitted = match admit(app, &request, migrate) {
            Ok(a) => a,
            Err(problem) => {
                let sender = authenticate(app, request.headers()).ok();
                let small = request
                    .headers()
                    .get(header::CONTENT_LENGTH)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<usize>().ok())
                    .is_some_and(|n| n <= REFUSED_DRAIN_BYTES);
                if small {
                    // Read a small body before refusing it: closing the connection with the
                    // body unread resets it, and a proxy in front (nginx) may then lose the
                    // answer and say 502 instead.
                    let until = tokio::time::Instant::now() + std::time::Duration::from_secs(1);
                    bridge::discard(request.into_body(), REFUSED_DRAIN_BYTES, until).await;
                }
                return Err(refused(app, problem, sender));
            }
        };
        let deadline = start + app.request_timeout();
        let (outbox, out_rx) = bridge::outbox();
        let (in_rx, started) =
            bridge::pump(request.into_body(), deadline, app.inner.read_ahead.clone());
        // The pump ends (dropping the signal) only after it sent it or stopped: either way
        // the wait is over.
        let _ = started.await;
        Ok(Stream {
            app: app.clone(),
            admitted,
            start,
            route,
            raw: ChannelChunks::new(in_rx, outbox.clone()),
            outbox,
            bytes: Arc::new(AtomicU64::new(0)),
            answer: bridge::body_of(out_rx),
        })
    }

    /// Run `work` on a blocking thread over the body, writing into the answer; it
    /// returns the outcome and the records it saw. The permit is held, the upload counted in
    /// flight and logged at its end. Returns the streamed answer.
    fn run<F>(self, work: F) -> Response
    where
        F: FnOnce(Decoding, &mut ChannelWriter) -> (Outcome, u64) + Send + 'static,
    {
        let Stream {
            app,
            admitted,
            start,
            route,
            raw,
            outbox,
            bytes,
            answer,
        } = self;
        let response = streamed(answer, &admitted.sender);
        let metrics = app.inner.metrics.clone();
        let in_flight = metrics.in_flight();
        let limit = app.inner.config.max_body_bytes;
        let uscc = admitted.sender.uscc.as_str().to_owned();
        let (gzip, permit) = (admitted.gzip, admitted.permit);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let _in_flight = in_flight;
            let mut out = ChannelWriter::new(outbox);
            let body = Decoding {
                raw,
                gzip,
                limit,
                bytes: bytes.clone(),
            };
            let (outcome, records) = work(body, &mut out);
            metrics.upload_done(outcome, Some(start.elapsed()));
            let bytes = bytes.load(std::sync::atomic::Ordering::Relaxed);
            log_request(
                "POST",
                &route,
                200,
                Some(&uscc),
                Some(records),
                Some(bytes),
                start.elapsed(),
            );
        });
        response
    }
}

#[derive(Serialize)]
struct ErrorLine<'a> {
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    message: String,
}

/// End a cut answer with its `error` line.
fn write_cut(out: &mut ChannelWriter, cut: Cut) -> io::Result<()> {
    let line = ErrorLine {
        error: ErrorBody {
            code: cut.code(),
            message: cut.to_string(),
        },
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")?;
    out.flush()
}

fn streamed(answer: Body, sender: &Sender) -> Response {
    let mut response = Response::new(answer);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response.extensions_mut().insert(LoggedAtEnd);
    response
        .extensions_mut()
        .insert(LogSender(sender.uscc.as_str().to_owned()));
    response
}

/// `POST /v2/uploads`: a streamed NDJSON verdict per record, the envelope's, the summary last.
pub(crate) async fn upload(State(app): State<App>, request: Request) -> Response {
    let stream = match Stream::open(&app, request, false).await {
        Ok(stream) => stream,
        Err(refusal) => return refusal,
    };
    let Admitted {
        sender,
        asked,
        format,
        ..
    } = &stream.admitted;
    let validator = validator_for(&app, &asked.profile, asked.lang, sender);
    let format = *format;
    // The cores are shared by the uploads in flight: one upload alone gets every validator
    // thread, many get one each (less memory per upload, no oversubscription).
    let jobs = (app.inner.jobs / app.uploads_in_flight().max(1)).max(1);
    let metrics = app.inner.metrics.clone();
    stream.run(move |body, out| {
        let mut tally = Tally::default();
        // NDJSON as it came is judged where its chunks lie; the rest is read.
        let chunks = match format {
            InputFormat::Ndjson => body.chunks(),
            _ => Err(body),
        };
        let pieces = match chunks {
            Ok(chunks) => validator.report_chunks(chunks, jobs, Format::Ndjson),
            Err(body) => validator.report_reader(body.reader(), format, jobs, Format::Ndjson),
        };
        let done = judge(&validator, pieces, out, &mut tally, &metrics);
        metrics.merge(&mut tally);
        done
    })
}

/// Write the report of `pieces` into `out`; returns the outcome and the records judged.
fn judge(
    validator: &Validator,
    pieces: ReportPieces,
    out: &mut ChannelWriter,
    tally: &mut Tally,
    metrics: &crate::metrics::Metrics,
) -> (Outcome, u64) {
    let profile = validator.options().profile.profile.clone();
    let mut report = match ReportWriter::new(
        out.clone(),
        Format::Ndjson,
        validator.options().lang,
        &profile,
    ) {
        Ok(r) => r,
        Err(_) => return (Outcome::Disconnected, 0),
    };
    // The report's lines are rendered on the validator's threads; this thread checks ids,
    // copies the lines and hands them to the answer once a piece.
    let mut records = 0;
    for piece in pieces {
        let piece = match piece {
            Ok(piece) => piece,
            Err(e) => {
                let cut = Cut::of(&e);
                if out.gone() || cut == Cut::Gone {
                    return (Outcome::Disconnected, records);
                }
                return match write_cut(out, cut) {
                    Ok(()) => (Outcome::Cut, records),
                    Err(_) => (Outcome::Disconnected, records),
                };
            }
        };
        for record in piece.records().filter(|r| !r.envelope) {
            records += 1;
            tally.count(record.kind, record.valid);
        }
        for (code, n) in piece.codes() {
            tally.findings(code, n);
        }
        if tally.due() {
            metrics.merge(tally);
        }
        if report.write_piece(&piece).is_err() || out.publish(false).is_err() {
            return (Outcome::Disconnected, records);
        }
    }
    match report.finish() {
        Ok(_) => (Outcome::Complete, records),
        Err(_) => (Outcome::Disconnected, records),
    }
}

/// `POST /v2/validate`: one record, one verdict object.
pub(crate) async fn validate_one(State(app): State<App>, request: Request) -> Response {
    match validate_one_inner(&app, request).await {
        Ok(response) => response,
        Err((problem, sender)) => {
            let mut response = problem.into_response();
            if let Some(uscc) = sender {
                response.extensions_mut().insert(LogSender(uscc));
            }
            response
        }
    }
}

async fn validate_one_inner(
    app: &App,
    request: Request,
) -> Result<Response, (Problem, Option<String>)> {
    if app.draining() {
        return Err((Problem::draining(), None));
    }
    let sender = authenticate(app, request.headers())
        .map_err(|p| (p, None))?
        .clone();
    let uscc = sender.uscc.as_str().to_owned();
    let fail = |p: Problem| (p, Some(uscc.clone()));
    let asked = query_of(&request, false).map_err(fail)?;
    if !app.inner.profiles.contains_key(&asked.profile) {
        return Err(fail(Problem::bad_request(
            "request.unknown-profile",
            "no profile of that name is configured",
        )));
    }
    let headers = request.headers();
    if format_of(headers).map_err(fail)? == InputFormat::Ndjson {
        return Err(fail(unsupported("one record is application/json")));
    }
    let gzip = gzip_of(headers).map_err(fail)?;
    let validator = validator_for(app, &asked.profile, asked.lang, &sender);
    let limit = validator.options().limits.max_record_bytes;
    check_length(headers, limit as u64).map_err(fail)?;
    // One byte more than the limit is enough for the validator to say `record.limit`.
    let keep = limit.saturating_add(1);
    let body = tokio::time::timeout(
        app.request_timeout(),
        read_at_most(request.into_body(), keep),
    )
    .await
    .map_err(|_| {
        fail(Problem::new(
            StatusCode::REQUEST_TIMEOUT,
            "upload.timeout",
            "the request took longer than the request timeout",
        ))
    })?
    .map_err(|_| {
        fail(Problem::bad_request(
            "upload.unreadable",
            "the request body could not be read",
        ))
    })?;
    let bytes = if gzip {
        let mut decoded = Vec::new();
        let mut reader = flate2::read::MultiGzDecoder::new(&body[..]).take(keep as u64);
        reader.read_to_end(&mut decoded).map_err(|_| {
            fail(Problem::bad_request(
                "upload.unreadable",
                "the body is not valid gzip",
            ))
        })?;
        decoded
    } else {
        body
    };
    let verdict = validator.validate_bytes(&bytes);
    let mut tally = Tally::default();
    tally.record(&verdict);
    app.inner.metrics.merge(&mut tally);
    let json = serde_json::to_vec(&verdict).unwrap_or_default();
    let mut response = Response::new(Body::from(json));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response.extensions_mut().insert(LogSender(uscc));
    Ok(response)
}

/// The first `limit` bytes of a body (and no more are read).
async fn read_at_most(body: Body, limit: usize) -> Result<Vec<u8>, axum::Error> {
    use http_body_util::BodyExt;
    let mut body = body;
    let mut out = Vec::new();
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame?.into_data() {
            let room = limit.saturating_sub(out.len());
            out.extend_from_slice(&data[..data.len().min(room)]);
            if out.len() >= limit {
                break;
            }
        }
    }
    Ok(out)
}

#[derive(Serialize)]
struct MigratedLine<'a> {
    index: u64,
    record: &'a dsti::migrate::Converted,
    notes: &'a [dsti::migrate::Note],
}

#[derive(Serialize)]
struct RefusedLine<'a> {
    index: u64,
    refused: RefusedBody<'a>,
}

#[derive(Serialize)]
struct RefusedBody<'a> {
    code: &'a str,
    message: String,
}

#[derive(Serialize)]
struct MigrationSummaryLine {
    summary: MigrationSummary,
}

#[derive(Serialize)]
struct MigrationSummary {
    total: u64,
    migrated: u64,
    refused: u64,
}

/// `POST /v2/migrate?to=VERSION`: a line per record, migrated or refused, then the summary.
pub(crate) async fn migrate(State(app): State<App>, request: Request) -> Response {
    let stream = match Stream::open(&app, request, true).await {
        Ok(stream) => stream,
        Err(refusal) => return refusal,
    };
    let Admitted {
        sender,
        asked,
        format,
        ..
    } = &stream.admitted;
    let Some(to) = asked.to else {
        return refused(
            &app,
            Problem::bad_request("request.bad-query", "to is required"),
            Some(sender),
        );
    };
    let profile = app
        .inner
        .profiles
        .get("default")
        .cloned()
        .unwrap_or_default();
    let ctx = match app.inner.now {
        Some(now) => dsti::rules::RuleContext::new(profile, now, asked.lang),
        None => dsti::rules::RuleContext::at_clock(profile, asked.lang),
    };
    let (lang, format) = (asked.lang, *format);
    stream.run(move |body, out| migrate_into(body.reader(), format, to, &ctx, lang, out))
}

fn migrate_into(
    reader: Box<dyn Read + Send>,
    format: InputFormat,
    to: Version,
    ctx: &dsti::rules::RuleContext,
    lang: Lang,
    out: &mut ChannelWriter,
) -> (Outcome, u64) {
    let cut = |out: &mut ChannelWriter, e: &io::Error, n: u64| {
        if out.gone() || Cut::of(e) == Cut::Gone {
            return (Outcome::Disconnected, n);
        }
        match write_cut(out, Cut::of(e)) {
            Ok(()) => (Outcome::Cut, n),
            Err(_) => (Outcome::Disconnected, n),
        }
    };
    let events = match dsti::migrate::migrate_reader_in(reader, format, to, ctx) {
        Ok(events) => events,
        Err(e) => return cut(out, &e, 0),
    };
    let mut summary = MigrationSummary {
        total: 0,
        migrated: 0,
        refused: 0,
    };
    for item in events {
        let item = match item {
            Ok(item) => item,
            Err(e) => return cut(out, &e, summary.total),
        };
        let index = item.report.index;
        summary.total += 1;
        let written = match (&item.record, &item.report.outcome) {
            (Some(record), dsti::migrate::Outcome::Migrated) => {
                summary.migrated += 1;
                serde_json::to_writer(
                    &mut *out,
                    &MigratedLine {
                        index,
                        record,
                        notes: &item.report.notes,
                    },
                )
            }
            (_, outcome) => {
                summary.refused += 1;
                let (code, message) = match outcome {
                    dsti::migrate::Outcome::Refused { reason } => {
                        (reason.code(), reason.message(lang))
                    }
                    _ => ("unreadable", "the record could not be read".to_owned()),
                };
                serde_json::to_writer(
                    &mut *out,
                    &RefusedLine {
                        index,
                        refused: RefusedBody { code, message },
                    },
                )
            }
        };
        if written.is_err() || out.write_all(b"\n").is_err() || out.publish(false).is_err() {
            return (Outcome::Disconnected, summary.total);
        }
    }
    let n = summary.total;
    let done = serde_json::to_writer(&mut *out, &MigrationSummaryLine { summary })
        .map_err(io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match done {
        Ok(()) => (Outcome::Complete, n),
        Err(_) => (Outcome::Disconnected, n),
    }
}
