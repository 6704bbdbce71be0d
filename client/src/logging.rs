//! A minimal logger for ZeroG's programs: `LEVEL target: message` lines on stderr. The program's
//! own records are shown down to the configured level; its libraries' (subxt, hyper, jsonrpsee)
//! at most down to `info`, so `--log-level debug` stays readable.

use std::sync::OnceLock;

use log::{LevelFilter, Log, Metadata, Record};

/// Writes every record at or above the configured level to stderr.
struct StderrLogger {
	/// Target prefix of the program's own records (its crate name, `zerog_executor`).
	own: &'static str,
}

impl Log for StderrLogger {
	fn enabled(&self, metadata: &Metadata) -> bool {
		let own = metadata.target().starts_with(self.own);
		let limit = if own { log::max_level() } else { log::max_level().min(LevelFilter::Info) };
		metadata.level() <= limit
	}

	fn log(&self, record: &Record) {
		if self.enabled(record.metadata()) {
			eprintln!("{:<5} {}: {}", record.level(), record.target(), record.args());
		}
	}

	fn flush(&self) {}
}

/// Installs the logger at `level` for a program whose records' targets start with `own`; a
/// second call keeps the first logger and only changes the level.
pub fn init(own: &'static str, level: LevelFilter) {
	static LOGGER: OnceLock<StderrLogger> = OnceLock::new();
	let logger = LOGGER.get_or_init(|| StderrLogger { own });
	let _ = log::set_logger(logger);
	log::set_max_level(level);
}
