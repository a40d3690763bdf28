//! Rules for staff accounts that need no I/O: what an email address and a password must
//! look like. The newsroom and `nashir user add` both ask these.

/// Shortest password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password, in bytes (Argon2 would take anything; a bound keeps hashing cheap).
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// Longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// A loose but sure check: one `@`, a dotted domain, no spaces or list separators.
pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == ',')
}

/// What is wrong with a new password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordError {
    TooShort,
    TooLong,
    /// The confirmation differs.
    Mismatch,
}

pub fn check_new_password(password: &str, confirm: &str) -> Result<(), PasswordError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Err(PasswordError::TooShort)
    } else if password.len() > MAX_PASSWORD_BYTES {
        Err(PasswordError::TooLong)
    } else if password != confirm {
        Err(PasswordError::Mismatch)
    } else {
        Ok(())
    }
}

/// A display name: present, not too long, no control characters.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.chars().count() <= MAX_NAME_CHARS && !name.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked_loosely_but_surely() {
        assert!(valid_email("a@b.co"));
        assert!(!valid_email("a@b"));
        assert!(!valid_email("a b@c.d"));
        assert!(!valid_email("@c.d"));
        assert!(!valid_email("a@b@c.d"));
        assert!(!valid_email("a@c.d\r\nBcc: x@y.z"));
    }

    #[test]
    fn passwords_need_length_and_a_matching_confirmation() {
        assert_eq!(check_new_password("short", "short"), Err(PasswordError::TooShort));
        assert_eq!(check_new_password("long enough pass", "long enough pasS"), Err(PasswordError::Mismatch));
        assert_eq!(check_new_password(&"x".repeat(2000), &"x".repeat(2000)), Err(PasswordError::TooLong));
        assert_eq!(check_new_password("long enough pass", "long enough pass"), Ok(()));
    }

    #[test]
    fn names_are_present_and_printable() {
        assert!(valid_name("سلمى"));
        assert!(!valid_name(""));
        assert!(!valid_name("a\u{0}b"));
        assert!(!valid_name(&"n".repeat(MAX_NAME_CHARS + 1)));
    }
}
