//! The language of the command line when `--lang` is not given: the locale of the
//! environment, read as POSIX reads it for messages (`LC_ALL`, then `LC_MESSAGES`, then
//! `LANG`; the first one set and not empty decides). A locale starting with `zh` (`zh_CN.UTF-8`,
//! `zh_TW`, `zh`) is Chinese; anything else (`C`, `POSIX`, `en_US.UTF-8`, `fr_FR`) English.

use dsti::validate::Lang;

/// The variables read, in order of precedence.
pub const VARIABLES: [&str; 3] = ["LC_ALL", "LC_MESSAGES", "LANG"];

/// The language that the variables `get` returns say, as [`VARIABLES`] orders them.
///
/// ```
/// use dsti::validate::Lang;
/// use dsti_cli::kit::lang::from_vars;
/// let env = |vars: &'static [(&'static str, &'static str)]| {
///     move |name: &str| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned())
/// };
/// assert_eq!(from_vars(env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
/// assert_eq!(from_vars(env(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")])), Lang::En);
/// assert_eq!(from_vars(env(&[("LC_ALL", ""), ("LC_MESSAGES", "zh_TW")])), Lang::Zh);
/// assert_eq!(from_vars(env(&[])), Lang::En);
/// ```
pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Lang {
    let locale = VARIABLES
        .iter()
        .filter_map(|name| get(name))
        .find(|value| !value.is_empty());
    match locale {
        Some(l) if l.starts_with("zh") => Lang::Zh,
        _ => Lang::En,
    }
}

/// The language the process's environment says.
pub fn from_env() -> Lang {
    from_vars(|name| std::env::var(name).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(vars: &[(&str, &str)]) -> Lang {
        from_vars(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn the_first_variable_set_decides() {
        assert_eq!(with(&[("LANG", "zh_CN.UTF-8")]), Lang::Zh);
        assert_eq!(with(&[("LANG", "en_US.UTF-8")]), Lang::En);
        assert_eq!(
            with(&[("LC_MESSAGES", "zh_CN"), ("LANG", "en_US")]),
            Lang::Zh
        );
        assert_eq!(
            with(&[("LC_MESSAGES", "en_US"), ("LANG", "zh_CN")]),
            Lang::En
        );
        assert_eq!(
            with(&[("LC_ALL", "zh_HK.UTF-8"), ("LC_MESSAGES", "en")]),
            Lang::Zh
        );
        assert_eq!(with(&[("LC_ALL", "POSIX"), ("LANG", "zh_CN")]), Lang::En);
        // Empty means unset.
        assert_eq!(with(&[("LC_ALL", ""), ("LANG", "zh_CN")]), Lang::Zh);
        assert_eq!(with(&[("LANG", "fr_FR.UTF-8")]), Lang::En);
        assert_eq!(with(&[]), Lang::En);
    }
}
