//! DA signers for the tests: a node runs a signer's key and the chain records the node as the
//! signer's endpoint.

use subxt::{
	dynamic::{self, Value},
	rpcs::rpc_params,
};
use subxt_signer::sr25519::Keypair;

use crate::{cli::hex, Node};

/// One ZG in the smallest unit.
const ZG: u128 = 1_000_000_000_000_000_000;

/// Puts `signer`'s DA key (`suri`) into `node`'s keystore and registers `signer` with 100 ZG and
/// `node`'s RPC over HTTP as its endpoint, submitting through `submit_via`; a signer the dev
/// genesis registered already (`genesis`: Alice) only moves its endpoint there. A node may run
/// several signers.
pub async fn make_signer(
	node: &Node,
	submit_via: &Node,
	signer: &Keypair,
	suri: &str,
	genesis: bool,
) {
	let () = node
		.rpc()
		.await
		.request("author_insertKey", rpc_params!["zgda", suri, hex(&signer.public_key().0)])
		.await
		.unwrap();
	let endpoint = Value::from_bytes(format!("http://127.0.0.1:{}", node.rpc_port));
	let api = submit_via.client().await;
	if genesis {
		let update = dynamic::transaction("DaAttestations", "update_signer", (100 * ZG, endpoint));
		crate::storage::submit(&api, update, signer).await;
	} else {
		let register = dynamic::transaction(
			"DaAttestations",
			"register_signer",
			(100 * ZG, Value::from_bytes(signer.public_key().0), endpoint),
		);
		crate::storage::submit(&api, register, signer).await;
	}
}
