//! The look of one message in flight: its shape by kind (vote circle, pre-vote ring, TimeoutNow triangle, append box, heartbeat square, ack dot,
//! snapshot block, client diamond), the duplicate ring and the lost cross, with the test and hover hooks.
//! Drawn as one small SVG fragment: hundreds of messages appear and vanish every second under load, and
//! letting the browser parse a short string is much cheaper than a Yew element (plus Yew's placeholder text
//! node) per shape; an unchanged message is not touched (Yew compares the markup).

use crate::sim::view::MessageKind;
use crate::ui::palette::message_class;
use yew::prelude::*;

/// How one message looks (everything but its position).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageLook {
    /// Message id (for its hover explanation).
    pub id: u64,
    /// Kind (shape and colour).
    pub kind: MessageKind,
    /// An AppendEntries without entries (a heartbeat: a smaller box).
    pub heartbeat: bool,
    /// Will be dropped on arrival.
    pub dropped: bool,
    /// A duplicate made by the network.
    pub duplicate: bool,
    /// Dropped and far enough along to show the cross.
    pub lost: bool,
}

/// The message's markup, centred on the message, wrapped in an `<svg>` with visible overflow so that the
/// HTML parser creates SVG elements.
pub fn message_markup(look: MessageLook) -> String {
    let class = message_class(look.kind);
    let shape = match look.kind {
        MessageKind::Vote => r#"<circle r="7"/>"#,
        // A ring: a pre-vote asks without changing any term (its colour is the other cue).
        MessageKind::PreVote => r#"<circle r="6" class="ring"/>"#,
        MessageKind::TimeoutNow => r#"<polygon points="0,-8 8,6 -8,6"/>"#,
        MessageKind::Append if look.heartbeat => r#"<rect x="-5" y="-5" width="10" height="10"/>"#,
        MessageKind::Append => r#"<rect x="-8" y="-6" width="16" height="12"/>"#,
        MessageKind::Ack => r#"<circle r="5"/>"#,
        MessageKind::Snapshot => r#"<rect x="-10" y="-10" width="20" height="20" rx="2"/>"#,
        MessageKind::Client => r#"<polygon points="0,-8 8,0 0,8 -8,0"/>"#,
    };
    format!(
        r#"<svg overflow="visible"><g class="message {class}{}{}" data-testid="message" data-kind="{class}" data-tip="msg:{}">{}{shape}{}</g></svg>"#,
        if look.dropped { " dropped" } else { "" },
        if look.duplicate { " duplicate" } else { "" },
        look.id,
        if look.duplicate { r#"<circle class="dup-ring" r="11"/>"# } else { "" },
        if look.lost { r#"<text class="lost-mark" y="4">✕</text>"# } else { "" },
    )
}

/// The message as a node for Yew.
pub fn message_dot(look: MessageLook) -> Html {
    Html::from_html_unchecked(message_markup(look).into())
}
