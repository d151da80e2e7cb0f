//! Typed validation: a record built in Rust judged as it is, without serializing it and
//! parsing it again, to the same verdict as its JSON.

use super::{structural, DuplicateIds, Finding, Validator, Verdict};
use crate::ident::{Extensions, RecordId};
use crate::v2::{Batch, Certificate, Completion, Course, Person, PersonRef, Record};
use crate::{DocumentKind, Kind};

use sealed::View;

mod sealed {
    use crate::v2::{Certificate, Completion, Course, Person};

    /// A borrowed typed 2.0 record of any kind.
    #[derive(Clone, Copy)]
    pub enum View<'a> {
        /// A person.
        Person(&'a Person),
        /// A course.
        Course(&'a Course),
        /// A completion.
        Completion(&'a Completion),
        /// A certificate.
        Certificate(&'a Certificate),
    }

    /// Only the library's record types are [`Checkable`](super::Checkable).
    pub trait Sealed {
        /// The record, borrowed.
        fn view(&self) -> View<'_>;
    }
}

/// A typed 2.0 record that [`Validator::check`] judges: [`Record`], [`Person`], [`Course`],
/// [`Completion`] or [`Certificate`].
pub trait Checkable: sealed::Sealed + serde::Serialize {}

macro_rules! checkable {
    ($($ty:ident),*) => {$(
        impl sealed::Sealed for $ty {
            fn view(&self) -> View<'_> {
                View::$ty(self)
            }
        }
        impl Checkable for $ty {}
    )*};
}

checkable!(Person, Course, Completion, Certificate);

impl sealed::Sealed for Record {
    fn view(&self) -> View<'_> {
        match self {
            Record::Person(r) => View::Person(r),
            Record::Course(r) => View::Course(r),
            Record::Completion(r) => View::Completion(r),
            Record::Certificate(r) => View::Certificate(r),
        }
    }
}
impl Checkable for Record {}

impl View<'_> {
    fn kind(self) -> Kind {
        match self {
            View::Person(_) => Kind::Person,
            View::Course(_) => Kind::Course,
            View::Completion(_) => Kind::Completion,
            View::Certificate(_) => Kind::Certificate,
        }
    }
}

/// The parts of a view the verdict needs.
fn parts<'a>(view: View<'a>) -> (&'a RecordId, &'a Extensions, bool) {
    /// A person reference whose fields were all emptied after it was made: the schema
    /// refuses it, so its JSON must be judged.
    fn empty(r: &PersonRef) -> bool {
        r.person_id.is_none() && r.document.is_none() && r.document_digest.is_none()
    }
    match view {
        View::Person(r) => (&r.id, &r.extensions, false),
        View::Course(r) => (&r.id, &r.extensions, false),
        View::Completion(r) => (&r.id, &r.extensions, empty(&r.learner)),
        View::Certificate(r) => (&r.id, &r.extensions, empty(&r.holder)),
    }
}

/// The verdict on a typed batch: one per record, in order, and the envelope's.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BatchVerdict {
    /// The records' verdicts, `index` their position in `records`.
    pub records: Vec<Verdict>,
    /// The envelope's verdict (its sender, `createdAt`…).
    pub envelope: Verdict,
}

impl BatchVerdict {
    /// Whether the envelope and every record have no error (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.envelope.is_valid() && self.records.iter().all(Verdict::is_valid)
    }
}

impl Validator {
    /// Validate a typed record as it is: the same [`Verdict`] as validating its JSON
    /// (`serde_json::to_string(record)`), without writing or parsing JSON. The rules run on
    /// the record itself; the limits on depth and string length apply to its extensions (the
    /// size limit, a limit on bytes, does not).
    ///
    /// ```
    /// # use dsti::validate::{Options, Validator};
    /// # let json = include_str!("../../tests/vectors/2.0/valid/person-passport.json");
    /// let person: dsti::v2::Person = serde_json::from_str(json)?;
    /// let validator = Validator::new(Options::default());
    /// assert_eq!(validator.check(&person), validator.validate_str(json));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn check<R: Checkable + ?Sized>(&self, record: &R) -> Verdict {
        let view = record.view();
        let (id, extensions, needs_json) = parts(view);
        if needs_json || !self.inner.typed_path {
            // Rare: a record the types cannot judge alone. Its JSON is judged instead.
            return match serde_json::to_value(record) {
                Ok(value) => self.validate_value(&value),
                Err(_) => {
                    let mut verdict = Verdict::new(0, 1);
                    verdict.extend([Finding::untyped(self.lang())]);
                    verdict
                }
            };
        }
        let mut verdict = Verdict::new(0, 1);
        verdict.kind = Some(view.kind().into());
        verdict.id = Some(id.clone());
        let mut rules = crate::v2::Rules {
            ctx: &self.inner.ctx,
            out: Vec::new(),
        };
        match view {
            View::Person(r) => rules.person(r),
            View::Course(r) => rules.course(r),
            View::Completion(r) => rules.completion(r),
            View::Certificate(r) => rules.certificate(r),
        }
        verdict.extend(rules.out);
        if let Some(f) = self.extensions_within_limits(extensions) {
            verdict.extend([f]);
        }
        verdict
    }

    /// Validate a typed batch: a verdict per record (with `batch.duplicate-id` for a repeated
    /// id) and one for the envelope, the same as validating the batch's JSON with
    /// [`Validator::validate_reader`].
    pub fn check_batch(&self, batch: &Batch) -> BatchVerdict {
        let mut ids = DuplicateIds::default();
        let records = batch
            .records
            .iter()
            .enumerate()
            .map(|(index, record)| {
                let mut verdict = self.check(record);
                verdict.index = index as u64;
                ids.check(&mut verdict, self.lang());
                verdict
            })
            .collect();
        let mut envelope = Verdict::new(0, 1);
        envelope.kind = Some(DocumentKind::Batch);
        envelope.id = Some(batch.id.clone());
        crate::v2::envelope_rule_findings(&self.inner.ctx, batch, &mut envelope.issues);
        if let Some(f) = self.extensions_within_limits(&batch.extensions) {
            envelope.extend([f]);
        }
        BatchVerdict { records, envelope }
    }

    /// Strings and nesting inside extensions are the only ones without a bound in their type.
    pub(crate) fn extensions_within_limits(&self, extensions: &Extensions) -> Option<Finding> {
        // An extension's value sits at depth 3: record, `extensions`, the value.
        extensions.iter().find_map(|(key, value)| {
            let at = format!("/extensions/{}", structural::safe_segment(key.as_str()));
            structural::within_limits_at(value, &self.inner.options.limits, self.lang(), &at, 3)
                .err()
        })
    }
}
