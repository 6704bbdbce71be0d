// Starts `zerog-faucet` against a node, and asks it for tokens the way its web page does:
// fetch an ALTCHA challenge, solve it (SHA-256 of salt and number), POST /api/drip.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { reservePort } from './node.mjs';

const targetDir = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, '.cache/zerog/target');

/** Path of the faucet binary under test. */
export const faucetBinary = process.env.ZEROG_FAUCET_BIN ?? resolve(targetDir, 'release/zerog-faucet');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Writes `suri` to a fresh key file readable by its owner only (what the faucet requires). */
export function writeKeyFile(suri, mode = 0o600) {
  const path = join(mkdtempSync(join(tmpdir(), 'zerog-faucet-key-')), 'faucet.key');
  writeFileSync(path, `${suri}\n`);
  chmodSync(path, mode);
  return path;
}

/**
 * Starts `zerog-faucet` against `node` with its key in `keyFile`, `args` after the usual ones,
 * and resolves once it serves: `{ url, port, logPath, stateFile, stop, restart }`. A faucet
 * started again with `restart()` keeps its port and state file.
 */
export async function startFaucet(node, { keyFile, args = [], stateFile, port } = {}) {
  port ??= await reservePort();
  const dir = mkdtempSync(join(tmpdir(), 'zerog-faucet-'));
  stateFile ??= join(dir, 'state.json');
  const logPath = join(dir, 'faucet.log');
  const child = spawn(faucetBinary, [
    '--node', node.wsUrl, '--listen', `127.0.0.1:${port}`, '--key-file', keyFile,
    '--state-file', stateFile, ...args,
  ], { stdio: ['ignore', openSync(logPath, 'w'), openSync(logPath, 'a')] });
  const faucet = {
    child, port, logPath, stateFile, url: `http://127.0.0.1:${port}`,
    log: () => readFileSync(logPath, 'utf8'),
    stop: () => new Promise((ok) => { if (child.exitCode !== null || child.signalCode !== null) return ok(); child.once('exit', ok); child.kill('SIGKILL'); }),
    restart: async () => { await faucet.stop(); return startFaucet(node, { keyFile, args, stateFile, port }); },
  };
  const deadline = Date.now() + 60_000;
  while (!faucet.log().includes('ready: serving')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await faucet.stop();
      throw new Error(`zerog-faucet did not start:\n${faucet.log()}`);
    }
    await sleep(200);
  }
  return faucet;
}

/** The number that solves an ALTCHA challenge. */
export function solveChallenge(challenge) {
  for (let n = 0; n <= challenge.maxnumber; n++) {
    if (createHash('sha256').update(challenge.salt + n).digest('hex') === challenge.challenge) return n;
  }
  throw new Error('the challenge has no solution');
}

/** A fresh challenge from `faucet`, solved: base64 of ALTCHA's payload, as the page sends it. */
export async function solvedCaptcha(faucet, { number } = {}) {
  const challenge = await (await fetch(`${faucet.url}/api/captcha`)).json();
  const payload = {
    algorithm: challenge.algorithm, challenge: challenge.challenge,
    number: number ?? solveChallenge(challenge), salt: challenge.salt, signature: challenge.signature,
  };
  return Buffer.from(JSON.stringify(payload)).toString('base64');
}

/** POST /api/drip: `{ status, headers, body }`. */
export async function drip(faucet, address, { captcha, headers = {} } = {}) {
  const response = await fetch(`${faucet.url}/api/drip`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ address, captcha: captcha ?? await solvedCaptcha(faucet) }),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}
