//! Amounts of the native token on the command line: `1.5ZG` (decimal ZG, up to 18 decimals) or
//! a plain integer in the smallest unit (10^-18 ZG).

use zerog_primitives::{
	units::{TOKEN_DECIMALS, TOKEN_SYMBOL, ZG},
	Balance,
};

/// What `--help` says about amounts.
pub const AMOUNT_HELP: &str = "Amounts are ZG with a unit, e.g. 1.5ZG or 0.001zg (at most 18 \
	decimals), or a plain integer in the smallest unit, 10^-18 ZG (e.g. 1500000000000000000)";

/// An amount from `1.5ZG` / `1.5 zg` (decimal ZG) or `1500000000000000000` (smallest unit).
pub fn parse_amount(text: &str) -> Result<Balance, String> {
	let trimmed = text.trim();
	let (number, in_zg) = match trimmed
		.len()
		.checked_sub(TOKEN_SYMBOL.len())
		.and_then(|cut| trimmed.get(cut..).map(|unit| (cut, unit)))
	{
		Some((cut, unit)) if unit.eq_ignore_ascii_case(TOKEN_SYMBOL) => {
			(trimmed[..cut].trim_end(), true)
		},
		_ => (trimmed, false),
	};
	if number.is_empty() {
		return Err(format!("`{text}` has no number; write e.g. 1.5ZG or 1500000000000000000"));
	}
	let too_large = || format!("`{text}` is larger than the largest balance");
	if !in_zg {
		if !number.bytes().all(|byte| byte.is_ascii_digit()) {
			return Err(format!(
				"`{text}` is not an amount: write ZG with its unit (1.5ZG) or an integer in the \
				 smallest unit"
			));
		}
		return number.parse::<Balance>().map_err(|_| too_large());
	}
	let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
	let digits_only = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
	if (whole.is_empty() && fraction.is_empty()) || !digits_only(whole) || !digits_only(fraction) {
		return Err(format!("`{text}` is not a decimal number of ZG"));
	}
	if fraction.len() > usize::from(TOKEN_DECIMALS) {
		return Err(format!(
			"`{text}` has more than {TOKEN_DECIMALS} decimals, below the smallest unit"
		));
	}
	let whole: Balance =
		if whole.is_empty() { 0 } else { whole.parse().map_err(|_| too_large())? };
	let padded = format!("{fraction:0<width$}", width = usize::from(TOKEN_DECIMALS));
	let fraction: Balance = padded.parse().map_err(|_| too_large())?;
	whole.checked_mul(ZG).and_then(|units| units.checked_add(fraction)).ok_or_else(too_large)
}

/// `amount` as ZG, e.g. `1.5 ZG`, with every significant decimal and no trailing zeros.
pub fn format_zg(amount: Balance) -> String {
	let whole = amount / ZG;
	let fraction = amount % ZG;
	if fraction == 0 {
		return format!("{whole} {TOKEN_SYMBOL}");
	}
	let decimals = format!("{fraction:0>width$}", width = usize::from(TOKEN_DECIMALS));
	format!("{whole}.{} {TOKEN_SYMBOL}", decimals.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn zg_amounts_parse_with_decimals() {
		assert_eq!(parse_amount("1ZG"), Ok(ZG));
		assert_eq!(parse_amount("1.5ZG"), Ok(3 * ZG / 2));
		assert_eq!(parse_amount(" 2.25 zg "), Ok(9 * ZG / 4));
		assert_eq!(parse_amount("0.000000000000000001ZG"), Ok(1));
		assert_eq!(parse_amount(".5ZG"), Ok(ZG / 2));
		assert_eq!(parse_amount("7.ZG"), Ok(7 * ZG));
		assert_eq!(parse_amount("0ZG"), Ok(0));
	}

	#[test]
	fn plain_integers_are_the_smallest_unit() {
		assert_eq!(parse_amount("1500"), Ok(1500));
		assert_eq!(parse_amount("340282366920938463463374607431768211455"), Ok(u128::MAX));
	}

	#[test]
	fn bad_amounts_say_why() {
		assert!(parse_amount("1.5").unwrap_err().contains("unit"));
		assert!(parse_amount("ZG").unwrap_err().contains("no number"));
		assert!(parse_amount("-1ZG").is_err());
		assert!(parse_amount("1.2.3ZG").is_err());
		assert!(parse_amount("0.0000000000000000001ZG").unwrap_err().contains("decimals"));
		assert!(parse_amount("340282366920938463464ZG").unwrap_err().contains("largest"));
		assert!(parse_amount("340282366920938463463374607431768211456").is_err());
		assert!(parse_amount("1e18").is_err());
		assert!(parse_amount("").is_err());
	}

	#[test]
	fn amounts_print_as_zg_without_trailing_zeros() {
		assert_eq!(format_zg(3 * ZG / 2), "1.5 ZG");
		assert_eq!(format_zg(ZG), "1 ZG");
		assert_eq!(format_zg(1), "0.000000000000000001 ZG");
		assert_eq!(format_zg(0), "0 ZG");
		for amount in [1, ZG / 3, 12 * ZG + 7, u128::MAX] {
			assert_eq!(parse_amount(&format_zg(amount).replace(' ', "")), Ok(amount));
		}
	}
}
