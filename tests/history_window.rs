//! The history tab's time window (`src/ui/history_window.rs`, compiled here natively: it has no imports): the
//! whole span or a zoomed window that follows the newest moment unless scrolled, bars clipped to it, ticks.

#[path = "../src/ui/history_window.rs"]
mod history_window;

use history_window::{zoom_label, Window, ZOOMS_US};

#[test]
fn the_whole_history_is_shown_when_not_zoomed_or_when_the_zoom_covers_it() {
    assert_eq!(Window::new(1_000, 9_000, 0, None), Window { start_us: 1_000, end_us: 9_000 });
    assert_eq!(Window::new(1_000, 9_000, 20_000, Some(5_000)), Window { start_us: 1_000, end_us: 9_000 });
    // An empty history still has a window one microsecond wide (no division by zero).
    assert_eq!(Window::new(0, 0, 0, None), Window { start_us: 0, end_us: 1 });
}

#[test]
fn a_zoomed_window_follows_the_newest_moment_unless_scrolled_and_stays_inside_the_span() {
    assert_eq!(Window::new(0, 10_000_000, 2_000_000, None), Window { start_us: 8_000_000, end_us: 10_000_000 });
    assert_eq!(
        Window::new(0, 10_000_000, 2_000_000, Some(5_000_000)),
        Window { start_us: 3_000_000, end_us: 5_000_000 }
    );
    // Scrolled before the start or past the end: clamped to the span.
    assert_eq!(Window::new(0, 10_000_000, 2_000_000, Some(1)), Window { start_us: 0, end_us: 2_000_000 });
    assert_eq!(
        Window::new(0, 10_000_000, 2_000_000, Some(99_000_000)),
        Window { start_us: 8_000_000, end_us: 10_000_000 }
    );
}

#[test]
fn bars_are_clipped_to_the_window_and_open_ones_run_to_its_end() {
    let w = Window { start_us: 1_000, end_us: 2_000 };
    assert_eq!(w.bar(1_250, Some(1_500)), (25.0, 25.0));
    assert_eq!(w.bar(500, Some(1_100)), (0.0, 10.0));
    assert_eq!(w.bar(1_900, None), (90.0, 10.0));
    assert_eq!(w.bar(1_900, Some(5_000)), (90.0, 10.0));
    assert!(w.overlaps(500, None) && w.overlaps(1_999, Some(3_000)) && w.overlaps(2_000, Some(2_000)));
    assert!(!w.overlaps(100, Some(999)) && !w.overlaps(2_001, None));
    assert_eq!(w.percent(1_500), 50.0);
}

#[test]
fn ticks_include_both_ends_and_zoom_labels_read_as_durations() {
    let w = Window { start_us: 0, end_us: 4_000_000 };
    assert_eq!(w.ticks(5), vec![0, 1_000_000, 2_000_000, 3_000_000, 4_000_000]);
    assert_eq!(w.ticks(0), vec![0, 4_000_000]);
    let labels: Vec<String> = ZOOMS_US.iter().map(|&z| zoom_label(z)).collect();
    assert_eq!(labels, ["whole history", "10 s", "2 s", "500 ms", "100 ms"]);
}
