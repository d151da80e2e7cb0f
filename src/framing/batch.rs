//! The top-level object: member scanning that tells a single record from a batch
//! `{"records": [...], ...}` and collects the batch envelope.

use std::io::{self, Read};

use super::*;

/// What the member scanner of the top-level object expects next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ObjExpect {
    /// Just after `{`: a key or `}`.
    FirstKey,
    /// Just after `,`: a key.
    Key,
    /// After a member's value: `,` or `}`.
    AfterValue,
}

/// The top-level object: a single record or a batch, undecided until a `"records"` array
/// or the closing `}` is found.
#[derive(Debug)]
pub(super) struct ObjCtx {
    /// 1-based line of the `{`.
    pub(super) line: u64,
    /// The raw object, for the single-record case (unused once a batch is streaming).
    pub(super) whole: Sink,
    /// The envelope: `{` and the members other than the streamed records, joined by `,`.
    pub(super) env: Sink,
    /// Members in `env`.
    pub(super) members: u64,
    /// Depth of the object: 1 + the deepest member value.
    pub(super) depth: usize,
    /// A member with the literal key `"records"` was seen (so this is a batch).
    pub(super) saw_records: bool,
    /// A `"records"` array has been streamed as records.
    pub(super) streamed: bool,
    /// What comes next.
    pub(super) expect: ObjExpect,
}

impl ObjCtx {
    /// An object whose `{` (on line `line`) has just been consumed.
    pub(super) fn new(line: u64, limit: usize) -> Self {
        let mut whole = Sink::new(limit);
        whole.push(b"{");
        let mut env = Sink::new(limit);
        env.push(b"{");
        ObjCtx {
            line,
            whole,
            env,
            members: 0,
            depth: 1,
            saw_records: false,
            streamed: false,
            expect: ObjExpect::FirstKey,
        }
    }
}

/// Where [`scan_members`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ObjStep {
    /// The `[` of the records array has been consumed; its elements come next.
    RecordsArray,
    /// The closing `}` has been consumed.
    Closed,
    /// The object's framing is broken (nothing more was consumed).
    Broken(&'static str),
}

/// The literal key that makes an object a batch, quotes included.
pub(super) const RECORDS_KEY: &[u8] = b"\"records\"";

/// Scans members of the top-level object until the records array, the end, or an error.
pub(super) fn scan_members<R: Read>(
    input: &mut Input<R>,
    ctx: &mut ObjCtx,
    limits: FrameLimits,
) -> io::Result<ObjStep> {
    let max_depth = limits.max_depth;
    loop {
        let undecided = !ctx.streamed;
        let whole = &mut ctx.whole;
        let mut keep = |b: &[u8]| {
            if undecided {
                whole.push(b);
            }
        };
        match ctx.expect {
            ObjExpect::FirstKey | ObjExpect::Key => {
                match input.skip_ws(&mut keep)? {
                    None => return Ok(ObjStep::Broken(MSG_UNTERMINATED_OBJECT)),
                    Some(b'}') if ctx.expect == ObjExpect::FirstKey => {
                        input.bump(&mut keep);
                        return Ok(ObjStep::Closed);
                    }
                    Some(b'"') => {}
                    Some(_) => return Ok(ObjStep::Broken(MSG_EXPECTED_KEY)),
                }
                let mut key = Sink::new(limits.max_record_bytes);
                let mut scan = ValueScan::new(b'"');
                let complete = input.scan_value(&mut scan, |b, _| {
                    keep(b);
                    key.push(b);
                })?;
                if !complete {
                    return Ok(ObjStep::Broken(MSG_UNTERMINATED_OBJECT));
                }
                match input.skip_ws(&mut keep)? {
                    None => return Ok(ObjStep::Broken(MSG_UNTERMINATED_OBJECT)),
                    Some(b':') => input.bump(&mut keep),
                    Some(_) => return Ok(ObjStep::Broken(MSG_EXPECTED_COLON)),
                }
                let first = match input.skip_ws(&mut keep)? {
                    None => return Ok(ObjStep::Broken(MSG_UNTERMINATED_OBJECT)),
                    Some(b) if starts_value(b) => b,
                    Some(_) => return Ok(ObjStep::Broken(MSG_EXPECTED_VALUE)),
                };
                let is_records = !key.stopped && key.buf == RECORDS_KEY;
                if is_records && first == b'[' && !ctx.streamed {
                    input.bump(|_| {});
                    ctx.streamed = true;
                    ctx.saw_records = true;
                    ctx.whole = Sink::default();
                    ctx.expect = ObjExpect::AfterValue;
                    return Ok(ObjStep::RecordsArray);
                }
                ctx.saw_records |= is_records;
                if ctx.members > 0 {
                    ctx.env.push(b",");
                }
                ctx.env.push_sink(&key);
                ctx.env.push(b":");
                let env = &mut ctx.env;
                let mut scan = ValueScan::new(first);
                let complete = input.scan_value(&mut scan, |b, depth| {
                    if undecided {
                        whole.push(b);
                    }
                    env.push(b);
                    if depth.saturating_add(1) > max_depth {
                        env.stop();
                        if undecided {
                            whole.stop();
                        }
                    }
                })?;
                if !complete {
                    return Ok(ObjStep::Broken(MSG_UNTERMINATED_OBJECT));
                }
                ctx.members += 1;
                ctx.depth = ctx.depth.max(scan.max_seen.saturating_add(1));
                ctx.expect = ObjExpect::AfterValue;
            }
            ObjExpect::AfterValue => match input.skip_ws(&mut keep)? {
                None => return Ok(ObjStep::Broken(MSG_UNTERMINATED_OBJECT)),
                Some(b',') => {
                    input.bump(&mut keep);
                    ctx.expect = ObjExpect::Key;
                }
                Some(b'}') => {
                    input.bump(&mut keep);
                    return Ok(ObjStep::Closed);
                }
                Some(_) => return Ok(ObjStep::Broken(MSG_AFTER_MEMBER)),
            },
        }
    }
}
