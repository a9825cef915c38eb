//! Which operations carry an idempotency token, found from the spec: an `Idempotency-Key`
//! header parameter, or a `command_id` string in a JSON body ("Telnyx will ignore any command
//! with the same `command_id`"). The client fills an empty token with a fresh UUID and sends the
//! same one on every attempt, so those requests can be retried without repeating their effect.

use super::{Api, BodyEncoding, Operation, Ty, TypeDef, TypeKind};
use serde::Serialize;

/// The header that makes a request idempotent on the servers that honour it.
pub const HEADER: &str = "Idempotency-Key";
/// The body member Telnyx's call-control commands are deduplicated by.
pub const BODY_FIELD: &str = "command_id";

/// Where an operation's idempotency token goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "in", content = "name", rename_all = "snake_case")]
pub enum Token {
    /// A header parameter (its wire name, as the spec spells it).
    Header(String),
    /// A string member of the JSON body.
    BodyField(String),
}

/// Sets [`Operation::idempotency`] on every operation of `api`.
pub fn mark(api: &mut Api) {
    let types = &api.types;
    for op in &mut api.operations {
        op.idempotency = token(op, types);
    }
}

fn token(op: &Operation, types: &[TypeDef]) -> Option<Token> {
    if let Some(p) = op.header_params.iter().find(|p| p.name.eq_ignore_ascii_case(HEADER)) {
        return Some(Token::Header(p.name.clone()));
    }
    let body = op.body.as_ref().filter(|b| b.encoding == BodyEncoding::Json)?;
    let fields = match &types[named(&body.ty, types)?].kind {
        TypeKind::Struct { fields, .. } => fields,
        _ => return None,
    };
    // An optional body the caller leaves out is sent as `{"command_id": ...}`: only where the
    // schema accepts that alone.
    if !body.required && fields.iter().any(|f| f.required && f.name != BODY_FIELD) {
        return None;
    }
    let field = fields.iter().find(|f| f.name == BODY_FIELD && !f.read_only)?;
    (resolved(&field.ty, types) == &Ty::String).then(|| Token::BodyField(field.name.clone()))
}

/// The named type behind aliases, if `ty` is one.
fn named(ty: &Ty, types: &[TypeDef]) -> Option<usize> {
    match resolved(ty, types) {
        Ty::Named(id) => Some(*id),
        _ => None,
    }
}

/// `ty` with aliases followed (a bounded walk: alias cycles were broken when the IR was built).
fn resolved<'t>(mut ty: &'t Ty, types: &'t [TypeDef]) -> &'t Ty {
    for _ in 0..types.len().min(64) {
        match ty {
            Ty::Named(id) => match &types[*id].kind {
                TypeKind::Alias { ty: inner } => ty = inner,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}
