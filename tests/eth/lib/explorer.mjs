// Starts `zerog-explorer` against a node on a SQLite file or a PostgreSQL database, and a
// throwaway PostgreSQL cluster (Debian's `postgresql` package: initdb and pg_ctl, run as the
// `postgres` user when the tests run as root, which initdb refuses to be).
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { reservePort } from './node.mjs';

const targetDir = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, '.cache/zerog/target');

/** Path of the explorer binary under test. */
export const explorerBinary = process.env.ZEROG_EXPLORER_BIN ?? resolve(targetDir, 'release/zerog-explorer');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `zerog-explorer --node <node> --database <database>` and resolves once it serves:
 * `{ url, logPath, stop, restart }`; `restart()` starts it again on the same port and database.
 */
export async function startExplorer(node, { database, port } = {}) {
  port ??= await reservePort();
  const dir = mkdtempSync(join(tmpdir(), 'zerog-explorer-'));
  database ??= `sqlite://${join(dir, 'explorer.db')}`;
  const logPath = join(dir, 'explorer.log');
  const child = spawn(explorerBinary, ['--node', node.wsUrl, '--eth-rpc', node.ethUrl, '--database', database, '--listen', `127.0.0.1:${port}`],
    { stdio: ['ignore', openSync(logPath, 'w'), openSync(logPath, 'a')] });
  const explorer = {
    child, port, database, logPath, url: `http://127.0.0.1:${port}`,
    log: () => readFileSync(logPath, 'utf8'),
    stop: () => new Promise((ok) => { if (child.exitCode !== null || child.signalCode !== null) return ok(); child.once('exit', ok); child.kill('SIGKILL'); }),
    restart: async () => { await explorer.stop(); return startExplorer(node, { database, port }); },
    get: async (path) => {
      const response = await fetch(`${explorer.url}${path}`, { redirect: 'manual' });
      const type = response.headers.get('content-type') ?? '';
      return { status: response.status, headers: response.headers, body: type.includes('json') ? await response.json() : await response.text() };
    },
  };
  const deadline = Date.now() + 60_000;
  while (!explorer.log().includes('ready: serving')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await explorer.stop();
      throw new Error(`zerog-explorer did not start:\n${explorer.log()}`);
    }
    await sleep(200);
  }
  return explorer;
}

/** Resolves once `explorer` has indexed block `number`. */
export async function indexedUpTo(explorer, number, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await explorer.get('/api/status');
    if (body.indexed !== null && body.indexed >= number) return body.indexed;
    if (Date.now() > deadline) throw new Error(`block ${number} not indexed within ${timeoutMs} ms (at ${body.indexed}):\n${explorer.log()}`);
    await sleep(500);
  }
}

/** The folder of PostgreSQL's server programs, or null if it is not installed. */
function postgresBin() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin/initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : null;
}

/**
 * A fresh PostgreSQL cluster on a free port, trusting local connections: `{ url, stop }`.
 * Throws when PostgreSQL is not installed (.ci/run installs Debian's `postgresql`).
 */
export async function startPostgres() {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql); .ci/run installs it');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'zerog-postgres-'));
  const port = await reservePort();
  const run = (program, args) => {
    const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]] : [join(bin, program), args];
    const result = spawnSync(command, argv, { encoding: 'utf8', timeout: 120_000 });
    if (result.status !== 0) throw new Error(`${program} failed: ${result.stderr || result.stdout}`);
  };
  if (asRoot) {
    const id = (flag) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const [uid, gid] = [id('-u'), id('-g')];
    chownSync(dir, uid, gid);
  }
  run('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  run('pg_ctl', ['-D', join(dir, 'data'), '-l', join(dir, 'postgres.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => { try { run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', 'stop']); } catch { /* already gone */ } },
  };
}
