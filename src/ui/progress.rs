//! The student's progress through the course, remembered by the browser: the lessons finished (played to
//! their end) and the questions answered (`file#step`). Kept in localStorage as lines (`done file`,
//! `answered file#step`), a format with nothing to parse wrong: an unknown line is skipped. Loaded once when
//! the app starts, saved by an effect when it changes (`app.rs`), never from the reducer.

use crate::ui::web;

/// The localStorage key.
const STORAGE_KEY: &str = "logscope.progress";
/// Line prefixes.
const DONE: &str = "done ";
const ANSWERED: &str = "answered ";

/// Lessons finished and questions answered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Files of the lessons played to their end.
    pub finished: Vec<String>,
    /// `file#step` of every question answered (a skip is not an answer).
    pub answered: Vec<String>,
}

impl Progress {
    /// What this browser remembers (nothing where storage is unavailable).
    pub fn load() -> Progress {
        Progress::parse(&web::load_pref(STORAGE_KEY).unwrap_or_default())
    }

    /// Reads the stored lines.
    pub fn parse(text: &str) -> Progress {
        let mut progress = Progress::default();
        for line in text.lines() {
            if let Some(file) = line.strip_prefix(DONE) {
                progress.finish(file);
            } else if let Some(key) = line.strip_prefix(ANSWERED) {
                progress.answer(key);
            }
        }
        progress
    }

    /// Saves it.
    pub fn save(&self) {
        let lines = self.finished.iter().map(|f| format!("{DONE}{f}\n"));
        let text: String = lines.chain(self.answered.iter().map(|a| format!("{ANSWERED}{a}\n"))).collect();
        web::save_pref(STORAGE_KEY, &text);
    }

    /// Lesson `file` was played to its end.
    pub fn finish(&mut self, file: &str) {
        if !self.is_finished(file) {
            self.finished.push(file.to_string());
        }
    }

    /// Whether lesson `file` was played to its end.
    pub fn is_finished(&self, file: &str) -> bool {
        self.finished.iter().any(|f| f == file)
    }

    /// Question `key` (`file#step`) was answered.
    pub fn answer(&mut self, key: &str) {
        if !self.answered.iter().any(|a| a == key) {
            self.answered.push(key.to_string());
        }
    }

    /// How many questions of lesson `file` were answered.
    pub fn answered_in(&self, file: &str) -> usize {
        self.answered.iter().filter(|a| a.split_once('#').is_some_and(|(f, _)| f == file)).count()
    }
}
