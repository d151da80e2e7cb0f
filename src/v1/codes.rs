//! The code lists of version 1.0: Chinese wire values.

use crate::wire_enum::wire_enum;

wire_enum! {
    /// Gender as 1.0 writes it.
    pub enum Gender as "1.0 gender", "Gender", "性别" {
        /// 男.
        Male = "男", "male", "男";
        /// 女.
        Female = "女", "female", "女";
    }
}

wire_enum! {
    /// The kind of training a 1.0 course is.
    pub enum TrainingType as "1.0 training type", "Training type", "培训类型" {
        /// 岗前培训.
        PreJob = "岗前培训", "pre-job training", "岗前培训";
        /// 在岗培训.
        OnTheJob = "在岗培训", "on-the-job training", "在岗培训";
        /// 转岗培训.
        JobTransition = "转岗培训", "job-transition training", "转岗培训";
        /// 复训.
        Retraining = "复训", "retraining", "复训";
    }
}

wire_enum! {
    /// A learner's result in a 1.0 completion.
    pub enum CompletionResult as "1.0 result", "Result", "结果" {
        /// 合格: passed and completed.
        Passed = "合格", "passed", "合格";
        /// 不合格: failed.
        Failed = "不合格", "failed", "不合格";
        /// 未完成: not (yet) completed.
        Incomplete = "未完成", "not completed", "未完成";
    }
}

wire_enum! {
    /// A skill level as 1.0 writes it: the old names (初级 … 高级技师) or the grades (五级 … 一级).
    pub enum Level as "1.0 level", "Level", "等级" {
        /// 初级 (junior).
        Junior = "初级", "junior", "初级";
        /// 中级 (intermediate).
        Intermediate = "中级", "intermediate", "中级";
        /// 高级 (senior).
        Senior = "高级", "senior", "高级";
        /// 技师 (technician).
        Technician = "技师", "technician", "技师";
        /// 高级技师 (senior technician).
        SeniorTechnician = "高级技师", "senior technician", "高级技师";
        /// 五级 (grade 5, junior).
        Grade5 = "五级", "grade 5", "五级";
        /// 四级 (grade 4, intermediate).
        Grade4 = "四级", "grade 4", "四级";
        /// 三级 (grade 3, senior).
        Grade3 = "三级", "grade 3", "三级";
        /// 二级 (grade 2, technician).
        Grade2 = "二级", "grade 2", "二级";
        /// 一级 (grade 1, senior technician).
        Grade1 = "一级", "grade 1", "一级";
    }
}

impl Level {
    /// The 2.0 level this names.
    pub const fn to_v2(self) -> crate::ident::Level {
        use crate::ident::Level as L;
        match self {
            Level::Junior | Level::Grade5 => L::Junior,
            Level::Intermediate | Level::Grade4 => L::Intermediate,
            Level::Senior | Level::Grade3 => L::Senior,
            Level::Technician | Level::Grade2 => L::Technician,
            Level::SeniorTechnician | Level::Grade1 => L::SeniorTechnician,
        }
    }

    /// The grade name of a 2.0 level (五级 … 一级).
    pub const fn grade_of(level: crate::ident::Level) -> Level {
        use crate::ident::Level as L;
        match level {
            L::Junior => Level::Grade5,
            L::Intermediate => Level::Grade4,
            L::Senior => Level::Grade3,
            L::Technician => Level::Grade2,
            L::SeniorTechnician => Level::Grade1,
        }
    }

    /// The old name of a 2.0 level (初级 … 高级技师).
    pub const fn old_name_of(level: crate::ident::Level) -> Level {
        use crate::ident::Level as L;
        match level {
            L::Junior => Level::Junior,
            L::Intermediate => Level::Intermediate,
            L::Senior => Level::Senior,
            L::Technician => Level::Technician,
            L::SeniorTechnician => Level::SeniorTechnician,
        }
    }
}
