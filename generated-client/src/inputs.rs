//! Required inputs, checked by the compiler.
//!
//! Every input of an operation is a method of its [`crate::Call`], named after the input
//! (`client.calls().dial().connection_id(..).from(..).to(..)`), so two inputs of the same type
//! cannot be swapped by position. The required ones are tracked in the call's last type
//! parameter, one slot each: [`Missing<name>`] until its method is called, [`Set`] after. A call
//! is a future, and a [`Builder`] builds, only once every slot is [`Set`] ([`Ready`]); so a
//! required input left out is a compile error that names it:
//!
//! ```text
//! error[E0277]: `Call<'_, MessagesSendParams, OutboundMessagePayload, AsData, (telnyx::Missing<to>,)>` is not a future
//!   |     client.messages().send().text("Hello!").await?;
//!   |                                             ^^^^^ `Call<..., (telnyx::Missing<to>,)>` is not a future
//! ```
//!
//! A struct with required fields is built the same way: `X::builder()`, one method per field,
//! then `.build()` (or pass the builder where an `X` is taken). A struct without required fields
//! is `X::default()` with one method per field.

use std::marker::PhantomData;

/// A required input that is set.
#[derive(Debug, Clone, Copy)]
pub struct Set;

/// A required input not set yet; `Name` is its marker in [`crate::required`].
pub struct Missing<Name>(PhantomData<Name>);

/// Every required input is set: the state of a call that can be awaited, or of a builder that
/// can build. Implemented for `()` and for tuples of [`Set`].
#[diagnostic::on_unimplemented(
    message = "a required input is not set: `{Self}` names it as `Missing<..>`",
    label = "not every required input is set",
    note = "call the method named in `Missing<..>` first"
)]
pub trait Ready {}

impl Ready for () {}

macro_rules! ready_tuples {
    ($($n:ident)+) => {
        ready_tuples!(@each [] $($n)+);
    };
    (@each [$($done:ident)*] $next:ident $($rest:ident)*) => {
        impl<$($done,)* $next> Ready for ($($done,)* $next,) where $($done: IsSet,)* $next: IsSet {}
        ready_tuples!(@each [$($done)* $next] $($rest)*);
    };
    (@each [$($done:ident)*]) => {};
}

/// A slot of [`Ready`] that is set.
#[doc(hidden)]
pub trait IsSet {}
impl IsSet for Set {}

// As many slots as `ir::calls::MAX_REQUIRED` in the generator allows.
ready_tuples!(A B C D E F G H I J K L M N O P Q R S T U V W X Y Z A1 B1 C1 D1 E1 F1);

/// A value of `T` being built: its required fields are tracked in `S` (see the module docs).
/// `X::builder()` makes one; each field is a method; [`Builder::build`] ends it.
#[must_use = "a builder does nothing until it is built (or passed where its type is taken)"]
pub struct Builder<T, S> {
    /// Set in place by the generated methods of the fields.
    pub(crate) value: T,
    state: PhantomData<fn() -> S>,
}

/// The same value in another state: written by the generator for the methods of required
/// fields, each of which sets its slot (a spec without such structs has none).
#[allow(dead_code)]
#[inline]
pub(crate) fn into_state<T, S, S2>(builder: Builder<T, S>) -> Builder<T, S2> {
    Builder { value: builder.value, state: PhantomData }
}

impl<T: std::fmt::Debug, S> std::fmt::Debug for Builder<T, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Builder").field(&self.value).finish()
    }
}

impl<T: Clone, S> Clone for Builder<T, S> {
    fn clone(&self) -> Self {
        Builder { value: self.value.clone(), state: PhantomData }
    }
}

impl<T, S> Builder<T, S> {
    /// Starts from a value whose required fields hold placeholders, each a [`Missing`] in `S`.
    #[doc(hidden)]
    #[inline]
    pub fn new(value: T) -> Self {
        Builder { value, state: PhantomData }
    }
}

impl<T, S: Ready> Builder<T, S> {
    /// The value, every required field set.
    #[inline]
    pub fn build(self) -> T {
        self.value
    }
}

// Tuples of `Set` are ready, up to the longest state the generator writes: checked as the
// crate compiles (the crate's lib has no unit tests of its own; see Cargo.toml).
const _: () = {
    fn ready<S: Ready>() {}
    let _ = ready::<()>;
    let _ = ready::<(Set,)>;
    let _ = ready::<(Set, Set, Set)>;
    let _ = ready::<(Set, Set, Set, Set, Set, Set, Set, Set, Set, Set, Set, Set, Set, Set, Set, Set, Set, Set)>;
};
