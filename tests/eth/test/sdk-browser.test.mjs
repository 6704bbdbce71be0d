// @zerog/sdk in a real browser: Debian's headless Chromium, driven by playwright-core, opens a
// page (tests/eth/browser/) whose script is the SDK and @polkadot/api bundled by esbuild, picks a
// file in an <input>, uploads it to a `zerog-node --dev` (JSON-RPC and the data plane from
// another origin, so CORS is exercised) and downloads it verified. Screenshots go to
// $ZEROG_ARTIFACTS (default: a temporary folder, printed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { u8aToHex } from '@polkadot/util';
import { downloadFile } from '@zerog/sdk/files';
import { ZeroGNode } from '@zerog/sdk/node';
import { SEGMENT_SIZE } from '@zerog/sdk/storage';
import { startDevNode } from '../lib/node.mjs';
import { keyring } from '../lib/substrate.mjs';

const pageDir = new URL('../browser/', import.meta.url).pathname;
const chromiumPath = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const artifacts = process.env.ZEROG_ARTIFACTS ?? mkdtempSync(join(tmpdir(), 'zerog-artifacts-'));

let node, server, browser, pageUrl;

before(async () => {
  assert.ok(existsSync(chromiumPath), `no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_BIN)`);
  mkdirSync(artifacts, { recursive: true });
  const bundle = await build({
    entryPoints: [join(pageDir, 'sdk-page.mjs')], bundle: true, format: 'esm', platform: 'browser',
    target: 'es2022', write: false, logLevel: 'error',
  });
  const files = {
    '/': { type: 'text/html', body: readFileSync(join(pageDir, 'sdk-page.html')) },
    '/sdk-page.js': { type: 'text/javascript', body: bundle.outputFiles[0].contents },
  };
  server = createServer((request, response) => {
    const file = files[new URL(request.url, 'http://page').pathname];
    response.writeHead(file ? 200 : 404, { 'content-type': file?.type ?? 'text/plain' });
    response.end(file?.body ?? 'not found');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  node = await startDevNode('sdk-browser');
  pageUrl = `http://127.0.0.1:${server.address().port}/?node=${encodeURIComponent(node.wsUrl)}`;
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok()));
  await node?.stop();
  console.log(`# screenshots in ${artifacts}`);
});

test('a web page uploads a picked file with the SDK and downloads it verified', async () => {
  const page = await browser.newPage({ viewport: { width: 900, height: 760 } });
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(pageUrl);
  const content = new Uint8Array(randomBytes(SEGMENT_SIZE + 4321));
  await page.setInputFiles('#file', { name: 'dataset.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(content) });
  await page.click('#upload');
  await page.waitForSelector('#result[data-root], #result[data-error]', { timeout: 120_000 });
  await page.screenshot({ path: join(artifacts, 'sdk-browser-uploaded.png') });
  const error = await page.getAttribute('#result', 'data-error');
  assert.equal(error, null, `the page failed: ${error}`);
  const root = await page.getAttribute('#result', 'data-root');
  assert.match(await page.textContent('#result'), /2 segments sent to http:\/\/127\.0\.0\.1:9950\nacknowledged by 1 provider/);
  assert.equal(await page.textContent('#phase'), 'acknowledge: 1 of 1');

  // The chain holds Charlie's commitment and the file reads back the same outside the browser.
  const file = await new ZeroGNode(node.wsUrl).fileByCommitment(root, content.length);
  assert.equal(u8aToHex(file.owner), u8aToHex(keyring().addFromUri('//Charlie').publicKey));
  const { data } = await downloadFile({ node: node.wsUrl, root });
  assert.ok(Buffer.from(data).equals(Buffer.from(content)));

  await page.click('#download');
  await page.waitForSelector('#verified[data-same]', { timeout: 60_000 });
  await page.screenshot({ path: join(artifacts, 'sdk-browser-downloaded.png') });
  assert.equal(await page.getAttribute('#verified', 'data-same'), 'true', await page.textContent('#verified'));
  assert.deepEqual(pageErrors, []);
  await page.close();
});
