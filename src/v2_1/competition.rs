//! `competition` (2.1): one person's entry in a vocational skills competition (职业技能竞赛),
//! the "competitions" of the four-in-one of competitions, certification, education and
//! training.

use std::borrow::Cow;
use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use super::V21;
use crate::ident::{Date, Decimal, Extensions, Level, LocalizedText, RecordId};
use crate::kind::CompetitionKind;
use crate::v2::{Occupation, Organization, PersonRef};
use crate::wire_enum::wire_enum;

wire_enum! {
    /// Who holds a competition, by the rank of its organizer.
    pub enum CompetitionLevel as "competition level", "Competition level", "竞赛级别" {
        /// A national competition.
        National = "national", "national", "全国";
        /// A provincial competition.
        Provincial = "provincial", "provincial", "省级";
        /// A municipal competition.
        Municipal = "municipal", "municipal", "市级";
        /// An industry competition.
        Industry = "industry", "industry", "行业";
        /// An enterprise's own competition.
        Enterprise = "enterprise", "enterprise", "企业";
    }
}

wire_enum! {
    /// The award an entry won.
    pub enum Award as "award", "Award", "奖项" {
        /// Gold.
        Gold = "gold", "gold", "金奖";
        /// Silver.
        Silver = "silver", "silver", "银奖";
        /// Bronze.
        Bronze = "bronze", "bronze", "铜奖";
        /// Excellence (优胜奖).
        Excellence = "excellence", "excellence", "优胜奖";
        /// Participation.
        Participation = "participation", "participation", "参与奖";
    }
}

/// A competition as an event. / 竞赛赛事。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Event {
    /// Name of the competition, in at least `zh-CN`. / 竞赛名称，至少含 `zh-CN`。
    pub name: LocalizedText,
    /// Level of the competition. / 竞赛级别。
    pub level: CompetitionLevel,
    /// The organizing body. / 主办单位。
    pub organizer: Organization,
    /// The occupation competed in. / 竞赛职业（工种）。
    pub occupation: Occupation,
    /// First day of the competition. / 竞赛开始日期。
    pub held_from: Date,
    /// Last day of the competition; not after today. / 竞赛结束日期，不晚于今天。
    pub held_until: Date,
}

impl Event {
    /// An event.
    pub fn new(
        name: LocalizedText,
        level: CompetitionLevel,
        organizer: Organization,
        occupation: Occupation,
        held_from: Date,
        held_until: Date,
    ) -> Self {
        Event {
            name,
            level,
            organizer,
            occupation,
            held_from,
            held_until,
        }
    }
}

/// # Competition
///
/// One person's entry in a vocational skills competition (职业技能竞赛) and its result. / 人员参加职业技能竞赛的记录及成绩。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Competition {
    /// Record kind, always `competition`. / 记录类型，固定为 `competition`。
    pub kind: CompetitionKind,
    /// Version of the standard, `2.1`. / 标准版本，`2.1`。
    pub schema_version: V21,
    /// Record id: a lowercase hyphenated UUID, unique per record. / 记录 id：小写带连字符的 UUID，每条记录唯一。
    pub id: RecordId,
    /// The competition. / 竞赛赛事。
    pub event: Event,
    /// The competitor. / 参赛人员。
    pub participant: PersonRef,
    /// Final ranking, 1 the best. / 名次，1 为第一名。
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub rank: Option<Rank>,
    /// Award won. / 所获奖项。
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub award: Option<Award>,
    /// Final score, as the competition's rules count it. / 最终成绩（按竞赛规则计分）。
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub score: Option<Decimal>,
    /// Skill level the result grants, as the competition's rules allow; the occupation must have it. / 按竞赛规则晋升或核定的职业技能等级，须为该职业所设等级。
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub grants_level: Option<Level>,
    /// Id of the certificate the result led to: a certificate of the same upload, earlier in it. / 据此颁发的证书记录 id：须为同一次上传中排在其前的证书记录。
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub certificate: Option<RecordId>,
    /// Fields outside the standard, under namespaced keys. / 标准之外的扩展字段，键须带命名空间。
    #[serde(default, skip_serializing_if = "Extensions::is_empty")]
    pub extensions: Extensions,
}

impl Competition {
    /// A competition entry with the required fields.
    pub fn new(id: RecordId, event: Event, participant: PersonRef) -> Self {
        Competition {
            kind: CompetitionKind,
            schema_version: V21,
            id,
            event,
            participant,
            rank: None,
            award: None,
            score: None,
            grants_level: None,
            certificate: None,
            extensions: Extensions::default(),
        }
    }
}

/// An optional field is either absent or a value, never `null` (the schema has no `null`).
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// A final ranking: a whole number from 1 (the best) to 1,000,000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rank(u32);

impl Rank {
    /// The highest rank a record can carry.
    pub const MAX: u32 = 1_000_000;

    /// A rank; `None` outside 1..=[`Rank::MAX`].
    pub fn new(rank: u32) -> Option<Rank> {
        (1..=Rank::MAX).contains(&rank).then_some(Rank(rank))
    }

    /// The rank.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for Rank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Rank {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.0)
    }
}

impl<'de> Deserialize<'de> for Rank {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Rank;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number from 1 to 1000000")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Rank, E> {
                u32::try_from(v)
                    .ok()
                    .and_then(Rank::new)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Rank, E> {
                u32::try_from(v)
                    .ok()
                    .and_then(Rank::new)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Signed(v), &self))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Rank, E> {
                // A whole number written as a float (`3.0`) is that number, as the schema says.
                if v.fract() == 0.0 && (1.0..=f64::from(Rank::MAX)).contains(&v) {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    Ok(Rank(v as u32))
                } else {
                    Err(E::invalid_value(de::Unexpected::Float(v), &self))
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Rank {
    fn schema_name() -> Cow<'static, str> {
        "Rank".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "integer", "minimum": 1, "maximum": Rank::MAX })
    }
}
