//! The fields a person may edit on an item, checked once here.

use crate::domain::InvalidField;

pub const MAX_TITLE_CHARS: usize = 120;
pub const MAX_TAGS: usize = 20;
pub const MAX_TAG_CHARS: usize = 32;
pub const MAX_FOLDER_CHARS: usize = 64;

/// A title: 1 to 120 characters once trimmed, no control characters.
pub fn parse_title(raw: &str) -> Result<String, InvalidField> {
    let title = raw.trim();
    let chars = title.chars().count();
    if chars == 0 || chars > MAX_TITLE_CHARS {
        return Err(InvalidField::new(
            "title",
            format!("must be 1 to {MAX_TITLE_CHARS} characters"),
        ));
    }
    if title.chars().any(char::is_control) {
        return Err(InvalidField::new(
            "title",
            "must not contain control characters",
        ));
    }
    Ok(title.to_owned())
}

/// A tag: lowercase letters, digits, spaces, `-` and `_`, 1 to 32 characters.
pub fn parse_tag(raw: &str, field: &'static str) -> Result<String, InvalidField> {
    let tag = raw.trim().to_lowercase();
    let chars = tag.chars().count();
    let ok = chars > 0
        && chars <= MAX_TAG_CHARS
        && tag
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'));
    if ok {
        Ok(tag)
    } else {
        Err(InvalidField::new(
            field,
            format!("`{raw}`: tags are 1 to {MAX_TAG_CHARS} letters, digits, spaces, '-' or '_'"),
        ))
    }
}

/// Most tags one listing may require.
const MAX_FILTER_TAGS: usize = 10;

/// A `tags=a,b` filter: each checked and lowercased, at most ten.
pub fn tag_filter(raw: Option<&str>) -> Result<Vec<String>, InvalidField> {
    let tags = match raw {
        None => Vec::new(),
        Some(raw) => raw
            .split(',')
            .filter(|t| !t.trim().is_empty())
            .map(|t| parse_tag(t, "tags"))
            .collect::<Result<Vec<_>, _>>()?,
    };
    if tags.len() > MAX_FILTER_TAGS {
        return Err(InvalidField::new(
            "tags",
            format!("at most {MAX_FILTER_TAGS} tags"),
        ));
    }
    Ok(tags)
}

/// Tags as stored: checked, lowercased, without repeats, at most 20.
pub fn parse_tags(raw: &[String]) -> Result<Vec<String>, InvalidField> {
    if raw.len() > MAX_TAGS {
        return Err(InvalidField::new(
            "tags",
            format!("at most {MAX_TAGS} tags"),
        ));
    }
    let mut tags: Vec<String> = Vec::with_capacity(raw.len());
    for tag in raw {
        let tag = parse_tag(tag, "tags")?;
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    Ok(tags)
}

/// A folder name: 1 to 64 characters once trimmed, no control characters, no `/`.
pub fn parse_folder(raw: &str) -> Result<String, InvalidField> {
    let folder = raw.trim();
    let chars = folder.chars().count();
    if chars == 0 || chars > MAX_FOLDER_CHARS {
        return Err(InvalidField::new(
            "folder",
            format!("must be 1 to {MAX_FOLDER_CHARS} characters"),
        ));
    }
    if folder.chars().any(|c| c.is_control() || c == '/') {
        return Err(InvalidField::new(
            "folder",
            "must not contain '/' or control characters",
        ));
    }
    Ok(folder.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_tags_and_folders() {
        assert_eq!(parse_title("  Evening Calm ").unwrap(), "Evening Calm");
        assert!(parse_title("   ").is_err());
        assert!(parse_title(&"x".repeat(121)).is_err());
        assert!(parse_title("a\u{7}b").is_err());
        assert_eq!(
            parse_tags(&["Calm".into(), "calm".into(), "deep sleep".into()]).unwrap(),
            ["calm", "deep sleep"]
        );
        assert!(parse_tags(&["no,commas".into()]).is_err());
        assert!(parse_tags(&vec!["a".to_owned(); 21]).is_err());
        assert_eq!(parse_folder(" Mornings ").unwrap(), "Mornings");
        assert!(parse_folder("a/b").is_err());
        assert!(parse_folder("").is_err());
    }
}
