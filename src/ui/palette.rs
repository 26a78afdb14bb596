//! Colours, in one place: the Okabe–Ito palette, which stays distinguishable with the common forms of colour
//! blindness. Every colour is paired with a second cue (a term number, a shape, a dash pattern) so nothing
//! is told by colour alone. The CSS defines the actual values (`--term-0` … `--term-7`, `--msg-*`).

use crate::sim::view::MessageKind;

/// Number of distinct term colours before they repeat (the term number is always printed too).
pub const TERM_COLOURS: u64 = 8;

/// CSS class for entries of a term.
pub fn term_class(term: u64) -> String {
    format!("term-{}", term % TERM_COLOURS)
}

/// CSS class and short name for a message kind.
pub fn message_class(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Vote => "msg-vote",
        MessageKind::Append => "msg-append",
        MessageKind::Ack => "msg-ack",
        MessageKind::Snapshot => "msg-snapshot",
        MessageKind::Client => "msg-client",
        MessageKind::PreVote => "msg-prevote",
        // TimeoutNow is a vote's cue to campaign: the vote colour, told apart by its triangle.
        MessageKind::TimeoutNow => "msg-vote",
    }
}

/// Human name of a message kind (legend, tooltips).
pub fn message_name(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Vote => "vote request or reply",
        MessageKind::Append => "AppendEntries (entries or heartbeat)",
        MessageKind::Ack => "AppendEntries reply",
        MessageKind::Snapshot => "InstallSnapshot",
        MessageKind::Client => "client request or reply",
        MessageKind::PreVote => "pre-vote request or reply (changes no term)",
        MessageKind::TimeoutNow => "TimeoutNow (leadership transfer)",
    }
}
