//! The 1.0 → 2.0 field mapping of the standard, as data for the reference site.
//!
//! Written from the design, not read from `dsti::migrate`: the site describes the mapping
//! that migration implements, in people's words, and a test keeps the 1.0 field names in step
//! with the 1.0 schemas once they exist.

/// One line of the mapping: a 1.0 field, what it becomes in 2.0, and how.
pub(crate) struct Mapping {
    /// The record kind.
    pub(crate) kind: &'static str,
    /// The 1.0 field (empty for a 2.0 field that 1.0 does not have).
    pub(crate) v1: &'static str,
    /// The 2.0 field or fields.
    pub(crate) v2: &'static str,
    /// How, in English.
    pub(crate) en: &'static str,
    /// How, in Chinese.
    pub(crate) zh: &'static str,
}

macro_rules! rows {
    ($( $kind:literal, $v1:literal, $v2:literal, $en:literal, $zh:literal; )*) => {
        &[ $( Mapping { kind: $kind, v1: $v1, v2: $v2, en: $en, zh: $zh }, )* ]
    };
}

/// Every line, kind by kind.
pub(crate) const MAPPINGS: &[Mapping] = rows! {
    "*", "kind", "kind", "Kept.", "保留。";
    "*", "schemaVersion", "schemaVersion", "\"1.0\" becomes \"2.0\".", "\"1.0\" 改为 \"2.0\"。";
    "*", "", "id", "UUID v5 over the DSTI namespace and the record's natural key: migrating the same file twice gives the same ids.", "以 DSTI 命名空间和记录自然键生成的 UUID v5：同一文件迁移两次得到相同的 id。";
    "*", "orgName, orgCode", "provider / issuer: { name, uscc }", "The organization's name and unified social credit code.", "单位名称与统一社会信用代码合并为单位对象。";
    "person", "name", "name", "Kept.", "保留。";
    "person", "idCardNo", "document: { type: resident-id-card, number }", "A 15-digit number becomes 18 digits: century 19 (18 for sequence codes 996–999), then the computed check character.", "15 位号码升为 18 位：世纪补 19（顺序码 996–999 补 18），再计算校验码。";
    "person", "gender", "gender", "男 → male, 女 → female.", "男 → male，女 → female。";
    "person", "phone", "phone", "Kept.", "保留。";
    "person", "verified, verifiedDate", "verification: { method: other, verifiedAt, result }", "verified true → result passed; the date becomes a timestamp at 00:00 +08:00, and the report says so.", "verified 为 true 时 result 为 passed；日期转为 +08:00 零点的时间戳，并在报告中说明。";
    "course", "courseCode", "code", "Kept.", "保留。";
    "course", "courseName", "title: { zh-CN }", "The name becomes the zh-CN title.", "课程名称成为 zh-CN 标题。";
    "course", "category", "serviceCategories, occupation", "By table (母婴护理 → maternity-care, occupation 4-10-01-06 母婴护理员); a category that maps to nothing is kept under extensions and reported.", "按对照表转换（母婴护理 → maternity-care，职业 4-10-01-06 母婴护理员）；无法对应的类别保留在 extensions 中并在报告中说明。";
    "course", "trainingType", "trainingType", "岗前培训 → pre-job, 在岗培训 → on-the-job, 转岗培训 → job-transition, 复训 → retraining.", "岗前培训 → pre-job，在岗培训 → on-the-job，转岗培训 → job-transition，复训 → retraining。";
    "course", "hours", "classHours", "The integer becomes a decimal.", "整数学时转为小数学时。";
    "course", "online", "deliveryMode", "true → online, false → offline.", "true → online，false → offline。";
    "completion", "idCardNo, name", "learner: { document }", "The ID number as for person; the name is not carried in 2.0 and the report lists it as dropped.", "身份证号码转换同人员记录；2.0 不携带姓名，报告列出该字段被舍弃。";
    "completion", "courseCode", "course: { id, code }", "The course id is derived the same way as the course's own id.", "课程 id 以与课程记录相同的方式生成。";
    "completion", "startDate", "enrolledAt, startedAt", "The date becomes a timestamp at 00:00 +08:00.", "日期转为 +08:00 零点的时间戳。";
    "completion", "endDate", "completedAt", "The date becomes a timestamp at 23:59:59 +08:00, the end of that day (a one-day course takes time).", "日期转为 +08:00 当天 23:59:59 的时间戳（当天结束，一天的课程也有时长）。";
    "completion", "hours", "classHours", "The integer becomes a decimal.", "整数学时转为小数学时。";
    "completion", "score", "assessment: { score, maxScore: 100 }", "A maximum of 100 is assumed, with a line in the report.", "满分假定为 100，并在报告中说明。";
    "completion", "result", "status, assessment.passed", "合格 → completed and passed, 不合格 → failed, 未完成 → in-progress.", "合格 → completed 且通过，不合格 → failed，未完成 → in-progress。";
    "certificate", "certNo", "number, certificateType", "The type is assumed from the number's shape (22 characters: skill-level; 16 digits: vocational-qualification), with a line in the report.", "证书类型按编号形态推定（22 位为职业技能等级证书，16 位为职业资格证书），并在报告中说明。";
    "certificate", "idCardNo", "holder: { document }", "The ID number as for person.", "身份证号码转换同人员记录。";
    "certificate", "name", "holderName", "Kept.", "保留。";
    "certificate", "occupationName", "occupation: { code, name }", "The code is looked up in the domestic-service occupation table.", "按家政服务职业表查出职业编码。";
    "certificate", "level", "level", "初级/五级 → junior, 中级/四级 → intermediate, 高级/三级 → senior, 技师/二级 → technician, 高级技师/一级 → senior-technician.", "初级/五级 → junior，中级/四级 → intermediate，高级/三级 → senior，技师/二级 → technician，高级技师/一级 → senior-technician。";
    "certificate", "issueDate", "issuedOn", "Kept (a date).", "保留（日期）。";
    "certificate", "", "status", "valid.", "设为 valid。";
};
