//! People: real-name identities (Chinese, minority and foreign names; resident ID cards and
//! other documents whose numbers agree with gender and birth date), phones, and the learners
//! completions and certificates refer to.

use super::*;

impl Generator {
    /// A person: a real-name identity with a document, usually gender, birth date and phone,
    /// often a region and a verification.
    pub fn person(&mut self) -> Person {
        let who = self.identity();
        let id = self.record_id();
        let mut person = Person::new(id.clone(), who.name.clone(), who.document.clone());
        if self.rng.percent(92) {
            person.gender = Some(who.gender);
        }
        if self.rng.percent(85) {
            person.birth_date = Some(built(BirthDate::try_from(who.birth)));
        }
        if self.rng.percent(90) {
            person.phone = Some(self.phone());
        }
        if self.rng.percent(60) {
            person.region = Some(self.rng.pick(&self.tables.regions).clone());
        }
        if self.rng.percent(85) {
            let resident = who.document.doc_type() == DocumentType::ResidentIdCard;
            let method = if resident {
                self.rng.weighted(&[
                    (VerificationMethod::IdCardChip, 40),
                    (VerificationMethod::FaceMatch, 40),
                    (VerificationMethod::BankCard, 10),
                    (VerificationMethod::InPerson, 10),
                ])
            } else {
                self.rng.weighted(&[
                    (VerificationMethod::InPerson, 60),
                    (VerificationMethod::FaceMatch, 30),
                    (VerificationMethod::Other, 10),
                ])
            };
            // Everyone was born by 2006, so is at least 16 from 2023 on.
            let at = self.moment(0, LAST_DAY, 8, 20);
            let result = if self.rng.percent(97) {
                VerificationResult::Passed
            } else {
                VerificationResult::Failed
            };
            let mut verification = Verification::new(method, timestamp(at), result);
            if self.rng.percent(50) {
                let i = self.rng.index(self.tables.providers.len());
                verification.verifier = Some(self.tables.providers[i].org.clone());
            }
            person.verification = Some(verification);
        }
        self.people.push(PersonCore {
            id,
            name: who.name,
            document: who.document,
        });
        person
    }

    pub(super) fn phone(&mut self) -> PhoneNumber {
        let mut s = String::with_capacity(11);
        s.push_str(self.rng.pick_str(PHONE_PREFIXES));
        self.rng.push_digits(&mut s, 8);
        built(s.parse())
    }

    pub(super) fn birth_date(&mut self) -> NaiveDate {
        let span = (LAST_BIRTH - FIRST_BIRTH).num_days() + 1;
        // The older of two draws: most workers in the trade are in their forties and fifties.
        let offset = self.rng.below(span as u64).min(self.rng.below(span as u64));
        FIRST_BIRTH + Days::new(offset)
    }

    pub(super) fn chinese_name(&mut self, gender: Gender) -> String {
        let mut s = String::with_capacity(12);
        if self.rng.per_mille(15) {
            s.push_str(self.rng.pick_str(COMPOUND_SURNAMES));
        } else {
            // The more frequent of two draws, for a realistic spread of surnames.
            let i = self
                .rng
                .index(SURNAMES.len())
                .min(self.rng.index(SURNAMES.len()));
            s.push_str(SURNAMES[i]);
        }
        let given = match gender {
            Gender::Female => FEMALE_GIVEN,
            Gender::Male => MALE_GIVEN,
        };
        s.push_str(self.rng.pick_str(given));
        if self.rng.percent(75) {
            s.push_str(self.rng.pick_str(given));
        }
        s
    }

    pub(super) fn minority_name(&mut self, gender: Gender) -> String {
        let given = match gender {
            Gender::Female => MINORITY_FEMALE,
            Gender::Male => MINORITY_MALE,
        };
        format!(
            "{}·{}",
            self.rng.pick(given),
            self.rng.pick(MINORITY_FATHER)
        )
    }

    pub(super) fn foreign_name(&mut self, nationality: &Nationality, gender: Gender) -> String {
        let given = self.rng.pick(match gender {
            Gender::Female => nationality.women,
            Gender::Male => nationality.men,
        });
        let family = self.rng.pick(nationality.family);
        match nationality.family_first {
            Some((women, men)) => {
                let middle = match gender {
                    Gender::Female => women,
                    Gender::Male => men,
                };
                if middle.is_empty() {
                    format!("{family} {given}")
                } else {
                    format!("{family} {middle} {given}")
                }
            }
            None => format!("{given} {family}"),
        }
    }

    /// 17 characters from `prefix6`, a birth date, a sequence number with the sex digit, and
    /// the MOD 11-2 check character.
    pub(super) fn gb11643_number(
        &mut self,
        prefix6: &str,
        birth: NaiveDate,
        gender: Gender,
    ) -> String {
        let mut s = String::with_capacity(18);
        s.push_str(prefix6);
        push_number(&mut s, u64::from(birth.year().unsigned_abs()), 4);
        push_number(&mut s, u64::from(birth.month()), 2);
        push_number(&mut s, u64::from(birth.day()), 2);
        self.rng.push_digits(&mut s, 2);
        let sex = match gender {
            Gender::Male => 1,
            Gender::Female => 0,
        };
        push_number(&mut s, 2 * self.rng.below(5) + sex, 1);
        s.push(checked(mod11_2_check_char(&s)));
        s
    }

    pub(super) fn identity(&mut self) -> Identity {
        let gender = if self.rng.percent(88) {
            Gender::Female
        } else {
            Gender::Male
        };
        let birth = self.birth_date();
        let roll = self.rng.below(1000);
        let (doc_type, number, country, name) = if roll < 970 {
            let (county, name) = if self.rng.percent(2) {
                (*self.rng.pick(XINJIANG), self.minority_name(gender))
            } else {
                (self.rng.pick(COUNTIES).0, self.chinese_name(gender))
            };
            let number = self.gb11643_number(county, birth, gender);
            (DocumentType::ResidentIdCard, number, None, name)
        } else if roll < 982 {
            let i = self.rng.index(NATIONALITIES.len() + 1);
            match NATIONALITIES.get(i) {
                Some(nationality) => {
                    let mut number = String::with_capacity(9);
                    match nationality.passport {
                        PassportShape::LetterDigits7Letter(letter) => {
                            number.push(char::from(letter));
                            self.rng.push_digits(&mut number, 7);
                            number.push(char::from(b'A' + self.rng.below(26) as u8));
                        }
                        PassportShape::LetterDigits7(letter) => {
                            number.push(char::from(letter));
                            self.rng.push_digits(&mut number, 7);
                        }
                        PassportShape::LetterDigits8(letter) => {
                            number.push(char::from(letter));
                            self.rng.push_digits(&mut number, 8);
                        }
                    }
                    let name = self.foreign_name(nationality, gender);
                    let country = self.tables.countries[i];
                    (DocumentType::Passport, number, Some(country), name)
                }
                None => {
                    // A Chinese citizen's ordinary passport: E and 8 digits.
                    let mut number = String::from("E");
                    self.rng.push_digits(&mut number, 8);
                    let name = self.chinese_name(gender);
                    (
                        DocumentType::Passport,
                        number,
                        Some(self.tables.china),
                        name,
                    )
                }
            }
        } else if roll < 990 {
            let mut number = String::from(if self.rng.percent(75) { "H" } else { "M" });
            self.rng.push_digits(&mut number, 8);
            let name = self.chinese_name(gender);
            (DocumentType::HkMacaoTravelPermit, number, None, name)
        } else if roll < 995 {
            // 2023 form: 9, province of application, nationality, birth date, sequence, check.
            let nationality = self.rng.pick(NATIONALITIES);
            let mut prefix = String::with_capacity(6);
            prefix.push('9');
            prefix.push_str(self.rng.pick_str(FPR_PROVINCES));
            prefix.push_str(nationality.numeric);
            let number = self.gb11643_number(&prefix, birth, gender);
            let name = self.foreign_name(nationality, gender);
            (
                DocumentType::ForeignPermanentResidenceId,
                number,
                None,
                name,
            )
        } else {
            let prefix = *self.rng.pick(&["810000", "820000", "830000"]);
            let number = self.gb11643_number(prefix, birth, gender);
            let name = self.chinese_name(gender);
            (DocumentType::HmtResidencePermit, number, None, name)
        };
        let number: DocumentNumber = built(number.parse());
        Identity {
            name: built(name.parse()),
            document: built(IdDocument::new(doc_type, number, country)),
            gender,
            birth,
        }
    }

    /// A learner: usually a person generated before (by id, sometimes also by document),
    /// otherwise a new identity by document.
    pub(super) fn learner(&mut self) -> (PersonRef, PersonName) {
        match self.people.pick(&mut self.rng) {
            Some(p) if self.rng.percent(75) => {
                let p = p.clone();
                let mut reference = PersonRef::by_id(p.id);
                if self.rng.percent(40) {
                    reference.document = Some(p.document);
                }
                (reference, p.name)
            }
            _ => {
                let who = self.identity();
                (PersonRef::by_document(who.document), who.name)
            }
        }
    }
}
