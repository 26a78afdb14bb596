//! Share links written by earlier versions of LogScope keep opening the same scenario. Each fixture pair in
//! `tests/fixtures/` is a link as an earlier encoder wrote it (`share-link-v1-*.txt`: the hand-written
//! base64url codec of 2026-11, before the `base64` crate) and the scenario it was made from (`*.json`).
//! Never regenerate these files: they stand for links already pasted into chats and slides.

use logscope::sim::scenario::share;
use logscope::sim::scenario::Scenario;
use std::path::Path;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn links_from_the_first_encoder_still_decode() {
    for label in ["every-action", "leader-crash"] {
        let link = fixture(&format!("share-link-v1-{label}.txt"));
        let expected = Scenario::from_json(&fixture(&format!("share-link-v1-{label}.json")))
            .unwrap_or_else(|e| panic!("{label}.json: {e}"));
        let decoded = share::decode(&link).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(decoded, expected, "{label}");
        // The same link pasted as a whole URL opens the same scenario.
        assert_eq!(share::decode(&format!("https://example.org/logscope/#{}", link.trim())), Ok(expected), "{label}");
    }
}
