//! The kind of an identity document.

string_enum! {
    /// The kind of an identity document.
    ///
    /// Wire form: kebab-case names. Schema: a string `enum`; nothing is checked only in Rust.
    #[non_exhaustive]
    pub enum DocumentType {
        what: "document type",
        description: "The kind of identity document. / 身份证件类型。",
        /// Resident identity card of the PRC (居民身份证), GB 11643.
        ResidentIdCard = "resident-id-card",
        /// Residence permit for Hong Kong, Macao and Taiwan residents (港澳台居民居住证).
        HmtResidencePermit = "hmt-residence-permit",
        /// Mainland travel permit for Hong Kong and Macao residents (港澳居民来往内地通行证).
        HkMacaoTravelPermit = "hk-macao-travel-permit",
        /// Mainland travel permit for Taiwan residents (台湾居民来往大陆通行证).
        TaiwanTravelPermit = "taiwan-travel-permit",
        /// Foreign permanent resident ID card (外国人永久居留身份证).
        ForeignPermanentResidenceId = "foreign-permanent-residence-id",
        /// Passport (护照); needs an issuing country.
        Passport = "passport",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::test_support::*;
    use crate::Code;

    #[test]
    fn round_trips() {
        for &t in DocumentType::ALL {
            assert_eq!(t.as_str().parse::<DocumentType>(), Ok(t));
            let json = serde_json::to_string(&t).expect("serializes");
            assert_eq!(json, format!("\"{t}\""));
            assert_eq!(
                serde_json::from_str::<DocumentType>(&json).expect("parses"),
                t
            );
            assert!(schema_accepts_str::<DocumentType>(t.as_str()));
        }
        assert_eq!(
            "Passport".parse::<DocumentType>().map_err(|e| e.code()),
            Err(Code::SchemaEnum)
        );
        assert!(serde_json::from_str::<DocumentType>("\"id-card\"").is_err());
        assert!(!schema_accepts_str::<DocumentType>("id-card"));
    }
}
