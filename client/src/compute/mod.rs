//! The compute marketplace as a client uses it: the `ComputeEscrow` pallet's services, jobs,
//! ledgers and sub-accounts read at the node's best block ([`state`]), the cap receipt a request
//! is signed with and the checks the client makes before it countersigns a metered receipt
//! ([`receipt`]), the HTTP client of a provider's gateway ([`http`]), and one paid chat request
//! through it, from the signed cap to the countersigned metered receipt ([`chat`]). The receipt
//! types and the fee rule themselves are `zerog_primitives::compute`'s, the pallet's own.

pub mod chat;
pub mod http;
pub mod receipt;
pub mod state;
