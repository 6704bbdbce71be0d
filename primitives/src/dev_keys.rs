//! The well-known development keys: the secret phrase every polkadot-sdk tool ships
//! (`sp_core::crypto::DEV_PHRASE`) and its derivations `//Alice` ... `//Ferdie`, `//One`,
//! `//Two` and their `//stash` twins. Anyone holds their secrets, so a `Live` chain must name
//! none of them (`zerog-node check-spec`) and the `zerog` client refuses to sign with one there.

/// The public development phrase; `//Alice` is `DEV_PHRASE//Alice`.
pub const DEV_PHRASE: &str =
	"bottom drive obey lake curtain smoke basket hold race lonely fit walk";

/// The derivations of [`DEV_PHRASE`] that tools and presets use, the phrase's own key (`""`)
/// first. Any key derived from the phrase is public; these are the ones worth looking for.
pub const DEV_DERIVATIONS: [&str; 17] = [
	"",
	"//Alice",
	"//Bob",
	"//Charlie",
	"//Dave",
	"//Eve",
	"//Ferdie",
	"//One",
	"//Two",
	"//Alice//stash",
	"//Bob//stash",
	"//Charlie//stash",
	"//Dave//stash",
	"//Eve//stash",
	"//Ferdie//stash",
	"//One//stash",
	"//Two//stash",
];

/// How a development key is shown in messages: `//Alice`, or `the development phrase` for the
/// phrase's own key.
pub fn dev_key_name(derivation: &str) -> &str {
	if derivation.is_empty() {
		"the development phrase"
	} else {
		derivation
	}
}
