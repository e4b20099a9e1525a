use secrecy::{ExposeSecret, SecretString};

use super::{Email, InvalidField};

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 128;
const MIN_DISTINCT_CHARS: usize = 5;
/// Longest password input looked at when signing in (hashing a huge input is costly).
pub const MAX_PASSWORD_INPUT_BYTES: usize = 1024;

/// Passwords people pick first; refused whatever their length.
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890",
    "12345678910",
    "123456789a",
    "1q2w3e4r5t",
    "abcdefghij",
    "iloveyou123",
    "password12",
    "password123",
    "password1234",
    "qwertyuiop",
    "qwerty12345",
    "letmein1234",
    "welcome123",
    "changeme123",
    "administrator",
];

/// A password that meets the strength rule. Never logged: `Debug` is redacted.
#[derive(Debug)]
pub struct Password(SecretString);

impl Password {
    /// The strength rule: 10 to 128 characters, at least 5 different characters, not a
    /// well-known password and not containing the account's email name.
    pub fn parse(raw: &str, email: &Email) -> Result<Password, InvalidField> {
        let weak = |reason: &str| InvalidField::new("password", reason);
        let chars = raw.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(weak("must be at least 10 characters"));
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(weak("must be at most 128 characters"));
        }
        let mut distinct: Vec<char> = raw.chars().collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() < MIN_DISTINCT_CHARS {
            return Err(weak("must use at least 5 different characters"));
        }
        let lower = raw.to_lowercase();
        if COMMON_PASSWORDS.contains(&lower.as_str()) {
            return Err(weak("is too common; choose another"));
        }
        let name = email.local_part();
        if name.chars().count() >= 4 && lower.contains(name) {
            return Err(weak("must not contain your email name"));
        }
        Ok(Password(SecretString::from(raw)))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> Email {
        Email::parse("serena@example.com").unwrap()
    }

    #[test]
    fn strong_passwords_pass() {
        for raw in [
            "securepassword",
            "correct horse battery staple",
            "Tr0ub4dor&3x",
            "ünïcödé-pässwörd",
        ] {
            assert!(Password::parse(raw, &email()).is_ok(), "{raw}");
        }
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        let long = "x".repeat(129);
        let cases = [
            ("short", "at least 10"),
            ("aaaaaaaaaaaa", "5 different"),
            ("abababababab", "5 different"),
            ("Password123", "too common"),
            ("QWERTYUIOP", "too common"),
            ("my-serena-secret", "email name"),
            (long.as_str(), "at most 128"),
        ];
        for (raw, reason) in cases {
            let err = Password::parse(raw, &email()).unwrap_err();
            assert_eq!(err.field, "password");
            assert!(err.reason.contains(reason), "{raw}: {}", err.reason);
        }
    }

    #[test]
    fn debug_does_not_show_the_password() {
        let password = Password::parse("securepassword", &email()).unwrap();
        assert!(!format!("{password:?}").contains("securepassword"));
    }
}
