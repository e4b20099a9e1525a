//! Small helpers for text from people and models.

/// The first `max` characters of `text` (cut on a character boundary, never inside one).
pub fn cap_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// [`cap_chars`] as an owned string, without the trailing space a cut may leave.
pub fn truncate_chars(text: &str, max: usize) -> String {
    cap_chars(text, max).trim_end().to_owned()
}

/// Text folded for case-insensitive matching and ordering (full Unicode lowercase, the
/// same on every backend).
pub fn fold(text: &str) -> String {
    text.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_on_character_boundaries() {
        assert_eq!(cap_chars("héllo", 2), "hé");
        assert_eq!(cap_chars("ok", 5), "ok");
        assert_eq!(cap_chars("🙂🙂🙂", 1), "🙂");
        assert_eq!(truncate_chars("calm down now", 5), "calm");
        assert_eq!(truncate_chars("", 3), "");
    }
}
