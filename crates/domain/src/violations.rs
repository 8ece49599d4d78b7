//! Collects every bad field of a request, so a caller learns of all of them at once.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldViolation {
    /// The field path, e.g. `referral.child.date_of_birth`.
    pub field: String,
    pub description: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Violations(pub Vec<FieldViolation>);

impl Violations {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn one(field: impl Into<String>, description: impl Into<String>) -> Self {
        let mut v = Self::new();
        v.add(field, description);
        v
    }

    pub fn add(&mut self, field: impl Into<String>, description: impl Into<String>) {
        self.0.push(FieldViolation {
            field: field.into(),
            description: description.into(),
        });
    }

    /// Add a violation when `ok` is false.
    pub fn check(&mut self, ok: bool, field: impl Into<String>, description: impl Into<String>) {
        if !ok {
            self.add(field, description);
        }
    }

    /// Require a non-blank string.
    pub fn require(&mut self, value: &str, field: impl Into<String>) {
        if value.trim().is_empty() {
            self.add(field, "is required");
        }
    }

    /// Bound a string field: at most `max` characters, and no control characters (line breaks
    /// and tabs are allowed where `multiline`).
    pub fn text(&mut self, value: &str, field: impl Into<String>, max: usize, multiline: bool) {
        if value.chars().count() > max {
            self.add(field, format!("is longer than {max} characters"));
        } else if value
            .chars()
            .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
        {
            self.add(field, "contains control characters");
        }
    }

    /// Bound a list field to at most `max` items.
    pub fn count<T>(&mut self, items: &[T], field: impl Into<String>, max: usize) {
        if items.len() > max {
            self.add(field, format!("has more than {max} items"));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` if nothing was found wrong.
    pub fn into_result(self) -> Result<(), Violations> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", v.field, v.description)?;
        }
        Ok(())
    }
}
