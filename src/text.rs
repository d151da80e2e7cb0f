//! The language of human-readable text and the one bilingual text type (a leaf: it imports
//! nothing of the crate, so every layer can use it).

/// The language of human-readable messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[non_exhaustive]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Chinese (simplified).
    Zh,
}

impl Lang {
    /// Pick the text of this language: English first, Chinese second, always.
    ///
    /// ```
    /// use dsti::text::Lang;
    /// assert_eq!(Lang::Zh.pick("course", "课程"), "课程");
    /// ```
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// A text in both languages of the standard. The fields are named, so a swapped pair cannot
/// compile silently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Bilingual {
    /// English.
    pub en: &'static str,
    /// Chinese (simplified).
    pub zh: &'static str,
}

impl Bilingual {
    /// A text in English and Chinese.
    pub const fn new(en: &'static str, zh: &'static str) -> Self {
        Bilingual { en, zh }
    }

    /// The text in `lang`.
    pub const fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_gets_its_own_text() {
        let t = Bilingual::new("valid", "有效");
        assert_eq!(t.get(Lang::En), "valid");
        assert_eq!(t.get(Lang::Zh), "有效");
        assert_eq!(Lang::Zh.pick(t.en, t.zh), "有效");
    }
}
