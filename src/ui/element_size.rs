//! The size of an element, kept up to date by a `ResizeObserver`: the log view fits its rows to the space it
//! has, which changes with the window and also when the narration above it grows or a banner goes (no window
//! `resize` event then). The component re-renders only when the size changes by a whole pixel.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Width and height in CSS pixels (the content box and padding: `clientWidth`, `clientHeight`), `(0, 0)`
/// until the element is on the page.
#[hook]
pub fn use_element_size(node: NodeRef) -> (f64, f64) {
    let size = use_state_eq(|| (0.0, 0.0));
    {
        let size = size.setter();
        use_effect_with(node, move |node| {
            let element = node.cast::<web_sys::Element>();
            let read = {
                let element = element.clone();
                move || {
                    if let Some(e) = &element {
                        size.set((f64::from(e.client_width()), f64::from(e.client_height())));
                    }
                }
            };
            read();
            let callback = Closure::<dyn Fn()>::new(read);
            let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok();
            if let (Some(observer), Some(element)) = (&observer, &element) {
                observer.observe(element);
            }
            move || {
                if let Some(observer) = observer {
                    observer.disconnect();
                }
                drop(callback);
            }
        });
    }
    *size
}
