//! A minimal logger: `LEVEL target: message` lines on stderr. The executor's own records are
//! shown down to the configured level; its libraries' (subxt, hyper, jsonrpsee) at most down to
//! `info`, so `--log-level debug` stays readable.

use log::{LevelFilter, Log, Metadata, Record};

/// Writes every record at or above the configured level to stderr.
struct StderrLogger;

impl Log for StderrLogger {
	fn enabled(&self, metadata: &Metadata) -> bool {
		let own = metadata.target().starts_with("zerog_executor");
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

/// Installs the logger at `level`; a second call keeps the first logger and only changes the
/// level.
pub fn init(level: LevelFilter) {
	static LOGGER: StderrLogger = StderrLogger;
	let _ = log::set_logger(&LOGGER);
	log::set_max_level(level);
}
