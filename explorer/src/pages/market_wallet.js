// The wallet actions of a marketplace asset's page (/market/{id}): buy or request access, and
// deploy a model on the wallet's own compute service, through the IZeroGMarketplace precompile, signed by the browser's Ethereum wallet (EIP-1193: MetaMask
// and the like), then the account's grant as the chain holds it (from /api/market/...). For an
// encrypted asset it also registers the wallet's x25519 key, derived as @zerog/sdk's
// `ethereumEncryptionKey` derives it: HKDF-SHA256 of the wallet's signature of a fixed message
// (Web Crypto's HKDF and X25519). Every call is first simulated (eth_call), so a refusal is
// shown by the pallet's error name and nothing is sent or paid. The page reads fine without
// this script.
(() => {
  const box = document.getElementById('wallet');
  if (!box) return;
  const { asset, price, precompile, buy: buySelector, request: requestSelector } = box.dataset;
  const status = document.getElementById('wallet-status');
  const grantBox = document.getElementById('grant');
  const connectButton = document.getElementById('connect');
  const buyButton = document.getElementById('buy');
  const requestButton = document.getElementById('request');
  const scopeSelect = box.querySelector('select[name=scope]');
  const keyNeeded = document.getElementById('key-needed');
  const registerButton = document.getElementById('register-key');
  const deployButton = document.getElementById('deploy');
  const deployService = document.getElementById('deploy-service');
  const actionButtons = [buyButton, requestButton, registerButton, deployButton].filter(Boolean);
  let account = null;

  const say = (text, failed = false) => {
    status.textContent = text;
    status.className = failed ? 'failed' : '';
  };
  /** An ABI word: a uint as 64 hex digits. */
  const word = (value) => BigInt(value).toString(16).padStart(64, '0');
  const scope = () => (scopeSelect?.value === 'compute' ? box.dataset.compute : box.dataset.download);
  const call = (method, params = []) => window.ethereum.request({ method, params });
  const utf8 = (text) => new TextEncoder().encode(text);
  const hex = (bytes) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  const bytesOf = (text) => Uint8Array.from(text.replace(/^0x/, '').match(/../g) ?? [], (pair) => parseInt(pair, 16));

  /** The message the wallet signs for its key (@zerog/sdk's `encryptionKeyMessage`). */
  const keyMessage = (address) => 'ZeroG encryption key v1\n\nSigning this creates the key that content keys you buy on ZeroG are '
    + 'sealed to. Anyone with this signature can open them: sign it only on a page you trust.\n\n'
    + `Account: ${address.toLowerCase()}`;

  /** The wallet's x25519 public key: HKDF-SHA256 of its signature, then X25519 of the base point. */
  async function walletPublicKey() {
    const signature = bytesOf(await call('personal_sign', [`0x${hex(utf8(keyMessage(account)))}`, account]));
    const material = await crypto.subtle.importKey('raw', signature, 'HKDF', false, ['deriveBits']);
    const secret = new Uint8Array(await crypto.subtle.deriveBits(
      { name: 'HKDF', hash: 'SHA-256', salt: utf8('zerog/encryption-key'), info: utf8('x25519 v1') }, material, 256));
    // Web Crypto imports an X25519 secret as PKCS #8 only: a fixed 16-byte prefix, then the key.
    const pkcs8 = new Uint8Array([...bytesOf('302e020100300506032b656e04220420'), ...secret]);
    const key = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, true, ['deriveBits']);
    const { x } = await crypto.subtle.exportKey('jwk', key);
    return Uint8Array.from(atob(x.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));
  }

  /** The revert reason in a wallet's error (`Error(string)` data), else its message. */
  function reason(error) {
    const data = [error?.data?.data, error?.data, error?.error?.data].find((value) => typeof value === 'string');
    if (data?.startsWith('0x08c379a0')) {
      const hex = data.slice(10);
      const length = parseInt(hex.slice(64, 128), 16);
      const bytes = (hex.slice(128, 128 + 2 * length).match(/../g) ?? []).map((pair) => parseInt(pair, 16));
      return new TextDecoder().decode(Uint8Array.from(bytes));
    }
    return error?.message ?? String(error);
  }

  function showGrant(grant) {
    const lines = {
      none: () => 'This account holds no grant on this asset.',
      requested: () => `Requested ${grant.scope} access: waiting for the owner's approval.`,
      expired: () => `${grant.scope} access expired at block ${grant.expiresAt}.`,
      active: () => {
        const key = grant.scope === 'compute'
          ? 'Compute only: jobs may use it, no key is delivered.'
          : grant.keyDelivered ? 'Key delivered: download it with zerog market download or the SDK.'
            : grant.escrow ? `Key not delivered yet; the price is held until it is (refundable from block ${grant.escrow.refundableFrom}).`
              : 'Key not delivered yet.';
        return `Access: ${grant.scope} until block ${grant.expiresAt}. ${key}`;
      },
    };
    if (keyNeeded) keyNeeded.hidden = grant.encryptionKey !== null;
    box.dataset.encryptionKey = grant.encryptionKey ?? '';
    grantBox.dataset.status = grant.status;
    grantBox.dataset.scope = grant.scope ?? '';
    grantBox.textContent = (lines[grant.status] ?? (() => grant.status))();
  }

  async function refreshGrant() {
    const response = await fetch(`/api/market/assets/${asset}/grants/${account}`);
    const body = await response.json();
    if (!response.ok) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
    showGrant(body);
  }

  /** Simulates, then sends a call to the precompile and waits for its receipt. */
  async function send(data) {
    const transaction = { from: account, to: precompile, data, value: '0x0' };
    try {
      await call('eth_call', [transaction, 'latest']);
    } catch (error) {
      throw new Error(`refused: ${reason(error)}`);
    }
    const hash = await call('eth_sendTransaction', [transaction]);
    say(`Sent ${hash}; waiting for a block…`);
    for (let waited = 0; waited < 120; waited++) {
      const receipt = await call('eth_getTransactionReceipt', [hash]);
      if (receipt) {
        if (receipt.status !== '0x1') throw new Error(`transaction ${hash} failed`);
        return hash;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    throw new Error(`transaction ${hash} was not included in two minutes`);
  }

  /** The service id typed for a deployment: a whole number, else an error saying so. */
  function serviceId() {
    const typed = deployService.value.trim();
    if (!/^[0-9]{1,19}$/.test(typed) || BigInt(typed) >= 2n ** 64n) {
      throw new Error('type the id of your compute service (a whole number), as zerog compute services lists it');
    }
    return BigInt(typed);
  }

  async function act(what, data) {
    for (const button of actionButtons) button.disabled = true;
    try {
      say(`${what}: confirm in your wallet…`);
      const hash = await send(typeof data === 'function' ? await data() : data);
      say(`${what}: done in ${hash}.`);
      await refreshGrant();
    } catch (error) {
      say(`${what}: ${error.message}`, true);
    } finally {
      for (const button of actionButtons) button.disabled = false;
    }
  }

  connectButton.addEventListener('click', async () => {
    if (!window.ethereum) {
      say('No Ethereum wallet in this browser: install MetaMask (or another EIP-1193 wallet), or use the zerog CLI.', true);
      return;
    }
    try {
      [account] = await call('eth_requestAccounts');
      say(`Connected ${account}.`);
      box.dataset.account = account;
      for (const button of actionButtons) button.disabled = false;
      await refreshGrant();
    } catch (error) {
      say(`Cannot connect: ${error.message}`, true);
    }
  });
  buyButton?.addEventListener('click', () => act('Buy', `${buySelector}${word(asset)}${word(scope())}${word(price)}`));
  requestButton?.addEventListener('click', () => act('Request', `${requestSelector}${word(asset)}${word(scope())}`));
  registerButton?.addEventListener('click', () => act('Register key', async () => `${box.dataset.registerKey}${hex(await walletPublicKey())}`));
  deployButton?.addEventListener('click', () => act('Deploy', () => `${box.dataset.deploy}${word(asset)}${word(serviceId())}`));
})();
