//! Bitmaps of stored segments and held shards: bit `i` (bit `i % 8` of byte `i / 8`) says whether
//! item `i` is stored. A bitmap only grows as far as its highest set bit needs.

/// Whether bit `index` is set; bits past the end are clear.
pub(super) fn is_set(bits: &[u8], index: usize) -> bool {
	bits.get(index / 8).is_some_and(|byte| byte & (1 << (index % 8)) != 0)
}

/// Sets bit `index`, growing `bits` if needed; `true` if it was clear.
pub(super) fn set(bits: &mut Vec<u8>, index: usize) -> bool {
	let byte_index = index / 8;
	if bits.len() <= byte_index {
		bits.resize(byte_index + 1, 0);
	}
	let mask = 1 << (index % 8);
	let byte = &mut bits[byte_index];
	let was_clear = *byte & mask == 0;
	*byte |= mask;
	was_clear
}

/// Clears bit `index`; `true` if it was set.
pub(super) fn clear(bits: &mut [u8], index: usize) -> bool {
	let mask = 1 << (index % 8);
	match bits.get_mut(index / 8) {
		Some(byte) if *byte & mask != 0 => {
			*byte &= !mask;
			true
		},
		_ => false,
	}
}

/// Number of set bits.
pub(super) fn count(bits: &[u8]) -> u64 {
	bits.iter().map(|byte| u64::from(byte.count_ones())).sum()
}

/// Indices of the set bits, ascending.
pub(super) fn ones(bits: &[u8]) -> impl Iterator<Item = usize> + '_ {
	bits.iter().enumerate().flat_map(|(byte_index, byte)| {
		(0..8).filter(move |bit| byte & (1 << bit) != 0).map(move |bit| byte_index * 8 + bit)
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn set_grows_and_reports_new_bits() {
		let mut bits = Vec::new();
		assert!(set(&mut bits, 9));
		assert_eq!(bits, vec![0, 0b10]);
		assert!(!set(&mut bits, 9));
		assert!(set(&mut bits, 0));
		assert!(is_set(&bits, 0) && is_set(&bits, 9));
		assert!(!is_set(&bits, 1) && !is_set(&bits, 1000));
		assert_eq!(count(&bits), 2);
		assert_eq!(ones(&bits).collect::<Vec<_>>(), vec![0, 9]);
	}

	#[test]
	fn clear_reports_only_set_bits() {
		let mut bits = vec![0b1];
		assert!(!clear(&mut bits, 3));
		assert!(!clear(&mut bits, 100));
		assert!(clear(&mut bits, 0));
		assert_eq!(count(&bits), 0);
	}
}
