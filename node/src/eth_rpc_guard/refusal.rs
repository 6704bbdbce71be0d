//! Ethereum's words for a transaction the chain will not take.
//!
//! `pallet-revive-eth-rpc` answers a transaction the pool refuses with the pool's bare error
//! (code 1010, "Invalid Transaction") and drops the reason. Wallets, ethers and Hardhat show and
//! match what Ethereum nodes answer ("nonce too low", "insufficient funds for gas * price +
//! value", "invalid chain id for signer"), with geth's code -32000. The chain id is checked
//! before the adapter sees the transaction (it needs no state); the nonce and the balance only
//! once the adapter refused it, so a transaction that goes through costs no lookup, with one
//! exception: a transaction that moves value has its sender's balance read first, because
//! pallet-revive 0.20.2's pool validation checks that the fee is covered but not the value, and
//! would take a transfer of more than the balance, to fail in its block after taking the fee.

use pallet_revive::evm::{TransactionSigned, TransactionUnsigned, H160, U256};
use polkadot_sdk::sp_core::bytes::from_hex;
use serde_json::{json, Value};

/// geth's JSON-RPC error code for a transaction the node will not take.
pub const REFUSED: i64 = -32000;

/// A single `eth_sendRawTransaction` request whose transaction decodes.
pub struct RawTransaction {
	/// The request's id, which the refusal answers.
	id: Value,
	signed: TransactionSigned,
	terms: TransactionTerms,
}

impl RawTransaction {
	/// The raw transaction of a JSON-RPC request body, if it is one that decodes (a batch, another
	/// method, or bytes that are not a signed transaction are left to the adapter).
	pub fn parse(body: &[u8]) -> Option<Self> {
		// Every other request passes through: a byte search spares them a JSON parse.
		const METHOD: &[u8] = b"eth_sendRawTransaction";
		if !body.windows(METHOD.len()).any(|window| window == METHOD) {
			return None;
		}
		let request: Value = serde_json::from_slice(body).ok()?;
		if request.get("method")?.as_str()? != "eth_sendRawTransaction" {
			return None;
		}
		let raw = from_hex(request.get("params")?.get(0)?.as_str()?).ok()?;
		let signed = TransactionSigned::decode(&raw).ok()?;
		let terms = TransactionTerms::of(signed.clone().unsigned());
		Some(Self { id: request.get("id").cloned().unwrap_or(Value::Null), signed, terms })
	}

	/// The refusal of a transaction signed for another chain (a legacy one without replay
	/// protection names none and passes).
	pub fn wrong_chain(&self, chain_id: u64) -> Option<Value> {
		let signed_for = self.terms.chain_id.filter(|id| *id != U256::from(chain_id))?;
		Some(
			self.refusal(format!("invalid chain id for signer: have {signed_for} want {chain_id}")),
		)
	}

	/// The sender, recovered from the signature.
	pub fn sender(&self) -> Option<H160> {
		self.signed.recover_eth_address().ok()
	}

	/// Whether the transaction moves value (a plain transfer or a payable call), whose cover
	/// the guard checks before the adapter sees it.
	pub fn moves_value(&self) -> bool {
		!self.terms.value.is_zero()
	}

	/// Why the chain refused the transaction, given its sender's nonce and balance: geth's
	/// "nonce too low" or "insufficient funds", or `None` (the adapter's own answer stands).
	pub fn explain(&self, sender: H160, state_nonce: U256, balance: U256) -> Option<Value> {
		if self.terms.nonce < state_nonce {
			return Some(self.refusal(format!(
				"nonce too low: address {sender:?}, tx: {} state: {state_nonce}",
				self.terms.nonce
			)));
		}
		self.unaffordable(sender, balance)
	}

	/// geth's "insufficient funds" when `balance` does not cover the most the transaction may
	/// cost (all its gas at its highest price, plus its value).
	pub fn unaffordable(&self, sender: H160, balance: U256) -> Option<Value> {
		let cost =
			self.terms.gas.saturating_mul(self.terms.gas_price).saturating_add(self.terms.value);
		if balance < cost {
			return Some(self.refusal(format!(
				"insufficient funds for gas * price + value: address {sender:?} have {balance} \
				 want {cost}"
			)));
		}
		None
	}

	fn refusal(&self, message: String) -> Value {
		json!({
			"jsonrpc": "2.0",
			"id": self.id,
			"error": { "code": REFUSED, "message": message },
		})
	}
}

/// Whether a JSON-RPC answer is an error.
pub fn is_error(answer: &[u8]) -> bool {
	serde_json::from_slice::<Value>(answer).is_ok_and(|answer| answer.get("error").is_some())
}

/// The quantity (`0x…`) a JSON-RPC answer's `result` holds.
pub fn quantity(answer: &[u8]) -> Option<U256> {
	let answer: Value = serde_json::from_slice(answer).ok()?;
	let quantity = answer.get("result")?.as_str()?;
	U256::from_str_radix(quantity.strip_prefix("0x")?, 16).ok()
}

/// What a transaction asks of its sender, whatever its type.
struct TransactionTerms {
	/// `None` for a legacy transaction without replay protection.
	chain_id: Option<U256>,
	nonce: U256,
	gas: U256,
	/// The most it may pay per gas: `gasPrice`, or `maxFeePerGas` for EIP-1559 and later.
	gas_price: U256,
	value: U256,
}

impl TransactionTerms {
	fn of(transaction: TransactionUnsigned) -> Self {
		use TransactionUnsigned::*;
		match transaction {
			TransactionLegacyUnsigned(tx) => Self {
				chain_id: tx.chain_id,
				nonce: tx.nonce,
				gas: tx.gas,
				gas_price: tx.gas_price,
				value: tx.value,
			},
			Transaction2930Unsigned(tx) => Self {
				chain_id: Some(tx.chain_id),
				nonce: tx.nonce,
				gas: tx.gas,
				gas_price: tx.gas_price,
				value: tx.value,
			},
			Transaction1559Unsigned(tx) => Self {
				chain_id: Some(tx.chain_id),
				nonce: tx.nonce,
				gas: tx.gas,
				gas_price: tx.max_fee_per_gas,
				value: tx.value,
			},
			Transaction4844Unsigned(tx) => Self {
				chain_id: Some(tx.chain_id),
				nonce: tx.nonce,
				gas: tx.gas,
				gas_price: tx.max_fee_per_gas,
				value: tx.value,
			},
			Transaction7702Unsigned(tx) => Self {
				chain_id: Some(tx.chain_id),
				nonce: tx.nonce,
				gas: tx.gas,
				gas_price: tx.max_fee_per_gas,
				value: tx.value,
			},
		}
	}
}
