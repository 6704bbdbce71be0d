//! Chain-wide units: the native token and time.
//!
//! These are protocol constants: changing one changes the meaning of every balance or block
//! count already on chain, so they are only ever added to.

use crate::{Balance, BlockNumber};

/// Number of decimals of the native token ZG.
pub const TOKEN_DECIMALS: u8 = 18;

/// Symbol of the native token.
pub const TOKEN_SYMBOL: &str = "ZG";

/// One ZG in the smallest unit (10^18).
pub const ZG: Balance = 1_000_000_000_000_000_000;

/// One thousandth of a ZG.
pub const MILLI_ZG: Balance = ZG / 1_000;

/// One millionth of a ZG.
pub const MICRO_ZG: Balance = ZG / 1_000_000;

/// SS58 address prefix of ZeroG accounts.
pub const SS58_PREFIX: u16 = 6900;

/// Chain id of the Ethereum view of the chain (EIP-155), served by `eth_chainId`.
pub const EVM_CHAIN_ID: u64 = 16900;

/// Target time between two blocks, in milliseconds (one Aura slot).
pub const MILLI_SECS_PER_BLOCK: u64 = 2_000;

/// Length of an Aura slot, in milliseconds. Changing it after genesis stalls the chain.
pub const SLOT_DURATION_MS: u64 = MILLI_SECS_PER_BLOCK;

/// Number of blocks in one minute.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);

/// Number of blocks in one hour.
pub const HOURS: BlockNumber = MINUTES * 60;

/// Number of blocks in one day.
pub const DAYS: BlockNumber = HOURS * 24;

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn token_has_eighteen_decimals() {
		assert_eq!(ZG, 10u128.pow(TOKEN_DECIMALS as u32));
	}

	#[test]
	fn two_second_blocks_give_thirty_blocks_a_minute() {
		assert_eq!(MINUTES, 30);
		assert_eq!(DAYS, 43_200);
	}
}
