//! Helper processes of a test (an executor, a fake backend): started with their output in a log
//! file, killed when dropped.

use std::{
	path::PathBuf,
	process::{Child, Command, Stdio},
};

/// A child process killed when dropped, with its log for failure messages.
pub struct Process {
	name: &'static str,
	child: Child,
	log: PathBuf,
}

impl Process {
	/// Starts `command` with stdout and stderr going to `log`.
	pub fn spawn(name: &'static str, mut command: Command, log: PathBuf) -> Process {
		let file = std::fs::File::create(&log).expect("log file is writable");
		let child = command
			.stdin(Stdio::null())
			.stdout(file.try_clone().expect("log handle clones"))
			.stderr(file)
			.spawn()
			.unwrap_or_else(|error| panic!("{name} starts: {error}"));
		Process { name, child, log }
	}

	/// The whole log so far.
	pub fn log_text(&self) -> String {
		std::fs::read_to_string(&self.log).unwrap_or_default()
	}

	/// The last lines of the log.
	pub fn log_tail(&self) -> String {
		let text = self.log_text();
		let lines: Vec<&str> = text.lines().collect();
		format!("--- {} ---\n{}", self.name, lines[lines.len().saturating_sub(40)..].join("\n"))
	}

	/// Panics with the log if the process already exited.
	pub fn assert_running(&mut self) {
		if let Ok(Some(status)) = self.child.try_wait() {
			panic!("{} exited with {status}:\n{}", self.name, self.log_tail());
		}
	}
}

impl Drop for Process {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}
