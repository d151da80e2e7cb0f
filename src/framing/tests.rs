//! Tests of the framing: every layout, limits, broken containers, auto-detection, the BOM,
//! chunked and failing readers, and random inputs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{self, Read};

use super::frames::*;
use super::*;

/// A reader that returns one byte per read.
struct OneByte<R>(R);

impl<R: Read> Read for OneByte<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match buf.first_mut() {
            None => Ok(0),
            Some(slot) => self.0.read(std::slice::from_mut(slot)),
        }
    }
}

/// A reader that returns reads of varying sizes and sometimes `Interrupted`.
struct Chunky<R> {
    inner: R,
    n: usize,
}

impl<R: Read> Read for Chunky<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.n += 1;
        if self.n % 5 == 0 {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "again"));
        }
        let len = buf.len().min(self.n % 13 + 1);
        self.inner.read(&mut buf[..len])
    }
}

fn collect<R: Read>(
    reader: R,
    format: InputFormat,
    limits: FrameLimits,
) -> (Vec<Frame>, Option<InputFormat>) {
    let mut frames = Frames::new(reader, format, limits);
    let out = frames.by_ref().map(|f| f.unwrap()).collect();
    assert!(frames.next().is_none(), "fused after the end");
    (out, frames.detected())
}

/// Frames `input` with a normal, a one-byte and a chunky reader; all must agree.
fn run_with(
    input: &[u8],
    format: InputFormat,
    limits: FrameLimits,
) -> (Vec<Frame>, Option<InputFormat>) {
    let normal = collect(input, format, limits);
    let one = collect(OneByte(input), format, limits);
    assert_eq!(
        normal,
        one,
        "one-byte reader differs on {:?}",
        String::from_utf8_lossy(input)
    );
    let chunky = collect(Chunky { inner: input, n: 0 }, format, limits);
    assert_eq!(
        normal,
        chunky,
        "chunky reader differs on {:?}",
        String::from_utf8_lossy(input)
    );
    let mut index = 0;
    for frame in &normal.0 {
        if let Frame::Record { index: i, .. } = frame {
            assert_eq!(*i, index);
            index += 1;
        }
    }
    normal
}

fn run(input: &[u8], format: InputFormat) -> Vec<Frame> {
    run_with(input, format, FrameLimits::default()).0
}

fn limits(max_record_bytes: usize, max_depth: usize) -> FrameLimits {
    FrameLimits {
        max_record_bytes,
        max_depth,
    }
}

fn rec(index: u64, line: u64, bytes: &[u8]) -> Frame {
    Frame::Record {
        index,
        line,
        body: Body::Json(bytes.to_vec()),
    }
}

fn rec_body(index: u64, line: u64, body: Body) -> Frame {
    Frame::Record { index, line, body }
}

fn syntax(index: u64, line: u64, message: &'static str) -> Frame {
    Frame::Record {
        index,
        line,
        body: Body::Syntax { message },
    }
}

fn env(line: u64, bytes: &[u8]) -> Frame {
    Frame::Envelope {
        line,
        body: Body::Json(bytes.to_vec()),
    }
}

use InputFormat::{Auto, Json, Ndjson};

#[test]
fn defaults() {
    assert_eq!(FrameLimits::default(), limits(1024 * 1024, 64));
    assert_eq!(
        Frames::new(&b""[..], Json, FrameLimits::default()).detected(),
        Some(Json)
    );
    assert_eq!(
        Frames::new(&b""[..], Ndjson, FrameLimits::default()).detected(),
        Some(Ndjson)
    );
    assert_eq!(
        Frames::new(&b""[..], Auto, FrameLimits::default()).detected(),
        None
    );
}

#[test]
fn ndjson_blank_lines_and_crlf() {
    let input = b"{\"a\":1}\r\n\r\n  \t\n{\"b\":2}\n\n{\"c\":3}";
    assert_eq!(
        run(input, Ndjson),
        vec![
            rec(0, 1, b"{\"a\":1}"),
            rec(1, 4, b"{\"b\":2}"),
            rec(2, 6, b"{\"c\":3}")
        ]
    );
    // Only one trailing '\r' is removed; inner bytes pass untouched.
    assert_eq!(
        run(b" x\r\r\n\0\xff\n", Ndjson),
        vec![rec(0, 1, b" x\r"), rec(1, 2, b"\0\xff")]
    );
}

#[test]
fn bom_is_skipped() {
    for format in [Ndjson, Json, Auto] {
        assert_eq!(
            run(b"\xEF\xBB\xBF{\"a\":1}\n", format),
            vec![rec(0, 1, b"{\"a\":1}")],
            "{format:?}"
        );
    }
    // Only a complete BOM, and only at the very start.
    assert_eq!(run(b"\xEF\xBBx\n", Ndjson), vec![rec(0, 1, b"\xEF\xBBx")]);
    assert_eq!(
        run(b"1\n\xEF\xBB\xBF2\n", Ndjson),
        vec![rec(0, 1, b"1"), rec(1, 2, b"\xEF\xBB\xBF2")]
    );
    assert_eq!(run(b"\xEF\xBB\xBF", Auto), vec![]);
}

/// A leading byte-order mark: the BOM is the bytes before the first record; it does not count
/// as a line, and U+FEFF anywhere else is data (a character in a string, garbage between records).
#[test]
fn bom_in_every_layout_and_nowhere_else() {
    let array = b"\xEF\xBB\xBF[\n{\"a\":1},\n{\"b\":2}]\n";
    for format in [Json, Auto] {
        assert_eq!(
            run(array, format),
            vec![rec(0, 2, b"{\"a\":1}"), rec(1, 3, b"{\"b\":2}")],
            "{format:?}"
        );
    }
    let batch = b"\xEF\xBB\xBF{\"records\":[{\"a\":1}],\"x\":1}";
    for format in [Json, Auto] {
        assert_eq!(
            run(batch, format),
            vec![rec(0, 1, b"{\"a\":1}"), env(1, b"{\"x\":1}")],
            "{format:?}"
        );
    }
    // A BOM followed by a newline: the record is on line 2.
    for format in [Ndjson, Auto] {
        assert_eq!(
            run(b"\xEF\xBB\xBF\n{\"a\":1}\n", format),
            vec![rec(0, 2, b"{\"a\":1}")],
            "{format:?}"
        );
    }
    // U+FEFF inside a string value is a character like any other, in every layout.
    let inside = b"{\"a\":\"\xEF\xBB\xBFx\"}";
    for format in [Ndjson, Json, Auto] {
        assert_eq!(run(inside, format), vec![rec(0, 1, inside)], "{format:?}");
    }
    // Between array elements it is a token of its own for the parser to reject, and the
    // array's framing breaks after it.
    assert_eq!(
        run(b"[{\"a\":1},\xEF\xBB\xBF{\"b\":2}]", Json),
        vec![
            rec(0, 1, b"{\"a\":1}"),
            rec(1, 1, b"\xEF\xBB\xBF"),
            syntax(2, 1, MSG_AFTER_ELEMENT)
        ]
    );
}

/// The parallel NDJSON cutter skips a leading BOM only.
#[test]
fn ndjson_blocks_skip_a_leading_bom_only() {
    let cut = |input: &[u8]| -> Vec<u8> {
        NdjsonBlocks::new(input, FrameLimits::default(), 4, BufferPool::default())
            .flat_map(|b| match b.expect("no I/O error") {
                Block::Lines(lines) => lines,
                Block::Oversized { .. } | Block::Shared(_) | Block::Chunks(_) => {
                    panic!("no oversized line")
                }
            })
            .collect()
    };
    assert_eq!(cut(b"\xEF\xBB\xBF{}\n{}\n"), b"{}\n{}\n");
    assert_eq!(cut(b"{}\n\xEF\xBB\xBF{}\n"), b"{}\n\xEF\xBB\xBF{}\n");
    assert_eq!(cut(b"\xEF\xBB\xBF"), b"");
}

#[test]
fn ndjson_over_long_lines() {
    let l = limits(16, 64);
    let input = b"{\"a\":\"0123456789abcdef\"}\n{\"b\":2}\n";
    assert_eq!(
        run_with(input, Ndjson, l).0,
        vec![
            rec_body(0, 1, Body::TooLarge { bytes: 24 }),
            rec(1, 2, b"{\"b\":2}")
        ]
    );
    // Exactly the limit, with and without '\r'; one over; over-long CRLF line; at EOF.
    let input = b"0123456789abcdef\r\n0123456789abcdef\n0123456789abcdefg\n0123456789abcdefgh\r\n0123456789abcdef01234";
    assert_eq!(
        run_with(input, Ndjson, l).0,
        vec![
            rec(0, 1, b"0123456789abcdef"),
            rec(1, 2, b"0123456789abcdef"),
            rec_body(2, 3, Body::TooLarge { bytes: 17 }),
            rec_body(3, 4, Body::TooLarge { bytes: 18 }),
            rec_body(4, 5, Body::TooLarge { bytes: 21 }),
        ]
    );
    // An over-long blank line is still blank.
    let mut input = vec![b' '; 100];
    input.extend_from_slice(b"\r\n{}\n");
    assert_eq!(run_with(&input, Ndjson, l).0, vec![rec(0, 2, b"{}")]);
    // A line much longer than the read buffer.
    let mut input = vec![b'x'; 200_000];
    input.extend_from_slice(b"\n{}");
    assert_eq!(
        run_with(&input, Ndjson, l).0,
        vec![
            rec_body(0, 1, Body::TooLarge { bytes: 200_000 }),
            rec(1, 2, b"{}")
        ]
    );
}

#[test]
fn ndjson_depth() {
    let l = limits(1024, 3);
    let input = b"[[[1]]]\n[[[[1]]]]\n{\"a\":\"[[[[[[\"}\n{\"a\":\"\\\"[[[[[[\"}\n{\"a\":\"\\\\\",\"b\":[[[[1]]]]}\n]]]]]][[[\n";
    assert_eq!(
        run_with(input, Ndjson, l).0,
        vec![
            rec(0, 1, b"[[[1]]]"),
            rec_body(1, 2, Body::TooDeep { depth: 4 }),
            rec(2, 3, b"{\"a\":\"[[[[[[\"}"),
            rec(3, 4, b"{\"a\":\"\\\"[[[[[[\"}"),
            rec_body(4, 5, Body::TooDeep { depth: 5 }),
            rec(5, 6, b"]]]]]][[["),
        ]
    );
}

#[test]
fn strings_with_brackets_commas_and_escapes() {
    let input = br#"[{"a":"],[{\"x\\", "b":"\\"} , "x,y]" ,3,true,"\\\"]"]"#;
    assert_eq!(
        run(input, Json),
        vec![
            rec(0, 1, br#"{"a":"],[{\"x\\", "b":"\\"}"#),
            rec(1, 1, br#""x,y]""#),
            rec(2, 1, b"3"),
            rec(3, 1, b"true"),
            rec(4, 1, br#""\\\"]""#),
        ]
    );
}

#[test]
fn array_whitespace_and_line_numbers() {
    let input = b"\n[\n  {\"a\":1},\n\n  {\"b\":\n 2}\n,3\r\n]\n\n";
    assert_eq!(
        run(input, Json),
        vec![
            rec(0, 3, b"{\"a\":1}"),
            rec(1, 5, b"{\"b\":\n 2}"),
            rec(2, 7, b"3")
        ]
    );
    assert_eq!(run(b"[]", Json), vec![]);
    assert_eq!(run(b" [ \n ] \n", Json), vec![]);
}

#[test]
fn array_element_over_limits() {
    let input = b"[{\"a\":\"0123456789abcdef\"}, {\"b\":2}]";
    assert_eq!(
        run_with(input, Json, limits(16, 64)).0,
        vec![
            rec_body(0, 1, Body::TooLarge { bytes: 24 }),
            rec(1, 1, b"{\"b\":2}")
        ]
    );
    let input = b"[[[[1]]], {\"b\":[2]}, [[\"[[[[\"]]]";
    assert_eq!(
        run_with(input, Json, limits(1024, 2)).0,
        vec![
            rec_body(0, 1, Body::TooDeep { depth: 3 }),
            rec(1, 1, b"{\"b\":[2]}"),
            rec(2, 1, b"[[\"[[[[\"]]"),
        ]
    );
    // Both: too large wins.
    assert_eq!(
        run_with(
            b"[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]",
            Json,
            limits(16, 2)
        )
        .0,
        vec![rec_body(0, 1, Body::TooLarge { bytes: 36 })]
    );
    // A huge element is skipped, not buffered, and the next one still arrives.
    let mut input = b"[\"".to_vec();
    input.extend_from_slice(&vec![b'a'; 3_000_000]);
    input.extend_from_slice(b"\",{}]");
    assert_eq!(
        run_with(&input, Json, FrameLimits::default()).0,
        vec![
            rec_body(0, 1, Body::TooLarge { bytes: 3_000_002 }),
            rec(1, 1, b"{}")
        ]
    );
}

#[test]
fn broken_arrays() {
    assert_eq!(
        run(b"[{\"a\":1} {\"b\":2}]", Json),
        vec![rec(0, 1, b"{\"a\":1}"), syntax(1, 1, MSG_AFTER_ELEMENT)]
    );
    assert_eq!(
        run(b"[{\"a\":1},\n", Json),
        vec![
            rec(0, 1, b"{\"a\":1}"),
            syntax(1, 2, MSG_UNTERMINATED_ARRAY)
        ]
    );
    assert_eq!(
        run(b"[1,,2]", Json),
        vec![rec(0, 1, b"1"), syntax(1, 1, MSG_EMPTY_ELEMENT)]
    );
    assert_eq!(
        run(b"[1,]", Json),
        vec![rec(0, 1, b"1"), syntax(1, 1, MSG_TRAILING_COMMA)]
    );
    assert_eq!(run(b"[,1]", Json), vec![syntax(0, 1, MSG_EMPTY_ELEMENT)]);
    assert_eq!(run(b"[}", Json), vec![syntax(0, 1, MSG_BAD_ELEMENT_START)]);
    assert_eq!(run(b"[", Json), vec![syntax(0, 1, MSG_UNTERMINATED_ARRAY)]);
    // The stream ends inside an element: that element's frame is the error.
    assert_eq!(
        run(b"[1,\n{\"a\":[1,2]", Json),
        vec![rec(0, 1, b"1"), syntax(1, 2, MSG_UNTERMINATED_ARRAY)]
    );
    assert_eq!(
        run(b"[1,2", Json),
        vec![rec(0, 1, b"1"), syntax(1, 1, MSG_UNTERMINATED_ARRAY)]
    );
    assert_eq!(
        run(b"[\"abc", Json),
        vec![syntax(0, 1, MSG_UNTERMINATED_ARRAY)]
    );
    // Mismatched brackets inside an element are the parser's business.
    assert_eq!(run(b"[{\"a\":1]]", Json), vec![rec(0, 1, b"{\"a\":1]")]);
}

#[test]
fn batch_records_first() {
    let input = br#"{"records":[{"a":1},{"b":2}],"schema" : "dsti/1","meta":{"x":[1,2]}}"#;
    assert_eq!(
        run(input, Json),
        vec![
            rec(0, 1, br#"{"a":1}"#),
            rec(1, 1, br#"{"b":2}"#),
            env(1, br#"{"schema":"dsti/1","meta":{"x":[1,2]}}"#),
        ]
    );
}

#[test]
fn batch_records_last() {
    let input = b"\n{\n  \"schema\": \"dsti/1\",\n  \"n\": 2,\n  \"records\": [\n    {\"a\":1},\n    {\"b\":2}\n  ]\n}\n";
    assert_eq!(
        run(input, Json),
        vec![
            rec(0, 6, br#"{"a":1}"#),
            rec(1, 7, br#"{"b":2}"#),
            env(2, br#"{"schema":"dsti/1","n":2}"#)
        ]
    );
    assert_eq!(run(b"{\"records\":[]}", Json), vec![env(1, b"{}")]);
    // Envelope members between records and others.
    let input = br#"{"a":1,"records":[true],"b":[2]}"#;
    assert_eq!(
        run(input, Json),
        vec![rec(0, 1, b"true"), env(1, br#"{"a":1,"b":[2]}"#)]
    );
}

#[test]
fn batch_limits_and_errors() {
    // An envelope over the limits; the records still stream.
    let input = br#"{"records":[{}],"big":"0123456789abcdef"}"#;
    assert_eq!(
        run_with(input, Json, limits(16, 64)).0,
        vec![
            rec(0, 1, b"{}"),
            Frame::Envelope {
                line: 1,
                body: Body::TooLarge { bytes: 26 }
            }
        ]
    );
    let input = br#"{"deep":[[1]],"records":[[2]]}"#;
    assert_eq!(
        run_with(input, Json, limits(100, 2)).0,
        vec![
            rec(0, 1, b"[2]"),
            Frame::Envelope {
                line: 1,
                body: Body::TooDeep { depth: 3 }
            }
        ]
    );
    // Broken framing after the records: the envelope is the error.
    assert_eq!(
        run(br#"{"records":[1], "x" 2}"#, Json),
        vec![
            rec(0, 1, b"1"),
            Frame::Envelope {
                line: 1,
                body: Body::Syntax {
                    message: MSG_EXPECTED_COLON
                }
            }
        ]
    );
    assert_eq!(
        run(br#"{"records":[1]"#, Json),
        vec![
            rec(0, 1, b"1"),
            Frame::Envelope {
                line: 1,
                body: Body::Syntax {
                    message: MSG_UNTERMINATED_OBJECT
                }
            }
        ]
    );
    // Broken inside the records: one syntax record, and nothing after it.
    assert_eq!(
        run(br#"{"records":[1 2],"x":1}"#, Json),
        vec![rec(0, 1, b"1"), syntax(1, 1, MSG_AFTER_ELEMENT)]
    );
    // Trailing data after a batch.
    assert_eq!(
        run(b"{\"records\":[1]}\n\n x", Json),
        vec![rec(0, 1, b"1"), env(1, b"{}"), syntax(1, 3, MSG_TRAILING)]
    );
}

#[test]
fn records_not_an_array() {
    assert_eq!(
        run(br#"{"records":5,"x":1}"#, Json),
        vec![env(1, br#"{"records":5,"x":1}"#)]
    );
    assert_eq!(
        run(br#"{"x":1, "records" :{"a":[1]}}"#, Json),
        vec![env(1, br#"{"x":1,"records":{"a":[1]}}"#)]
    );
    // Only the first records array streams; another stays in the envelope.
    assert_eq!(
        run(br#"{"records":null,"records":[1],"records":[2]}"#, Json),
        vec![
            rec(0, 1, b"1"),
            env(1, br#"{"records":null,"records":[2]}"#)
        ]
    );
    // Only the literal spelling counts.
    let input = br#"{"rec\u006frds":[1]}"#;
    assert_eq!(run(input, Json), vec![rec(0, 1, input)]);
}

#[test]
fn single_object() {
    let input = b"  {\"a\": 1,\n \"b\" : [1, {\"records\" : [2]}], \"c\":\"}\"}  \n\n";
    assert_eq!(
        run(input, Json),
        vec![rec(0, 1, &input[2..input.len() - 4])]
    );
    assert_eq!(run(b"{}", Json), vec![rec(0, 1, b"{}")]);
    assert_eq!(run(b"\n{ }", Json), vec![rec(0, 2, b"{ }")]);
    let input = br#"{"a":"0123456789abcdef"}"#;
    assert_eq!(
        run_with(input, Json, limits(16, 64)).0,
        vec![rec_body(0, 1, Body::TooLarge { bytes: 24 })]
    );
    assert_eq!(
        run_with(b"{\"a\":[[1]]}", Json, limits(16, 2)).0,
        vec![rec_body(0, 1, Body::TooDeep { depth: 3 })]
    );
    // A malformed object (not a batch) goes whole to the parser.
    assert_eq!(
        run(b"{\"a\":1 \"b\":2}\n", Json),
        vec![rec(0, 1, b"{\"a\":1 \"b\":2}\n")]
    );
    assert_eq!(run(b"{\"a\":", Json), vec![rec(0, 1, b"{\"a\":")]);
    assert_eq!(run(b"{\"a\":}", Json), vec![rec(0, 1, b"{\"a\":}")]);
}

#[test]
fn single_object_with_trailing_garbage() {
    assert_eq!(
        run(b"{\"a\":1} \n x\n", Json),
        vec![rec(0, 1, b"{\"a\":1} \n x\n")]
    );
    assert_eq!(
        run(b"{\"a\":1}{\"b\":2}", Json),
        vec![rec(0, 1, b"{\"a\":1}{\"b\":2}")]
    );
    assert_eq!(
        run_with(b"{\"a\":1}        xxxxxxxxxx", Json, limits(16, 64)).0,
        vec![rec_body(0, 1, Body::TooLarge { bytes: 25 })]
    );
}

#[test]
fn array_with_trailing_garbage() {
    assert_eq!(
        run(b"[1] x y", Json),
        vec![rec(0, 1, b"1"), syntax(1, 1, MSG_TRAILING)]
    );
    assert_eq!(run(b"[]\n]", Json), vec![syntax(0, 2, MSG_TRAILING)]);
    assert_eq!(run(b"[1]\n \r\n", Json), vec![rec(0, 1, b"1")]);
}

#[test]
fn empty_documents() {
    for input in [&b""[..], b"   ", b"\n\r\n\t", b"\xEF\xBB\xBF \n"] {
        let lines = input.iter().filter(|&&b| b == b'\n').count() as u64;
        assert_eq!(run(input, Json), vec![syntax(0, lines + 1, MSG_EMPTY)]);
        assert_eq!(run(input, Ndjson), vec![]);
        let (frames, detected) = run_with(input, Auto, FrameLimits::default());
        assert_eq!(frames, vec![]);
        assert_eq!(detected, Some(Ndjson));
    }
}

#[test]
fn other_json_documents_go_to_the_parser() {
    assert_eq!(run(b"\n 12 34\n", Json), vec![rec(0, 2, b"12 34\n")]);
    assert_eq!(run(b"\"x\"", Json), vec![rec(0, 1, b"\"x\"")]);
    assert_eq!(run(b"}", Json), vec![rec(0, 1, b"}")]);
    assert_eq!(
        run_with(b"nulllllllllllllllllllll", Json, limits(16, 64)).0,
        vec![rec_body(0, 1, Body::TooLarge { bytes: 23 })]
    );
}

fn auto(input: &[u8]) -> (Vec<Frame>, Option<InputFormat>) {
    run_with(input, Auto, FrameLimits::default())
}

#[test]
fn auto_detection() {
    let (frames, detected) = auto(b"\n\n{\"a\":1}\n  {\"b\":[2]}\n");
    assert_eq!(detected, Some(Ndjson));
    assert_eq!(
        frames,
        vec![rec(0, 3, b"{\"a\":1}"), rec(1, 4, b"  {\"b\":[2]}")]
    );

    let (frames, detected) = auto(br#"{"a":"x\n{"}"#);
    assert_eq!(detected, Some(Ndjson));
    assert_eq!(frames, vec![rec(0, 1, br#"{"a":"x\n{"}"#)]);

    let input = b"{\n  \"a\": 1\n}\n";
    let (frames, detected) = auto(input);
    assert_eq!(detected, Some(Json));
    assert_eq!(frames, vec![rec(0, 1, b"{\n  \"a\": 1\n}")]);

    let (frames, detected) = auto(b"{\"v\":1,\"records\":[{\"a\":1},{\"a\":2}]}\n");
    assert_eq!(detected, Some(Json));
    assert_eq!(
        frames,
        vec![
            rec(0, 1, b"{\"a\":1}"),
            rec(1, 1, b"{\"a\":2}"),
            env(1, b"{\"v\":1}")
        ]
    );

    let (frames, detected) = auto(b" \n [1,\n2]");
    assert_eq!(detected, Some(Json));
    assert_eq!(frames, vec![rec(0, 2, b"1"), rec(1, 3, b"2")]);

    // `records` that is not an array, or nested, or escaped: not a batch.
    for line in [
        &br#"{"records":5}"#[..],
        br#"{"x":{"records":[1]}}"#,
        br#"{"x":"records","y":[1]}"#,
        br#"{"rec\u006frds":[1]}"#,
    ] {
        let (frames, detected) = auto(line);
        assert_eq!(detected, Some(Ndjson), "{}", String::from_utf8_lossy(line));
        assert_eq!(frames, vec![rec(0, 1, line)]);
    }
    // Two values on the first line: a JSON document (with trailing data).
    let (frames, detected) = auto(b"{\"a\":1} {\"b\":2}\n");
    assert_eq!(detected, Some(Json));
    assert_eq!(frames, vec![rec(0, 1, b"{\"a\":1} {\"b\":2}\n")]);
    // Scalars and strings.
    assert_eq!(auto(b"1\n2").1, Some(Ndjson));
    assert_eq!(auto(b"\"a\"\n").1, Some(Ndjson));
    assert_eq!(auto(b"\"a\nb\"").1, Some(Json));
    assert_eq!(auto(b"}\n").1, Some(Json));
    // An unterminated first line.
    assert_eq!(auto(b"{\"a\":1").1, Some(Json));
}

#[test]
fn auto_over_long_first_line() {
    let l = limits(16, 64);
    let input = b"{\"a\":\"0123456789abcdef\"}\n{\"b\":2}\n";
    let (frames, detected) = run_with(input, Auto, l);
    assert_eq!(detected, Some(Ndjson));
    assert_eq!(
        frames,
        vec![
            rec_body(0, 1, Body::TooLarge { bytes: 24 }),
            rec(1, 2, b"{\"b\":2}")
        ]
    );
    // A one-line batch bigger than the limit is still recognised.
    let input = b"{\"records\":[{\"a\":\"0123456789abcdef\"},{}]}";
    let (frames, detected) = run_with(input, Auto, l);
    assert_eq!(detected, Some(Json));
    assert_eq!(
        frames,
        vec![
            rec_body(0, 1, Body::TooLarge { bytes: 24 }),
            rec(1, 1, b"{}"),
            env(1, b"{}")
        ]
    );
    // A huge blank first line.
    let mut input = vec![b' '; 300_000];
    input.extend_from_slice(b"\n{}\n");
    let (frames, detected) = run_with(&input, Auto, l);
    assert_eq!(detected, Some(Ndjson));
    assert_eq!(frames, vec![rec(0, 2, b"{}")]);
}

#[test]
fn very_deep_nesting() {
    let n = 100_000;
    let open = vec![b'['; n];
    let mut closed = open.clone();
    closed.extend_from_slice(&vec![b']'; n]);
    assert_eq!(
        run(&open, Ndjson),
        vec![rec_body(0, 1, Body::TooDeep { depth: n })]
    );
    assert_eq!(auto(&open).0, vec![syntax(0, 1, MSG_UNTERMINATED_ARRAY)]);
    assert_eq!(
        run(&closed, Json),
        vec![rec_body(0, 1, Body::TooDeep { depth: n - 1 })]
    );
    let mut object = b"{\"a\":".to_vec();
    object.extend_from_slice(&closed);
    object.push(b'}');
    assert_eq!(
        run(&object, Json),
        vec![rec_body(0, 1, Body::TooDeep { depth: n + 1 })]
    );
    let mut batch = b"{\"records\":[".to_vec();
    batch.extend_from_slice(&closed);
    batch.extend_from_slice(b",{}]}");
    assert_eq!(
        run(&batch, Json),
        vec![
            rec_body(0, 1, Body::TooDeep { depth: n }),
            rec(1, 1, b"{}"),
            env(1, b"{}")
        ]
    );
}

#[test]
fn io_error_ends_the_iteration() {
    struct Failing(usize);
    impl Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0 == 0 {
                return Err(io::Error::other("boom"));
            }
            self.0 -= 1;
            buf[0] = b'1';
            buf[1] = b'\n';
            Ok(2)
        }
    }
    let mut frames = Frames::new(Failing(2), Ndjson, FrameLimits::default());
    assert_eq!(frames.next().unwrap().unwrap(), rec(0, 1, b"1"));
    assert_eq!(frames.next().unwrap().unwrap(), rec(1, 2, b"1"));
    assert!(frames.next().unwrap().is_err());
    assert!(frames.next().is_none());
}

/// xorshift64*.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn random_inputs_never_panic_and_terminate() {
    const PIECES: &[&[u8]] = &[
        b"{",
        b"}",
        b"[",
        b"]",
        b"\"",
        b"\\",
        b",",
        b":",
        b" ",
        b"\n",
        b"\r",
        b"\t",
        b"a",
        b"1",
        b"\"records\"",
        b"\"records\":[",
        b"\xEF\xBB\xBF",
        b"\0",
        b"\xff",
        b"true",
        b"{\"a\":1}",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for case in 0..4000 {
        let len = rng.below(if case % 10 == 0 { 400 } else { 40 });
        let mut input = Vec::new();
        for _ in 0..len {
            if rng.below(8) == 0 {
                input.push(rng.next() as u8);
            } else {
                input.extend_from_slice(PIECES[rng.below(PIECES.len())]);
            }
        }
        let l = if case % 2 == 0 {
            limits(12, 3)
        } else {
            FrameLimits::default()
        };
        for format in [Auto, Json, Ndjson] {
            let (frames, detected) = run_with(&input, format, l);
            assert!(frames.len() <= input.len() + 2, "too many frames");
            assert!(detected.is_some());
            let envelopes = frames
                .iter()
                .filter(|f| matches!(f, Frame::Envelope { .. }))
                .count();
            assert!(envelopes <= 1);
            if let Some(pos) = frames.iter().position(|f| {
                matches!(
                    f,
                    Frame::Record {
                        body: Body::Syntax { .. },
                        ..
                    } | Frame::Envelope {
                        body: Body::Syntax { .. },
                        ..
                    }
                )
            }) {
                assert_eq!(pos, frames.len() - 1, "a syntax frame is the last");
            }
        }
    }
}

/// Manual throughput check: `cargo test --release -- --ignored --nocapture throughput`.
#[test]
#[ignore = "manual throughput check"]
fn throughput() {
    let record = br#"{"id":"6f1c2a7e-0000-4000-8000-000000000000","kind":"lesson","title":"Folding fitted sheets, \"the easy way\"","steps":[{"n":1,"text":"Lay it flat [corners up]"},{"n":2,"text":"Tuck, fold, repeat"}],"tags":["laundry","bedroom"],"minutes":12,"ok":true}"#;
    let count = 200_000_000 / (record.len() + 2);
    let mut ndjson = Vec::with_capacity(count * (record.len() + 1));
    let mut array = Vec::with_capacity(count * (record.len() + 3) + 2);
    array.extend_from_slice(b"[\n");
    for i in 0..count {
        ndjson.extend_from_slice(record);
        ndjson.push(b'\n');
        if i > 0 {
            array.extend_from_slice(b",\n");
        }
        array.extend_from_slice(record);
    }
    array.extend_from_slice(b"\n]\n");
    for (name, data, format) in [
        ("ndjson", &ndjson, Ndjson),
        ("array", &array, Json),
        ("ndjson/auto", &ndjson, Auto),
    ] {
        let start = std::time::Instant::now();
        let mut n = 0u64;
        let mut bytes = 0usize;
        for frame in Frames::new(data.as_slice(), format, FrameLimits::default()) {
            if let Ok(Frame::Record {
                body: Body::Json(b),
                ..
            }) = frame
            {
                bytes += b.len();
                n += 1;
            }
        }
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(n as usize, count);
        println!(
            "{name}: {} MB, {n} records ({bytes} record bytes) in {secs:.3} s = {:.0} MB/s",
            data.len() / 1_000_000,
            data.len() as f64 / 1e6 / secs
        );
    }
}
