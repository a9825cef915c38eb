//! The markers of required inputs, and the `builder!` that gives each crate of generated types
//! its `Builder`. The `telnyx` crate's `inputs` module says how they are used.
//!
//! The markers live here, once, because the crates of types and the client share them: a
//! builder of a type of one crate and a call of the client track their required inputs with
//! the same [`Missing`] and [`Set`]. A `Builder` cannot be shared so: the generated code gives
//! it a method per field, and Rust lets only the crate that defines a type add methods to it,
//! so each crate of types defines its own with [`builder!`](crate::builder).

use std::marker::PhantomData;

/// A required input that is set.
#[derive(Debug, Clone, Copy)]
pub struct Set;

/// A required input not set yet; `Name` is its marker in `telnyx::required`.
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

/// Defines, where it is invoked, `Builder<T, S>` (a value of `T` being built, its required
/// fields tracked in `S`) and `into_state`, which the generated methods of required fields
/// call to move a builder to its next state.
#[macro_export]
#[doc(hidden)]
macro_rules! builder {
    () => {
        /// A value of `T` being built: its required fields are tracked in `S` (a [`Missing`]
        /// slot per field not set yet). `X::builder()` makes one; each field is a method;
        /// [`Builder::build`] ends it, or pass the builder where an `X` is taken.
        ///
        /// [`Missing`]: telnyx_runtime::Missing
        #[must_use = "a builder does nothing until it is built (or passed where its type is taken)"]
        pub struct Builder<T, S> {
            /// Set in place by the generated methods of the fields.
            pub(crate) value: T,
            state: ::std::marker::PhantomData<fn() -> S>,
        }

        /// The same value in another state: written by the generator for the methods of
        /// required fields, each of which sets its slot (a spec without such structs has none).
        #[allow(dead_code)]
        #[inline]
        pub(crate) fn into_state<T, S, S2>(builder: Builder<T, S>) -> Builder<T, S2> {
            Builder { value: builder.value, state: ::std::marker::PhantomData }
        }

        impl<T: ::std::fmt::Debug, S> ::std::fmt::Debug for Builder<T, S> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_tuple("Builder").field(&self.value).finish()
            }
        }

        impl<T: ::std::clone::Clone, S> ::std::clone::Clone for Builder<T, S> {
            fn clone(&self) -> Self {
                Builder { value: self.value.clone(), state: ::std::marker::PhantomData }
            }
        }

        impl<T, S> Builder<T, S> {
            /// Starts from a value whose required fields hold placeholders, each a `Missing`
            /// in `S`.
            #[doc(hidden)]
            #[inline]
            pub fn new(value: T) -> Self {
                Builder { value, state: ::std::marker::PhantomData }
            }
        }

        impl<T, S: $crate::Ready> Builder<T, S> {
            /// The value, every required field set.
            #[inline]
            pub fn build(self) -> T {
                self.value
            }
        }
    };
}

// Tuples of `Set` are ready, up to the longest state the generator writes.
const _: () = {
    fn ready<S: Ready>() {}
    let _ = ready::<()>;
    let _ = ready::<(Set,)>;
    let _ = ready::<(Set, Set, Set)>;
    let _ = ready::<(Set, Set, Set, Set, Set, Set, Set, Set, Set, Set, Set, Set, Set, Set, Set, Set, Set, Set)>;
};
