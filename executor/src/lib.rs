//! # zerog-executor
//!
//! The program a ZeroG compute provider runs next to its node. It does the off-chain half of the
//! `ComputeEscrow` pallet's marketplace:
//!
//! - **Jobs** ([`jobs`]): the pallet's off-chain worker dispatches each job assigned to the
//!   provider with `POST /jobs` and polls `GET /jobs/{id}`; the executor checks the job on chain,
//!   downloads its dataset from ZeroG storage (every segment proof verified against the dataset
//!   root), runs the service's command, stores the output in ZeroG storage and reports
//!   `resultRoot`, `outputHash` and `feeUsed`, which the worker submits with `submit_result`.
//! - **Inference** ([`gateway`]): an OpenAI-compatible gateway (`POST /v1/chat/completions`,
//!   `POST /v1/embeddings`, `GET /v1/models`) in front of any OpenAI-compatible backend. Requests
//!   carry signed headers; the gateway checks them and the user's on-chain sub-account, meters
//!   tokens from the backend's `usage` at the service's on-chain prices, keeps the user-signed
//!   receipts durably and settles them in batches with `ComputeEscrow.settle_receipts`.
//!
//! ## Running
//!
//! ```text
//! ZEROG_BACKEND_API_KEY=... zerog-executor --listen 127.0.0.1:8700 \
//!     --node-rpc ws://127.0.0.1:9944 --data-dir /var/lib/zg-exec --suri-file /etc/zerog/provider.key \
//!     --service 1='python3 /opt/jobs/train.py' --job-ro-path /opt/jobs --backend http://127.0.0.1:8000
//! ```
//!
//! The node's off-chain worker finds the executor through the offchain PERSISTENT storage key
//! `zerog::compute::executor` (e.g. `http://127.0.0.1:8700`), which the provider's node sets at
//! start with `zerog-node --compute-executor http://127.0.0.1:8700`; the provider's key must
//! also be in that node's keystore as key type `zgcp`. The provider's key (`--suri-file`, a
//! file only the executor's user can read, or `ZEROG_EXECUTOR_SURI`; `--suri` takes public
//! development keys only, since the command line is visible to every user of the machine): it
//! must be the provider of the services (job results are submitted by the worker with the
//! node's `zgcp` key of the same account; the executor itself signs `StorageCommitments.submit`
//! for job outputs and `settle_receipts`). Everything is plain HTTP: the job API is for the node
//! on loopback, the backend runs on loopback or a private network, and a public gateway belongs
//! behind a TLS-terminating proxy.
//!
//! ## Jobs
//!
//! `COMMAND` runs as `sh -c COMMAND` in `DATA_DIR/work/<job>/`, in a bubblewrap sandbox
//! ([`jobs::sandbox`]: user `nobody`, no network unless `--job-network`, nothing of the host but
//! `/usr`, a few files of `/etc`, GPU devices, the `--job-ro-path`s read-only and its own
//! directory), with only `PATH`, `HOME`, `LANG`, the `--job-env` variables (default
//! `CUDA_VISIBLE_DEVICES`) and `ZEROG_DATASET` (the verified dataset file), `ZEROG_OUTPUT_DIR`
//! (an empty directory), `ZEROG_JOB_ID`, `ZEROG_PARAMS_HASH`, `ZEROG_SERVICE` and `ZEROG_USER`.
//! It must write `$ZEROG_OUTPUT_DIR/output`, a non-empty regular file (a link is refused: the
//! executor opens it without following links); a non-zero exit, a missing output or running
//! past `--job-timeout-secs` fails the job (the error quotes the end of its stderr). A job whose
//! dataset cannot be fetched, or whose service has no command here, is `declined` instead, and
//! the node's worker declines it on chain. The output is committed with `StorageCommitments.submit` (skipped
//! when a live file with that root exists) and uploaded segment by segment; then
//! `resultRoot` = its file root, `outputHash` = `keccak256(output)`, and `feeUsed` = `maxFee`, or
//! with `--price-per-second P`, `min(maxFee, ceil(seconds the command ran) × P)`.
//!
//! Job state is one JSON file per job in `DATA_DIR/jobs/`, replaced atomically (write, fsync,
//! rename) at every step, so after a restart — even `kill -9` — finished jobs keep answering and
//! unfinished ones resume (from the upload when the output was already computed, otherwise
//! from the start).
//!
//! ## Inference: what the user signs
//!
//! The pallet settles a receipt `InferenceReceipt { user, provider, service, nonce,
//! input_tokens, output_tokens, fee, request_hash }` when `signature.verify(SCALE(receipt),
//! user)` holds (a `MultiSignature` over the raw 144-byte SCALE encoding, not a hash of it), the
//! nonce is above the pair's last settled nonce and `fee <= input_tokens × input_price +
//! output_tokens × output_price`. The fee is whatever the signed receipt says, so the gateway
//! can only ever collect an amount the user signed. The protocol therefore makes every request
//! signature a settleable receipt, and lets the user replace it with a cheaper one once the
//! tokens are known:
//!
//! 1. **Request (cap receipt).** The user sends the OpenAI request with headers
//!    `X-ZeroG-Account` (SS58 or `0x` hex), `X-ZeroG-Service` (service id), `X-ZeroG-Nonce`
//!    (above every earlier nonce of this user with this provider, starting at 1),
//!    `X-ZeroG-Max-Fee` (decimal), `X-ZeroG-Max-Input-Tokens`, `X-ZeroG-Max-Output-Tokens` and
//!    `X-ZeroG-Signature`: `0x` hex of the user's signature over `"zerog/compute/receipt/v1" ‖
//!    genesis hash ‖ SCALE(cap receipt)`, the **cap receipt** being
//!    `InferenceReceipt { user: account, provider: the service's provider, service, nonce,
//!    input_tokens: max_input, output_tokens: max_output, fee: max_fee, request_hash:
//!    keccak256(request body bytes) }`. The signature may be a raw sr25519/ed25519 (64 bytes) or
//!    ecdsa (65 bytes) signature or a SCALE `MultiSignature`. `max_fee` must be at most
//!    `price(max_input, max_output)` (the pallet's fee rule, else `fee_above_price`) and at least
//!    the price of `max_input` and one output token (else `max_fee_below_caps`): the backend is
//!    asked for at most the output tokens the rest of `max_fee` buys (`max_tokens` clamped), and
//!    an answer beyond `max_input` or that output limit is withheld (`answer_beyond_caps`, not
//!    billed), so every answer served is paid for.
//! 2. **Checks.** The gateway rebuilds the cap receipt from the headers, its own account and the
//!    body hash, verifies the signature, requires the nonce to be above both the last nonce it
//!    saw and the on-chain `SubAccounts(user, provider).last_nonce`, and requires the on-chain
//!    sub-account balance to cover `max_fee` plus every fee of the user not yet settled. Only
//!    inference services of this provider with `Verifiability::None` are served. A user with a
//!    refund from this provider pending is refused (`refund_pending`) and everything it owes
//!    settles at once. The cap receipt is stored (fsync) *before* the request reaches the
//!    backend.
//! 3. **Answer (metered receipt).** From the backend's `usage` the gateway computes `fee =
//!    min(max_fee, prompt × input_price + completion × output_price)` and answers with the
//!    backend's body plus `X-ZeroG-Fee`, `X-ZeroG-Nonce`, `X-ZeroG-Input-Tokens`,
//!    `X-ZeroG-Output-Tokens` and `X-ZeroG-Receipt`: `0x` SCALE of the **metered receipt**, the
//!    cap receipt with the metered tokens and fee and `request_hash = keccak256(keccak256(request
//!    body) ‖ keccak256(response body))`. The user can check every field (including the hash of
//!    the answer it received).
//! 4. **Countersignature.** The user signs the metered receipt and sends `POST /v1/receipts`
//!    `{"account", "nonce", "signature"}`. The gateway then settles the metered receipt. Both
//!    receipts carry the same nonce, so at most one of them can ever be paid.
//! 5. **Fallback.** A request served but not countersigned within `--countersign-grace-secs`
//!    settles with its cap receipt (the max fee the user signed for). The grace, the settle
//!    interval and a minute to finalize must fit in the chain's refund lock (the executor
//!    refuses to start otherwise), so a refund cannot unlock before the receipt settles. Honest clients countersign
//!    right away and pay exactly the metered fee; a client that does not pays its cap, which it
//!    agreed to in step 1. A request the backend refused or failed is never billed (`void`), and
//!    one that was in flight when the executor stopped becomes `void` on restart.
//!
//! Streaming (`"stream": true`) is refused: the fee comes from the whole answer's `usage`.
//!
//! `zerog compute chat` is a client of this protocol: it signs the cap receipt, checks every
//! field of the metered one (including the hash of the answer it received and the service's
//! price for the metered tokens) before it countersigns, and picks nonces from the clock (Unix
//! milliseconds), which keeps them increasing across runs without local state.
//!
//! ## Settlement
//!
//! Receipts are JSON files in `DATA_DIR/receipts/<user>/<nonce>.json` (atomic replace), holding
//! the SCALE bytes of both receipts and signatures. Every `--settle-interval-secs`, or as soon as
//! a full batch is ready, ready receipts go to `settle_receipts` — one service per call, at most
//! `--batch-size` (default and cap: the runtime's `MaxReceiptsPerBatch`), each user's receipts in
//! nonce order and never past an earlier one still pending or in its grace period, since the
//! pallet's nonce rule would make that one unsettleable. Each receipt's outcome from the
//! `ReceiptsSettled` event is recorded. Receipts are marked `submitted` before the transaction
//! goes out; after a crash or a failed transaction the chain's `last_nonce` decides whether they
//! were consumed (`NonceConsumed`) or go back in line, so a settled receipt is never resent.
//!
//! ## Limits
//!
//! TEE services (receipts signed by an enclave key) are not served. Receipt and job records are
//! kept on disk forever (no pruning yet).
//!
//! ## Shared code
//!
//! Storage transfers, account text and the readers of the chain's dynamic values come from the
//! `zerog` client's library (`zerog_cli`), hex from `zerog_primitives::hex`: the executor
//! downloads and uploads exactly like `zerog storage download|upload`.

pub mod chain;
pub mod dev;
pub mod durable;
pub mod encoding;
pub mod gateway;
pub mod jobs;
pub mod receipt;
pub mod secrets;
pub mod server;
pub mod storage_client;

#[cfg(test)]
mod fuzz_tests;
#[cfg(test)]
mod live_node_tests;
#[cfg(test)]
pub(crate) mod testing;
