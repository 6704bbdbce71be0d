//! The commitment op-batcher posts to L1 and op-node hands back: an OP Stack *generic
//! commitment* holding a ZeroG blob commitment.
//!
//! Layout (44 bytes): `0x01` (generic commitment type), [`DA_LAYER_BYTE`], [`VERSION`], then
//! the SCALE encoding of `zerog_primitives::da::BlobCommitment` (`root` 32 bytes, `size_bytes`
//! u32 LE, `data_shards` u16 LE, `parity_shards` u16 LE). The whole commitment, not only the
//! root, since the chain keys blobs by it: a root alone may be shared by blobs that can never
//! verify.

use codec::{DecodeAll, Encode};
use zerog_primitives::da::BlobCommitment;

/// OP Stack commitment type of a generic commitment (op-alt-da's `GenericCommitmentType`).
pub const GENERIC_COMMITMENT_TYPE: u8 = 0x01;

/// The DA-layer byte of ZeroG in a generic commitment ('z').
pub const DA_LAYER_BYTE: u8 = 0x7a;

/// Version of the payload after the DA-layer byte.
pub const VERSION: u8 = 0x00;

/// Length of an encoded commitment.
pub const COMMITMENT_LEN: usize = 3 + 40;

/// Why bytes are not a ZeroG commitment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommitmentError {
	/// Not `0x` followed by hex digits.
	NotHex,
	/// Not [`COMMITMENT_LEN`] bytes.
	Length(usize),
	/// The first byte is not [`GENERIC_COMMITMENT_TYPE`] (a keccak commitment is `0x00`).
	NotGeneric(u8),
	/// Another DA layer's commitment.
	OtherDaLayer(u8),
	/// A payload version this server does not know.
	Version(u8),
	/// The payload is not a valid blob commitment.
	Invalid(String),
}

impl std::fmt::Display for CommitmentError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::NotHex => write!(f, "the commitment is not 0x-prefixed hex"),
			Self::Length(len) => {
				write!(f, "the commitment has {len} bytes, a ZeroG commitment {COMMITMENT_LEN}")
			},
			Self::NotGeneric(kind) => write!(
				f,
				"commitment type {kind:#04x} is not a generic commitment ({GENERIC_COMMITMENT_TYPE:#04x})"
			),
			Self::OtherDaLayer(byte) => {
				write!(f, "DA-layer byte {byte:#04x} is not ZeroG's ({DA_LAYER_BYTE:#04x})")
			},
			Self::Version(version) => write!(f, "commitment version {version} is unknown"),
			Self::Invalid(reason) => write!(f, "not a blob commitment: {reason}"),
		}
	}
}

/// The generic commitment of the blob with `commitment`.
pub fn encode(commitment: &BlobCommitment) -> Vec<u8> {
	let mut bytes = Vec::with_capacity(COMMITMENT_LEN);
	bytes.extend_from_slice(&[GENERIC_COMMITMENT_TYPE, DA_LAYER_BYTE, VERSION]);
	commitment.encode_to(&mut bytes);
	bytes
}

/// The blob commitment inside a generic commitment.
pub fn decode(bytes: &[u8]) -> Result<BlobCommitment, CommitmentError> {
	if bytes.len() != COMMITMENT_LEN {
		return Err(CommitmentError::Length(bytes.len()));
	}
	match bytes[..3] {
		[GENERIC_COMMITMENT_TYPE, DA_LAYER_BYTE, VERSION] => {},
		[GENERIC_COMMITMENT_TYPE, DA_LAYER_BYTE, version] => {
			return Err(CommitmentError::Version(version))
		},
		[GENERIC_COMMITMENT_TYPE, byte, _] => return Err(CommitmentError::OtherDaLayer(byte)),
		[kind, _, _] => return Err(CommitmentError::NotGeneric(kind)),
		_ => return Err(CommitmentError::Length(bytes.len())),
	}
	let commitment = BlobCommitment::decode_all(&mut &bytes[3..])
		.map_err(|error| CommitmentError::Invalid(error.to_string()))?;
	commitment.validate().map_err(|error| CommitmentError::Invalid(error.to_string()))?;
	Ok(commitment)
}

/// The blob commitment in `0x`-hex text, as it appears in `GET /get/0x…`.
pub fn decode_hex(text: &str) -> Result<BlobCommitment, CommitmentError> {
	let bytes = zerog_primitives::hex::decode_hex(text).map_err(|_| CommitmentError::NotHex)?;
	if !text.starts_with("0x") {
		return Err(CommitmentError::NotHex);
	}
	decode(&bytes)
}

#[cfg(test)]
mod tests {
	use super::*;
	use zerog_primitives::da::encode_blob;

	fn sample() -> BlobCommitment {
		encode_blob(b"a rollup batch", 4, 8).unwrap().commitment
	}

	#[test]
	fn commitments_round_trip_with_the_generic_prefix() {
		let commitment = sample();
		let bytes = encode(&commitment);
		assert_eq!(bytes.len(), COMMITMENT_LEN);
		assert_eq!(&bytes[..3], &[0x01, 0x7a, 0x00]);
		assert_eq!(&bytes[3..35], commitment.root.as_bytes());
		assert_eq!(decode(&bytes), Ok(commitment));
		let hex = format!("0x{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
		assert_eq!(decode_hex(&hex), Ok(commitment));
	}

	#[test]
	fn foreign_and_malformed_commitments_are_refused() {
		let bytes = encode(&sample());
		let with = |index: usize, value: u8| {
			let mut changed = bytes.clone();
			changed[index] = value;
			decode(&changed)
		};
		assert_eq!(with(0, 0x00), Err(CommitmentError::NotGeneric(0x00)));
		assert_eq!(with(1, 0x0c), Err(CommitmentError::OtherDaLayer(0x0c)));
		assert_eq!(with(2, 0x01), Err(CommitmentError::Version(1)));
		assert_eq!(decode(&bytes[..40]), Err(CommitmentError::Length(40)));
		// Zero data shards is not a coding the chain accepts.
		let mut no_data = bytes.clone();
		no_data[39] = 0;
		no_data[40] = 0;
		assert!(matches!(decode(&no_data), Err(CommitmentError::Invalid(_))));
		assert_eq!(decode_hex("01zz"), Err(CommitmentError::NotHex));
		assert_eq!(decode_hex(&"ab".repeat(43)), Err(CommitmentError::NotHex));
	}
}
