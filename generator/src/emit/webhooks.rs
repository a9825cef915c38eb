//! Emits the webhook event enum: one variant per webhook, picked by the event's `event_type`.

use super::types::rust_type;
use super::{ident, Ctx};
use crate::ir::{Api, Module};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

pub fn event_enum(api: &Api, structs: &BTreeMap<Vec<String>, String>) -> TokenStream {
    let module = Module::Unassigned;
    let ctx = Ctx { api, module: &module, structs };
    let typed: Vec<_> = api.webhooks.iter().filter(|w| w.payload.is_some() && !w.event_types.is_empty()).collect();
    let untyped: Vec<String> = api
        .webhooks
        .iter()
        .filter(|w| w.payload.is_some() && w.event_types.is_empty())
        .filter_map(|w| Some(format!("[`{}`]", rust_type(w.payload.as_ref()?, &ctx).to_string().replace(' ', ""))))
        .collect();
    let names: Vec<_> = typed.iter().map(|w| ident(&w.rust_name)).collect();
    let types = typed.iter().filter_map(|w| w.payload.as_ref()).map(|t| rust_type(t, &ctx));
    let docs = typed.iter().map(|w| {
        let kinds: Vec<String> = w.event_types.iter().map(|t| format!("`{t}`")).collect();
        match &w.summary {
            Some(s) => format!(" {}: {}", kinds.join(", "), s.trim()),
            None => format!(" {}", kinds.join(", ")),
        }
    });
    // Events are received: encoding one back is for tests and storage (`round_trip`).
    let serialize_gate = super::types::round_trip(false);
    let first: Vec<&str> = typed.iter().map(|w| w.event_types[0].as_str()).collect();
    let patterns = typed.iter().map(|w| {
        let tags = w.event_types.iter().map(String::as_str);
        quote!(#(#tags)|*)
    });
    let mut module_doc = vec![
        " Webhook events: [`WebhookEvent`] has one variant per webhook of the spec that names its".to_string(),
        format!(" `event_type` ({} of {}).", typed.len(), api.webhooks.len()),
    ];
    if !untyped.is_empty() {
        module_doc.push(String::new());
        module_doc.push(" The others declare no event type, so nothing in a body tells them apart; decode them".into());
        module_doc.push(format!(" with their own type: {}.", untyped.join(", ")));
    }
    let decode = if typed.is_empty() {
        quote!(Ok(Self::Unknown(serde_json::Value::deserialize(deserializer)?)))
    } else {
        quote! {
            let value = serde_json::Value::deserialize(deserializer)?;
            let kind = event_type_of(&value).map(str::to_owned);
            match kind.as_deref() {
                #( Some(#patterns) => crate::tagged::variant(&value).map(Self::#names), )*
                _ => Ok(Self::Unknown(value)),
            }
        }
    };
    quote! {
        #( #![doc = #module_doc] )*

        /// A webhook event, picked by its `event_type` (at `data.event_type`, or at the top of
        /// the body). An event this crate does not know decodes into [`WebhookEvent::Unknown`]
        /// with its JSON kept, so a new kind of event never breaks a receiver.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum WebhookEvent {
            #( #[doc = #docs] #names(#types), )*
            /// An event this version of the crate does not know, kept as sent.
            Unknown(serde_json::Value),
        }

        impl WebhookEvent {
            /// The `event_type` of this event (the first the spec lists for its variant), or the
            /// one an unknown event came with.
            pub fn event_type(&self) -> Option<&str> {
                match self {
                    #( Self::#names(_) => Some(#first), )*
                    Self::Unknown(value) => event_type_of(value),
                }
            }
        }

        fn event_type_of(value: &serde_json::Value) -> Option<&str> {
            value
                .pointer("/data/event_type")
                .or_else(|| value.get("event_type"))
                .and_then(serde_json::Value::as_str)
        }

        #serialize_gate
        impl serde::Serialize for WebhookEvent {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #( Self::#names(v) => v.serialize(serializer), )*
                    Self::Unknown(v) => v.serialize(serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for WebhookEvent {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #decode
            }
        }
    }
}
