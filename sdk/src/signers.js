// Signers that pay for storage from a Substrate account: an @polkadot/api `ApiPromise` and a
// keypair (or an address with an injected signer, as the Polkadot.js extension gives). The SDK
// imports nothing of @polkadot/api itself; it calls the `api` it is handed. An Ethereum wallet
// pays through the precompiles instead (ethereum.js).

/** A dispatch or pool refusal of a transaction; `reason` is the pallet error (`section.Name`). */
export class SubmitError extends Error {
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}

/** `section.Name` of a `DispatchError`. */
function dispatchErrorName(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name } = api.registry.findMetaError(dispatchError.asModule);
    return `${section}.${name}`;
  }
  return dispatchError.toString();
}

/**
 * Signs and sends `tx` with `signer`, resolving with `{ blockHash, events }` once it is in a
 * best block, rejecting with a `SubmitError` when it is refused, dropped or fails.
 */
export function signAndWait(api, tx, signer, options = {}) {
  const what = `${tx.method.section}.${tx.method.method}`;
  return new Promise((resolve, reject) => {
    let unsubscribe;
    const done = (settle, value) => { unsubscribe?.(); settle(value); };
    tx.signAndSend(signer, options, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        const reason = dispatchErrorName(api, dispatchError);
        done(reject, new SubmitError(reason, `${what} failed: ${reason}`));
      } else if (status.isInBlock) {
        done(resolve, { blockHash: status.asInBlock.toHex(), events });
      } else if (status.isDropped || status.isInvalid || status.isUsurped) {
        done(reject, new SubmitError(status.type, `${what}: ${status.type}`));
      }
    }).then((unsub) => { unsubscribe = unsub; }, (error) => reject(new SubmitError('Refused', `${what} refused: ${error.message}`)));
  });
}

/**
 * A signer paying from the Substrate account of `pair` (a keyring pair, or an address when
 * `options.signer` is an injected signer): `StorageCommitments.submit`,
 * `DaAttestations.submit_blob` and `ComputeEscrow.deposit` + `fund_provider` signed by it.
 */
export function substrateSigner({ api, pair, options = {} }) {
  return {
    kind: 'substrate',
    address: typeof pair === 'string' ? pair : pair.address,
    async submitFile({ root, size, tags = [], replicas }) {
      const tx = api.tx.storageCommitments.submit(root, size, tags, replicas);
      const { blockHash, events } = await signAndWait(api, tx, pair, options);
      const submitted = events.find(({ event }) => api.events.storageCommitments.FileSubmitted?.is(event));
      return { blockHash, fileId: submitted ? BigInt(submitted.event.data[0].toString()) : null };
    },
    async fundCompute({ provider, amount }) {
      // Both in one batch: the deposit is only moved to the provider's sub-account if both pass.
      const tx = api.tx.utility.batchAll([
        api.tx.computeEscrow.deposit(amount),
        api.tx.computeEscrow.fundProvider(provider, amount),
      ]);
      const { blockHash } = await signAndWait(api, tx, pair, options);
      return { blockHash };
    },
    async submitBlob({ commitment, namespace }) {
      const tx = api.tx.daAttestations.submitBlob(commitment, namespace);
      const { blockHash, events } = await signAndWait(api, tx, pair, options);
      const submitted = events.find(({ event }) => api.events.daAttestations.BlobSubmitted?.is(event));
      return { blockHash, blobId: submitted ? BigInt(submitted.event.data[0].toString()) : null };
    },
  };
}
