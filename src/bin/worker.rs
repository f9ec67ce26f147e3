//! The engine's Web Worker: receives `ToWorker` text, answers `FromWorker` text.
//! All the logic is in `kubeplay::protocol::EngineService`; this file only wires
//! `onmessage`/`postMessage` and sends the ready handshake.

#[cfg(target_arch = "wasm32")]
fn main() {
    use std::cell::RefCell;

    use kubeplay::protocol::{encode_response, EngineService};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let service = RefCell::new(EngineService::default());
    let reply_scope = scope.clone();
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(text) = event.data().as_string() else {
            return;
        };
        let answer = service.borrow_mut().handle_text(&text);
        let _ = reply_scope.post_message(&JsValue::from_str(&answer));
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    let _ = scope.post_message(&JsValue::from_str(
        &encode_response(&EngineService::ready()),
    ));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("kubeplay-worker is the browser build's Web Worker; run `kubeplay` natively.");
}
