//! Statistics over [`Fact`]s: distinct people who completed training, completions, class
//! hours, certificates by level and competition entrants, grouped by any combination of
//! programme, province, year, occupation, level and service category.
//!
//! Each fact falls in one group, named by the values of the chosen dimensions:
//!
//! | dimension | completion | certificate | competition |
//! | --- | --- | --- | --- |
//! | `programme` | the course's `programmeKind` | `none` | `none` |
//! | `province` | first two digits of the provider's region (else the course provider's) | of the issuer's region | of the organizer's region |
//! | `year` | of `completedAt` (in its own offset) | of `issuedOn` | of `heldFrom` |
//! | `occupation` | the course's occupation code | the certificate's | the event's |
//! | `level` | the course's `targetLevel` | `level` | `grantsLevel` |
//! | `category` | each of the course's service categories | `none` | `none` |
//!
//! A value the record does not give is `none`; a completion whose course is not in the input
//! has programme, occupation and level `unknown`. Only completions with status `completed`
//! count; every valid certificate counts, whatever its status.
//!
//! Memory grows with distinct people only: each group keeps the set of its people's 16-byte
//! [`PersonKey`]s (one set for completers, one for competition entrants), about 16 bytes plus
//! the hash table's overhead (at most about 20 more) per person per group, and a few counters.
//!
//! ```
//! use dsti::history::Scanner;
//! use dsti::stats::{Dimension, Stats};
//! use dsti::validate::{InputFormat, Options, Validator};
//!
//! let upload = include_str!("../examples/upload.ndjson");
//! let mut scanner = Scanner::new(Validator::new(Options::default()), None);
//! scanner.index(upload.as_bytes(), InputFormat::Ndjson)?;
//! let mut stats = Stats::new(vec![Dimension::Province, Dimension::Year]);
//! scanner.scan(upload.as_bytes(), InputFormat::Ndjson, |fact| stats.add(fact))?;
//! let rows = stats.rows();
//! let completions: u64 = rows.iter().map(|r| r.completions).sum();
//! assert!(completions > 0);
//! # Ok::<(), std::io::Error>(())
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use chrono::Datelike;
use serde::Serialize;

use crate::history::{Fact, PersonKey};

/// What statistics can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Dimension {
    /// The course's programme kind (`womens-federation`, `national-action`…).
    Programme,
    /// The province: the first two digits of a GB/T 2260 region code (`44` Guangdong).
    Province,
    /// The calendar year.
    Year,
    /// The occupation code.
    Occupation,
    /// The skill level.
    Level,
    /// The service category of the course (`maternity-care`…). A completion of a course of
    /// several categories counts once in each, so sums over categories can exceed the total.
    Category,
}

impl Dimension {
    /// Every dimension, in the order of `--by` in the documentation.
    pub const ALL: [Dimension; 6] = [
        Dimension::Programme,
        Dimension::Province,
        Dimension::Year,
        Dimension::Occupation,
        Dimension::Level,
        Dimension::Category,
    ];

    /// Its name: `programme`, `province`, `year`, `occupation`, `level` or `category`.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Programme => "programme",
            Dimension::Province => "province",
            Dimension::Year => "year",
            Dimension::Occupation => "occupation",
            Dimension::Level => "level",
            Dimension::Category => "category",
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not a [`Dimension`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown dimension {0:?}: expected programme, province, year, occupation, level or category"
)]
pub struct UnknownDimension(pub String);

impl FromStr for Dimension {
    type Err = UnknownDimension;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Dimension::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| UnknownDimension(s.to_owned()))
    }
}

/// The skill levels, lowest to highest, and `none` (certificates without a level).
pub const LEVELS: [&str; 6] = [
    "junior",
    "intermediate",
    "senior",
    "technician",
    "senior-technician",
    "none",
];

#[derive(Default)]
struct Group {
    people: HashSet<PersonKey>,
    completions: u64,
    class_hour_cents: u64,
    certificates: BTreeMap<String, u64>,
    entrants: HashSet<PersonKey>,
}

/// One group's counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Row {
    /// The group: each chosen dimension's value.
    pub group: BTreeMap<String, String>,
    /// Distinct people with a completed training.
    pub people: u64,
    /// Completed trainings.
    pub completions: u64,
    /// Class hours earned in them.
    pub class_hours: f64,
    /// Certificates.
    pub certificates: u64,
    /// Certificates by level (`none` for types without one); levels with none are left out.
    pub certificates_by_level: BTreeMap<String, u64>,
    /// Distinct people who entered a competition.
    pub competition_entrants: u64,
}

/// Counts by group; see the [module documentation](self).
pub struct Stats {
    by: Vec<Dimension>,
    groups: HashMap<Vec<String>, Group>,
}

impl fmt::Debug for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stats")
            .field("by", &self.by)
            .field("groups", &self.groups.len())
            .finish()
    }
}

fn or_none(value: Option<&str>) -> String {
    value.unwrap_or("none").to_owned()
}

impl Stats {
    /// Statistics grouped by `by` (none: one group of everything).
    pub fn new(by: Vec<Dimension>) -> Self {
        Stats {
            by,
            groups: HashMap::new(),
        }
    }

    /// The dimensions grouped by.
    pub fn by(&self) -> &[Dimension] {
        &self.by
    }

    fn group(&mut self, value: impl Fn(Dimension) -> String) -> &mut Group {
        let key: Vec<String> = self.by.iter().map(|d| value(*d)).collect();
        self.groups.entry(key).or_default()
    }

    /// Count one fact.
    pub fn add(&mut self, fact: &Fact<'_>) {
        match fact {
            Fact::Completion(c) => {
                let course = c.course;
                let unknown = || "unknown".to_owned();
                let categories: Vec<String> = match course {
                    _ if !self.by.contains(&Dimension::Category) => vec![String::new()],
                    Some(c) if !c.service_categories.is_empty() => c
                        .service_categories
                        .iter()
                        .map(|s| s.as_str().to_owned())
                        .collect(),
                    Some(_) => vec!["none".to_owned()],
                    None => vec![unknown()],
                };
                for category in categories {
                    let group = self.group(|d| match d {
                        Dimension::Category => category.clone(),
                        Dimension::Programme => {
                            course.map_or_else(unknown, |c| or_none(c.programme_kind.as_deref()))
                        }
                        Dimension::Province => or_none(c.province.as_deref()),
                        Dimension::Year => format!("{:04}", c.completed_at.year()),
                        Dimension::Occupation => {
                            course.map_or_else(unknown, |c| c.occupation.clone())
                        }
                        Dimension::Level => {
                            course.map_or_else(unknown, |c| or_none(c.level.as_deref()))
                        }
                    });
                    group.people.insert(c.person.key);
                    group.completions += 1;
                    // Class hours have at most two decimals: summed in hundredths, exactly.
                    group.class_hour_cents += (c.class_hours * 100.0).round().max(0.0) as u64;
                }
            }
            Fact::Certificate(c) => {
                let group = self.group(|d| match d {
                    Dimension::Programme | Dimension::Category => "none".to_owned(),
                    Dimension::Province => or_none(c.province.as_deref()),
                    Dimension::Year => format!("{:04}", c.issued_on.year()),
                    Dimension::Occupation => c.occupation.clone(),
                    Dimension::Level => or_none(c.level.as_deref()),
                });
                *group
                    .certificates
                    .entry(or_none(c.level.as_deref()))
                    .or_default() += 1;
            }
            Fact::Competition(c) => {
                let group = self.group(|d| match d {
                    Dimension::Programme | Dimension::Category => "none".to_owned(),
                    Dimension::Province => or_none(c.province.as_deref()),
                    Dimension::Year => format!("{:04}", c.held_from.year()),
                    Dimension::Occupation => c.occupation.clone(),
                    Dimension::Level => or_none(c.grants_level.as_deref()),
                });
                group.entrants.insert(c.person.key);
            }
        }
    }

    /// The groups' counts, sorted by group.
    pub fn rows(&self) -> Vec<Row> {
        let mut keys: Vec<&Vec<String>> = self.groups.keys().collect();
        keys.sort();
        keys.into_iter()
            .filter_map(|key| {
                let g = self.groups.get(key)?;
                Some(Row {
                    group: self
                        .by
                        .iter()
                        .zip(key)
                        .map(|(d, v)| (d.as_str().to_owned(), v.clone()))
                        .collect(),
                    people: g.people.len() as u64,
                    completions: g.completions,
                    class_hours: g.class_hour_cents as f64 / 100.0,
                    certificates: g.certificates.values().sum(),
                    certificates_by_level: g.certificates.clone(),
                    competition_entrants: g.entrants.len() as u64,
                })
            })
            .collect()
    }

    /// Distinct people held, summed over groups (the measure memory grows with).
    pub fn people_held(&self) -> usize {
        self.groups
            .values()
            .map(|g| g.people.len() + g.entrants.len())
            .sum()
    }
}
