//! `zerog-faucet`: test tokens for ZeroG test networks, safe to put on a public port.
//!
//! A web page and `POST /api/drip` send a fixed amount to an SS58 address or a `0x` address (an
//! Ethereum address receives on the account pallet-revive maps it to, so a wallet sees the tokens
//! through the Ethereum RPC). What stands between a stranger and the faucet's balance:
//!
//! - [`captcha`]: a proof-of-work puzzle (ALTCHA) the faucet makes and checks itself, each
//!   solution good for one request;
//! - [`limits`]: a cooldown per receiving account (both address forms of an account count as
//!   one), hourly and daily drips per client (IPv4 address or IPv6 /64), and a daily outflow for
//!   everyone together, kept in a state file so a restart forgets nothing;
//! - a recipient that already holds more than a cap is refused, and so is every drip once the
//!   faucet's own balance is low;
//! - [`sender`]: one queue signs every transfer, so concurrent drips never share a nonce.
//!
//! [`server`] holds the routes. The signing key comes from a file only its owner can read or from
//! the environment, never from the command line.

pub mod captcha;
pub mod limits;
pub mod sender;
pub mod server;

/// Log target of the faucet.
pub const LOG_TARGET: &str = "zerog_faucet";
