//! The one sending queue: every drip's transfer is signed and handed to the node's pool by a
//! single task, one after the other, each at the nonce the pool says comes next
//! (`system_accountNextIndex`, which counts the faucet's transactions still in the pool), so
//! concurrent drips never sign with the same nonce. Waiting for a block happens outside the
//! queue, so a burst of drips goes into one or two blocks instead of one a block.

use std::sync::Arc;

use subxt::dynamic::{self, Value};
use subxt_signer::sr25519::Keypair;
use tokio::sync::{mpsc, oneshot};
use zerog_client::{
	account::format_account_bytes,
	chain::{is_nonce_race, submit_at_nonce, Chain, Until},
	error::ClientError,
	rpc::NodeRpc,
};

use crate::LOG_TARGET;

/// Drips waiting to be signed at most; beyond it a drip is refused as busy.
pub const QUEUE_LENGTH: usize = 256;

/// Times a transfer is signed again when the pool says its nonce was taken (another program
/// signing with the faucet's key).
const NONCE_ATTEMPTS: u32 = 3;

/// A transfer that is in a best block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
	/// The transaction's hash, `0x` hex.
	pub transaction: String,
	/// The nonce it was signed with.
	pub nonce: u64,
	/// The best block that includes it, `0x` hex.
	pub block_hash: String,
	/// That block's number, if the node told it.
	pub block_number: Option<u64>,
}

/// Why a transfer did not happen.
#[derive(Debug)]
pub enum SendError {
	/// The queue is full.
	Busy,
	/// The chain refused or failed the transfer, or could not be reached.
	Chain(ClientError),
}

/// One transfer waiting in the queue.
struct Transfer {
	recipient: [u8; 32],
	amount: u128,
	reply: oneshot::Sender<Result<Sent, ClientError>>,
}

/// The handle to the sending task.
#[derive(Clone)]
pub struct Sender {
	queue: mpsc::Sender<Transfer>,
}

impl Sender {
	/// Starts the sending task for `signer` on `chain`.
	pub fn start(chain: Arc<Chain>, rpc: Arc<NodeRpc>, signer: Keypair) -> Self {
		let (queue, transfers) = mpsc::channel(QUEUE_LENGTH);
		tokio::spawn(send_in_order(chain, rpc, signer, transfers));
		Self { queue }
	}

	/// Sends `amount` to `recipient` (`Balances.transfer_keep_alive`) and waits until the
	/// transfer is in a best block.
	pub async fn send(&self, recipient: [u8; 32], amount: u128) -> Result<Sent, SendError> {
		let (reply, answer) = oneshot::channel();
		self.queue.try_send(Transfer { recipient, amount, reply }).map_err(|_| SendError::Busy)?;
		match answer.await {
			Ok(result) => result.map_err(SendError::Chain),
			Err(_) => Err(SendError::Chain(ClientError::Chain(
				"the sending task stopped before the transfer was sent".into(),
			))),
		}
	}
}

/// The sending task: signs and submits each transfer in turn, then follows it in its own task.
async fn send_in_order(
	chain: Arc<Chain>,
	rpc: Arc<NodeRpc>,
	signer: Keypair,
	mut transfers: mpsc::Receiver<Transfer>,
) {
	let faucet = format_account_bytes(&signer.public_key().0);
	while let Some(Transfer { recipient, amount, reply }) = transfers.recv().await {
		let call = dynamic::tx(
			"Balances",
			"transfer_keep_alive",
			(Value::unnamed_variant("Id", [Value::from_bytes(recipient)]), Value::u128(amount)),
		);
		let what = format!("Balances.transfer_keep_alive to {}", format_account_bytes(&recipient));
		let mut attempt = 1;
		let submitted = loop {
			let nonce = match rpc.account_next_index(&faucet).await {
				Ok(nonce) => nonce,
				Err(error) => {
					break Err(ClientError::Chain(format!(
						"cannot read the faucet's nonce: {error}"
					)))
				},
			};
			match submit_at_nonce(chain.client(), &what, &call, &signer, nonce).await {
				Err(ClientError::Chain(message))
					if is_nonce_race(&message) && attempt < NONCE_ATTEMPTS =>
				{
					log::warn!(target: LOG_TARGET, "{message}; signing again");
					attempt += 1;
				},
				result => break result.map(|submitted| (submitted, nonce)),
			}
		};
		let (submitted, nonce) = match submitted {
			Ok(submitted) => submitted,
			Err(error) => {
				let _ = reply.send(Err(error));
				continue;
			},
		};
		let transaction = submitted.hash();
		log::info!(target: LOG_TARGET, "{what}: {transaction} (nonce {nonce}) in the pool");
		let rpc = Arc::clone(&rpc);
		tokio::spawn(async move {
			let included = submitted.included(&rpc, Until::BestBlock).await;
			let _ = reply.send(included.map(|included| Sent {
				transaction,
				nonce,
				block_hash: included.block_hash,
				block_number: included.block_number,
			}));
		});
	}
}
