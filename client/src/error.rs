//! The client's one error type: every failure becomes a message naming what failed and why
//! (the `zerog` CLI prints it on stderr before a non-zero exit; the executor logs it or answers
//! it over HTTP).

use crate::rpc::RpcError;
use std::{fmt, path::PathBuf};

/// Why a client operation failed.
#[derive(Debug)]
pub enum ClientError {
	/// The input is well-formed but not usable (a bad root, an empty file, ...).
	Input(String),
	/// A node answered a data-plane or chain RPC with an error, or could not be reached.
	Rpc(RpcError),
	/// The chain refused or failed a transaction (pool refusal or dispatch error by name).
	Chain(String),
	/// Data from a node did not verify against the commitment on chain.
	Verification(String),
	/// Reading or writing a local file failed.
	Io {
		/// The file the operation was on.
		path: PathBuf,
		/// What was being done, e.g. "reading".
		action: &'static str,
		/// The operating system's error.
		source: std::io::Error,
	},
	/// A wait (for inclusion, certification or finalization) ran out of time.
	Timeout(String),
	/// A node's storage data plane could not be reached, refused a request, or sent something
	/// that is not the protocol.
	Data(crate::storage::DataError),
	/// A provider's gateway could not be reached, refused a request or answered with something
	/// this client will not sign.
	Gateway(String),
}

impl ClientError {
	/// An [`ClientError::Io`] for `action` on `path`.
	pub fn io(path: impl Into<PathBuf>, action: &'static str, source: std::io::Error) -> Self {
		Self::Io { path: path.into(), action, source }
	}
}

impl fmt::Display for ClientError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::Input(message) => write!(f, "{message}"),
			Self::Rpc(error) => write!(f, "{error}"),
			Self::Chain(message) => write!(f, "transaction failed: {message}"),
			Self::Verification(message) => write!(f, "verification failed: {message}"),
			Self::Io { path, action, source } => {
				write!(f, "error {action} {}: {source}", path.display())
			},
			Self::Timeout(message) => write!(f, "timed out: {message}"),
			Self::Gateway(message) => write!(f, "{message}"),
			Self::Data(error) => write!(f, "storage data plane {error}"),
		}
	}
}

impl std::error::Error for ClientError {}

impl From<RpcError> for ClientError {
	fn from(error: RpcError) -> Self {
		Self::Rpc(error)
	}
}

impl From<crate::storage::DataError> for ClientError {
	/// Corrupt data is a [`ClientError::Verification`]; anything else a [`ClientError::Data`].
	fn from(error: crate::storage::DataError) -> Self {
		match error {
			crate::storage::DataError::Corrupt(reason) => Self::Verification(reason),
			other => Self::Data(other),
		}
	}
}
