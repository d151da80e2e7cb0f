//! The service categories of domestic-service training (a code list): version-independent
//! vocabulary, used by 2.0 courses, by profiles (pre-job minimums) and by migration from 1.0's
//! Chinese category text. `dsti::v2` re-exports it.

use crate::wire_enum::wire_enum;

wire_enum! {
    /// What kind of domestic service a course trains for.
    pub enum ServiceCategory as "service category", "Service category", "服务类别" {
        /// 母婴护理.
        MaternityCare = "maternity-care", "maternity care", "母婴护理";
        /// 育婴.
        InfantCare = "infant-care", "infant care", "育婴";
        /// 保育.
        Childcare = "childcare", "childcare", "保育";
        /// 养老护理.
        ElderlyCare = "elderly-care", "elderly care", "养老护理";
        /// 病患陪护.
        PatientCare = "patient-care", "patient care", "病患陪护";
        /// 家务/保洁.
        Housekeeping = "housekeeping", "housekeeping and cleaning", "家务/保洁";
        /// 烹饪.
        Cooking = "cooking", "cooking", "烹饪";
        /// 整理收纳.
        HomeOrganizing = "home-organizing", "home organizing", "整理收纳";
        /// 洗涤护理.
        LaundryCare = "laundry-care", "laundry care", "洗涤护理";
        /// Anything else.
        Other = "other", "other", "其他";
    }
}
