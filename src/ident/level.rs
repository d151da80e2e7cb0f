//! Vocational skill levels.

string_enum! {
    /// A vocational skill level (职业技能等级), lowest to highest.
    ///
    /// Wire form: kebab-case names. Schema: a string `enum`. `Ord` orders from
    /// [`Level::Junior`] (五级) to [`Level::SeniorTechnician`] (一级).
    #[non_exhaustive]
    pub enum Level {
        what: "level",
        description: "Vocational skill level, from junior (grade 5) to senior technician (grade 1). / 职业技能等级，从五级/初级工到一级/高级技师。",
        /// Grade 5, junior worker (五级/初级工).
        Junior = "junior",
        /// Grade 4, intermediate worker (四级/中级工).
        Intermediate = "intermediate",
        /// Grade 3, senior worker (三级/高级工).
        Senior = "senior",
        /// Grade 2, technician (二级/技师).
        Technician = "technician",
        /// Grade 1, senior technician (一级/高级技师).
        SeniorTechnician = "senior-technician",
    }
}

impl Level {
    /// The Chinese grade number: 5 for junior down to 1 for senior technician.
    pub const fn grade_digit(self) -> u8 {
        match self {
            Level::Junior => 5,
            Level::Intermediate => 4,
            Level::Senior => 3,
            Level::Technician => 2,
            Level::SeniorTechnician => 1,
        }
    }

    /// The level of a Chinese grade number (5 = junior … 1 = senior technician).
    pub const fn from_grade_digit(digit: u8) -> Option<Level> {
        match digit {
            5 => Some(Level::Junior),
            4 => Some(Level::Intermediate),
            3 => Some(Level::Senior),
            2 => Some(Level::Technician),
            1 => Some(Level::SeniorTechnician),
            _ => None,
        }
    }

    /// The Chinese name, e.g. `"五级/初级工"`.
    pub const fn name_zh(self) -> &'static str {
        match self {
            Level::Junior => "五级/初级工",
            Level::Intermediate => "四级/中级工",
            Level::Senior => "三级/高级工",
            Level::Technician => "二级/技师",
            Level::SeniorTechnician => "一级/高级技师",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_and_order() {
        assert!(Level::Junior < Level::Intermediate);
        assert!(Level::Technician < Level::SeniorTechnician);
        for &l in Level::ALL {
            assert_eq!(Level::from_grade_digit(l.grade_digit()), Some(l));
            assert_eq!(l.as_str().parse::<Level>(), Ok(l));
        }
        assert_eq!(Level::from_grade_digit(0), None);
        assert_eq!(Level::from_grade_digit(6), None);
        assert_eq!(Level::SeniorTechnician.name_zh(), "一级/高级技师");
        assert_eq!(
            serde_json::to_string(&Level::SeniorTechnician).expect("serializes"),
            "\"senior-technician\""
        );
    }
}
