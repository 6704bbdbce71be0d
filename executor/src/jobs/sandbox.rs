//! Where a job's command runs: a bubblewrap sandbox that sees only the system's programs and
//! libraries (read-only), the paths the provider lists (read-only) and the job's own directory
//! (read-write), with a minimal environment, no network unless allowed, its own process and IPC
//! namespaces, as the user `nobody` (65534): when the executor runs as root, bubblewrap builds
//! the sandbox as root and the command drops to `nobody` on the host (`setpriv`, no capabilities,
//! no new privileges); otherwise it is `nobody` in a user namespace.
//!
//! A job therefore cannot read the provider's key (a file outside its directory, an environment
//! variable the executor read), the executor's state, or other jobs' data. Without bubblewrap
//! (`--sandbox none`, or `--dev` on a machine without it) the command runs as the executor's
//! user with the same minimal environment, which is for trusted commands only.

use std::{
	ffi::OsString,
	path::{Path, PathBuf},
	process::Stdio,
};

/// The user and group a job runs as: `nobody`.
pub const JOB_UID: u32 = 65534;

/// `PATH` inside the sandbox.
pub const JOB_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

/// System paths bound read-only when they exist: programs, libraries, and the few files of
/// `/etc` that programs need to start (no secrets: `/etc/passwd` and `/etc/group` are world
/// readable, `/etc/shadow` is not bound).
const SYSTEM_PATHS: &[&str] = &[
	"/usr",
	"/etc/alternatives",
	"/etc/ld.so.cache",
	"/etc/ld.so.conf",
	"/etc/ld.so.conf.d",
	"/etc/localtime",
	"/etc/passwd",
	"/etc/group",
	"/etc/ssl/certs",
	"/etc/ca-certificates",
];

/// Top-level directories that are links into `/usr` on merged-/usr systems (Debian 12 and
/// later), or real directories elsewhere.
const USR_LINKS: &[&str] = &["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

/// Devices a GPU job needs, bound when they exist.
const GPU_DEVICES: &[&str] = &[
	"/dev/nvidiactl",
	"/dev/nvidia-uvm",
	"/dev/nvidia-uvm-tools",
	"/dev/nvidia-modeset",
	"/dev/nvidia0",
	"/dev/nvidia1",
	"/dev/nvidia2",
	"/dev/nvidia3",
	"/dev/nvidia4",
	"/dev/nvidia5",
	"/dev/nvidia6",
	"/dev/nvidia7",
	"/dev/dri",
];

/// How job commands are isolated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SandboxKind {
	/// bubblewrap (`bwrap`, Debian package `bubblewrap`).
	Bwrap,
	/// No isolation beyond a minimal environment: the command runs as the executor's user.
	None,
}

/// How the runner isolates job commands.
#[derive(Clone, Debug)]
pub struct Sandbox {
	/// bubblewrap or nothing.
	pub kind: SandboxKind,
	/// Whether a job may use the network.
	pub network: bool,
	/// Extra paths a job may read (a model directory, a virtual environment, the service's
	/// scripts).
	pub read_only_paths: Vec<PathBuf>,
	/// Variables of the executor's environment a job also gets (`CUDA_VISIBLE_DEVICES`).
	pub pass_env: Vec<String>,
}

impl Sandbox {
	/// No isolation, the minimal environment only: for tests of other parts.
	pub fn none() -> Self {
		Self {
			kind: SandboxKind::None,
			network: false,
			read_only_paths: Vec::new(),
			pass_env: Vec::new(),
		}
	}

	/// Runs `true` the way jobs run, in a scratch directory `work_dir/.sandbox-check`: fails
	/// with what to do if bubblewrap is missing or cannot create a sandbox here (it needs user
	/// namespaces).
	pub async fn check(&self, work_dir: &Path) -> Result<(), String> {
		let scratch = work_dir.join(".sandbox-check");
		let _ = std::fs::remove_dir_all(&scratch);
		std::fs::create_dir_all(&scratch)
			.map_err(|error| format!("{}: {error}", scratch.display()))?;
		let outcome = match self.command("true", &scratch, &[]) {
			Err(error) => Err(error.to_string()),
			Ok(mut command) => {
				match command
					.stdin(Stdio::null())
					.stdout(Stdio::null())
					.stderr(Stdio::piped())
					.output()
					.await
				{
					Ok(output) if output.status.success() => Ok(()),
					Ok(output) => Err(String::from_utf8_lossy(&output.stderr).trim().to_owned()),
					Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
						Err("bubblewrap (`bwrap`) is not installed: apt-get install bubblewrap"
							.into())
					},
					Err(error) => Err(error.to_string()),
				}
			},
		};
		let _ = std::fs::remove_dir_all(&scratch);
		outcome.map_err(|reason| format!("job commands cannot be sandboxed: {reason}"))
	}

	/// The command that runs `sh -c shell` for a job whose directory is `job_dir`, with
	/// `job_env` as its only variables besides `PATH`, `HOME`, `LANG` and the passed-through
	/// ones. Makes `job_dir` the job user's when the executor is root.
	pub fn command(
		&self,
		shell: &str,
		job_dir: &Path,
		job_env: &[(String, String)],
	) -> std::io::Result<tokio::process::Command> {
		let mut env: Vec<(OsString, OsString)> = vec![
			("PATH".into(), JOB_PATH.into()),
			("HOME".into(), job_dir.into()),
			("LANG".into(), "C.UTF-8".into()),
		];
		env.extend(
			self.pass_env
				.iter()
				.filter_map(|name| std::env::var_os(name).map(|value| (name.into(), value))),
		);
		env.extend(job_env.iter().map(|(name, value)| (name.into(), value.into())));
		let mut command = match self.kind {
			SandboxKind::None => {
				let mut command = tokio::process::Command::new("sh");
				command.arg("-c").arg(shell);
				command
			},
			SandboxKind::Bwrap => {
				let root = is_root();
				if root {
					chown_tree(job_dir, JOB_UID)?;
				}
				let mut command = tokio::process::Command::new("bwrap");
				command.args(self.bwrap_args(job_dir, root)).arg("--");
				if root {
					// bubblewrap runs as root to build the sandbox (it reaches paths the job user
					// could not), and the command runs as the job user, without capabilities.
					command.args(drop_to_job_user());
				}
				command.args(["sh", "-c", shell]);
				command
			},
		};
		command.env_clear().envs(env).current_dir(job_dir);
		Ok(command)
	}

	/// bubblewrap's arguments for a job in `job_dir`. As root: no user namespace (the command
	/// drops to the job user itself, so it is `nobody` on the host too); otherwise a user
	/// namespace in which the command is `nobody`.
	fn bwrap_args(&self, job_dir: &Path, root: bool) -> Vec<OsString> {
		let uid = JOB_UID.to_string();
		let mut args: Vec<OsString> = Vec::new();
		let strings = |items: &[&str]| items.iter().map(OsString::from).collect::<Vec<_>>();
		if root {
			args.extend(strings(&["--unshare-ipc", "--unshare-pid", "--unshare-uts"]));
			args.extend(strings(&["--unshare-cgroup-try"]));
			if !self.network {
				args.extend(strings(&["--unshare-net"]));
			}
		} else {
			args.extend(strings(&["--unshare-all", "--unshare-user"]));
			args.extend(strings(&["--uid", &uid, "--gid", &uid]));
			if self.network {
				args.extend(strings(&["--share-net"]));
			}
		}
		args.extend(strings(&["--die-with-parent"]));
		args.extend(strings(&["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]));
		for device in GPU_DEVICES {
			args.extend(strings(&["--dev-bind-try", device, device]));
		}
		let system: Vec<PathBuf> = SYSTEM_PATHS.iter().map(PathBuf::from).collect();
		let mut targets: Vec<&Path> = system.iter().map(PathBuf::as_path).collect();
		targets.extend(self.read_only_paths.iter().map(PathBuf::as_path));
		targets.push(job_dir);
		// The directories above each bound path are made traversable (bubblewrap would make
		// them 0700 and owned by root, which the job user cannot enter).
		let mut made = std::collections::BTreeSet::new();
		for target in &targets {
			for ancestor in target.ancestors().skip(1).collect::<Vec<_>>().into_iter().rev() {
				if ancestor.parent().is_some() && made.insert(ancestor.to_owned()) {
					args.extend(strings(&["--perms", "0755", "--dir"]));
					args.push(ancestor.as_os_str().to_owned());
				}
			}
		}
		for path in SYSTEM_PATHS {
			args.extend(strings(&["--ro-bind-try", path, path]));
		}
		args.extend(usr_links());
		for path in &self.read_only_paths {
			let path = path.as_os_str().to_owned();
			args.extend(["--ro-bind".into(), path.clone(), path]);
		}
		let dir = job_dir.as_os_str().to_owned();
		args.extend(["--bind".into(), dir.clone(), dir.clone(), "--chdir".into(), dir]);
		args
	}
}

/// `setpriv` arguments that run the rest of the command line as the job user, without
/// supplementary groups or capabilities, and unable to gain privileges.
fn drop_to_job_user() -> Vec<String> {
	let id = JOB_UID.to_string();
	vec![
		"/usr/bin/setpriv".into(),
		format!("--reuid={id}"),
		format!("--regid={id}"),
		"--clear-groups".into(),
		"--inh-caps=-all".into(),
		"--bounding-set=-all".into(),
		"--no-new-privs".into(),
		"--".into(),
	]
}

/// `--symlink usr/X /X` for each top-level directory that is a link into `/usr` here, or
/// `--ro-bind-try /X /X` where it is a real directory.
fn usr_links() -> Vec<OsString> {
	let mut args = Vec::new();
	for path in USR_LINKS {
		match std::fs::read_link(path) {
			Ok(target) => {
				args.extend(["--symlink".into(), target.into_os_string(), OsString::from(path)])
			},
			Err(_) => {
				args.extend(["--ro-bind-try".into(), OsString::from(path), OsString::from(path)])
			},
		}
	}
	args
}

/// Whether the executor runs as root.
fn is_root() -> bool {
	// SAFETY: geteuid(2) has no preconditions and touches no memory.
	unsafe { libc::geteuid() == 0 }
}

/// Makes `path` and everything under it (not following links) owned by `uid`.
fn chown_tree(path: &Path, uid: u32) -> std::io::Result<()> {
	std::os::unix::fs::lchown(path, Some(uid), Some(uid))?;
	if std::fs::symlink_metadata(path)?.is_dir() {
		for entry in std::fs::read_dir(path)? {
			chown_tree(&entry?.path(), uid)?;
		}
	}
	Ok(())
}
