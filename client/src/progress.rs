//! Progress bars on stderr: bytes moved, throughput and time left. Hidden when output is for
//! scripts (`--json`) or stderr is not a terminal, so pipes and logs stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Bar template: what, bar, bytes done of total, speed, time left.
const BYTES_TEMPLATE: &str =
	"{msg:>10} [{bar:32.cyan/blue}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta}";

/// A bar counting `total` bytes, starting at `done` (bytes already there when resuming).
///
/// `visible` false (for `--json`) gives a bar that draws nothing.
pub fn bytes_bar(message: &'static str, total: u64, done: u64, visible: bool) -> ProgressBar {
	let target = if visible { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() };
	let bar = ProgressBar::with_draw_target(Some(total), target);
	// The template is a constant; a bad one would only lose the styling, never the work.
	if let Ok(style) = ProgressStyle::with_template(BYTES_TEMPLATE) {
		bar.set_style(style.progress_chars("=> "));
	}
	bar.set_message(message);
	bar.set_position(done);
	// Throughput and ETA count only what this run moves, not what was already there.
	bar.reset_eta();
	bar
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_hidden_bar_still_counts() {
		let bar = bytes_bar("upload", 100, 40, false);
		assert_eq!(bar.position(), 40);
		bar.inc(60);
		assert_eq!(bar.position(), 100);
		assert_eq!(bar.length(), Some(100));
	}
}
