//! The tables synthetic 2.0 records are drawn from: county codes, names, nationalities,
//! phone prefixes, organization brands, training programmes, the training tracks with their
//! occupations, and the weights of levels. Occupation codes are looked up in the identifier
//! layer's occupation table ([`crate::ident::occupations`]), which gives their names and levels.

use crate::ident::Level;
use crate::v2::ServiceCategory;

/// Real GB/T 2260 county-level codes and the city an organization there names itself after.
pub(super) const COUNTIES: &[(&str, &str)] = &[
    ("110105", "北京"),
    ("110108", "北京"),
    ("120101", "天津"),
    ("130102", "石家庄"),
    ("140105", "太原"),
    ("150102", "呼和浩特"),
    ("210102", "沈阳"),
    ("220102", "长春"),
    ("230103", "哈尔滨"),
    ("310104", "上海"),
    ("310115", "上海"),
    ("320102", "南京"),
    ("320508", "苏州"),
    ("330106", "杭州"),
    ("340104", "合肥"),
    ("341202", "阜阳"),
    ("350203", "厦门"),
    ("360102", "南昌"),
    ("360702", "赣州"),
    ("370102", "济南"),
    ("370202", "青岛"),
    ("410105", "郑州"),
    ("411702", "驻马店"),
    ("420106", "武汉"),
    ("430103", "长沙"),
    ("431102", "永州"),
    ("440106", "广州"),
    ("440305", "深圳"),
    ("440604", "佛山"),
    ("450103", "南宁"),
    ("460105", "海口"),
    ("500103", "重庆"),
    ("510107", "成都"),
    ("511702", "达州"),
    ("520102", "贵阳"),
    ("522601", "凯里"),
    ("530102", "昆明"),
    ("540102", "拉萨"),
    ("610113", "西安"),
    ("620102", "兰州"),
    ("630102", "西宁"),
    ("640104", "银川"),
    ("650102", "乌鲁木齐"),
    ("659001", "石河子"),
];

/// Xinjiang county codes, for the ID numbers of people with minority names.
pub(super) const XINJIANG: &[&str] = &["650102", "650104", "652901", "653101", "654002", "659001"];

/// Common surnames, most frequent first.
#[rustfmt::skip]
pub(super) const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "邓", "冯", "曹", "彭", "曾",
    "肖", "田", "董", "潘", "袁", "蔡", "蒋", "余", "于", "杜", "叶", "程", "魏", "苏", "吕", "丁",
    "任", "卢", "姚", "沈", "钟", "姜", "崔", "谭", "陆", "范", "汪", "廖", "石", "金", "韦", "贾",
    "夏", "付", "方", "邹", "熊", "白", "孟", "秦", "邱", "侯", "江", "尹", "薛", "闫", "段", "雷",
    "龙", "黎", "史", "陶", "贺", "毛", "郝", "顾", "龚", "邵", "万", "覃", "武", "钱", "戴", "严",
    "莫", "孔", "向", "汤",
];

#[rustfmt::skip]
pub(super) const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "司徒", "夏侯", "公孙", "尉迟",
];

#[rustfmt::skip]
pub(super) const FEMALE_GIVEN: &[&str] = &[
    "秀", "英", "华", "丽", "芳", "娟", "敏", "静", "燕", "玲", "霞", "红", "梅", "兰", "琴", "云",
    "萍", "艳", "凤", "洁", "慧", "婷", "雪", "莉", "娜", "倩", "颖", "佳", "欣", "悦", "晓", "春",
    "桂", "香", "月", "翠", "玉", "珍", "丹", "平", "荣", "琳", "淑", "秋", "冬", "素", "彩", "金",
];

#[rustfmt::skip]
pub(super) const MALE_GIVEN: &[&str] = &[
    "伟", "强", "军", "勇", "磊", "涛", "明", "超", "杰", "刚", "平", "辉", "鹏", "华", "建", "国",
    "峰", "斌", "波", "飞", "俊", "东", "林", "海", "文", "志", "宏", "亮", "成", "永",
];

#[rustfmt::skip]
pub(super) const MINORITY_FEMALE: &[&str] = &[
    "阿依古丽", "热依拉", "古丽娜尔", "迪丽努尔", "帕提古丽", "阿娜尔古丽",
    "米热古丽", "再努尔", "布再娜甫", "祖丽胡玛尔",
];

#[rustfmt::skip]
pub(super) const MINORITY_MALE: &[&str] = &[
    "买买提", "艾力", "努尔江", "吐尔逊", "艾尔肯", "亚森", "热合曼",
];

#[rustfmt::skip]
pub(super) const MINORITY_FATHER: &[&str] = &[
    "买买提", "艾力", "吐尔逊", "热合曼", "阿不都", "艾山", "吾买尔", "库尔班",
    "努尔兰", "吐尔洪",
];

/// Mobile number prefixes in use.
pub(super) const PHONE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "147", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "166", "170", "173", "175", "176", "177",
    "178", "180", "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "193",
    "195", "196", "197", "198", "199",
];

/// A foreign nationality: ISO 3166-1 alpha-3 and numeric codes, passport number shape, and
/// names (given names of women, of men, family names).
pub(super) struct Nationality {
    pub(super) alpha3: &'static str,
    pub(super) numeric: &'static str,
    pub(super) passport: PassportShape,
    pub(super) women: &'static [&'static str],
    pub(super) men: &'static [&'static str],
    pub(super) family: &'static [&'static str],
    /// Family name first, with this middle name for women and men (Vietnamese names).
    pub(super) family_first: Option<(&'static str, &'static str)>,
}

#[derive(Clone, Copy)]
pub(super) enum PassportShape {
    /// A letter and 7 digits and a letter (Philippines).
    LetterDigits7Letter(u8),
    /// A letter and 7 digits.
    LetterDigits7(u8),
    /// A letter and 8 digits.
    LetterDigits8(u8),
}

pub(super) const NATIONALITIES: &[Nationality] = &[
    Nationality {
        alpha3: "PHL",
        numeric: "608",
        passport: PassportShape::LetterDigits7Letter(b'P'),
        women: &[
            "Maria", "Ana", "Rosalie", "Jocelyn", "Lorna", "Cristina", "Marites",
        ],
        men: &["Jose", "Mark", "Renato", "Joel"],
        family: &[
            "Santos",
            "Reyes",
            "Cruz",
            "Bautista",
            "Garcia",
            "Mendoza",
            "Villanueva",
        ],
        family_first: None,
    },
    Nationality {
        alpha3: "VNM",
        numeric: "704",
        passport: PassportShape::LetterDigits7(b'C'),
        women: &["Lan", "Hoa", "Mai", "Huong", "Thu", "Ngoc"],
        men: &["Minh", "Hung", "Tuan", "Duc"],
        family: &["Nguyen", "Tran", "Le", "Pham", "Hoang"],
        family_first: Some(("Thi", "Van")),
    },
    Nationality {
        alpha3: "MNG",
        numeric: "496",
        passport: PassportShape::LetterDigits7(b'E'),
        women: &["Bolormaa", "Oyunchimeg", "Enkhtuya", "Sarangerel"],
        men: &["Batbayar", "Ganbaatar", "Bold"],
        family: &["Ganbold", "Erdene", "Tsogt", "Batsukh"],
        family_first: None,
    },
    Nationality {
        alpha3: "KOR",
        numeric: "410",
        passport: PassportShape::LetterDigits8(b'M'),
        women: &["Min-ji", "Seo-yeon", "Ji-woo", "Eun-ji"],
        men: &["Min-jun", "Ji-hoon", "Hyun-woo"],
        family: &["Kim", "Lee", "Park", "Choi", "Jung"],
        family_first: Some(("", "")),
    },
];

/// Where a foreign permanent resident's card was applied for (province-level codes).
pub(super) const FPR_PROVINCES: &[&str] = &["11", "31", "32", "33", "44"];

/// Brands of domestic-service companies and schools.
#[rustfmt::skip]
pub(super) const BRANDS: &[&str] = &[
    "巾帼", "好帮手", "阿姨帮", "贴心", "安心", "康乐", "福佑", "馨家", "慧心", "金牌",
    "同心", "惠民", "爱心", "三八", "诚信", "蓝天", "悦嘉", "暖阳", "佳家", "和美",
];

pub(super) const COMPANY_SUFFIXES: &[&str] = &[
    "家政服务有限公司",
    "家政服务有限公司",
    "养老服务有限公司",
    "母婴护理服务有限公司",
    "家庭服务有限公司",
];

pub(super) const SCHOOL_SUFFIXES: &[&str] = &[
    "家政服务职业培训学校",
    "职业技能培训学校",
    "家政职业培训学校",
];

/// National and local training actions a course may belong to.
pub(super) const PROGRAMMES: &[&str] = &[
    "职业技能提升行动",
    "家政兴农行动",
    "康养职业技能培训计划",
    "巾帼家政服务专项培训工程",
    "家政服务业提质扩容“领跑者”行动",
];

pub(super) const SUSPENSION_REASONS: &[&str] = &[
    "持证人涉嫌违规从业，证书暂停使用待核查",
    "证书信息核查中，暂停使用",
    "发证机构评价资质复核期间暂停查验",
];

pub(super) const REVOCATION_REASONS: &[&str] = &[
    "以欺骗手段取得证书，依法撤销",
    "考核材料弄虚作假，予以撤销",
    "发证机构被取消评价资质，证书依规撤销",
];

/// A line of training: an occupation (and job type) with its titles, categories and topics.
pub(super) struct Track {
    pub(super) code: &'static str,
    pub(super) job_type: Option<&'static str>,
    pub(super) zh: &'static str,
    pub(super) en: &'static str,
    pub(super) code_prefix: &'static str,
    pub(super) categories: &'static [ServiceCategory],
    pub(super) theory: (&'static str, &'static str),
    pub(super) practice: (&'static str, &'static str),
    pub(super) weight: u32,
}

pub(super) const TRACKS: &[Track] = &[
    Track {
        code: "4-10-01-06",
        job_type: Some("母婴护理员"),
        zh: "母婴护理员",
        en: "Maternity care worker",
        code_prefix: "MY",
        categories: &[ServiceCategory::MaternityCare, ServiceCategory::InfantCare],
        theory: ("孕产妇与新生儿护理理论", "Maternal and newborn care theory"),
        practice: (
            "母乳喂养与新生儿护理实操",
            "Breastfeeding support and newborn care practice",
        ),
        weight: 25,
    },
    Track {
        code: "4-10-01-06",
        job_type: Some("家务服务员"),
        zh: "家务服务员",
        en: "Household service worker",
        code_prefix: "JW",
        categories: &[
            ServiceCategory::Housekeeping,
            ServiceCategory::Cooking,
            ServiceCategory::LaundryCare,
        ],
        theory: (
            "家居清洁与衣物洗涤知识",
            "Home cleaning and laundry knowledge",
        ),
        practice: ("家庭餐制作与保洁实操", "Home cooking and cleaning practice"),
        weight: 20,
    },
    Track {
        code: "4-10-01-06",
        job_type: Some("家庭照护员"),
        zh: "家庭照护员",
        en: "Home care aide",
        code_prefix: "ZH",
        categories: &[ServiceCategory::PatientCare, ServiceCategory::ElderlyCare],
        theory: ("居家照护基础知识", "Fundamentals of home care"),
        practice: (
            "生活照料与康复辅助实操",
            "Daily living assistance and rehabilitation support practice",
        ),
        weight: 8,
    },
    Track {
        code: "4-10-01-06",
        job_type: Some("整理收纳师"),
        zh: "整理收纳师",
        en: "Home organizer",
        code_prefix: "SN",
        categories: &[ServiceCategory::HomeOrganizing],
        theory: (
            "整理收纳原理与空间规划",
            "Principles of organizing and space planning",
        ),
        practice: (
            "衣橱与厨房整理收纳实操",
            "Wardrobe and kitchen organizing practice",
        ),
        weight: 7,
    },
    Track {
        code: "4-10-01-05",
        job_type: None,
        zh: "养老护理员",
        en: "Elderly care worker",
        code_prefix: "YL",
        categories: &[ServiceCategory::ElderlyCare, ServiceCategory::PatientCare],
        theory: ("老年人照护基础知识", "Fundamentals of elderly care"),
        practice: (
            "失能老年人生活照护实操",
            "Care practice for older people with disabilities",
        ),
        weight: 25,
    },
    Track {
        code: "4-10-01-01",
        job_type: None,
        zh: "婴幼儿发展引导员",
        en: "Infant development guide",
        code_prefix: "YY",
        categories: &[ServiceCategory::InfantCare, ServiceCategory::Childcare],
        theory: (
            "婴幼儿发展与早期教育",
            "Infant development and early education",
        ),
        practice: (
            "婴幼儿回应性照护与游戏引导实操",
            "Responsive caregiving and play guidance practice",
        ),
        weight: 10,
    },
    Track {
        code: "4-10-01-02",
        job_type: None,
        zh: "保育师",
        en: "Childcare worker",
        code_prefix: "BY",
        categories: &[ServiceCategory::Childcare],
        theory: ("保育工作基础知识", "Fundamentals of childcare work"),
        practice: ("托育机构保育实操", "Childcare practice in nursery settings"),
        weight: 5,
    },
];

pub(super) const ETHICS_MODULE: (&str, &str) = (
    "职业道德与服务礼仪",
    "Professional ethics and service etiquette",
);
pub(super) const SAFETY_MODULE: (&str, &str) =
    ("安全防护与应急处置", "Safety and emergency response");
pub(super) const LAW_MODULE: (&str, &str) = (
    "家政服务相关法律法规",
    "Laws and regulations on domestic services",
);

/// How likely each level is among certificates and courses, lowest first.
pub(super) const LEVEL_WEIGHTS: &[(Level, u32)] = &[
    (Level::Junior, 45),
    (Level::Intermediate, 33),
    (Level::Senior, 16),
    (Level::Technician, 5),
    (Level::SeniorTechnician, 1),
];

pub(super) fn level_en(level: Level) -> &'static str {
    match level {
        Level::Junior => "junior",
        Level::Intermediate => "intermediate",
        Level::Senior => "senior",
        Level::Technician => "technician",
        Level::SeniorTechnician => "senior technician",
    }
}
