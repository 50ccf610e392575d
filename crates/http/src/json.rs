//! JSON parsing shared by every adapter: a syntax error carries the byte position, so each vendor
//! can render it in its own envelope with a message that names where the body went wrong.

use serde_json::Value;

/// A body that is not valid JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonSyntaxError {
    /// What is wrong, without position (for example `key must be a string`).
    pub reason: String,
    /// Byte offset into the body where the parser stopped.
    pub position: usize,
}

impl std::fmt::Display for JsonSyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} in JSON at position {}", self.reason, self.position)
    }
}

/// Parses a whole body as one JSON value.
pub fn parse(body: &[u8]) -> Result<Value, JsonSyntaxError> {
    serde_json::from_slice(body).map_err(|error| syntax_error(body, &error))
}

/// Parses a body the way a strict JSON body parser does: only an object or an array may stand at
/// the top level. A body of only white space is `None`.
pub fn parse_strict(body: &[u8]) -> Result<Option<Value>, JsonSyntaxError> {
    let Some(first) = body.iter().position(|byte| !byte.is_ascii_whitespace()) else {
        return Ok(None);
    };
    if body[first] != b'{' && body[first] != b'[' {
        let token = String::from_utf8_lossy(&body[first..body.len().min(first + 1)]).into_owned();
        return Err(JsonSyntaxError {
            reason: format!(
                "Unexpected token '{token}': only an object or an array may stand at the top level"
            ),
            position: first,
        });
    }
    parse(body).map(Some)
}

fn syntax_error(body: &[u8], error: &serde_json::Error) -> JsonSyntaxError {
    let full = error.to_string();
    let reason = match full.rfind(" at line ") {
        Some(cut) => full[..cut].to_string(),
        None => full,
    };
    let position = match error.classify() {
        serde_json::error::Category::Eof => body.len(),
        _ => byte_offset(body, error.line(), error.column()),
    };
    JsonSyntaxError { reason, position }
}

/// serde_json reports 1-based line and column (column 0 at end of input); turn that into an offset.
fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (index, chunk) in body.split(|byte| *byte == b'\n').enumerate() {
        if index + 1 == line {
            return (offset + column.saturating_sub(1)).min(body.len());
        }
        offset += chunk.len() + 1;
    }
    body.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syntax_error_names_the_byte_position() {
        let error = parse(b"{a:1}").expect_err("not JSON");
        assert_eq!(error.position, 1);
        assert_eq!(
            error.to_string(),
            "key must be a string in JSON at position 1"
        );
        let error = parse(b"{\"a\":1,\n\"b\":}").expect_err("not JSON");
        assert_eq!(error.position, 12);
        let error = parse(b"{\"a\":").expect_err("truncated");
        assert_eq!(
            error.to_string(),
            "EOF while parsing a value in JSON at position 5"
        );
    }

    #[test]
    fn strict_parsing_refuses_scalars_at_the_top_level() {
        assert_eq!(parse_strict(b"  ").expect("blank"), None);
        assert!(parse_strict(b"[1]").expect("array").is_some());
        let error = parse_strict(b" \"s\"").expect_err("string");
        assert_eq!(error.position, 1);
        assert!(parse_strict(b"null").is_err());
        assert!(parse_strict(b"12").is_err());
    }
}
