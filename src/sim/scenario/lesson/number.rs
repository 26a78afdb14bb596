//! A claim about a number: a number (equal to it) or bounds (`{"min": a}`, `{"max": b}`, `{"min": a, "max": b}`).

use super::fields::{known_fields, optional, FromJson};
use crate::sim::field_error::FieldError;
use serde_json::Value;

/// What a numeric claim accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberClaim {
    /// Exactly this value.
    Exactly(u64),
    /// At least `min` and at most `max` (each optional, at least one given; `min ≤ max`).
    Within {
        /// Lower bound, inclusive.
        min: Option<u64>,
        /// Upper bound, inclusive.
        max: Option<u64>,
    },
}

impl NumberClaim {
    /// Reads a numeric claim: a non-negative integer, or an object with `min` and/or `max`; then checks
    /// that the bounds make sense. The error's field is relative to the claim (`min`).
    pub fn read(value: &Value) -> Result<NumberClaim, FieldError> {
        let claim = match value {
            Value::Object(bounds) => {
                known_fields(bounds, &["min", "max"])?;
                NumberClaim::Within { min: optional(bounds, "min")?, max: optional(bounds, "max")? }
            }
            Value::Number(_) => NumberClaim::Exactly(u64::from_json(value).map_err(|e| {
                FieldError::new("", format!(r#"{} or an object like {{"min": 1, "max": 3}}"#, e.reason))
            })?),
            other => {
                let got = crate::sim::field_error::describe(other);
                return Err(FieldError::new(
                    "",
                    format!(r#"must be a non-negative integer or an object like {{"min": 1, "max": 3}}, got {got}"#),
                ));
            }
        };
        claim.validate()?;
        Ok(claim)
    }

    /// Whether `actual` is what the claim says.
    pub fn matches(&self, actual: u64) -> bool {
        match *self {
            NumberClaim::Exactly(value) => actual == value,
            NumberClaim::Within { min, max } => min.is_none_or(|m| actual >= m) && max.is_none_or(|m| actual <= m),
        }
    }

    /// The rules serde cannot state: bounds name at least one end, and the lower one is not above the upper.
    pub fn validate(&self) -> Result<(), FieldError> {
        match *self {
            NumberClaim::Exactly(_) => Ok(()),
            NumberClaim::Within { min: None, max: None } => {
                Err(FieldError::new("", "give `min`, `max` or both (or a number for \"equal to\")"))
            }
            NumberClaim::Within { min: Some(min), max: Some(max) } if min > max => {
                Err(FieldError::new("min", format!("must not exceed max ({min} > {max})")))
            }
            NumberClaim::Within { .. } => Ok(()),
        }
    }

    /// The claim in words: `3`, `at least 3`, `at most 5`, `between 2 and 4`.
    pub fn describe(&self) -> String {
        match *self {
            NumberClaim::Exactly(value) => value.to_string(),
            NumberClaim::Within { min: Some(min), max: Some(max) } => format!("between {min} and {max}"),
            NumberClaim::Within { min: Some(min), max: None } => format!("at least {min}"),
            NumberClaim::Within { min: None, max: Some(max) } => format!("at most {max}"),
            NumberClaim::Within { min: None, max: None } => "any number".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<NumberClaim, String> {
        NumberClaim::read(&serde_json::from_str(json).unwrap()).map_err(|e| e.to_string())
    }

    #[test]
    fn a_number_or_bounds() {
        assert_eq!(read("3"), Ok(NumberClaim::Exactly(3)));
        assert_eq!(read(r#"{"min": 2}"#), Ok(NumberClaim::Within { min: Some(2), max: None }));
        assert_eq!(read(r#"{"min": 2, "max": 4}"#), Ok(NumberClaim::Within { min: Some(2), max: Some(4) }));
        assert!(read("-1")
            .unwrap_err()
            .starts_with("invalid type: number -1, expected a non-negative integer or an object"));
        assert!(read("1.5").unwrap_err().starts_with("invalid type: number 1.5"));
        assert!(read(r#""3""#).unwrap_err().starts_with("must be a non-negative integer or an object"));
        let unknown = read(r#"{"min": 1, "mx": 3}"#).unwrap_err();
        assert!(
            unknown.starts_with("mx: unknown field `mx` (did you mean `max`?), expected one of `min`, `max`"),
            "{unknown}"
        );
        assert!(read(r#"{"max": -2}"#).unwrap_err().starts_with("max: invalid type: number -2"));
        assert_eq!(read(r#"{"min": 5, "max": 3}"#).unwrap_err(), "min: must not exceed max (5 > 3)");
        assert!(read("{}").unwrap_err().starts_with("give `min`, `max` or both"));
    }

    #[test]
    fn bounds_hold_inclusively() {
        let between = NumberClaim::Within { min: Some(2), max: Some(4) };
        assert!(!between.matches(1) && between.matches(2) && between.matches(4) && !between.matches(5));
        assert!(NumberClaim::Exactly(3).matches(3) && !NumberClaim::Exactly(3).matches(4));
        assert_eq!(between.describe(), "between 2 and 4");
        assert_eq!(NumberClaim::Within { min: Some(3), max: None }.describe(), "at least 3");
        assert_eq!(NumberClaim::Within { min: None, max: Some(3) }.describe(), "at most 3");
    }
}
