//! The viewer's preferences: speed, theme, presenter mode, reduced motion. They outlive a page load: they
//! are kept in localStorage as JSON, converted with serde and serde-wasm-bindgen (`JSON.stringify` /
//! `JSON.parse` on the JS side), and loaded once when the app starts (`App`), saved by an effect when they
//! change, never from the reducer.

use crate::ui::web;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

/// Selectable speeds: virtual milliseconds per real millisecond.
pub const SPEEDS: [f64; 12] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 50.0, 200.0];
/// Index of the default speed (0.1×: a 10 ms network hop takes a tenth of a second to cross the screen).
pub const DEFAULT_SPEED_INDEX: usize = 3;
/// The localStorage key of the preferences (a JSON object).
const STORAGE_KEY: &str = "logscope.preferences";
/// Keys of the two preferences saved before they were one object ("1" or "0"), still read once.
const LEGACY_DARK_KEY: &str = "logscope.dark";
const LEGACY_PRESENTER_KEY: &str = "logscope.presenter";

/// How the viewer likes to watch. Fields missing from a stored object take their defaults, so an older or
/// newer page can read what another one saved.
///
/// Invariant: `speed_index < SPEEDS.len()` (every constructor and setter clamps it).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    /// Index into [`SPEEDS`].
    pub speed_index: usize,
    /// Dark theme.
    pub dark: bool,
    /// Large type for projectors.
    pub presenter: bool,
    /// No movement animations.
    pub reduced_motion: bool,
}

impl Default for Preferences {
    fn default() -> Preferences {
        Preferences { speed_index: DEFAULT_SPEED_INDEX, dark: false, presenter: false, reduced_motion: false }
    }
}

impl Preferences {
    /// Virtual milliseconds per real millisecond.
    pub fn speed(&self) -> f64 {
        SPEEDS[self.speed_index.min(SPEEDS.len() - 1)]
    }

    /// The same preferences at speed `index` (clamped to the list).
    pub fn with_speed(self, index: usize) -> Preferences {
        Preferences { speed_index: index.min(SPEEDS.len() - 1), ..self }
    }

    /// The saved preferences; without any, the system's theme and motion settings. A stored value that
    /// cannot be read is ignored (preferences are a convenience, never a reason to fail).
    pub fn load() -> Preferences {
        let system = Preferences {
            dark: web::media_matches("(prefers-color-scheme: dark)"),
            reduced_motion: web::media_matches("(prefers-reduced-motion: reduce)"),
            ..Preferences::default()
        };
        let stored = web::load_pref(STORAGE_KEY)
            .and_then(|text| js_sys::JSON::parse(&text).ok())
            .and_then(|value| serde_wasm_bindgen::from_value::<Preferences>(value).ok());
        match stored {
            Some(stored) => stored.with_speed(stored.speed_index),
            None => Preferences {
                dark: web::load_pref(LEGACY_DARK_KEY).map_or(system.dark, |v| v == "1"),
                presenter: web::load_pref(LEGACY_PRESENTER_KEY).is_some_and(|v| v == "1"),
                ..system
            },
        }
    }

    /// Saves them (silently skipped where storage is unavailable, as in a private window).
    pub fn save(&self) {
        let text = serde_wasm_bindgen::to_value(self)
            .ok()
            .and_then(|value| js_sys::JSON::stringify(&value).ok())
            .and_then(|text| JsValue::from(text).as_string());
        if let Some(text) = text {
            web::save_pref(STORAGE_KEY, &text);
        }
    }

    /// The class list for `<html>`, which the stylesheet keys on.
    pub fn root_classes(&self) -> String {
        let mut classes = vec![if self.dark { "dark" } else { "light" }];
        if self.presenter {
            classes.push("presenter");
        }
        if self.reduced_motion {
            classes.push("reduced-motion");
        }
        classes.join(" ")
    }
}
