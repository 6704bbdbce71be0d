// The browser page of tests/eth/test/sdk-browser.test.mjs, bundled by esbuild: a File from an
// <input> uploaded with @zerog/sdk/files (a Blob, read a segment at a time), paid by a dev
// account through @polkadot/api, then downloaded and compared.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { downloadFile, uploadFile } from '@zerog/sdk/files';
import { substrateSigner } from '@zerog/sdk/signers';

const nodeUrl = new URLSearchParams(location.search).get('node');
const $ = (id) => document.getElementById(id);
let stored = null;

function show(id, text, isError = false) {
  $(id).textContent = text;
  $(id).className = isError ? 'error' : '';
}

function progress({ phase, done, total }) {
  show('phase', `${phase}: ${done} of ${total}`);
  $('progress').max = total;
  $('progress').value = done;
}

$('upload').addEventListener('click', async () => {
  const file = $('file').files[0];
  if (!file) return show('result', 'choose a file first', true);
  try {
    await cryptoWaitReady();
    const api = await ApiPromise.create({ provider: new WsProvider(nodeUrl), noInitWarn: true });
    const pair = new Keyring({ type: 'sr25519', ss58Format: 6900 }).addFromUri('//Charlie');
    stored = await uploadFile({ node: nodeUrl, file, signer: substrateSigner({ api, pair }), onProgress: progress });
    await api.disconnect();
    show('result', `file #${stored.fileId}\nroot ${stored.root}\n${stored.size} bytes, ${stored.uploadedSegments} segments sent to ${stored.uploadedTo}\nacknowledged by ${stored.replicas.filter((r) => r.acknowledged).length} provider(s)`);
    $('result').dataset.root = stored.root;
    $('download').disabled = false;
  } catch (error) {
    show('result', `${error.name}: ${error.message}`, true);
    $('result').dataset.error = error.message;
  }
});

$('download').addEventListener('click', async () => {
  try {
    const { data, sources } = await downloadFile({ node: nodeUrl, root: stored.root, onProgress: progress });
    const original = new Uint8Array(await $('file').files[0].arrayBuffer());
    const same = data.length === original.length && data.every((byte, i) => byte === original[i]);
    show('verified', `${data.length} bytes, every segment verified, ${same ? 'identical to the file' : 'DIFFERENT from the file'}\nfrom ${sources.filter((s) => s.segments > 0).map((s) => `${s.url} (${s.segments} segments)`).join(', ')}`, !same);
    $('verified').dataset.same = String(same);
  } catch (error) {
    show('verified', `${error.name}: ${error.message}`, true);
    $('verified').dataset.same = 'error';
  }
});
