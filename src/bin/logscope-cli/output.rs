//! Standard output that a closed pipe does not crash: `println!` panics once the reader has gone
//! (`logscope-cli run … --trace | head`); here the lines after that are dropped, and the command still ends
//! with its own exit code (the verdict does not depend on who reads it).

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once standard output cannot take more (the reader closed the pipe, or another write error).
static CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes one line to standard output, unless it is closed.
pub fn line(args: std::fmt::Arguments<'_>) {
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(error) = out.write_fmt(args).and_then(|()| out.write_all(b"\n")).and_then(|()| out.flush()) {
        CLOSED.store(true, Ordering::Relaxed);
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write to standard output: {error}");
        }
    }
}

/// `println!` through [`line`].
macro_rules! outln {
    ($($arg:tt)*) => { $crate::output::line(format_args!($($arg)*)) };
}
pub(crate) use outln;
