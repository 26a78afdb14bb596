//! Virtual time as people read it: `1.250 s`, `2 min 03.5 s`, `1 h 02 min 03 s`. The core counts microseconds
//! (and its trace and golden files keep `1234.5ms`); this is only how the clock, the time slider and the event
//! log show them. Seconds with milliseconds under a minute (a network hop is milliseconds), tenths of a second
//! under an hour, whole seconds beyond.
//! This file has no imports: `tests/ui_text.rs` compiles it natively (`ui` is wasm-only).

/// Microseconds in a second.
const US_PER_S: u64 = 1_000_000;

/// The clock's reading of `time_us` (truncated, never rounded up: a clock does not show a moment before it
/// happens). `0.000 s`, `59.999 s`, `1 min 00.0 s`, `59 min 59.9 s`, `1 h 00 min 00 s`.
pub fn clock(time_us: u64) -> String {
    let seconds = time_us / US_PER_S;
    if seconds < 60 {
        return format!("{seconds}.{:03} s", time_us % US_PER_S / 1_000);
    }
    let (minutes, second) = (seconds / 60, seconds % 60);
    if minutes < 60 {
        return format!("{minutes} min {second:02}.{} s", time_us % US_PER_S / 100_000);
    }
    format!("{} h {:02} min {second:02} s", minutes / 60, minutes % 60)
}

/// A moment in the event log, to a tenth of a millisecond (the core's resolution on screen: events within
/// one millisecond must stay apart): `0.0123 s`, `1.2345 s`, `2 min 03.0001 s`.
pub fn precise(time_us: u64) -> String {
    let seconds = time_us / US_PER_S;
    let fraction = time_us % US_PER_S / 100;
    if seconds < 60 {
        format!("{seconds}.{fraction:04} s")
    } else {
        format!("{} min {:02}.{fraction:04} s", seconds / 60, seconds % 60)
    }
}
