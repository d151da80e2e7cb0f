//! The code lists of version 2.0.

use crate::wire_enum::wire_enum;

wire_enum! {
    /// The kind of training a course or completion is.
    pub enum TrainingType as "training type", "Training type", "培训类型" {
        /// 岗前培训: before a worker's first job.
        PreJob = "pre-job", "pre-job training", "岗前培训";
        /// 在岗培训: while employed.
        OnTheJob = "on-the-job", "on-the-job training", "在岗培训";
        /// 转岗培训: moving to another job.
        JobTransition = "job-transition", "job-transition training", "转岗培训";
        /// 复训: periodic retraining.
        Retraining = "retraining", "retraining", "复训";
        /// 继续教育.
        ContinuingEducation = "continuing-education", "continuing education", "继续教育";
    }
}

wire_enum! {
    /// How a course is delivered.
    pub enum DeliveryMode as "delivery mode", "Delivery mode", "授课方式" {
        /// Online only.
        Online = "online", "online", "线上";
        /// In a classroom or workplace.
        Offline = "offline", "offline", "线下";
        /// Both.
        Blended = "blended", "blended", "线上线下结合";
    }
}

wire_enum! {
    /// What a course module is about.
    pub enum ModuleTopic as "module topic", "Module topic", "模块主题" {
        /// Theory.
        Theory = "theory", "theory", "理论";
        /// Practice.
        Practice = "practice", "practice", "实操";
        /// Professional ethics.
        Ethics = "ethics", "professional ethics", "职业道德";
        /// Safety.
        Safety = "safety", "safety", "安全";
        /// Law.
        Law = "law", "law and regulations", "法律法规";
    }
}

wire_enum! {
    /// Where a learner stands in a course.
    pub enum CompletionStatus as "completion status", "Completion status", "学习状态" {
        /// Enrolled, not started.
        Enrolled = "enrolled", "enrolled", "已报名";
        /// Studying.
        InProgress = "in-progress", "in progress", "学习中";
        /// Completed (结业).
        Completed = "completed", "completed", "已结业";
        /// Failed.
        Failed = "failed", "failed", "未通过";
        /// Withdrawn.
        Withdrawn = "withdrawn", "withdrawn", "已退出";
    }
}

wire_enum! {
    /// How a learner was assessed.
    pub enum AssessmentMethod as "assessment method", "Assessment method", "考核方式" {
        /// A written exam.
        Written = "written", "written exam", "笔试";
        /// A practical exam.
        Practical = "practical", "practical exam", "实操考核";
        /// An oral exam.
        Oral = "oral", "oral exam", "口试";
        /// An online exam.
        OnlineExam = "online-exam", "online exam", "线上考试";
        /// Anything else.
        Other = "other", "other", "其他";
    }
}

wire_enum! {
    /// How a person's identity was verified (实名认证).
    pub enum VerificationMethod as "verification method", "Verification method", "核验方式" {
        /// Reading the ID card's chip.
        IdCardChip = "id-card-chip", "ID card chip", "身份证芯片读取";
        /// Matching a face against the document photo.
        FaceMatch = "face-match", "face match", "人脸比对";
        /// Bank card verification.
        BankCard = "bank-card", "bank card", "银行卡核验";
        /// In person.
        InPerson = "in-person", "in person", "现场核验";
        /// Anything else.
        Other = "other", "other", "其他";
    }
}

wire_enum! {
    /// The outcome of a verification.
    pub enum VerificationResult as "verification result", "Verification result", "核验结果" {
        /// Verified.
        Passed = "passed", "passed", "通过";
        /// Not verified.
        Failed = "failed", "failed", "未通过";
    }
}

wire_enum! {
    /// The kind of certificate.
    pub enum CertificateType as "certificate type", "Certificate type", "证书类型" {
        /// 职业技能等级证书.
        SkillLevel = "skill-level", "vocational skill level certificate", "职业技能等级证书";
        /// 专项职业能力证书.
        SpecialAbility = "special-ability", "special vocational ability certificate", "专项职业能力证书";
        /// 职业资格证书.
        VocationalQualification = "vocational-qualification", "vocational qualification certificate", "职业资格证书";
        /// 培训合格证.
        TrainingCompletion = "training-completion", "training completion certificate", "培训合格证";
    }
}

impl CertificateType {
    /// Whether certificates of this type carry a level (skill-level and vocational-qualification).
    pub const fn has_level(self) -> bool {
        matches!(
            self,
            CertificateType::SkillLevel | CertificateType::VocationalQualification
        )
    }
}

wire_enum! {
    /// Whether a certificate is in force.
    pub enum CertificateStatus as "certificate status", "Certificate status", "证书状态" {
        /// In force.
        Valid = "valid", "valid", "有效";
        /// Suspended.
        Suspended = "suspended", "suspended", "暂停";
        /// Revoked.
        Revoked = "revoked", "revoked", "撤销";
    }
}
