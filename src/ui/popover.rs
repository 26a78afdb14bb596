//! A popover: the node and link menus open beside the thing they act on, over the page, so the cluster drawing
//! keeps its size (a menu docked in the cluster panel used to shrink the drawing to a quarter). It is a dialog
//! that takes the focus when it opens, closes on Escape or a press outside it, and gives the focus back to
//! its anchor when it closes (if nothing else took it meanwhile). Switching to another node's menu moves the
//! same popover, and hands the focus on to it.

use crate::ui::placement::{beside, Rect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Elements that open or switch menus themselves: a press on them is not a press "outside".
const OPENERS: &str = ".node, .link, .entry, .row-label, .menu";

/// Props of [`Popover`].
#[derive(Properties, PartialEq)]
pub struct PopoverProps {
    /// CSS selector of the element it is anchored to (the node glyph, the link, a log entry); the focus goes
    /// back to it on close when it can take focus.
    pub anchor: AttrValue,
    /// Accessible name of the dialog.
    pub label: AttrValue,
    /// Classes beside `menu` (e.g. `node-menu`).
    #[prop_or_default]
    pub class: Classes,
    /// Test id.
    pub testid: AttrValue,
    /// Closes it (Escape, a press outside).
    pub on_close: Callback<()>,
    /// The menu's content.
    pub children: Html,
}

/// The element `selector` names, if it is on the page.
fn find(selector: &str) -> Option<web_sys::Element> {
    web_sys::window()?.document()?.query_selector(selector).ok().flatten()
}

/// Puts the popover beside its anchor and shows it (it is hidden until placed).
fn place(popover: &web_sys::Element, anchor: &str) {
    let Some(window) = web_sys::window() else { return };
    let read = |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    let (viewport_width, viewport_height) = (read(window.inner_width()), read(window.inner_height()));
    let own = popover.get_bounding_client_rect();
    let rect =
        find(anchor)
            .map(|a| a.get_bounding_client_rect())
            .map_or(Rect { left: viewport_width / 2.0, top: viewport_height / 2.0, width: 0.0, height: 0.0 }, |r| {
                Rect { left: r.left(), top: r.top(), width: r.width(), height: r.height() }
            });
    let (left, top) = beside(rect, own.width(), own.height(), viewport_width, viewport_height);
    let _ = popover.set_attribute("style", &format!("left: {left:.0}px; top: {top:.0}px"));
    let _ = popover.set_attribute("data-placed", "");
}

/// Whether the focus is lost to the page's body or still inside `own` (about to be removed).
fn focus_left_in(own: Option<&web_sys::Node>) -> bool {
    let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
    active.is_none_or(|e| e.tag_name() == "BODY" || own.is_some_and(|own| own.contains(Some(&e))))
}

/// Focuses `element` (the node glyphs are SVG elements; other anchors may be HTML).
fn focus(element: web_sys::Element) {
    match element.dyn_into::<web_sys::SvgElement>() {
        Ok(svg) => drop(svg.focus()),
        Err(other) => {
            if let Ok(html) = other.dyn_into::<web_sys::HtmlElement>() {
                drop(html.focus());
            }
        }
    }
}

/// The popover.
#[function_component(Popover)]
pub fn popover(props: &PopoverProps) -> Html {
    let node = use_node_ref();
    // One effect for the popover's life at one anchor: placed beside it and given the focus when it opens (or
    // moves to another node), closed by a press outside it, and the focus handed back to the anchor when it
    // closes, if the focus was in it (not when a press on another control took the focus).
    {
        let (node, on_close) = (node.clone(), props.on_close.clone());
        use_effect_with(props.anchor.clone(), move |anchor| {
            let own = node.cast::<web_sys::Element>();
            if let Some(element) = &own {
                place(element, anchor);
                let first = element.query_selector("button:not([disabled]), input").ok().flatten();
                if let Some(first) = first.and_then(|f| f.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = first.focus();
                }
            }
            let own: Option<web_sys::Node> = own.map(Into::into);
            let inside = own.clone();
            let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
                let target = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                let opener = target.as_ref().is_some_and(|t| t.closest(OPENERS).ok().flatten().is_some());
                let in_popover = inside.as_ref().zip(target).is_some_and(|(own, t)| own.contains(Some(&t)));
                if !opener && !in_popover {
                    on_close.emit(());
                }
            });
            let document = web_sys::window().and_then(|w| w.document());
            if let Some(document) = &document {
                let _ = document.add_event_listener_with_callback("pointerdown", listener.as_ref().unchecked_ref());
            }
            let anchor = anchor.clone();
            move || {
                if let Some(document) = &document {
                    let _ =
                        document.remove_event_listener_with_callback("pointerdown", listener.as_ref().unchecked_ref());
                }
                if focus_left_in(own.as_ref()) {
                    if let Some(element) = find(&anchor) {
                        focus(element);
                    }
                }
            }
        });
    }
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            // Escape is the page's shortcut (it closes the help overlay first, then the menus), except in the
            // entry field, where the page's shortcuts stay out of the way: there the popover closes itself.
            let in_field =
                e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|t| t.tag_name() == "INPUT");
            if e.key() == "Escape" && in_field {
                e.prevent_default();
                e.stop_propagation();
                on_close.emit(());
            }
        })
    };
    html! {
        <div ref={node} class={classes!("menu", props.class.clone())} role="dialog" aria-label={props.label.clone()}
             data-testid={props.testid.clone()} {onkeydown}>
            { props.children.clone() }
        </div>
    }
}
