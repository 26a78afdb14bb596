//! Generates the course index (`$OUT_DIR/course_index.rs`, included by `src/ui/lesson_list.rs`) from the lesson
//! files in `scenarios/`: each file's name, title, first sentence of its summary and `course` block. The front
//! door lists the course from it without fetching a file, and a lesson added to `scenarios/` joins the course
//! by itself (no hand-kept list). Only those fields are read here; `tests/course_index.rs` checks the index
//! against the real parser (`Scenario::from_json`), which also rejects a broken file with its field path.

use std::fmt::Write as _;
use std::path::Path;

/// Longest one-line summary, in characters (the rest is cut at a word with an ellipsis).
const SUMMARY_CHARS_MAX: usize = 140;

/// One lesson of the index.
struct Entry {
    file: String,
    name: String,
    line: String,
    pattern: Option<String>,
    order: u64,
    minutes: u64,
}

/// The first sentence of `summary`, at most [`SUMMARY_CHARS_MAX`] characters.
fn first_line(summary: &str) -> String {
    let sentence = summary.find(". ").map_or(summary, |end| &summary[..=end]).trim();
    if sentence.chars().count() <= SUMMARY_CHARS_MAX {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(SUMMARY_CHARS_MAX - 1).collect();
    format!("{}…", cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head))
}

/// Reads the fields the index needs; a file that is not a JSON object is left to the parser's tests.
fn entry(file: String, text: &str) -> Option<Entry> {
    let json: serde_json::Value = serde_json::from_str(text).ok()?;
    let text_of = |key: &str| json.get(key).and_then(|v| v.as_str()).unwrap_or("").to_string();
    let course = json.get("course");
    let number = |key: &str| course.and_then(|c| c.get(key)).and_then(|v| v.as_u64());
    Some(Entry {
        name: text_of("name"),
        line: first_line(&text_of("summary")),
        pattern: course.and_then(|c| c.get("pattern")).and_then(|v| v.as_str()).map(str::to_string),
        order: number("order").unwrap_or(u64::MAX),
        minutes: number("minutes").unwrap_or(0),
        file,
    })
}

fn main() {
    let dir = Path::new("scenarios");
    println!("cargo:rerun-if-changed=scenarios");
    let mut entries: Vec<Entry> = std::fs::read_dir(dir)
        .expect("scenarios/ exists")
        .filter_map(|e| {
            let path = e.ok()?.path();
            println!("cargo:rerun-if-changed={}", path.display());
            let file = path.file_name()?.to_str()?.to_string();
            if !file.ends_with(".json") {
                return None;
            }
            entry(file, &std::fs::read_to_string(&path).ok()?)
        })
        .collect();
    // Course order first; lessons without a place follow by file name.
    entries.sort_by(|a, b| (a.order, &a.file).cmp(&(b.order, &b.file)));
    let mut out = String::from("&[\n");
    for e in &entries {
        let _ = writeln!(
            out,
            "    LessonEntry {{ file: {:?}, name: {:?}, line: {:?}, pattern: {:?}, minutes: {} }},",
            e.file,
            e.name,
            e.line,
            e.pattern.as_deref().unwrap_or(""),
            e.minutes
        );
    }
    out.push(']');
    let target = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("course_index.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}
