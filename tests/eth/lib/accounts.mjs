// The well-known Ethereum development accounts (Hardhat/Foundry/Anvil): derived from the
// mnemonic "test test test test test test test test test test test junk", funded at genesis.
import { HDNodeWallet, Mnemonic } from 'ethers';

export const DEV_MNEMONIC = 'test test test test test test test test test test test junk';

/** The i-th dev account (0..9) as an ethers wallet connected to `provider`. */
export function devWallet(i, provider) {
  const wallet = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/0'/0/${i}`);
  return provider ? wallet.connect(provider) : wallet;
}
