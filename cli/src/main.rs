//! `zerog`: the command-line client of a ZeroG chain.
//!
//! - `zerog storage upload|download|info`: files in ZeroG storage (root committed on chain with
//!   `StorageCommitments.submit`, bytes uploaded to a node as segments with merkle proofs).
//! - `zerog da submit|get|sample`: data-availability blobs (erasure-coded, committed with
//!   `DaAttestations.submit_blob`, each member of the blob's quorum pushed its own shards).
//! - `zerog compute ...`: the compute marketplace (services, funds, jobs, paid chat requests).
//! - `zerog market ...`: models and datasets (assets, grants, sealed keys, encrypted files).
//!
//! Every command talks to one node's JSON-RPC (`--rpc`), verifies what it receives against the
//! commitment on chain, and exits non-zero with a message naming the failure. The work is done
//! by the `zerog_cli` library; this file is the command line.

use clap::{Args, Parser, Subcommand};
use std::{path::PathBuf, process::ExitCode, time::Duration};
use zerog_cli::{
	amount::AMOUNT_HELP, compute, da, error::ClientError, hexstr, market, signer::SignerArgs,
	storage,
};
use zerog_primitives::{
	da::{DEFAULT_DATA_SHARDS, DEFAULT_PARITY_SHARDS},
	Hash,
};

/// The node a local `zerog-node --dev` serves.
const DEFAULT_RPC: &str = "ws://127.0.0.1:9944";

/// ZeroG command-line client: store files and publish data-availability blobs.
#[derive(Debug, Parser)]
#[command(name = "zerog", version, propagate_version = true)]
#[command(after_help = "Examples:\n  zerog storage upload model.bin --tag llama\n  zerog storage \
	download 0x1234... -o model.bin\n  zerog da submit batch.bin --namespace 7 --wait\n  zerog da \
	sample 0xabcd... --samples 16\n  zerog compute services\n  zerog compute job create --service 0 \
	--dataset 0x1234... --max-fee 1.5ZG --deadline-blocks 300\n  zerog compute chat --service 2 \
	\"What is ZeroG?\"")]
struct Cli {
	/// JSON-RPC endpoint of the node (ws://, wss://, http:// or https://).
	#[arg(long, global = true, value_name = "URL", default_value = DEFAULT_RPC)]
	rpc: String,

	#[command(subcommand)]
	command: Command,
}

/// Top-level command groups.
#[derive(Debug, Subcommand)]
enum Command {
	/// Files in ZeroG storage: commit on chain, upload, download, inspect.
	#[command(subcommand)]
	Storage(StorageCommand),
	/// Data-availability blobs: publish, fetch, sample.
	#[command(subcommand)]
	Da(DaCommand),
	/// Compute marketplace: services, funds, jobs and paid inference requests.
	#[command(subcommand, after_help = AMOUNT_HELP)]
	Compute(compute::ComputeCommand),
	/// Marketplace of models and datasets: register assets, buy or grant access, deliver
	/// sealed keys, download and decrypt.
	#[command(subcommand, after_help = AMOUNT_HELP)]
	Market(market::MarketCommand),
}

/// `zerog storage ...`.
#[derive(Debug, Subcommand)]
enum StorageCommand {
	/// Commit a file on chain and upload it to the providers the chain assigns it to.
	///
	/// Hashes FILE in 256 KiB segments (streamed; only the segment roots stay in memory) and
	/// prints its merkle root and size. Unless the chain already holds a live commitment of the
	/// same root and size (a resumed upload), submits StorageCommitments.submit(root, size,
	/// tags, replicas), which charges the storage fee for each replica, and waits for it in a
	/// best block; the chain then draws that many providers. Then sends every segment, each
	/// with its merkle proof, a few at a time over a storage data plane (binary over HTTP), to
	/// one node that stores the file for an assigned provider: the --rpc node if it runs one,
	/// else the first assigned provider that takes it. The other providers' nodes fetch the
	/// file from there. Waits until every provider acknowledged the file and prints them.
	/// Interrupted uploads resume where they stopped when run again.
	Upload(UploadArgs),
	/// Download a file by its root, verifying every segment.
	///
	/// Reads the file's size and its providers from the chain (only a chain RPC is needed),
	/// then downloads segments from every provider that acknowledged the file, in parallel over
	/// their storage data planes (binary over HTTP), and from the --rpc node last. Every segment
	/// is checked against the committed root and size before it is written; a source that
	/// fails or sends a corrupt segment is dropped and its segments come from the others. The
	/// data goes to a temporary file next to OUTPUT that is renamed only when every segment
	/// verified; if no source can serve a segment, the partial file is deleted and the exit
	/// code is non-zero.
	Download(DownloadArgs),
	/// Show what the node and the chain know about a file.
	///
	/// File id, owner, expiry, size and how many segments this node holds.
	Info(InfoArgs),
}

/// `zerog da ...`.
#[derive(Debug, Subcommand)]
enum DaCommand {
	/// Publish a blob: erasure-code it, commit it on chain and push its shards.
	///
	/// Splits FILE (at most 32 MiB) into K data and M parity shards (Reed-Solomon: any K
	/// rebuild it). Pushes each member of the quorum the blob will get (the runtime's
	/// shard_holders) only the shards it holds, with their proofs (da_putShards), all members
	/// at once and each under a deadline, before submitting DaAttestations.submit_blob
	/// (commitment, namespace), which charges the blob fee; then pushes again where a push
	/// failed or the quorum changed. A member that cannot be reached costs only its share
	/// (warned about); the --rpc node takes a member's shards if it runs its key. With --wait,
	/// waits until the quorum certifies the blob.
	Submit(SubmitArgs),
	/// Fetch a blob by its root and check it against the commitment on chain.
	///
	/// Asks the node for the whole blob (da_getBlob) and verifies it by encoding it again with
	/// the committed coding; falls back to fetching shards from the members of the blob's
	/// quorum (and the node) and verifying each, if the node cannot send the blob in one
	/// answer. Written to a temporary file, renamed when verified.
	Get(GetArgs),
	/// Check a blob's availability by sampling random shards.
	///
	/// Picks N distinct shard indices at random (here, not on the node), fetches each with
	/// da_getShard from the quorum members holding it (then the node) and verifies its proof
	/// against the commitment on chain. If every sample
	/// verifies, prints the confidence that the blob is available: a blob is unavailable when
	/// fewer than k of its n shards are, and then N distinct random samples all succeed with
	/// probability at most prod_{i<N} (k-1-i)/(n-i); the confidence is one minus that (100%
	/// once N >= k). This assumes the node cannot tell samples from downloads. Exits non-zero
	/// if any sample fails.
	Sample(SampleArgs),
}

/// Arguments of `storage upload`.
#[derive(Debug, Args)]
struct UploadArgs {
	/// The file to upload.
	#[arg(value_name = "FILE")]
	file: PathBuf,
	/// A tag stored with the file on chain (repeat for several).
	#[arg(long = "tag", value_name = "T")]
	tags: Vec<String>,
	/// How many storage providers are to hold the file (the fee is per replica). Default: 3,
	/// or every active provider if the chain has fewer.
	#[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..))]
	replicas: Option<u8>,
	#[command(flatten)]
	signer: SignerArgs,
	#[command(flatten)]
	transfer: TransferArgs,
	/// Seconds to wait for a node to report the file finalized once all segments are sent, and
	/// again for the providers to acknowledge it.
	#[arg(long, value_name = "SECS", default_value_t = 120)]
	timeout: u64,
	/// Print one JSON object (root, size, fileId, ...) instead of text; no progress bar.
	#[arg(long)]
	json: bool,
	/// Encrypt the file before it leaves this machine (XChaCha20-Poly1305 in 64 KiB chunks,
	/// under a fresh content key) and store the ciphertext; the root printed is the
	/// ciphertext's. The key is written to --key-out.
	#[arg(long, requires = "key_out")]
	encrypt: bool,
	/// Where --encrypt writes the content key (a new file, mode 600; never overwritten).
	/// Register the upload as a marketplace asset and `zerog market deliver-key` it to grantees.
	#[arg(long, value_name = "PATH", requires = "encrypt")]
	key_out: Option<PathBuf>,
}

/// Arguments of `storage download`.
#[derive(Debug, Args)]
struct DownloadArgs {
	/// Root of the file (0x followed by 64 hex digits).
	#[arg(value_name = "ROOT", value_parser = parse_root)]
	root: Hash,
	/// Where to write the file.
	#[arg(short, long, value_name = "FILE")]
	output: PathBuf,
	/// Size of the file in bytes: needed only when several live files share the root (files
	/// that differ only in trailing zero bytes do).
	#[arg(long, value_name = "BYTES")]
	size: Option<u64>,
	#[command(flatten)]
	transfer: TransferArgs,
	/// Print one JSON object instead of text; no progress bar.
	#[arg(long)]
	json: bool,
	/// Decrypt the downloaded file with the content key in this file (written by `upload
	/// --encrypt --key-out`); nothing is written if any chunk fails to authenticate.
	#[arg(long, value_name = "PATH")]
	key_file: Option<PathBuf>,
}

/// Arguments of `storage info`.
#[derive(Debug, Args)]
struct InfoArgs {
	/// Root of the file (0x followed by 64 hex digits).
	#[arg(value_name = "ROOT", value_parser = parse_root)]
	root: Hash,
	/// Print the node's answer as JSON.
	#[arg(long)]
	json: bool,
}

/// Arguments of `da submit`.
#[derive(Debug, Args)]
struct SubmitArgs {
	/// The blob to publish (at most 32 MiB).
	#[arg(value_name = "FILE")]
	file: PathBuf,
	/// The rollup or application the blob belongs to (not interpreted by the chain).
	#[arg(long, value_name = "N", default_value_t = 0)]
	namespace: u32,
	/// Data shards (k): any k shards rebuild the blob.
	#[arg(long, value_name = "K", default_value_t = DEFAULT_DATA_SHARDS)]
	data_shards: u16,
	/// Parity shards (m): how many shards may be lost (at most 3 k; k + m at most 1024).
	#[arg(long, value_name = "M", default_value_t = DEFAULT_PARITY_SHARDS)]
	parity_shards: u16,
	/// Wait until the blob is certified and print the block.
	#[arg(long)]
	wait: bool,
	/// Seconds --wait waits for certification.
	#[arg(long, value_name = "SECS", default_value_t = 600)]
	timeout: u64,
	#[command(flatten)]
	signer: SignerArgs,
	/// Print one JSON object instead of text; no progress bar.
	#[arg(long)]
	json: bool,
}

/// Arguments of `da get`.
#[derive(Debug, Args)]
struct GetArgs {
	/// Root of the blob commitment (0x followed by 64 hex digits).
	#[arg(value_name = "ROOT", value_parser = parse_root)]
	root: Hash,
	/// Where to write the blob.
	#[arg(short, long, value_name = "FILE")]
	output: PathBuf,
	/// Print one JSON object instead of text.
	#[arg(long)]
	json: bool,
}

/// Arguments of `da sample`.
#[derive(Debug, Args)]
struct SampleArgs {
	/// Root of the blob commitment (0x followed by 64 hex digits).
	#[arg(value_name = "ROOT", value_parser = parse_root)]
	root: Hash,
	/// Number of distinct random shards to fetch and verify.
	#[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
	samples: u16,
	/// Print one JSON object (samples, confidence) instead of text.
	#[arg(long)]
	json: bool,
}

/// How data moves.
#[derive(Debug, Args)]
struct TransferArgs {
	/// Segment requests in flight at once.
	#[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
	parallel: u16,
}

/// clap's parser for ROOT arguments.
fn parse_root(text: &str) -> Result<Hash, String> {
	hexstr::parse_root(text)
}

/// Runs the parsed command.
async fn run(cli: Cli) -> Result<(), ClientError> {
	let rpc = cli.rpc.as_str();
	match cli.command {
		Command::Storage(StorageCommand::Upload(args)) => {
			let options = storage::UploadOptions {
				file: args.file,
				tags: args.tags,
				replicas: args.replicas,
				suri: args.signer.secret_uri()?,
				parallel: usize::from(args.transfer.parallel),
				json: args.json,
				timeout: Duration::from_secs(args.timeout),
				encrypt_key_out: args.key_out,
			};
			storage::upload(rpc, options).await
		},
		Command::Storage(StorageCommand::Download(args)) => {
			let decrypt_with = match &args.key_file {
				Some(path) => Some(zerog_client::marketplace::keys::read_key_file(path)?),
				None => None,
			};
			let options = storage::DownloadOptions {
				root: args.root,
				size: args.size,
				output: args.output,
				parallel: usize::from(args.transfer.parallel),
				json: args.json,
				decrypt_with,
			};
			storage::download(rpc, options).await
		},
		Command::Storage(StorageCommand::Info(args)) => {
			storage::info(rpc, args.root, args.json).await
		},
		Command::Da(DaCommand::Submit(args)) => {
			let options = da::SubmitOptions {
				file: args.file,
				namespace: args.namespace,
				data_shards: args.data_shards,
				parity_shards: args.parity_shards,
				wait: args.wait,
				suri: args.signer.secret_uri()?,
				json: args.json,
				timeout: Duration::from_secs(args.timeout),
			};
			da::submit(rpc, options).await
		},
		Command::Da(DaCommand::Get(args)) => da::get(rpc, args.root, &args.output, args.json).await,
		Command::Da(DaCommand::Sample(args)) => {
			da::sample(rpc, args.root, args.samples, args.json).await
		},
		Command::Compute(command) => compute::run(rpc, command).await,
		Command::Market(command) => market::run(rpc, command).await,
	}
}

#[tokio::main]
async fn main() -> ExitCode {
	let cli = Cli::parse();
	match run(cli).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => {
			eprintln!("error: {error}");
			ExitCode::FAILURE
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use clap::CommandFactory;

	fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
		Cli::try_parse_from(std::iter::once("zerog").chain(args.iter().copied()))
	}

	const ROOT: &str = "0x1111111111111111111111111111111111111111111111111111111111111111";

	#[test]
	fn the_command_definition_is_consistent() {
		Cli::command().debug_assert();
	}

	#[test]
	fn upload_takes_tags_signer_and_defaults() {
		let cli = parse(&["storage", "upload", "f.bin", "--tag", "a", "--tag", "b"]).unwrap();
		assert_eq!(cli.rpc, DEFAULT_RPC);
		let Command::Storage(StorageCommand::Upload(args)) = cli.command else { panic!() };
		assert_eq!(args.tags, vec!["a", "b"]);
		assert_eq!(args.signer.suri, None);
		assert_eq!(args.signer.secret_uri().unwrap(), "//Alice");
		assert!(!args.signer.allow_dev_key);
		assert_eq!(args.transfer.parallel, 4);
		assert!(!args.json);

		let cli =
			parse(&["--rpc", "ws://h:1", "storage", "upload", "f", "--suri", "//Bob", "--json"])
				.unwrap();
		assert_eq!(cli.rpc, "ws://h:1");
		let Command::Storage(StorageCommand::Upload(args)) = cli.command else { panic!() };
		assert_eq!(args.signer.secret_uri().unwrap(), "//Bob");
		assert!(args.json);

		// Issue 16: a key from a file, never both; a dev key on a Live chain only when asked.
		let cli =
			parse(&["storage", "upload", "f", "--suri-file", "/k", "--allow-dev-key"]).unwrap();
		let Command::Storage(StorageCommand::Upload(args)) = cli.command else { panic!() };
		assert_eq!(args.signer.suri_file, Some("/k".into()));
		assert!(args.signer.allow_dev_key);
		assert!(parse(&["storage", "upload", "f", "--suri-file", "/k", "--suri", "//Bob"]).is_err());
	}

	#[test]
	fn rpc_is_accepted_after_the_subcommand_too() {
		let cli = parse(&["storage", "info", ROOT, "--rpc", "http://n:9944"]).unwrap();
		assert_eq!(cli.rpc, "http://n:9944");
	}

	#[test]
	fn roots_are_checked_when_parsing() {
		let cli = parse(&["storage", "download", ROOT, "-o", "out.bin"]).unwrap();
		let Command::Storage(StorageCommand::Download(args)) = cli.command else { panic!() };
		assert_eq!(args.root, Hash::repeat_byte(0x11));
		assert_eq!(args.output, PathBuf::from("out.bin"));
		let error = parse(&["storage", "info", "0x1234"]).unwrap_err().to_string();
		assert!(error.contains("32 bytes"), "{error}");
		// Download needs an output.
		assert!(parse(&["storage", "download", ROOT]).is_err());
	}

	#[test]
	fn da_commands_parse_coding_and_samples() {
		let cli = parse(&[
			"da",
			"submit",
			"b.bin",
			"--namespace",
			"7",
			"--data-shards",
			"4",
			"--parity-shards",
			"8",
			"--wait",
		])
		.unwrap();
		let Command::Da(DaCommand::Submit(args)) = cli.command else { panic!() };
		assert_eq!((args.namespace, args.data_shards, args.parity_shards), (7, 4, 8));
		assert!(args.wait);
		let cli = parse(&["da", "submit", "b.bin"]).unwrap();
		let Command::Da(DaCommand::Submit(args)) = cli.command else { panic!() };
		assert_eq!((args.data_shards, args.parity_shards), (16, 32));

		let cli = parse(&["da", "sample", ROOT, "--samples", "12"]).unwrap();
		let Command::Da(DaCommand::Sample(args)) = cli.command else { panic!() };
		assert_eq!(args.samples, 12);
		assert!(parse(&["da", "sample", ROOT, "--samples", "0"]).is_err());
		assert!(parse(&["da", "get", ROOT, "-o", "x"]).is_ok());
	}

	#[test]
	fn compute_commands_take_zg_amounts_accounts_and_roots() {
		use compute::{ComputeCommand, JobCommand, RefundCommand};
		use zerog_primitives::units::ZG;
		let cli = parse(&[
			"compute",
			"job",
			"create",
			"--service",
			"0",
			"--dataset",
			ROOT,
			"--max-fee",
			"1.5ZG",
			"--deadline-blocks",
			"20",
			"--json",
		])
		.unwrap();
		let Command::Compute(ComputeCommand::Job(JobCommand::Create(args))) = cli.command else {
			panic!()
		};
		assert_eq!((args.service, args.max_fee, args.deadline_blocks), (0, 3 * ZG / 2, 20));
		assert_eq!(args.dataset, Hash::repeat_byte(0x11));
		assert_eq!(args.params_hash, Hash::zero());
		assert!(args.tx.output.json);

		let bob = format!("0x{}", "22".repeat(32));
		let cli = parse(&["compute", "fund", &bob, "2ZG", "--suri", "//Bob"]).unwrap();
		let Command::Compute(ComputeCommand::Fund(args)) = cli.command else { panic!() };
		assert_eq!((args.provider, args.amount), ([0x22; 32], 2 * ZG));
		assert_eq!(args.tx.signer.suri.as_deref(), Some("//Bob"));

		let cli = parse(&["compute", "refund", "request", "1000", "--provider", &bob]).unwrap();
		let Command::Compute(ComputeCommand::Refund(RefundCommand::Request(args))) = cli.command
		else {
			panic!()
		};
		assert_eq!(args.amount, 1000);
		assert!(parse(&["compute", "refund", "claim", "--json"]).is_ok());

		let cli = parse(&["compute", "chat", "--service", "2", "hi there", "--max-fee", "0.1ZG"])
			.unwrap();
		let Command::Compute(ComputeCommand::Chat(args)) = cli.command else { panic!() };
		assert_eq!((args.service, args.prompt.as_str()), (2, "hi there"));
		assert_eq!(args.max_fee, Some(ZG / 10));

		let error = parse(&["compute", "deposit", "1.5"]).unwrap_err().to_string();
		assert!(error.contains("unit"), "{error}");
		assert!(parse(&["compute", "fund", "nobody", "1ZG"]).is_err());
		assert!(parse(&["compute", "job", "status", "7", "--json"]).is_ok());
		let cli = parse(&["compute", "job", "terms", "3", "--min-fee", "0.1ZG"]).unwrap();
		let Command::Compute(ComputeCommand::Job(JobCommand::Terms(args))) = cli.command else {
			panic!()
		};
		assert_eq!((args.service, args.min_fee, args.max_dataset_size), (3, ZG / 10, None));
		let cli = parse(&[
			"compute",
			"job",
			"terms",
			"3",
			"--min-fee",
			"0",
			"--max-dataset-size",
			"4096",
		])
		.unwrap();
		let Command::Compute(ComputeCommand::Job(JobCommand::Terms(args))) = cli.command else {
			panic!()
		};
		assert_eq!(args.max_dataset_size, Some(4096));
		assert!(parse(&["compute", "job", "terms", "3"]).is_err(), "--min-fee is required");
		assert!(parse(&["compute", "services", "--json"]).is_ok());
	}

	#[test]
	fn compute_help_explains_amounts() {
		let help = Cli::command()
			.find_subcommand_mut("compute")
			.map(|compute| compute.render_long_help().to_string())
			.unwrap();
		assert!(help.contains("1.5ZG") && help.contains("smallest unit"), "{help}");
	}

	#[test]
	fn help_warns_that_alice_is_for_dev_chains() {
		let help = Cli::command()
			.find_subcommand_mut("storage")
			.and_then(|storage| storage.find_subcommand_mut("upload"))
			.map(|upload| upload.render_long_help().to_string())
			.unwrap();
		assert!(help.contains("//Alice"), "{help}");
		assert!(help.contains("development"), "{help}");
	}
}
