//! Which way each type travels: sent (a request's parameters and body, a WebSocket frame the
//! client writes) or received (a response, a page's items, a webhook event, a frame the client
//! reads). A type gets `Serialize` only if it is sent and `Deserialize` only if it is received,
//! as aws-sdk-rust and async-stripe do: the other half is a third of the crate's build and no
//! call needs it. The feature [`ROUND_TRIP`] adds both halves everywhere (the example oracle's
//! tests need it, and so do users who store responses as JSON).

use super::{Api, Ty, TypeId};

/// The feature that gives every type both serde impls.
pub const ROUND_TRIP: &str = "round_trip";

/// For each type (by id), whether it is sent and whether it is received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directions {
    pub sent: Vec<bool>,
    pub received: Vec<bool>,
}

impl Directions {
    /// Whether `Serialize` is emitted without [`ROUND_TRIP`].
    pub fn serializes(&self, id: TypeId) -> bool {
        self.sent[id]
    }

    /// Whether `Deserialize` is emitted without [`ROUND_TRIP`].
    pub fn deserializes(&self, id: TypeId) -> bool {
        self.received[id]
    }
}

/// Follows every operation and webhook to the types it sends and receives, through fields,
/// variants and aliases.
pub fn plan(api: &Api) -> Directions {
    let mut sent = Vec::new();
    let mut received = Vec::new();
    for op in &api.operations {
        super::features::operation_roots_by_direction(
            op,
            |id, is_sent| {
                if is_sent {
                    sent.push(id)
                } else {
                    received.push(id)
                }
            },
        );
    }
    for w in &api.webhooks {
        if let Some(t) = &w.payload {
            t.named(&mut |id| received.push(id));
        }
    }
    let (mut sent, mut received) = (reach(api, sent), reach(api, received));
    // A type that nothing reaches (`extra_types`) goes both ways: nothing says which, so it gets
    // both impls, and so do the types in it.
    let unreached: Vec<TypeId> = (0..api.types.len()).filter(|&id| !sent[id] && !received[id]).collect();
    let both = reach(api, unreached);
    for (id, _) in both.iter().enumerate().filter(|(_, b)| **b) {
        sent[id] = true;
        received[id] = true;
    }
    Directions { sent, received }
}

/// Marks every type reachable from `roots`.
fn reach(api: &Api, mut stack: Vec<TypeId>) -> Vec<bool> {
    let mut seen = vec![false; api.types.len()];
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut seen[id], true) {
            continue;
        }
        api.types[id].kind.each_ty(&mut |t: &Ty| t.named(&mut |n| stack.push(n)));
    }
    seen
}
