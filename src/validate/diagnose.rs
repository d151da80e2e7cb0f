//! The slow path without `serde_json::Value`: a record that did not deserialize into its typed
//! form is read into a tree that borrows its strings from the input, and the committed JSON
//! Schema judges that tree directly: our own checker of the generated schemas
//! ([`super::check`]) where it knows the schema, else jsonschema (which validates any
//! representation that implements its `Json` traits).
//!
//! The tree is only a faster way to the same findings as the value path: objects keep their
//! members sorted by key, as `serde_json::Map` does, so the schema visits them in the same
//! order and reports the same errors in the same order. Whatever the reader is not sure of —
//! anything serde_json would refuse or read differently (a syntax error, a duplicate key, an
//! escaped surrogate, a number it parses its own way), anything over the limits — makes it give
//! up, and the value path judges the record as before, with its exact finding.

use std::borrow::Cow;
use std::sync::OnceLock;

use jsonschema::json::{Array, Json, Node, NodeIdentity, Object};
use jsonschema::JsonType;
use jsonschema_value::LazyInstance;
use serde_json::{Number, Value};

use super::{structural, Limits, Validator, Verdict};
use crate::fields::{Field, Fields};
use crate::framing::lex::string_special;
use crate::kind::Header;
use crate::{edition, DocumentKind, Kind, Version};

/// The representation marker: records read by [`read`].
pub(crate) struct Tree;

/// A record read by [`read`]: every value of it in a few flat vectors (a handful of
/// allocations a record, none a value), its strings borrowed from the input where they have
/// no escapes.
pub(crate) struct Doc<'a> {
    /// The record's text: the instance of an error on an array or object is parsed from its
    /// span only when read.
    text: &'a str,
    /// The record itself.
    root: Val<'a>,
    /// The members of every object, each object's side by side in key order, as
    /// `serde_json::Map` keeps them (so the schema visits them in the same order).
    members: Vec<Member<'a>>,
    /// The items of every array, each array's side by side.
    items: Vec<Val<'a>>,
}

/// An object's member: its key and its value.
type Member<'a> = (Cow<'a, str>, Val<'a>);

/// One value of a record. Arrays and objects name their slice of [`Doc::items`] or
/// [`Doc::members`] and their own span of [`Doc::text`].
enum Val<'a> {
    Null,
    Bool(bool),
    Num(Number),
    Str(Cow<'a, str>),
    Arr(Span),
    /// No key twice.
    Obj(Span),
}

/// Where a container's children and text are.
#[derive(Clone, Copy)]
struct Span {
    /// First child.
    at: u32,
    /// How many children.
    len: u32,
    /// The container's text: `start..end` of [`Doc::text`].
    start: u32,
    end: u32,
}

impl Span {
    fn children(self) -> std::ops::Range<usize> {
        self.at as usize..self.at as usize + self.len as usize
    }
}

/// A record with nothing in it: the document of the string nodes made for jsonschema.
static NO_DOC: Doc<'static> = Doc {
    text: "",
    root: Val::Null,
    members: Vec::new(),
    items: Vec::new(),
};

/// Read `text` into a tree, or `None` when the value path must judge it: not exactly what
/// serde_json reads, a key twice, or over the limits (or past 4 GiB).
pub(crate) fn read<'a>(text: &'a str, limits: &Limits) -> Option<Doc<'a>> {
    u32::try_from(text.len()).ok()?;
    let buffers = BUFFERS
        .try_with(|b| b.try_borrow_mut().map(|mut b| std::mem::take(&mut *b)))
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        // serde_json stops at 128 levels; stay well under it whatever the limit says.
        max_depth: limits.max_depth.min(100),
        max_string: limits.max_string_bytes,
        members: recycle(buffers.members),
        order: buffers.order,
        items: recycle(buffers.items),
        open_members: recycle(buffers.open_members),
        open_items: recycle(buffers.open_items),
    };
    let root = reader.value(1);
    reader.space();
    let whole = root.is_some() && reader.at == reader.bytes.len();
    let Reader {
        members,
        mut order,
        items,
        open_members,
        open_items,
        ..
    } = reader;
    order.clear();
    let open_members = keep(recycle(open_members));
    let open_items = keep(recycle(open_items));
    let order = keep(order);
    let _ = BUFFERS.try_with(|b| {
        if let Ok(mut b) = b.try_borrow_mut() {
            b.open_members = open_members;
            b.open_items = open_items;
            b.order = order;
        }
    });
    let doc = Doc {
        text,
        root: root.unwrap_or(Val::Null),
        members,
        items,
    };
    whole.then_some(doc)
}

/// The vectors of the trees a thread reads, kept from one record to the next (their
/// elements borrow nothing while they are kept: each is empty).
#[derive(Default)]
struct Buffers {
    members: Vec<Member<'static>>,
    items: Vec<Val<'static>>,
    open_members: Vec<Member<'static>>,
    open_items: Vec<Val<'static>>,
    order: Vec<(u64, u32)>,
}

thread_local! {
    static BUFFERS: std::cell::RefCell<Buffers> = std::cell::RefCell::new(Buffers::default());
}

/// The same vector, emptied, for elements of another lifetime: the standard library collects
/// in place when the layouts agree, as they do here, so the allocation is kept.
fn recycle<A, B>(mut v: Vec<A>) -> Vec<B> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

/// A vector to keep for the next record: not one grown by a giant record.
fn keep<T>(v: Vec<T>) -> Vec<T> {
    /// The most elements a kept vector may hold.
    const MOST: usize = 4096;
    if v.capacity() > MOST {
        Vec::new()
    } else {
        v
    }
}

impl Drop for Doc<'_> {
    fn drop(&mut self) {
        let members = keep(recycle(std::mem::take(&mut self.members)));
        let items = keep(recycle(std::mem::take(&mut self.items)));
        let _ = BUFFERS.try_with(|b| {
            if let Ok(mut b) = b.try_borrow_mut() {
                b.members = members;
                b.items = items;
            }
        });
    }
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    max_depth: usize,
    max_string: usize,
    members: Vec<Member<'a>>,
    /// Scratch: the key order of the object being closed.
    order: Vec<(u64, u32)>,
    items: Vec<Val<'a>>,
    /// The members of the objects being read, innermost last.
    open_members: Vec<Member<'a>>,
    /// The items of the arrays being read, innermost last.
    open_items: Vec<Val<'a>>,
}

impl<'a> Reader<'a> {
    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.bytes.get(self.at) == Some(&b)).then(|| self.at += 1)
    }

    fn word(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end) == Some(word)).then(|| self.at = end)
    }

    fn value(&mut self, depth: usize) -> Option<Val<'a>> {
        if depth > self.max_depth {
            return None;
        }
        self.space();
        let start = self.at;
        Some(match *self.bytes.get(self.at)? {
            b'{' => {
                self.at += 1;
                let open = self.open_members.len();
                self.space();
                if self.eat(b'}').is_none() {
                    loop {
                        self.space();
                        let key = self.string()?;
                        self.space();
                        self.eat(b':')?;
                        let value = self.value(depth + 1)?;
                        self.open_members.push((key, value));
                        self.space();
                        match *self.bytes.get(self.at)? {
                            b',' => self.at += 1,
                            b'}' => {
                                self.at += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                let at = self.members.len();
                let len = self.open_members.len() - open;
                self.close_object(open)?;
                Val::Obj(self.span(at, len, start))
            }
            b'[' => {
                self.at += 1;
                let open = self.open_items.len();
                self.space();
                if self.eat(b']').is_none() {
                    loop {
                        let item = self.value(depth + 1)?;
                        self.open_items.push(item);
                        self.space();
                        match *self.bytes.get(self.at)? {
                            b',' => self.at += 1,
                            b']' => {
                                self.at += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                let at = self.items.len();
                let len = self.open_items.len() - open;
                self.items.extend(self.open_items.drain(open..));
                Val::Arr(self.span(at, len, start))
            }
            b'"' => Val::Str(self.string()?),
            b't' => self.word(b"true").map(|()| Val::Bool(true))?,
            b'f' => self.word(b"false").map(|()| Val::Bool(false))?,
            b'n' => self.word(b"null").map(|()| Val::Null)?,
            b'-' | b'0'..=b'9' => Val::Num(self.number()?),
            _ => return None,
        })
    }

    /// Move the members of the object being read (from `open` on the stack) to
    /// [`Doc::members`], in key order; `None` when a key is there twice.
    fn close_object(&mut self, open: usize) -> Option<()> {
        let open_members = &mut self.open_members[open..];
        // Order the members by the first eight bytes of their keys (most keys differ there),
        // comparing whole keys only on a tie: the same order as `str`'s.
        let order = &mut self.order;
        order.clear();
        order.extend(open_members.iter().enumerate().map(|(i, (k, _))| {
            let mut prefix = [0u8; 8];
            let n = k.len().min(8);
            prefix[..n].copy_from_slice(&k.as_bytes()[..n]);
            (u64::from_be_bytes(prefix), i as u32)
        }));
        order.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0).then_with(|| {
                key_order(&open_members[a.1 as usize].0, &open_members[b.1 as usize].0)
            })
        });
        // Keys are unique once checked, so an unstable sort gives the map's order.
        if order.windows(2).any(|w| {
            w[0].0 == w[1].0 && open_members[w[0].1 as usize].0 == open_members[w[1].1 as usize].0
        }) {
            return None;
        }
        for &(_, i) in order.iter() {
            let member = std::mem::replace(
                &mut open_members[i as usize],
                (Cow::Borrowed(""), Val::Null),
            );
            self.members.push(member);
        }
        self.open_members.truncate(open);
        Some(())
    }

    /// The span of a container read from `start` to here, its children at `at`. Every offset
    /// fits: the text is under 4 GiB.
    fn span(&self, at: usize, len: usize, start: usize) -> Span {
        Span {
            at: at as u32,
            len: len as u32,
            start: start as u32,
            end: self.at as u32,
        }
    }

    /// A string at `"`: borrowed when it has no escapes.
    #[inline]
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.eat(b'"')?;
        let start = self.at;
        // The next quote, backslash or control character: most strings end at the first.
        let end = start + string_special(self.bytes.get(start..)?)?;
        if self.bytes.get(end) == Some(&b'"') {
            let s = self.text.get(start..end)?;
            self.at = end + 1;
            return (s.len() <= self.max_string).then_some(Cow::Borrowed(s));
        }
        self.escaped_string(start)
    }

    /// The rest of a string that has an escape (or a control character), from `run`, its
    /// first byte.
    #[inline(never)]
    fn escaped_string(&mut self, mut run: usize) -> Option<Cow<'a, str>> {
        self.at = run;
        let mut owned: Option<String> = None;
        loop {
            // The next quote, backslash or control character.
            self.at += string_special(self.bytes.get(self.at..)?)?;
            match self.bytes[self.at] {
                b'"' => {
                    let tail = self.text.get(run..self.at)?;
                    self.at += 1;
                    let s = match owned {
                        None => Cow::Borrowed(tail),
                        Some(mut s) => {
                            s.push_str(tail);
                            Cow::Owned(s)
                        }
                    };
                    return (s.len() <= self.max_string).then_some(s);
                }
                b'\\' => {}
                _ => return None,
            }
            let s = owned.get_or_insert_with(String::new);
            s.push_str(self.text.get(run..self.at)?);
            let c = match *self.bytes.get(self.at + 1)? {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let hex = self.text.get(self.at + 2..self.at + 6)?;
                    if !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                        return None;
                    }
                    // A surrogate (half of a pair) is left to serde_json.
                    let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                    self.at += 4;
                    c
                }
                _ => return None,
            };
            s.push(c);
            self.at += 2;
            run = self.at;
        }
    }

    /// A number as serde_json reads it: the JSON grammar here, the value from serde_json.
    fn number(&mut self) -> Option<Number> {
        let start = self.at;
        let digits = |r: &mut Self| {
            let from = r.at;
            while r.bytes.get(r.at).is_some_and(u8::is_ascii_digit) {
                r.at += 1;
            }
            r.at > from
        };
        let _ = self.eat(b'-');
        match self.bytes.get(self.at)? {
            b'0' => self.at += 1,
            b'1'..=b'9' => {
                digits(self);
            }
            _ => return None,
        }
        let mut plain = true;
        if self.eat(b'.').is_some() {
            plain = false;
            digits(self).then_some(())?;
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            plain = false;
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            digits(self).then_some(())?;
        }
        let token = self.text.get(start..self.at)?;
        if plain && !token.starts_with('-') {
            if let Ok(n) = token.parse::<u64>() {
                return Some(n.into());
            }
        }
        serde_json::from_str::<Number>(token).ok()
    }
}

impl<'a> Doc<'a> {
    /// The record as a node.
    pub(super) fn node(&'a self) -> At<'a> {
        At {
            doc: self,
            val: &self.root,
        }
    }

    fn object(&self) -> Option<()> {
        matches!(self.root, Val::Obj(_)).then_some(())
    }

    #[cfg(test)]
    fn get(&'a self, key: &str) -> Option<At<'a>> {
        self.node().member(key)
    }

    /// The record as serde_json would have read it.
    fn to_value(&self) -> Value {
        self.node().value()
    }
}

/// A node of a [`Doc`], as jsonschema visits it: the value and the record it belongs to.
#[derive(Clone, Copy)]
pub(crate) struct At<'a> {
    doc: &'a Doc<'a>,
    val: &'a Val<'a>,
}

impl<'a> At<'a> {
    fn at(self, val: &'a Val<'a>) -> At<'a> {
        At { doc: self.doc, val }
    }

    /// The member `key`, when this is an object.
    fn member(self, key: &str) -> Option<At<'a>> {
        match self.val {
            Val::Obj(span) => Members {
                doc: self.doc,
                span,
            }
            .find(key),
            _ => None,
        }
    }

    /// The value as serde_json would have read it.
    fn value(self) -> Value {
        match self.val {
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Num(n) => Value::Number(n.clone()),
            Val::Str(s) => Value::String(s.clone().into_owned()),
            Val::Arr(span) => Value::Array(
                self.doc.items[span.children()]
                    .iter()
                    .map(|v| self.at(v).value())
                    .collect(),
            ),
            Val::Obj(span) => Value::Object(
                self.doc.members[span.children()]
                    .iter()
                    .map(|(k, v)| (k.clone().into_owned(), self.at(v).value()))
                    .collect(),
            ),
        }
    }
}

/// The order of two keys, as `str`'s: byte by byte (keys are short and differ early, where a
/// call to `memcmp` costs more than the loop).
fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

impl Fields for Doc<'_> {
    fn field(&self, path: &[&str]) -> Field<'_> {
        let found = path
            .iter()
            .try_fold(self.node(), |node, key| node.member(key));
        match found.map(|node| node.val) {
            None => Field::Missing,
            Some(Val::Str(s)) => Field::Text(s),
            Some(_) => Field::Other,
        }
    }
}

impl Json for Tree {
    type Node<'a> = At<'a>;
    type PreparedKey = String;
    type StringBuffer = ();
    const ACYCLIC: bool = true;
    /// A lookup scans the object's members too (see [`Members::find`]), so `required` checks
    /// a record-sized object in one pass over its members rather than a scan per name.
    const KEYS_PER_LOOKUP: usize = 4;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(Self::Node<'_>) -> T) -> T {
        let val = Val::Str(Cow::Borrowed(string));
        f(At {
            doc: &NO_DOC,
            val: &val,
        })
    }
}

fn parse_text(text: &[u8], _: u32) -> Value {
    serde_json::from_slice(text).unwrap_or(Value::Null)
}

impl<'a> Node<'a, Tree> for At<'a> {
    type Object = Members<'a>;
    type Array = Items<'a>;
    type Number = &'a Number;

    fn as_object(&self) -> Option<Members<'a>> {
        match self.val {
            Val::Obj(span) => Some(Members {
                doc: self.doc,
                span,
            }),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<Items<'a>> {
        match self.val {
            Val::Arr(span) => Some(Items(&self.doc.items[span.children()], self.doc)),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match self.val {
            Val::Str(s) => Some(Cow::Borrowed(&**s)),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<&'a Number> {
        match self.val {
            Val::Num(n) => Some(n),
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match self.val {
            Val::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self.val, Val::Null)
    }

    fn json_type(&self) -> JsonType {
        match self.val {
            Val::Null => JsonType::Null,
            Val::Bool(_) => JsonType::Boolean,
            Val::Num(_) => JsonType::Number,
            Val::Str(_) => JsonType::String,
            Val::Arr(_) => JsonType::Array,
            Val::Obj(_) => JsonType::Object,
        }
    }

    fn equals_value(&self, expected: &Value) -> bool {
        match self.val {
            Val::Str(s) => expected.as_str() == Some(&**s),
            Val::Bool(b) => expected.as_bool() == Some(*b),
            Val::Null => expected.is_null(),
            _ => jsonschema::json::cmp::equal(&self.value(), expected),
        }
    }

    fn to_value(&self) -> Cow<'a, Value> {
        Cow::Owned(self.value())
    }

    fn lazy_value(&self) -> LazyInstance<'a> {
        let text = match self.val {
            Val::Arr(span) | Val::Obj(span) => self
                .doc
                .text
                .get(span.start as usize..span.end as usize)
                .unwrap_or(""),
            _ => "",
        };
        if text.is_empty() {
            LazyInstance::Ready(Cow::Owned(self.value()))
        } else {
            LazyInstance::Deferred {
                bytes: text.as_bytes(),
                tag: 0,
                make: parse_text,
                cell: OnceLock::new(),
            }
        }
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::new(
            std::ptr::from_ref::<Val<'_>>(self.val) as usize
        ))
    }
}

/// An object's members.
#[derive(Clone, Copy)]
pub(crate) struct Members<'a> {
    doc: &'a Doc<'a>,
    span: &'a Span,
}

impl<'a> Members<'a> {
    /// The member `key`: a scan that compares keys as words ([`super::check::same`]) in a
    /// record-sized object (cheaper than ordering strings), a binary search in a larger one.
    fn find(self, key: &str) -> Option<At<'a>> {
        let members = &self.doc.members[self.span.children()];
        let found = if members.len() <= 24 {
            members.iter().find(|(k, _)| super::check::same(k, key))
        } else {
            let at = members.binary_search_by(|(k, _)| (**k).cmp(key)).ok()?;
            members.get(at)
        };
        found.map(|(_, v)| At {
            doc: self.doc,
            val: v,
        })
    }
}

/// An object's members in key order, as jsonschema reads them.
pub(crate) struct MembersIter<'a> {
    doc: &'a Doc<'a>,
    members: std::slice::Iter<'a, Member<'a>>,
}

impl<'a> Iterator for MembersIter<'a> {
    type Item = (&'a str, At<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let (k, v) = self.members.next()?;
        Some((
            &**k,
            At {
                doc: self.doc,
                val: v,
            },
        ))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.members.size_hint()
    }
}

/// An array's items.
#[derive(Clone, Copy)]
pub(crate) struct Items<'a>(&'a [Val<'a>], &'a Doc<'a>);

/// An array's items as jsonschema reads them.
pub(crate) struct ItemsIter<'a> {
    doc: &'a Doc<'a>,
    items: std::slice::Iter<'a, Val<'a>>,
}

impl<'a> Iterator for ItemsIter<'a> {
    type Item = At<'a>;

    fn next(&mut self) -> Option<At<'a>> {
        Some(At {
            doc: self.doc,
            val: self.items.next()?,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.items.size_hint()
    }
}

impl<'a> Object<'a, Tree> for Members<'a> {
    type Node = At<'a>;
    type MemberName = &'a str;
    type MembersIter = MembersIter<'a>;

    fn len(&self) -> usize {
        self.span.len as usize
    }

    fn get(&self, key: &String) -> Option<At<'a>> {
        self.find(key)
    }

    fn members(&self) -> MembersIter<'a> {
        MembersIter {
            doc: self.doc,
            members: self.doc.members[self.span.children()].iter(),
        }
    }
}

impl<'a> Array<'a, Tree> for Items<'a> {
    type Node = At<'a>;
    type ElementsIter = ItemsIter<'a>;

    fn len(&self) -> usize {
        self.0.len()
    }

    fn elements(&self) -> ItemsIter<'a> {
        ItemsIter {
            doc: self.1,
            items: self.0.iter(),
        }
    }
}

/// The committed schema of `version` and `kind` compiled for the tree, once per process.
///
/// # Panics
/// When a generated schema does not compile: a bug, caught by the test suite.
pub(super) fn compiled(
    version: Version,
    kind: Kind,
) -> Option<&'static jsonschema::Validator<Tree>> {
    const KINDS: usize = Kind::ALL.len();
    static CELLS: [[OnceLock<jsonschema::Validator<Tree>>; KINDS]; Version::ALL.len()] =
        [const { [const { OnceLock::new() }; KINDS] }; Version::ALL.len()];
    let v = Version::ALL.iter().position(|&x| x == version)?;
    let k = Kind::ALL.iter().position(|&x| x == kind)?;
    if !version.has(kind) {
        return None;
    }
    Some(CELLS[v][k].get_or_init(|| {
        let schema = crate::schemagen::engine_form(crate::schema::generate(
            version,
            DocumentKind::Record(kind),
            crate::schema::DEFAULT_BASE_URI,
        ));
        jsonschema::options_for::<Tree>()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&schema)
            .unwrap_or_else(|e| {
                panic!("invariant: the generated {version} {kind} schema compiles: {e}")
            })
    }))
}

/// What the tree made of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TreeOutcome {
    /// The verdict is written; `sound` when the schema and the identifiers' checks found no
    /// error (the rules ran).
    Judged {
        /// No error before the rules.
        sound: bool,
    },
    /// The schema and the identifiers' checks found no error, and the rules were not run:
    /// nothing is written (the typed path judges such a record for less).
    Sound,
    /// The value path must judge the record: nothing is written.
    GaveUp,
}

impl Validator {
    /// Judge a record that did not deserialize into its typed form, through the tree; `false`
    /// (nothing added to `verdict`) when the value path must judge it instead.
    pub(crate) fn judge_tree(&self, bytes: &[u8], verdict: &mut Verdict) -> bool {
        matches!(
            self.judge_tree_then(bytes, verdict, true),
            TreeOutcome::Judged { .. }
        )
    }

    /// Judge a record through the tree, the schema first: with every finding when `rules`,
    /// else only when the schema or the identifiers' checks find an error (a record with none
    /// is [`TreeOutcome::Sound`], and nothing is written). Whenever the tree judges a record, its
    /// verdict is the one the typed path would give it, so a record may come here before its
    /// typed parse is tried.
    pub(crate) fn judge_tree_then(
        &self,
        bytes: &[u8],
        verdict: &mut Verdict,
        rules: bool,
    ) -> TreeOutcome {
        let Ok(text) = simdutf8::basic::from_utf8(bytes) else {
            return TreeOutcome::GaveUp;
        };
        let Some(doc) = read(text, &self.inner.options.limits) else {
            return TreeOutcome::GaveUp;
        };
        if doc.object().is_none() {
            return TreeOutcome::GaveUp;
        }
        let header = Header::of_fields(&doc);
        let (Some(Ok(DocumentKind::Record(kind))), Some(Ok(version))) =
            (header.kind, header.version)
        else {
            return TreeOutcome::GaveUp;
        };
        if !version.has(kind) {
            return TreeOutcome::GaveUp;
        }
        let lang = self.lang();
        let edition = edition::of(version);
        // The schema checker, or where it cannot judge the record, jsonschema (compiled only
        // when first needed).
        let mut findings = match super::check::checker(version, kind)
            .and_then(|checker| checker.findings(&doc.node(), lang))
        {
            Some(findings) => findings,
            None => {
                let Some(schema) = compiled(version, kind) else {
                    return TreeOutcome::GaveUp;
                };
                structural::schema_findings(schema.iter_errors(doc.node()), lang)
            }
        };
        (edition.id_findings)(kind, &doc, lang, &mut findings);
        let sound = !findings.iter().any(super::Finding::is_error);
        if sound {
            if !rules {
                return TreeOutcome::Sound;
            }
            (edition.typed_rules)(&self.inner.ctx, kind, doc.to_value(), &mut findings);
        }
        verdict.kind = Some(kind.into());
        if let Some(id) = doc.field(&["id"]).text() {
            if let Ok(id) = id.parse::<crate::ident::RecordId>() {
                verdict.id = Some(id);
            }
        }
        if kind == Kind::Competition {
            verdict.cites = doc
                .field(&["certificate"])
                .text()
                .and_then(|id| id.parse().ok());
        }
        verdict.extend(findings);
        TreeOutcome::Judged { sound }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Options;
    use serde_json::Map;

    /// The value path alone, as the validator judged every record before the tree.
    fn by_value(validator: &Validator, bytes: &[u8]) -> Verdict {
        let mut verdict = Verdict::new(0, 1);
        match structural::parse(bytes, &validator.inner.options.limits, validator.lang()) {
            Ok(value) => validator.judge_value(value, &mut verdict),
            Err(finding) => verdict.extend([finding]),
        }
        verdict
    }

    /// The tree, when it judges the record.
    fn by_tree(validator: &Validator, bytes: &[u8]) -> Option<Verdict> {
        let mut verdict = Verdict::new(0, 1);
        validator.judge_tree(bytes, &mut verdict).then_some(verdict)
    }

    fn same(validator: &Validator, bytes: &[u8]) -> bool {
        let want = by_value(validator, bytes);
        match by_tree(validator, bytes) {
            Some(got) => {
                assert_eq!(got, want, "{}", String::from_utf8_lossy(bytes));
                true
            }
            None => false,
        }
    }

    fn validators() -> [Validator; 2] {
        let now =
            chrono::DateTime::parse_from_rfc3339("2026-06-01T12:00:00+08:00").expect("a time");
        [
            Validator::new(Options::default().now(now).lang(crate::text::Lang::En)),
            Validator::new(Options::default().now(now).lang(crate::text::Lang::Zh)),
        ]
    }

    /// Every committed vector, valid and invalid, of every edition, in both languages.
    #[test]
    fn the_vectors_get_the_same_verdicts() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
        let mut judged = 0;
        let mut files = 0;
        for version in ["1.0", "2.0", "2.1"] {
            for dir in ["valid", "invalid"] {
                let Ok(entries) = std::fs::read_dir(root.join(version).join(dir)) else {
                    continue;
                };
                for entry in entries.flatten() {
                    let path = entry.path();
                    if path.extension().and_then(|e| e.to_str()) != Some("json") {
                        continue;
                    }
                    let bytes = std::fs::read(&path).expect("a vector");
                    files += 1;
                    for validator in &validators() {
                        judged += usize::from(same(validator, &bytes));
                    }
                }
            }
        }
        assert!(files > 50, "{files} vectors");
        assert!(
            judged > files,
            "the tree judged {judged} of {files} vectors twice"
        );
    }

    /// One mutation of a generated record, as `bench/mutate.py` makes them, and a few more.
    fn mutate(record: &mut Value, which: u64) {
        let Some(map) = record.as_object_mut() else {
            return;
        };
        let first_string = |map: &mut Map<String, Value>, keys: &[&str]| {
            keys.iter()
                .find(|k| map.get(**k).is_some_and(Value::is_string))
                .map(|k| (*k).to_owned())
        };
        match which % 14 {
            0 => {
                map.insert("remark".into(), "x".into());
            }
            1 => {
                let keys: Vec<String> = map.keys().cloned().collect();
                if let Some(k) = keys.get((which / 14) as usize % keys.len().max(1)) {
                    map.remove(k);
                }
            }
            2 => {
                if let Some(Value::String(id)) = map.get_mut("id") {
                    *id = id.to_uppercase();
                }
            }
            3 => {
                for key in ["gender", "trainingType", "status", "level", "deliveryMode"] {
                    if let Some(v) = map.get_mut(key) {
                        *v = "unknown".into();
                    }
                }
            }
            4 => {
                if let Some(k) = first_string(map, &["birthDate", "issuedOn", "validFrom"]) {
                    if let Some(Value::String(s)) = map.get_mut(&k) {
                        *s = format!("{}02-30", s.get(..5).unwrap_or(""));
                    }
                }
            }
            5 => {
                if let Some(k) = first_string(map, &["enrolledAt", "completedAt"]) {
                    if let Some(Value::String(s)) = map.get_mut(&k) {
                        s.truncate(19);
                    }
                }
            }
            6 => {
                for holder in ["document", "learner", "holder"] {
                    let doc = match map.get_mut(holder) {
                        Some(Value::Object(d)) if holder == "document" => Some(d),
                        Some(Value::Object(h)) => match h.get_mut("document") {
                            Some(Value::Object(d)) => Some(d),
                            _ => None,
                        },
                        _ => None,
                    };
                    if let Some(Value::String(n)) = doc.and_then(|d| d.get_mut("number")) {
                        let last = if n.ends_with('1') { '2' } else { '1' };
                        n.pop();
                        n.push(last);
                    }
                }
            }
            7 => {
                for org in ["provider", "issuer"] {
                    if let Some(Value::String(u)) = map.get_mut(org).and_then(|o| o.get_mut("uscc"))
                    {
                        u.pop();
                        u.push('Y');
                    }
                }
            }
            8 => {
                if let (Some(a), Some(b)) = (map.get("validFrom"), map.get("validUntil")) {
                    let (a, b) = (a.clone(), b.clone());
                    map.insert("validFrom".into(), b);
                    map.insert("validUntil".into(), a);
                }
            }
            9 => {
                map.insert("classHours".into(), (-3).into());
            }
            10 => {
                map.insert(
                    "extensions".into(),
                    serde_json::json!({"nonamespace": [1.5, null]}),
                );
            }
            11 => {
                map.insert(
                    "title".into(),
                    serde_json::json!({"en-us": "x\u{7}y \\ \"z\""}),
                );
            }
            12 => {
                map.insert("name".into(), 12.0.into());
            }
            _ => {
                map.insert("schemaVersion".into(), "2.1".into());
            }
        }
    }

    /// Generated records with one to three mutations each, in both languages: every verdict
    /// the tree gives is the value path's, byte for byte.
    #[test]
    fn mutated_records_get_the_same_verdicts() {
        let mut out = Vec::new();
        crate::synth::write_ndjson(&mut out, None, 600, 7).expect("generate");
        let text = String::from_utf8(out).expect("utf-8");
        let mut judged = 0;
        let mut total = 0;
        for (i, line) in text.lines().enumerate() {
            let mut record: Value = serde_json::from_str(line).expect("a record");
            let i = i as u64;
            let x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 7;
            for step in 0..=(x % 3) {
                mutate(&mut record, (x >> (8 * step)) % 997);
            }
            // serde_json writes keys sorted; the generator's order is kept in the original.
            for bytes in [
                serde_json::to_vec(&record).expect("json"),
                line.as_bytes().to_vec(),
            ] {
                total += 1;
                for validator in &validators() {
                    judged += usize::from(same(validator, &bytes));
                }
            }
        }
        assert!(
            judged * 10 > total * 2 * 9,
            "the tree judged {judged} of {total}"
        );
    }

    /// Whichever path a thread's guess sends a record to first, the verdict is the same, byte
    /// for byte: generated records, valid and with one to three mutations, and every vector,
    /// in both languages.
    #[test]
    fn the_guess_changes_no_verdict() {
        use crate::validate::adapt;
        fn on(schema_first: bool, validator: &Validator, bytes: &[u8]) -> Verdict {
            for _ in 0..64 {
                adapt::saw(!schema_first);
            }
            assert_eq!(adapt::guess().schema_first(), schema_first);
            validator.validate_bytes(bytes)
        }
        let mut out = Vec::new();
        crate::synth::write_ndjson(&mut out, None, 300, 11).expect("generate");
        let text = String::from_utf8(out).expect("utf-8");
        let mut inputs: Vec<Vec<u8>> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            inputs.push(line.as_bytes().to_vec());
            let mut record: Value = serde_json::from_str(line).expect("a record");
            let x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 7;
            for step in 0..=(x % 3) {
                mutate(&mut record, (x >> (8 * step)) % 997);
            }
            inputs.push(serde_json::to_vec(&record).expect("json"));
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
        for version in ["1.0", "2.0", "2.1"] {
            for dir in ["valid", "invalid"] {
                for entry in std::fs::read_dir(root.join(version).join(dir))
                    .into_iter()
                    .flatten()
                    .flatten()
                {
                    inputs.push(std::fs::read(entry.path()).expect("a vector"));
                }
            }
        }
        let (mut first, mut typed) = (0, 0);
        for bytes in &inputs {
            for validator in &validators() {
                let want = on(false, validator, bytes);
                assert_eq!(
                    on(true, validator, bytes),
                    want,
                    "{}",
                    String::from_utf8_lossy(bytes)
                );
                // Both orders are taken: the schema judges most invalid records on its own,
                // and sends the valid ones on to the typed path.
                let mut verdict = Verdict::new(0, 1);
                match validator.judge_tree_then(bytes, &mut verdict, false) {
                    TreeOutcome::Judged { .. } => first += 1,
                    TreeOutcome::Sound => typed += 1,
                    TreeOutcome::GaveUp => {}
                }
            }
        }
        assert!(inputs.len() > 650, "{}", inputs.len());
        assert!(
            first > inputs.len() / 2 && typed > inputs.len() / 2,
            "{first} {typed}"
        );
    }

    /// The identifier checks and the header read the tree as they read the value, whatever
    /// shape the members they look for have.
    #[test]
    fn fields_of_the_tree_are_the_value_s() {
        let limits = Limits::default();
        let texts = [
            r#"{"kind":"person","document":{"type":"resident-id-card","number":"1","issuingCountry":5}}"#,
            r#"{"kind":7,"document":["type"],"learner":"x","holder":{"document":null}}"#,
            r#"{"learner":{"document":{"type":"passport","number":"E1234567","issuingCountry":"CN"}}}"#,
            r#"{"participant":{"document":{"t\u0079pe":"passport","number":"\u0045"}},"id":"\/"}"#,
            r#"{"holder":[{"document":{}}],"idCardNo":{"a":1},"certificate":"x"}"#,
            r#"[{"kind":"person"}]"#,
            r#""kind""#,
        ];
        let paths: &[&[&str]] = &[
            &["kind"],
            &["schemaVersion"],
            &["id"],
            &["certificate"],
            &["idCardNo"],
            &["document"],
            &["document", "type"],
            &["document", "number"],
            &["document", "issuingCountry"],
            &["learner", "document", "type"],
            &["learner", "document", "issuingCountry"],
            &["holder", "document", "number"],
            &["holder", "document"],
            &["participant", "document", "type"],
            &["participant", "document", "number"],
            &["learner", "0"],
        ];
        for text in texts {
            let doc = read(text, &limits).expect("read");
            let value: Value = serde_json::from_str(text).expect("json");
            for path in paths {
                assert_eq!(doc.field(path), value.field(path), "{text} {path:?}");
            }
        }
    }

    /// Identity documents of every shape get the same verdicts by the tree.
    #[test]
    fn odd_documents_get_the_same_verdicts() {
        let person = include_str!("../../tests/vectors/2.0/valid/person-passport.json");
        let mut record: Value = serde_json::from_str(person).expect("a record");
        let shapes = [
            serde_json::json!(["passport"]),
            serde_json::json!("passport"),
            serde_json::json!({"type": "resident-id-card", "number": "110105194912310021"}),
            serde_json::json!({"type": "resident-id-card", "number": "11010519491231002X", "issuingCountry": 5}),
            serde_json::json!({"type": "passport", "number": "E12345678", "issuingCountry": "XX"}),
            serde_json::json!({"type": "passport", "number": "E12345678"}),
            serde_json::json!({"type": 1, "number": "E12345678", "issuingCountry": "CHN"}),
        ];
        let mut judged = 0;
        for shape in shapes {
            record["document"] = shape;
            let bytes = serde_json::to_vec(&record).expect("json");
            for validator in &validators() {
                judged += usize::from(same(validator, &bytes));
            }
        }
        assert!(judged >= 12, "the tree judged {judged}");
    }

    #[test]
    fn the_reader_gives_up_where_serde_json_decides() {
        let limits = Limits::default();
        for text in [
            r#"{"a":1,"a":2}"#,
            r#"{"a":"\ud800"}"#,
            r#"{"a":01}"#,
            r#"{"a":1e400}"#,
            r#"{"a":1,}"#,
            "{\"a\":\"\u{1}\"}",
            r#"{"a":1} x"#,
            r#"{"a":tru}"#,
        ] {
            assert!(read(text, &limits).is_none(), "{text}");
        }
        let deep = format!("{}{}", "[".repeat(70), "]".repeat(70));
        assert!(read(&deep, &limits).is_none());
        // Large objects are searched, small ones scanned: both find every member.
        for n in [3, 30] {
            let text = (0..n)
                .rev()
                .map(|i| format!("\"k{i:02}\":{i}"))
                .collect::<Vec<_>>()
                .join(",");
            let text = format!("{{{text}}}");
            let doc = read(&text, &limits).expect("ok");
            for i in 0..n {
                let member = doc.get(&format!("k{i:02}")).map(At::value);
                assert_eq!(member, Some(Value::from(i)), "{n}");
            }
            assert!(doc.get("k").is_none() && doc.get("k99").is_none());
        }
        let doc = read(r#" {"b":[1,-2,3.5e0,true,null],"a":"\u00e9\n"} "#, &limits).expect("ok");
        assert_eq!(
            doc.to_value(),
            serde_json::json!({"a": "é\n", "b": [1, -2, 3.5, true, null]})
        );
    }
}
