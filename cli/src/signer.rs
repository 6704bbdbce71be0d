//! The account that signs: `--suri`, `--suri-file` or `ZEROG_SURI`, with the warnings about
//! development keys that every command shares.

use crate::error::ClientError;

/// Help shared by every `--suri`: the default is a public key, fine only on dev chains.
pub const SURI_HELP: &str = "Secret URI of the account that signs and pays: a mnemonic, a 0x seed \
	or a derivation such as //Alice. The default, //Alice, is a publicly known development key for \
	development chains (zerog-node --dev); a Live chain refuses it unless --allow-dev-key. A real \
	key on the command line is visible to every user of the machine: prefer --suri-file or the \
	ZEROG_SURI environment variable";

/// Environment variable holding the signer's secret URI (used when neither `--suri` nor
/// `--suri-file` is given).
pub const SURI_ENV: &str = "ZEROG_SURI";

/// The account that signs (`--suri`, `--suri-file` or `ZEROG_SURI`).
#[derive(Debug, clap::Args)]
pub struct SignerArgs {
	#[arg(long, value_name = "SECRET_URI", help = SURI_HELP)]
	pub suri: Option<String>,
	/// A file holding the signer's secret URI, readable only by you (chmod 600).
	#[arg(long, value_name = "PATH", conflicts_with = "suri")]
	pub suri_file: Option<std::path::PathBuf>,
	/// Sign with a well-known development key (//Alice ...) even on a Live chain, where anyone
	/// can sign as it.
	#[arg(long)]
	pub allow_dev_key: bool,
}

impl SignerArgs {
	/// The signer's secret URI: `--suri-file`, else `--suri`, else `ZEROG_SURI`, else `//Alice`.
	pub fn secret_uri(&self) -> Result<String, ClientError> {
		if self.allow_dev_key {
			zerog_client::secrets::allow_development_key_on_live_chain();
		}
		if let Some(path) = &self.suri_file {
			return zerog_client::secrets::read_secret_file(path)
				.map_err(|error| ClientError::Input(format!("--suri-file: {error}")));
		}
		if let Some(suri) = &self.suri {
			return Ok(suri.clone());
		}
		match std::env::var(SURI_ENV) {
			Ok(suri) if !suri.trim().is_empty() => Ok(suri.trim().to_owned()),
			_ => Ok(DEFAULT_SURI.to_owned()),
		}
	}
}

/// The signer when none is named: Alice, funded on development chains.
pub const DEFAULT_SURI: &str = "//Alice";
