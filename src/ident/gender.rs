//! Gender as encoded in ID numbers.

string_enum! {
    /// Gender as recorded on an identity document.
    ///
    /// Wire form: `"male"` or `"female"`. Schema: a string `enum`.
    pub enum Gender {
        what: "gender",
        description: "Gender as recorded on the identity document. / 证件记载的性别。",
        /// Male (男).
        Male = "male",
        /// Female (女).
        Female = "female",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names() {
        assert_eq!(
            serde_json::to_string(&Gender::Male).expect("serializes"),
            "\"male\""
        );
        assert_eq!("female".parse::<Gender>(), Ok(Gender::Female));
        assert!("Female".parse::<Gender>().is_err());
    }
}
