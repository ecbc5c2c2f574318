//! The validation service: `app(state) -> Router` and what it is made of.

pub mod state;
