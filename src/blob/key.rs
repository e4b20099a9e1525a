//! Object keys: parsed once at the edge, so the stores can trust them as paths.

use std::fmt;

use uuid::Uuid;

use super::BlobError;

/// Longest accepted key (S3 allows 1024; ours are far shorter).
pub const MAX_KEY_BYTES: usize = 512;

/// A validated object key: ASCII letters, digits, `.`, `_`, `-` and `/`; no empty
/// segment, no `.` or `..` segment, no leading `/`, at most [`MAX_KEY_BYTES`] bytes.
///
/// The same key names a file under the folder store's root and an S3 object, so it can
/// never climb out of the root, and it needs no escaping in a URL.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BlobKey(String);

impl BlobKey {
    pub fn parse(key: &str) -> Result<BlobKey, BlobError> {
        let invalid = |reason: &str| BlobError::InvalidKey(format!("`{key}`: {reason}"));
        if key.is_empty() {
            return Err(invalid("empty"));
        }
        if key.len() > MAX_KEY_BYTES {
            return Err(invalid("longer than 512 bytes"));
        }
        if let Some(c) = key
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/')))
        {
            return Err(invalid(&format!("`{}` is not allowed", c.escape_default())));
        }
        for segment in key.split('/') {
            match segment {
                "" => return Err(invalid("empty segment (leading, trailing or double `/`)")),
                "." | ".." => return Err(invalid("`.` and `..` segments are not allowed")),
                _ => {}
            }
        }
        Ok(BlobKey(key.to_owned()))
    }

    /// Where a generated practice's audio lives: `audio/{user_id}/{content_id}/{version}.{ext}`.
    ///
    /// # Panics
    /// When `extension` is not a short run of ASCII letters and digits (a programming
    /// error: callers pass a constant such as `"mp3"`).
    pub fn audio(user_id: Uuid, content_id: Uuid, version: i64, extension: &str) -> BlobKey {
        assert!(
            !extension.is_empty()
                && extension.len() <= 8
                && extension.bytes().all(|b| b.is_ascii_alphanumeric()),
            "invalid audio extension `{extension}`"
        );
        BlobKey::parse(&format!(
            "audio/{user_id}/{content_id}/{version}.{extension}"
        ))
        .expect("an audio key is always valid")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the last `.` of the last segment, if any (`mp3` for `a/b/1.mp3`).
    pub fn extension(&self) -> Option<&str> {
        let name = self.0.rsplit('/').next().unwrap_or(&self.0);
        match name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() => Some(ext),
            _ => None,
        }
    }
}

impl fmt::Display for BlobKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for BlobKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The `Content-Type` a key's extension calls for.
pub fn content_type_for(key: &BlobKey) -> &'static str {
    match key.extension().map(str::to_ascii_lowercase).as_deref() {
        Some("mp3") => "audio/mpeg",
        Some("ogg" | "oga" | "opus") => "audio/ogg",
        Some("wav") => "audio/wav",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_keys_parse() {
        for key in [
            "a",
            "audio/x/y/1.mp3",
            "A-b_c.d/e.f.g",
            ".hidden/x",
            "a..b/c",
            &"k".repeat(MAX_KEY_BYTES),
        ] {
            let parsed = BlobKey::parse(key).unwrap_or_else(|e| panic!("{key}: {e}"));
            assert_eq!(parsed.as_str(), key);
            assert_eq!(parsed.to_string(), key);
        }
    }

    #[test]
    fn bad_keys_are_refused() {
        let long = "k".repeat(MAX_KEY_BYTES + 1);
        for key in [
            "",
            "/abs",
            "trailing/",
            "a//b",
            ".",
            "..",
            "a/./b",
            "a/../b",
            "../etc/passwd",
            "a b",
            "a\\b",
            "a%2Fb",
            "a?b",
            "a#b",
            "é",
            "a\0b",
            "a\nb",
            long.as_str(),
        ] {
            let err = BlobKey::parse(key).unwrap_err();
            assert!(matches!(err, BlobError::InvalidKey(_)), "{key:?}: {err}");
        }
    }

    #[test]
    fn audio_keys_follow_the_layout() {
        let user = Uuid::new_v4();
        let content = Uuid::new_v4();
        let key = BlobKey::audio(user, content, 3, "mp3");
        assert_eq!(key.as_str(), format!("audio/{user}/{content}/3.mp3"));
        assert_eq!(key.extension(), Some("mp3"));
        assert_eq!(content_type_for(&key), "audio/mpeg");
    }

    #[test]
    #[should_panic(expected = "invalid audio extension")]
    fn audio_keys_refuse_odd_extensions() {
        BlobKey::audio(Uuid::nil(), Uuid::nil(), 1, "mp3/../x");
    }

    #[test]
    fn extensions_and_content_types() {
        let cases = [
            ("a/1.mp3", Some("mp3"), "audio/mpeg"),
            ("a/1.MP3", Some("MP3"), "audio/mpeg"),
            ("a/1.ogg", Some("ogg"), "audio/ogg"),
            ("a/1.wav", Some("wav"), "audio/wav"),
            ("a/1.tar.gz", Some("gz"), "application/octet-stream"),
            ("a/noext", None, "application/octet-stream"),
            ("a.b/noext", None, "application/octet-stream"),
            ("a/.hidden", None, "application/octet-stream"),
            ("a/x.", None, "application/octet-stream"),
        ];
        for (key, ext, content_type) in cases {
            let key = BlobKey::parse(key).unwrap();
            assert_eq!(key.extension(), ext, "{key}");
            assert_eq!(content_type_for(&key), content_type, "{key}");
        }
    }
}
