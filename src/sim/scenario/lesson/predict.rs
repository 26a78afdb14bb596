//! A prediction: a question put to the student before the key moment, with 2–4 choices, the right one and
//! the explanation, revealed once the run reaches `reveal_at_ms`. The player pauses on it like on a pausing
//! narration. The right answer must be true in the simulation: an `expect` step between the question and its
//! reveal is its evidence (tests/scenario_files.rs checks that one exists).

use super::fields::{known_fields, list, optional, required, required_value};
use crate::sim::field_error::FieldError;
use crate::sim::limits::{MAX_CHOICES, MAX_NAME_CHARS, MAX_TEXT_CHARS, MIN_CHOICES};
use serde::Serialize;
use serde_json::{Map, Value};

/// A question with its answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Predict {
    /// The question.
    pub question: String,
    /// The choices, in the order shown.
    pub choices: Vec<String>,
    /// Index of the right choice.
    pub answer: usize,
    /// Why it is right, shown once the student answered and the run reached `reveal_at_ms`.
    pub explain: String,
    /// When the explanation may be shown (default: the question's own time, i.e. as soon as the run goes on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reveal_at_ms: Option<u64>,
}

/// The fields of a question object.
const FIELDS: [&str; 5] = ["question", "choices", "answer", "explain", "reveal_at_ms"];

impl Predict {
    /// Reads and validates a question object; `at_ms` is the step's time. The field is relative to it.
    pub fn read(object: &Map<String, Value>, at_ms: u64) -> Result<Predict, FieldError> {
        known_fields(object, &FIELDS)?;
        let choices = list(required_value(object, "choices")?).map_err(|e| e.within("choices"))?;
        let predict = Predict {
            question: required(object, "question")?,
            choices,
            answer: required(object, "answer")?,
            explain: required(object, "explain")?,
            reveal_at_ms: optional(object, "reveal_at_ms")?,
        };
        predict.validate(at_ms)?;
        Ok(predict)
    }

    /// The rules serde cannot state; `at_ms` is the step's time. The field is relative to the prediction.
    pub fn validate(&self, at_ms: u64) -> Result<(), FieldError> {
        text("question", &self.question, MAX_TEXT_CHARS)?;
        text("explain", &self.explain, MAX_TEXT_CHARS)?;
        if !(MIN_CHOICES..=MAX_CHOICES).contains(&self.choices.len()) {
            return Err(FieldError::new(
                "choices",
                format!("needs {MIN_CHOICES} to {MAX_CHOICES} choices, got {}", self.choices.len()),
            ));
        }
        for (i, choice) in self.choices.iter().enumerate() {
            text(&format!("choices[{i}]"), choice, MAX_NAME_CHARS)?;
            if self.choices[..i].contains(choice) {
                return Err(FieldError::new(format!("choices[{i}]"), "the same choice is offered twice"));
            }
        }
        if self.answer >= self.choices.len() {
            return Err(FieldError::new(
                "answer",
                format!("must be the index of a choice (0..={}), got {}", self.choices.len() - 1, self.answer),
            ));
        }
        if let Some(reveal) = self.reveal_at_ms.filter(|&reveal| reveal < at_ms) {
            return Err(FieldError::new(
                "reveal_at_ms",
                format!("must not be before the question (at_ms {at_ms}), got {reveal}"),
            ));
        }
        Ok(())
    }

    /// When the explanation may be shown, in milliseconds.
    pub fn reveal_ms(&self, at_ms: u64) -> u64 {
        self.reveal_at_ms.unwrap_or(at_ms)
    }

    /// Whether `choice` is the right answer.
    pub fn is_right(&self, choice: usize) -> bool {
        choice == self.answer
    }
}

/// Non-empty text of at most `max` characters.
pub(super) fn text(field: &str, value: &str, max: usize) -> Result<(), FieldError> {
    if value.trim().is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    let chars = value.chars().count();
    if chars > max {
        return Err(FieldError::new(field, format!("at most {max} characters, got {chars}")));
    }
    Ok(())
}
