use std::fmt;

use super::InvalidField;

/// Longest address SMTP can carry (RFC 5321).
const MAX_EMAIL_LEN: usize = 254;
const MAX_LOCAL_LEN: usize = 64;

/// A syntactically valid, normalised (trimmed, lower-case) email address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, InvalidField> {
        let invalid = |reason: &str| InvalidField::new("email", reason);
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(invalid("is required"));
        }
        if email.len() > MAX_EMAIL_LEN {
            return Err(invalid("is longer than 254 characters"));
        }
        let Some((local, domain)) = email.rsplit_once('@') else {
            return Err(invalid("must contain @"));
        };
        if local.is_empty() || local.len() > MAX_LOCAL_LEN {
            return Err(invalid("the part before @ must be 1 to 64 characters"));
        }
        let local_ok = local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..");
        if !local_ok {
            return Err(invalid(
                "the part before @ has characters an address cannot use",
            ));
        }
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if !domain_ok {
            return Err(invalid("the domain after @ is not valid"));
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before `@`, used to refuse passwords that contain it.
    pub fn local_part(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(local, _)| local)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_addresses_are_normalised() {
        let cases = [
            ("user@example.com", "user@example.com"),
            ("  User.Name+tag@Example.COM ", "user.name+tag@example.com"),
            ("a@b.co", "a@b.co"),
            ("o'brien@mail.example.org", "o'brien@mail.example.org"),
            ("jürgen@exämple.de", "jürgen@exämple.de"),
        ];
        for (raw, normalised) in cases {
            assert_eq!(Email::parse(raw).unwrap().as_str(), normalised, "{raw}");
        }
    }

    #[test]
    fn invalid_addresses_are_refused() {
        let too_long = format!("{}@example.com", "a".repeat(250));
        let local_too_long = format!("{}@example.com", "a".repeat(65));
        let cases = [
            "",
            "   ",
            "plainaddress",
            "@example.com",
            "user@",
            "user@localhost",
            "user@.example.com",
            "user@example..com",
            "user@-example.com",
            ".user@example.com",
            "us..er@example.com",
            "user name@example.com",
            "user@exa mple.com",
            "user@example.com<script>",
            too_long.as_str(),
            local_too_long.as_str(),
        ];
        for raw in cases {
            let err = Email::parse(raw).unwrap_err();
            assert_eq!(err.field, "email", "{raw}");
        }
    }

    #[test]
    fn local_part_is_before_the_at() {
        assert_eq!(Email::parse("Jane@x.io").unwrap().local_part(), "jane");
    }
}
