// Makes sure the service roles of zombienet/services.toml are on chain and returns how many
// registrations the chain holds afterwards (16 with chain-specs/local.json, whose genesis
// registers each of the four validators as a DA signer, a storage provider and a compute provider
// with two services). A role missing (a chain spec without genesis roles) is registered here;
// one already registered is left as it is.
//
//   alice: js-script ./scripts/register-roles.js return is equal to 16 within 300 seconds
//
// Each node already holds its role keys (zombienet wrote them from `keystore_key_types`), so
// registering is all that is left: every role account is the account of its key (seed //<Name>).
// The endpoints are the nodes' own JSON-RPC over HTTP (where the CLI pushes DA shards and
// storage segments); the job service points at a zerog-executor on EXECUTOR_URL (default
// http://127.0.0.1:8700, its gateway), and its job API EXECUTOR_JOBS_URL (default
// http://127.0.0.1:8800) is written into Dave's off-chain storage for his worker, with the
// executor's job API token from EXECUTOR_JOBS_TOKEN if set.

const ZG = 10n ** 18n;
const STAKE = 1000n * ZG; // the runtime's minimum stakes are 100 ZG
const CAPACITY = 1n << 40n; // 1 TiB: disk space on chain never limits this network
const EXECUTOR_KEY = "zerog::compute::executor";
const EXECUTOR_TOKEN_KEY = "zerog::compute::executor-token";

const DA_SIGNERS = ["alice", "bob", "charlie", "dave"];
const STORAGE_PROVIDER = "dave";
const COMPUTE_PROVIDER = "dave";

function httpUrl(node) {
  return node.wsUri.replace(/^ws/, "http");
}

function hexOf(text) {
  return "0x" + Buffer.from(text, "utf8").toString("hex");
}

// Signs and sends `tx`, resolving once it is in a block and failing on a dispatch error.
function submit(api, tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, dispatchError }) => {
      if (dispatchError) {
        const error = dispatchError.isModule
          ? (({ section, name }) => `${section}.${name}`)(
              api.registry.findMetaError(dispatchError.asModule),
            )
          : dispatchError.toString();
        reject(new Error(error));
      } else if (status.isInBlock || status.isFinalized) {
        resolve();
      }
    }).catch(reject);
  });
}

async function run(nodeName, networkInfo) {
  await zombie.util.cryptoWaitReady();
  const nodes = networkInfo.nodesByName;
  const api = await zombie.connect(nodes[nodeName].wsUri);
  const keyring = new zombie.Keyring({ type: "sr25519" });
  const account = (name) =>
    keyring.addFromUri(`//${name.charAt(0).toUpperCase()}${name.slice(1)}`);
  const executor = process.env.EXECUTOR_URL || "http://127.0.0.1:8700";
  const jobsUrl = process.env.EXECUTOR_JOBS_URL || "http://127.0.0.1:8800";

  try {
    for (const name of DA_SIGNERS) {
      const signer = account(name);
      if ((await api.query.daAttestations.signers(signer.address)).isNone) {
        await submit(
          api,
          api.tx.daAttestations.registerSigner(STAKE, signer.publicKey, httpUrl(nodes[name])),
          signer,
        );
        console.log(`${name}: DA signer, endpoint ${httpUrl(nodes[name])}`);
      }
    }

    const provider = account(STORAGE_PROVIDER);
    if ((await api.query.storageCommitments.providers(provider.address)).isNone) {
      await submit(
        api,
        api.tx.storageCommitments.registerProvider(STAKE, httpUrl(nodes[STORAGE_PROVIDER])),
        provider,
      );
      console.log(`${STORAGE_PROVIDER}: storage provider`);
    }
    // A provider is assigned files only up to the disk space it declared.
    if ((await api.query.storageCommitments.providerCapacity(provider.address)).declared.isZero()) {
      await submit(api, api.tx.storageCommitments.declareCapacity(CAPACITY), provider);
      console.log(`${STORAGE_PROVIDER}: declared ${CAPACITY} bytes for storage`);
    }

    const compute = account(COMPUTE_PROVIDER);
    const services = await api.query.computeEscrow.services.entries();
    const own = services.filter(([, info]) => info.unwrap().provider.eq(compute.address));
    if (own.length === 0) {
      await submit(
        api,
        api.tx.computeEscrow.registerService(
          "Job", "zombienet-job", executor, 0, 0, "None", STAKE,
        ),
        compute,
      );
      console.log(`${COMPUTE_PROVIDER}: job service, executor ${executor}`);
    }
    // The compute worker reads its executor's job API URL (and token) from the node's
    // persistent off-chain storage.
    const computeNode = await zombie.connect(nodes[COMPUTE_PROVIDER].wsUri);
    await computeNode.rpc.offchain.localStorageSet("PERSISTENT", hexOf(EXECUTOR_KEY), hexOf(jobsUrl));
    if (process.env.EXECUTOR_JOBS_TOKEN) {
      await computeNode.rpc.offchain.localStorageSet(
        "PERSISTENT", hexOf(EXECUTOR_TOKEN_KEY), hexOf(process.env.EXECUTOR_JOBS_TOKEN));
    }
    await computeNode.disconnect();

    const signers = (await api.query.daAttestations.signers.entries()).length;
    const providers = (await api.query.storageCommitments.providers.entries()).length;
    const jobServices = (await api.query.computeEscrow.services.entries()).length;
    console.log(`registered: ${signers} DA signers, ${providers} storage providers, ${jobServices} services`);
    return signers + providers + jobServices;
  } finally {
    await api.disconnect();
  }
}

module.exports = { run };
