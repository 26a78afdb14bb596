//! Where the marker labels of a log row go, so that no two overlap ("HWWM1" was an HWM label under the commit
//! line and a triangle). Each label hangs beside its stem: a vertical line from the entries down to the
//! label's lane at the marker's place (`anchor`); the text starts just right of the stem, or ends just left of
//! it when the right side is taken. A placement is clean when no text overlaps another and no stem crosses a
//! text on its way down to a deeper lane. Up to as many labels as lanes are always placed clean.
//!
//! Labels are placed right to left (the rightmost first, in the top lane): a label further left then never has
//! a text of the labels already placed across its stem, since theirs start right of their own, later, stems.
//! This file has no imports: `tests/ui_text.rs` compiles it natively (`ui` is wasm-only).

/// Room kept between a stem and its text, and between two texts, in SVG units.
pub const GAP: f64 = 3.0;

/// A label to place: the x of its stem and the width of its text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Label {
    /// Where the marker is (the stem's x).
    pub anchor: f64,
    /// Width of the text.
    pub width: f64,
}

/// Where a label went.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    /// Lane index, 0 the top one.
    pub lane: usize,
    /// Left edge of the text.
    pub left: f64,
    /// The text is left of its stem (drawn right-aligned, ending `GAP` before it).
    pub left_side: bool,
    /// Nothing overlaps it. Only false when every lane on both sides was taken; the label then goes right of
    /// its stem in the last lane.
    pub clean: bool,
}

impl Placed {
    /// Right edge of the text.
    fn right(&self, width: f64) -> f64 {
        self.left + width
    }
}

/// Places `labels` in `lanes` lanes between `min_x` and `max_x` (the visible window: a label must not hang
/// outside it). Returns one placement per label, in the order given.
pub fn place(labels: &[Label], lanes: usize, min_x: f64, max_x: f64) -> Vec<Placed> {
    assert!(lanes > 0, "a row has at least one label lane");
    let mut placed: Vec<Option<Placed>> = vec![None; labels.len()];
    // Rightmost first; equal anchors keep the caller's order (its most important label first). A row has a
    // handful of labels: picking the next one by a scan is all the ordering needed.
    for _ in 0..labels.len() {
        let mut next = usize::MAX;
        for (i, label) in labels.iter().enumerate() {
            if placed[i].is_none() && (next == usize::MAX || label.anchor > labels[next].anchor) {
                next = i;
            }
        }
        placed[next] = Some(place_one(labels, next, &placed, lanes, min_x, max_x));
    }
    placed.into_iter().map(|p| p.expect("every label is placed")).collect()
}

/// The first clean place for label `i`: right of its stem in the first lane that has room, else left of it,
/// else (not clean) right of it in the last lane.
fn place_one(labels: &[Label], i: usize, placed: &[Option<Placed>], lanes: usize, min_x: f64, max_x: f64) -> Placed {
    let label = labels[i];
    for (left_side, left) in [(false, label.anchor + GAP), (true, label.anchor - GAP - label.width)] {
        if left < min_x || left + label.width > max_x {
            continue;
        }
        for lane in 0..lanes {
            let candidate = Placed { lane, left, left_side, clean: true };
            if fits(&candidate, label, labels, placed) {
                return candidate;
            }
        }
    }
    Placed { lane: lanes - 1, left: label.anchor + GAP, left_side: false, clean: false }
}

/// Whether `candidate` for `label` is clear of every label placed so far.
fn fits(candidate: &Placed, label: Label, labels: &[Label], placed: &[Option<Placed>]) -> bool {
    let (left, right) = (candidate.left - GAP, candidate.right(label.width) + GAP);
    for (other, other_label) in placed.iter().zip(labels) {
        let Some(other) = other else { continue };
        let (other_left, other_right) = (other.left, other.right(other_label.width));
        let texts_overlap = other.lane == candidate.lane && left < other_right && other_left < right;
        // A deeper label's stem passes through this lane at its anchor.
        let their_stem_crosses = other.lane > candidate.lane && left < other_label.anchor && other_label.anchor < right;
        // This label's stem passes through the lanes above it.
        let our_stem_crosses =
            other.lane < candidate.lane && other_left - GAP < label.anchor && label.anchor < other_right + GAP;
        if texts_overlap || their_stem_crosses || our_stem_crosses {
            return false;
        }
    }
    true
}
