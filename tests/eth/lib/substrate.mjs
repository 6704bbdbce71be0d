// Talking to a node over the Substrate RPC with @polkadot/api: connecting, dev keys, sending
// setup transactions and waiting for them, reading the node process's memory and CPU.
import { readFileSync } from 'node:fs';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

/** SS58 address prefix of ZeroG accounts. */
export const SS58_PREFIX = 6900;

/** 1 ZG in the smallest unit (18 decimals). */
export const ZG = 10n ** 18n;

/** An @polkadot/api connection to `wsUrl`, ready to use. */
export async function connectApi(wsUrl) {
  await cryptoWaitReady();
  return ApiPromise.create({ provider: new WsProvider(wsUrl), noInitWarn: true });
}

/** An sr25519 keyring with ZeroG's address format; `keyring().addFromUri('//Alice')`. */
export function keyring() {
  return new Keyring({ type: 'sr25519', ss58Format: SS58_PREFIX });
}

/** Readable text of a `DispatchError` ("storageCommitments.FileEmpty", "BadOrigin", ...). */
export function dispatchErrorText(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name } = api.registry.findMetaError(dispatchError.asModule);
    return `${section}.${name}`;
  }
  return dispatchError.toString();
}

/**
 * Signs and submits `items` (`[{ tx, signer }]`) together, each signer's transactions with
 * consecutive nonces from its account nonce (so none of them may have transactions waiting in the
 * pool), and resolves with their `{ blockHash, events }` in
 * order once all are in a best block. Rejects when one is refused, dropped or fails to dispatch.
 */
export async function sendAll(api, items) {
  const signers = [...new Set(items.map(({ signer }) => signer.address))];
  const nonces = new Map((await accountNonces(api, signers)).map((nonce, i) => [signers[i], nonce]));
  return Promise.all(items.map(({ tx, signer }) => {
    const nonce = nonces.get(signer.address);
    nonces.set(signer.address, nonce + 1n);
    return new Promise((resolve, reject) => {
      let unsubscribe;
      const done = (fn, value) => { unsubscribe?.(); fn(value); };
      tx.signAndSend(signer, { nonce }, ({ status, events, dispatchError }) => {
        const what = `${tx.method.section}.${tx.method.method} from ${signer.address} (nonce ${nonce})`;
        if (dispatchError) done(reject, new Error(`${what} failed: ${dispatchErrorText(api, dispatchError)}`));
        else if (status.isInBlock) done(resolve, { blockHash: status.asInBlock, events });
        else if (status.isDropped || status.isInvalid || status.isUsurped) done(reject, new Error(`${what}: ${status.type}`));
      }).then((unsub) => { unsubscribe = unsub; }, reject);
    });
  }));
}

/**
 * The nonces of `addresses` in the best block's state (`System::Account`), as BigInts.
 *
 * Read from state rather than `system_accountNextIndex`, which nodes built before commit 1fa43c0
 * refuse for addresses in ZeroG's SS58 format ("Unknown SS58 address format `6900`").
 */
export async function accountNonces(api, addresses) {
  return (await api.query.system.account.multi(addresses)).map((account) => account.nonce.toBigInt());
}

/** Resolves once the best block number is at least `number`. */
export async function waitForBlock(api, number) {
  return new Promise((resolve, reject) => {
    let unsubscribe;
    api.rpc.chain.subscribeNewHeads((header) => {
      if (header.number.toNumber() >= number) { unsubscribe?.(); resolve(header); }
    }).then((unsub) => { unsubscribe = unsub; }, reject);
  });
}

/**
 * Memory and CPU of process `pid` from /proc (Linux): `{ rssKiB, hwmKiB, cpuSeconds }`, or null
 * when the process is gone. `hwmKiB` is VmHWM, the peak resident set since the process started.
 */
export function processStats(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN);
    // Fields 14 and 15 of /proc/<pid>/stat (utime, stime) in clock ticks, 100 per second on Linux;
    // the command name (field 2) may hold spaces, so count from its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / 100;
    return { rssKiB: kib('VmRSS'), hwmKiB: kib('VmHWM'), cpuSeconds };
  } catch {
    return null;
  }
}

/** The 1-, 5- and 15-minute load averages of this machine, as in `uptime`. */
export function loadAverage() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  } catch {
    return null;
  }
}
