//! Share links: a scenario (or a recorded session) packed into the URL fragment, so a link replays the
//! exact run in anyone's browser without a server. Format: unpadded base64url (RFC 4648 §5, the `base64`
//! crate) of the compact scenario JSON; the alphabet `A–Z a–z 0–9 - _` needs no escaping in a fragment.
//!
//! A page link is `…/#s=<encoded>` ([`fragment`]); the `s=` key leaves room for other fragment parameters.
//! Decoding is strict about what matters and lenient about what does not: it accepts a whole URL (takes the
//! text after `#`), an `s=` key, surrounding whitespace and `=` padding; every error says where and why, prefixed
//! `share link:` so the UI can show it as is.

pub use crate::sim::limits::MAX_SHARE_CHARS;
use crate::sim::scenario::{Location, Scenario, ScenarioError};
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine};
use std::fmt;

/// URL-safe base64 without padding. Decoding forgives what a copy-and-paste may change and earlier links hold:
/// `=` padding (stripped before decoding) and non-zero bits after the last byte (the first encoder ignored
/// them).
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Why a share link could not be turned back into a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    /// Nothing to decode.
    Empty,
    /// Longer than [`MAX_SHARE_CHARS`].
    TooLong {
        /// Characters given.
        chars: usize,
    },
    /// A character outside the base64url alphabet, at this position (from 1, in the text as given).
    BadCharacter {
        /// Position of the character, counting from 1.
        position: usize,
        /// The offending character.
        character: char,
    },
    /// The number of base64 characters cannot come from whole bytes (a truncated link).
    BadLength {
        /// Base64 characters given (padding excluded).
        length: usize,
    },
    /// The link decoded, but the scenario inside is invalid.
    Scenario(ScenarioError),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::Empty => write!(f, "share link: empty (expected the text after `#` in a LogScope link)"),
            ShareError::TooLong { chars } => {
                write!(f, "share link: too long ({chars} characters; at most {MAX_SHARE_CHARS})")
            }
            ShareError::BadCharacter { position, character } => {
                write!(f, "share link: not valid base64 at character {position} ({character:?})")
            }
            ShareError::BadLength { length } => write!(
                f,
                "share link: truncated: {length} base64 characters cannot encode whole bytes (copy the whole link)"
            ),
            ShareError::Scenario(e) => match &e.location {
                Location::Field(p) if p.is_empty() => write!(f, "share link: scenario: {}", e.reason),
                Location::Field(p) => write!(f, "share link: scenario.{p}: {}", e.reason),
                _ => write!(f, "share link: scenario JSON {}: {}", e.path(), e.reason),
            },
        }
    }
}

impl std::error::Error for ShareError {}

/// The key in front of the encoded scenario in a page URL's fragment: `#s=…`.
pub const FRAGMENT_KEY: &str = "s=";

/// Packs a scenario into fragment-safe text (the part after `s=`).
pub fn encode(scenario: &Scenario) -> String {
    base64url_encode(scenario.to_json_compact().as_bytes())
}

/// Packs JSON text exactly as given, without parsing it (an editor's unsaved content, or a test that needs
/// the receiver to see the same error as `Scenario::from_json` on that text).
pub fn encode_text(json: &str) -> String {
    base64url_encode(json.as_bytes())
}

/// The whole fragment for a link, without the `#`: `s=<encoded>`.
pub fn fragment(scenario: &Scenario) -> String {
    format!("{FRAGMENT_KEY}{}", encode(scenario))
}

/// Unpacks a share text — the encoded scenario, `s=<encoded>`, `#s=<encoded>` or a whole URL — into a
/// validated scenario.
pub fn decode(text: &str) -> Result<Scenario, ShareError> {
    // Bound the work before looking at the text at all (byte length ≥ character count).
    if text.len() > 4 * MAX_SHARE_CHARS {
        return Err(ShareError::TooLong { chars: text.chars().count() });
    }
    let chars = text.chars().count();
    if chars > MAX_SHARE_CHARS {
        return Err(ShareError::TooLong { chars });
    }
    let bytes = base64url_decode(text)?;
    Scenario::from_bytes(&bytes).map_err(ShareError::Scenario)
}

/// Unpadded base64url.
fn base64url_encode(bytes: &[u8]) -> String {
    BASE64URL.encode(bytes)
}

/// Decodes base64url (padding optional), skipping a URL prefix up to `#`, an `s=` key and surrounding
/// whitespace. Positions in errors count characters of `text` as given, from 1.
fn base64url_decode(text: &str) -> Result<Vec<u8>, ShareError> {
    let mut start = text.find('#').map_or(0, |hash| hash + 1);
    let rest = &text[start..];
    start += rest.len() - rest.trim_start().len();
    let mut body = rest.trim();
    if let Some(payload) = body.strip_prefix(FRAGMENT_KEY) {
        body = payload;
        start += FRAGMENT_KEY.len();
    }
    let body = body.trim_end_matches('=');
    if body.is_empty() {
        return Err(ShareError::Empty);
    }
    let length = body.chars().count();
    if length % 4 == 1 {
        return Err(ShareError::BadLength { length });
    }
    // The first character outside the alphabet, found here so that its position counts characters.
    let outside = |c: &char| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_');
    if let Some((offset, character)) = body.char_indices().find(|(_, c)| outside(c)) {
        return Err(ShareError::BadCharacter { position: text[..start + offset].chars().count() + 1, character });
    }
    BASE64URL.decode(body).map_err(|_| ShareError::BadLength { length })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::{Step, StepKind};
    use crate::sim::world::command::Command;
    use rand::{Rng, SeedableRng};
    use rand_pcg::Pcg64;

    fn sample() -> Scenario {
        Scenario::from_json(
            r#"{"name": "link", "seed": 9, "config": {"nodes": 5},
                "steps": [{"at_ms": 100, "do": {"action": "crash", "node": 4}},
                          {"at_ms": 200, "narrate": "Ünïcödé → fine", "pause": true}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn base64url_matches_rfc4648_vectors() {
        let vectors = [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE")];
        for (plain, encoded) in vectors {
            assert_eq!(base64url_encode(plain.as_bytes()), encoded);
            if !plain.is_empty() {
                assert_eq!(base64url_decode(encoded).unwrap(), plain.as_bytes());
            }
        }
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        let mut rng = Pcg64::seed_from_u64(64);
        for _ in 0..500 {
            let bytes: Vec<u8> = (0..rng.gen_range(1..100)).map(|_| rng.gen()).collect();
            assert_eq!(base64url_decode(&base64url_encode(&bytes)).unwrap(), bytes);
        }
    }

    #[test]
    fn scenario_round_trips_through_a_link() {
        let scenario = sample();
        let link = encode(&scenario);
        assert!(link.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{link}");
        assert_eq!(decode(&link), Ok(scenario.clone()));
        assert_eq!(decode(&format!("https://example.org/logscope/#{link}")), Ok(scenario.clone()));
        assert_eq!(decode(&format!("  {link}==\n")), Ok(scenario));
    }

    #[test]
    fn errors_say_where_and_why() {
        assert_eq!(
            decode("").unwrap_err().to_string(),
            "share link: empty (expected the text after `#` in a LogScope link)"
        );
        assert_eq!(decode("https://x/#").unwrap_err(), ShareError::Empty);
        assert_eq!(
            decode("eyJuYW1lIjoidCJ9%20").unwrap_err().to_string(),
            "share link: not valid base64 at character 17 ('%')"
        );
        assert!(decode("eyJuY").unwrap_err().to_string().starts_with("share link: truncated: 5 base64 characters"));
        let too_long = "A".repeat(MAX_SHARE_CHARS + 1);
        assert_eq!(
            decode(&too_long).unwrap_err().to_string(),
            format!("share link: too long (262145 characters; at most {MAX_SHARE_CHARS})")
        );
        let bad_node = base64url_encode(br#"{"name":"t","steps":[{"at_ms":1,"do":{"action":"crash","node":7}}]}"#);
        assert_eq!(
            decode(&bad_node).unwrap_err().to_string(),
            "share link: scenario.steps[0].do.node: node 7 does not exist (the cluster has 3 nodes: 0..=2)"
        );
        assert_eq!(
            decode(&base64url_encode(b"[]")).unwrap_err().to_string(),
            "share link: scenario: must be a JSON object like {\"name\": …, \"steps\": […]}, got a list of 0 items"
        );
        assert!(decode(&base64url_encode(b"{\"name\":"))
            .unwrap_err()
            .to_string()
            .starts_with("share link: scenario JSON line 1, column 8: not valid JSON"));
        assert!(decode(&base64url_encode(&[0xff, 0xfe]))
            .unwrap_err()
            .to_string()
            .starts_with("share link: scenario JSON byte 0: not valid UTF-8"));
    }

    #[test]
    fn recorded_session_survives_a_link() {
        let session = Scenario::recorded(
            "my session",
            42,
            Default::default(),
            vec![(0, Command::Heal), (1_234, Command::Crash { node: 2 })],
        );
        let back = decode(&encode(&session)).unwrap();
        assert_eq!(back, session);
        assert_eq!(back.steps[1], Step { at_ms: 1_234, kind: StepKind::Do(Command::Crash { node: 2 }) });
    }
}
