//! The web UI's pure helpers, compiled natively (the `ui` module is wasm-only; these files have no imports):
//! how times read, how the log rows fit the panel, where marker labels go so that none overlaps another, where
//! the slider's expectation marks go, and where a popover goes. The browser checks the same on the drawn page (tests/e2e/projector.spec.mjs).

#[path = "../src/ui/label_lanes.rs"]
#[allow(dead_code)]
mod label_lanes;
#[path = "../src/ui/log_layout.rs"]
#[allow(dead_code)]
mod log_layout;
#[path = "../src/ui/mark_spread.rs"]
#[allow(dead_code)]
mod mark_spread;
#[path = "../src/ui/placement.rs"]
#[allow(dead_code)]
mod placement;
#[path = "../src/ui/time_text.rs"]
#[allow(dead_code)]
mod time_text;

use label_lanes::{place, Label, Placed, GAP};
use log_layout::{fit, text_width, AXIS_HEIGHT, CELL, CELLS_MAX, CELLS_MIN, LABEL_WIDTH, RIGHT_PAD, ROW_HEIGHT};
use mark_spread::spread;
use placement::{beside, Rect, MARGIN};
use proptest::prelude::*;

#[test]
fn the_clock_reads_in_seconds_then_minutes_then_hours() {
    let cases = [
        (0, "0.000 s"),
        (999, "0.000 s"),
        (1_250_000, "1.250 s"),
        (59_999_999, "59.999 s"),
        (60_000_000, "1 min 00.0 s"),
        (123_500_000, "2 min 03.5 s"),
        (3_599_999_999, "59 min 59.9 s"),
        (3_600_000_000, "1 h 00 min 00 s"),
        (3_723_900_000, "1 h 02 min 03 s"),
    ];
    for (time_us, text) in cases {
        assert_eq!(time_text::clock(time_us), text, "clock({time_us})");
    }
}

#[test]
fn the_event_log_keeps_a_tenth_of_a_millisecond() {
    assert_eq!(time_text::precise(12_300), "0.0123 s");
    assert_eq!(time_text::precise(1_234_567), "1.2345 s");
    assert_eq!(time_text::precise(123_000_100), "2 min 03.0001 s");
}

proptest! {
    /// The clock never runs ahead: what it shows is a prefix of the time, within its resolution.
    #[test]
    fn the_clock_never_shows_a_later_time(time_us in 0u64..10_000_000_000) {
        let text = time_text::clock(time_us);
        let shown_us = parse_clock(&text);
        prop_assert!(shown_us <= time_us, "{text} shows more than {time_us} µs");
        let resolution = if time_us < 60_000_000 { 1_000 } else if time_us < 3_600_000_000 { 100_000 } else { 1_000_000 };
        prop_assert!(time_us - shown_us < resolution, "{text} is further than {resolution} µs from {time_us} µs");
    }
}

/// Reads a clock text back into microseconds (the test's own reading, independent of the formatter).
fn parse_clock(text: &str) -> u64 {
    let mut total = 0.0;
    let words: Vec<&str> = text.split(' ').collect();
    for pair in words.chunks(2) {
        let value: f64 = pair[0].parse().expect("a number");
        total += value
            * match pair[1] {
                "h" => 3_600.0,
                "min" => 60.0,
                "s" => 1.0,
                unit => panic!("unit {unit} in {text}"),
            };
    }
    (total * 1_000_000.0).round() as u64
}

#[test]
fn five_rows_fill_a_projector_panel_and_nine_still_fit() {
    // The log body of a 1280×720 page with a lesson (about 740 × 300 px) and of a 1920×1080 one (1150 × 600).
    for (width, height, rows) in [(740.0, 300.0, 5), (1150.0, 600.0, 9), (1150.0, 820.0, 5), (500.0, 250.0, 3)] {
        let f = fit(width, height, rows, 0.3, 2.2);
        let drawn_height = (rows as f64 * ROW_HEIGHT + AXIS_HEIGHT) * f.scale;
        assert!(drawn_height <= height, "{rows} rows in {width}×{height}: {drawn_height:.0} px high at {f:?}");
        assert!(f.row_units() * f.scale <= width, "{rows} rows in {width}×{height} are wider than the panel: {f:?}");
        // The width is used: one more column would not fit.
        assert!(
            f.cells == CELLS_MAX || (f.row_units() + CELL) * f.scale > width,
            "{width}×{height} leaves room for more columns: {f:?}"
        );
    }
}

proptest! {
    /// Any panel: the rows never overflow its width, fill its height unless they hit a bound, and show a
    /// bounded number of columns.
    #[test]
    fn the_fit_respects_the_panel_and_its_bounds(
        width in 50.0f64..4000.0, height in 0.0f64..3000.0, rows in 1usize..=9, scale_max in 0.5f64..3.0,
    ) {
        let scale_min = 0.4f64.min(scale_max);
        let f = fit(width, height, rows, scale_min, scale_max);
        prop_assert!((CELLS_MIN..=CELLS_MAX).contains(&f.cells));
        prop_assert!(f.scale <= scale_max + 1e-9 && f.scale > 0.0);
        let narrowest = (LABEL_WIDTH + CELLS_MIN as f64 * CELL + RIGHT_PAD) * f.scale;
        prop_assert!(f.row_units() * f.scale <= width + 1e-6 || narrowest > width - 1e-6 && f.cells == CELLS_MIN,
            "{f:?} overflows {width}");
        let drawn_height = (rows as f64 * ROW_HEIGHT + AXIS_HEIGHT) * f.scale;
        prop_assert!(drawn_height <= height + 1e-6 || f.scale <= scale_min + 1e-9,
            "{f:?} overflows {height} above the smallest scale");
    }
}

/// An independent check of a placement: no two texts overlap and no stem crosses a text on its way down.
fn check_clean(labels: &[Label], placed: &[Placed]) -> Result<(), String> {
    let span = |i: usize| (placed[i].left, placed[i].left + labels[i].width);
    for i in 0..labels.len() {
        let (left, right) = span(i);
        for j in (0..labels.len()).filter(|j| *j != i) {
            let (other_left, other_right) = span(j);
            if placed[i].lane == placed[j].lane && left < other_right && other_left < right {
                return Err(format!("labels {i} and {j} overlap in lane {}", placed[i].lane));
            }
            // Stem of j, from the top down to its lane, through i's lane when i is above.
            if placed[i].lane < placed[j].lane && left < labels[j].anchor && labels[j].anchor < right {
                return Err(format!("the stem of {j} crosses label {i}"));
            }
        }
        let gap = if placed[i].left_side { labels[i].anchor - right } else { left - labels[i].anchor };
        if (gap - GAP).abs() > 1e-9 {
            return Err(format!("label {i} is not beside its stem"));
        }
    }
    Ok(())
}

#[test]
fn markers_at_one_place_stack_in_lanes() {
    // HWM and applied of a follower at index 1's right edge, its LWM at the left edge, the window starting there.
    let width = text_width("applied 1", 10.0);
    let labels = [Label { anchor: 24.0, width }, Label { anchor: 24.0, width }, Label { anchor: 0.0, width }];
    let placed = place(&labels, 3, 0.0, 24.0 * 20.0);
    assert!(placed.iter().all(|p| p.clean), "{placed:?}");
    check_clean(&labels, &placed).unwrap();
    let mut lanes: Vec<usize> = placed.iter().map(|p| p.lane).collect();
    lanes.sort_unstable();
    lanes.dedup();
    assert_eq!(lanes.len(), 3, "three overlapping labels take three lanes: {placed:?}");
}

#[test]
fn a_label_at_the_window_edge_turns_left() {
    let width = text_width("HWM 40", 10.0);
    let placed = place(&[Label { anchor: 480.0, width }], 3, 0.0, 488.0);
    assert!(placed[0].left_side && placed[0].clean && placed[0].lane == 0, "{placed:?}");
}

proptest! {
    /// As many labels as lanes always find clean places when the window has room on their right, and whatever
    /// `place` calls clean is clean by the independent check.
    #[test]
    fn placements_called_clean_are_clean(
        anchors in prop::collection::vec(0u32..20, 1..=5),
        widths in prop::collection::vec(20.0f64..60.0, 5),
    ) {
        let labels: Vec<Label> =
            anchors.iter().zip(&widths).map(|(a, w)| Label { anchor: f64::from(*a) * 24.0, width: *w }).collect();
        let placed = place(&labels, 3, 0.0, 24.0 * 24.0);
        prop_assert_eq!(placed.len(), labels.len());
        if placed.iter().all(|p| p.clean) {
            prop_assert!(check_clean(&labels, &placed).is_ok(), "{:?}", check_clean(&labels, &placed));
        }
        if labels.len() <= 3 {
            prop_assert!(placed.iter().all(|p| p.clean), "three labels, three lanes: {placed:?}");
        }
    }
}

#[test]
fn a_popover_sits_beside_its_anchor_inside_the_viewport() {
    let node = Rect { left: 300.0, top: 200.0, width: 70.0, height: 70.0 };
    let (left, top) = beside(node, 360.0, 230.0, 1280.0, 720.0);
    let popover = Rect { left, top, width: 360.0, height: 230.0 };
    assert_eq!(left, node.right() + MARGIN, "right of the node when there is room");
    assert!(!popover.overlaps(&node));
    // A node at the right edge: the popover opens on its left.
    let right_node = Rect { left: 1180.0, ..node };
    let (left, _) = beside(right_node, 360.0, 230.0, 1280.0, 720.0);
    assert_eq!(left, right_node.left - MARGIN - 360.0);
}

proptest! {
    /// Wherever the anchor is, the popover stays in the viewport (when it fits at all), and covers the anchor
    /// only when no side has room.
    #[test]
    fn a_popover_stays_on_screen(
        x in 0.0f64..1900.0, y in 0.0f64..1060.0, w in 1.0f64..300.0, h in 1.0f64..300.0,
        pw in 100.0f64..700.0, ph in 80.0f64..500.0,
    ) {
        let (vw, vh) = (1920.0, 1080.0);
        let anchor = Rect { left: x, top: y, width: w.min(vw - x), height: h.min(vh - y) };
        let (left, top) = beside(anchor, pw, ph, vw, vh);
        let popover = Rect { left, top, width: pw, height: ph };
        prop_assert!(left >= MARGIN - 1e-9 && popover.right() <= vw - MARGIN + 1e-9, "{popover:?}");
        prop_assert!(top >= MARGIN - 1e-9 && popover.bottom() <= vh - MARGIN + 1e-9, "{popover:?}");
        let room = anchor.right() + 2.0 * MARGIN + pw <= vw
            || anchor.left - 2.0 * MARGIN - pw >= 0.0
            || anchor.bottom() + 2.0 * MARGIN + ph <= vh
            || anchor.top - 2.0 * MARGIN - ph >= 0.0;
        prop_assert!(!room || !popover.overlaps(&anchor), "{popover:?} covers {anchor:?}");
    }
}

#[test]
fn slider_marks_that_would_hide_each_other_stand_side_by_side() {
    // Apart: where they belong.
    assert_eq!(spread(&[10.0, 50.0, 90.0], 8.0, 4.0, 196.0), vec![10.0, 50.0, 90.0]);
    // Three claims at one time: centred on it, one pitch apart.
    assert_eq!(spread(&[100.0, 100.0, 100.0], 8.0, 4.0, 196.0), vec![92.0, 100.0, 108.0]);
    // At the end of the run: pushed inside the slider.
    assert_eq!(spread(&[200.0, 200.0], 8.0, 4.0, 196.0), vec![188.0, 196.0]);
    // A crowd that grows into its neighbour takes it in.
    assert_eq!(spread(&[50.0, 60.0, 60.0, 60.0], 8.0, 4.0, 196.0), vec![45.5, 53.5, 61.5, 69.5]);
}

proptest! {
    /// Marks never overlap, keep their order, stay on the slider when it can hold them, and move no further than
    /// the crowd they are in requires.
    #[test]
    fn slider_marks_never_overlap(mut wanted in prop::collection::vec(0.0f64..300.0, 0..40)) {
        wanted.sort_by(f64::total_cmp);
        let (pitch, min, max) = (8.0, 4.0, 296.0);
        let placed = spread(&wanted, pitch, min, max);
        prop_assert_eq!(placed.len(), wanted.len());
        for pair in placed.windows(2) {
            prop_assert!(pair[1] - pair[0] >= pitch - 1e-9, "{:?}", placed);
        }
        let fits = wanted.len() <= 1 || (wanted.len() - 1) as f64 * pitch <= max - min;
        for (x, w) in placed.iter().zip(&wanted) {
            prop_assert!(*x >= min - 1e-9, "{:?}", placed);
            prop_assert!(!fits || *x <= max + 1e-9, "{:?}", placed);
            prop_assert!((x - w).abs() <= wanted.len() as f64 * pitch + min, "{:?} from {:?}", placed, wanted);
        }
    }
}
