//! `zerog-da-server`: the HTTP API of the OP Stack's Alt-DA mode (generic commitments) on top of
//! ZeroG data availability.
//!
//! | Request | Answer |
//! |---|---|
//! | `POST /put` or `POST /put/`, body: the batch (`application/octet-stream`) | `200`, body: the commitment bytes ([`commitment`]), once the blob is certified |
//! | `POST /put/0x<hex>` | `400`: ZeroG commitments are not keccak hashes a client can compute |
//! | `GET /get/0x<commitment>` | `200`, body: the batch, rebuilt and checked against the commitment; `404` if the chain does not know the commitment; `503` while it cannot be served (pending, members unreachable) |
//! | `GET /health` | `200` |
//!
//! op-batcher calls `POST {url}/put/` and op-node `GET {url}/get/0x…` (op-alt-da's `DAClient`);
//! run them with `--altda.enabled --altda.da-server=http://<listen> --altda.da-service=true`
//! (docs/da-server.md).

pub mod commitment;
pub mod server;
