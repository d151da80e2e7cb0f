//! ISO 3166-1 alpha-3 country codes.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};

use crate::ident::IdentError;
use crate::Code;

/// Every officially assigned ISO 3166-1 alpha-3 code (249 codes), sorted.
///
/// Taken from the iso-codes package (ISO 3166-1, 2024). Reserved and user-assigned codes
/// (such as ICAO's `D` or `GBD`) are not in it.
pub const COUNTRY_CODES: &[&str] = &[
    "ABW", "AFG", "AGO", "AIA", "ALA", "ALB", "AND", "ARE", "ARG", "ARM", "ASM", "ATA", "ATF",
    "ATG", "AUS", "AUT", "AZE", "BDI", "BEL", "BEN", "BES", "BFA", "BGD", "BGR", "BHR", "BHS",
    "BIH", "BLM", "BLR", "BLZ", "BMU", "BOL", "BRA", "BRB", "BRN", "BTN", "BVT", "BWA", "CAF",
    "CAN", "CCK", "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG", "COK", "COL", "COM", "CPV",
    "CRI", "CUB", "CUW", "CXR", "CYM", "CYP", "CZE", "DEU", "DJI", "DMA", "DNK", "DOM", "DZA",
    "ECU", "EGY", "ERI", "ESH", "ESP", "EST", "ETH", "FIN", "FJI", "FLK", "FRA", "FRO", "FSM",
    "GAB", "GBR", "GEO", "GGY", "GHA", "GIB", "GIN", "GLP", "GMB", "GNB", "GNQ", "GRC", "GRD",
    "GRL", "GTM", "GUF", "GUM", "GUY", "HKG", "HMD", "HND", "HRV", "HTI", "HUN", "IDN", "IMN",
    "IND", "IOT", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA", "JAM", "JEY", "JOR", "JPN", "KAZ",
    "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR", "KWT", "LAO", "LBN", "LBR", "LBY", "LCA", "LIE",
    "LKA", "LSO", "LTU", "LUX", "LVA", "MAC", "MAF", "MAR", "MCO", "MDA", "MDG", "MDV", "MEX",
    "MHL", "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MNP", "MOZ", "MRT", "MSR", "MTQ", "MUS",
    "MWI", "MYS", "MYT", "NAM", "NCL", "NER", "NFK", "NGA", "NIC", "NIU", "NLD", "NOR", "NPL",
    "NRU", "NZL", "OMN", "PAK", "PAN", "PCN", "PER", "PHL", "PLW", "PNG", "POL", "PRI", "PRK",
    "PRT", "PRY", "PSE", "PYF", "QAT", "REU", "ROU", "RUS", "RWA", "SAU", "SDN", "SEN", "SGP",
    "SGS", "SHN", "SJM", "SLB", "SLE", "SLV", "SMR", "SOM", "SPM", "SRB", "SSD", "STP", "SUR",
    "SVK", "SVN", "SWE", "SWZ", "SXM", "SYC", "SYR", "TCA", "TCD", "TGO", "THA", "TJK", "TKL",
    "TKM", "TLS", "TON", "TTO", "TUN", "TUR", "TUV", "TWN", "TZA", "UGA", "UKR", "UMI", "URY",
    "USA", "UZB", "VAT", "VCT", "VEN", "VGB", "VIR", "VNM", "VUT", "WLF", "WSM", "YEM", "ZAF",
    "ZMB", "ZWE",
];

/// A country or territory: an officially assigned ISO 3166-1 alpha-3 code such as `CHN`.
///
/// - Schema: an `enum` of [`COUNTRY_CODES`].
/// - Rust only: nothing more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CountryCode(&'static str);

impl CountryCode {
    fn validate(s: &str) -> Result<Self, IdentError> {
        COUNTRY_CODES
            .binary_search(&s)
            .map(|i| CountryCode(COUNTRY_CODES[i]))
            .map_err(|_| {
                IdentError::new(
                    Code::SchemaEnum,
                    "country code",
                    "not an officially assigned ISO 3166-1 alpha-3 code",
                )
            })
    }

    /// The three upper-case letters.
    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

string_newtype!(CountryCode);

impl JsonSchema for CountryCode {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "CountryCode".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "string",
            "enum": COUNTRY_CODES,
            "description": "ISO 3166-1 alpha-3 country or territory code, e.g. CHN. / ISO 3166-1 三字母国家或地区代码，如 CHN。",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::test_support::*;

    #[test]
    fn list_is_sorted_and_complete() {
        assert_eq!(COUNTRY_CODES.len(), 249);
        assert!(COUNTRY_CODES.windows(2).all(|w| w[0] < w[1]));
        assert!(COUNTRY_CODES
            .iter()
            .all(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())));
    }

    #[test]
    fn parses() {
        for ok in ["CHN", "HKG", "MAC", "TWN", "USA", "ABW", "ZWE", "SSD"] {
            let c: CountryCode = ok.parse().expect(ok);
            assert_eq!(c.as_str(), ok);
            assert!(schema_accepts_str::<CountryCode>(ok));
        }
        for bad in ["chn", "CN", "XXX", "GBD", "D", ""] {
            assert_eq!(
                CountryCode::try_from(bad).map_err(|e| e.code()),
                Err(Code::SchemaEnum)
            );
            assert!(!schema_accepts_str::<CountryCode>(bad));
        }
        let c: CountryCode = serde_json::from_str("\"JPN\"").expect("valid");
        assert_eq!(serde_json::to_string(&c).expect("serializes"), "\"JPN\"");
    }
}
