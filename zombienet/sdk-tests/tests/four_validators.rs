//! A four-validator network of `chain-specs/local.json` spawned by zombienet-sdk's native
//! provider, through node failures. GRANDPA has four voters of equal weight, so finality needs
//! three of them; Aura keeps producing blocks in the slots of the validators that are up.
//!
//! One network serves every scenario, each starting from the state the previous one left:
//!
//! 1. all four validators author blocks and all four finalize;
//! 2. Dave is killed with SIGKILL: Alice, Bob and Charlie keep finalizing;
//! 3. Dave is restarted: he comes back with his database (the best block he reads from disk at
//!    start-up is not behind what he had) and catches up with the others;
//! 4. Charlie and Dave are killed: blocks continue in Alice's and Bob's slots, finality stalls;
//!    Charlie is restarted (again with his database) and finality recovers on all three.
//!
//! Recovery is asserted against bounds (measured times are printed): a restarted node answers RPC
//! within 10 s, Dave catches up within 30 s of his restart, and finality is back within 60 s of
//! Charlie's. The other waits are generous for a loaded 2-core machine; every wait polls.

use std::time::{Duration, Instant};

use anyhow::ensure;
use zerog_zombienet_tests::{
	best_at_startup, kill_9, metric, spawn_four_validators, wait_metric, wait_rpc, AUTHORED, BEST,
	FINALIZED,
};
use zombienet_sdk::{LocalFileSystem, Network};

/// How long a wait that is not a recovery bound may take.
const TIMEOUT: Duration = Duration::from_secs(180);
/// A node restarted after kill -9 answers RPC within this.
const RPC_BACK_WITHIN: Duration = Duration::from_secs(10);
/// A validator restarted on its database has the others' best and finalized blocks within this.
const CATCH_UP_WITHIN: Duration = Duration::from_secs(30);
/// With two of four voters down, finality is back within this once one of them restarts.
const FINALITY_BACK_WITHIN: Duration = Duration::from_secs(60);
/// Blocks the chain must grow by, with finality standing still, before a stall counts.
const STALL_BLOCKS: u64 = 8;

#[tokio::test(flavor = "multi_thread")]
async fn four_validators_finalize_and_survive_kills_and_restarts() -> anyhow::Result<()> {
	let network = spawn_four_validators("four-validators").await?;
	let outcome = scenarios(&network).await;
	// Stop every node whatever happened; keep the network's files only after a failure.
	let base_dir = network.base_dir().map(std::path::PathBuf::from);
	network.destroy().await?;
	match (outcome, base_dir) {
		(Ok(()), Some(base_dir)) => {
			let _ = std::fs::remove_dir_all(base_dir);
			Ok(())
		},
		(Err(error), Some(base_dir)) => {
			Err(error.context(format!("network files kept in {}", base_dir.display())))
		},
		(outcome, None) => outcome,
	}
}

async fn scenarios(network: &Network<LocalFileSystem>) -> anyhow::Result<()> {
	let alice = network.get_node("alice")?;
	let bob = network.get_node("bob")?;
	let charlie = network.get_node("charlie")?;
	let dave = network.get_node("dave")?;
	let all = [alice, bob, charlie, dave];

	// 1. Every validator authors (Aura gives each a slot in turn) and finalizes.
	for node in all {
		wait_metric(node, AUTHORED, "an authored block", TIMEOUT, |n| n >= 1).await?;
	}
	let target = metric(alice, BEST).await?;
	for node in all {
		wait_metric(node, FINALIZED, "finality of the blocks all four authored", TIMEOUT, |n| {
			n >= target
		})
		.await?;
	}
	println!("1. all four authored; all finalized #{target}");

	// 2. Dave crashes; three of four voters still finalize.
	let dave_best = metric(dave, BEST).await?;
	let dave_finalized = metric(dave, FINALIZED).await?;
	let dave_log = dave.logs().await?.len();
	kill_9(dave)?;
	let finalized = metric(alice, FINALIZED).await?;
	for node in [alice, bob, charlie] {
		wait_metric(node, FINALIZED, "finality without Dave", TIMEOUT, |n| n >= finalized + 3)
			.await?;
	}
	println!("2. Dave killed at best #{dave_best}; the others finalized past #{}", finalized + 3);

	// 3. Dave comes back from his own database and catches up.
	let restarted = Instant::now();
	dave.restart(None).await?;
	let rpc_back = wait_rpc(dave, RPC_BACK_WITHIN).await?;
	println!("   Dave answers RPC {rpc_back:?} after his restart (bound {RPC_BACK_WITHIN:?})");
	let from_disk = best_at_startup(dave, dave_log, TIMEOUT).await?;
	ensure!(from_disk >= dave_best, "Dave restarted at #{from_disk}, below #{dave_best}");
	let finalized_at_restart =
		wait_metric(dave, FINALIZED, "a finalized block", TIMEOUT, |_| true).await?;
	ensure!(
		finalized_at_restart >= dave_finalized,
		"Dave restarted finalized at #{finalized_at_restart}, below #{dave_finalized}"
	);
	let others_best = metric(alice, BEST).await?;
	let left = CATCH_UP_WITHIN.saturating_sub(restarted.elapsed());
	wait_metric(dave, BEST, "catching up with Alice", left, |n| n >= others_best).await?;
	let left = CATCH_UP_WITHIN.saturating_sub(restarted.elapsed());
	wait_metric(dave, FINALIZED, "catching up with finality", left, |n| n >= others_best).await?;
	let caught_up = restarted.elapsed();
	ensure!(caught_up <= CATCH_UP_WITHIN, "Dave caught up in {caught_up:?}");
	println!(
		"3. Dave restarted at #{from_disk} from disk (#{dave_best} before the kill) and caught \
		 up to #{others_best} {caught_up:?} after his restart (bound {CATCH_UP_WITHIN:?})"
	);

	// 4. Two of four down: blocks go on, finality stalls, then recovers with a third voter.
	wait_metric(charlie, FINALIZED, "Charlie finalized", TIMEOUT, |n| n >= others_best).await?;
	let charlie_best = metric(charlie, BEST).await?;
	let charlie_log = charlie.logs().await?.len();
	kill_9(charlie)?;
	kill_9(dave)?;
	// Votes already cast may still finalize a block or two: let that settle first.
	tokio::time::sleep(Duration::from_secs(6)).await;
	let stalled_at = metric(alice, FINALIZED).await?;
	let best = metric(alice, BEST).await?;
	wait_metric(alice, BEST, "blocks with two validators down", TIMEOUT, |n| {
		n >= best + STALL_BLOCKS
	})
	.await?;
	for node in [alice, bob] {
		let finalized = metric(node, FINALIZED).await?;
		ensure!(
			finalized <= stalled_at,
			"{} finalized #{finalized} with two of four voters down (stalled at #{stalled_at})",
			node.name()
		);
	}
	println!(
		"4. Charlie and Dave killed: best grew past #{} while finality stayed at #{stalled_at}",
		best + STALL_BLOCKS
	);

	let restarted = Instant::now();
	charlie.restart(None).await?;
	let rpc_back = wait_rpc(charlie, RPC_BACK_WITHIN).await?;
	println!("   Charlie answers RPC {rpc_back:?} after his restart (bound {RPC_BACK_WITHIN:?})");
	let from_disk = best_at_startup(charlie, charlie_log, TIMEOUT).await?;
	ensure!(from_disk >= charlie_best, "Charlie restarted at #{from_disk}, below #{charlie_best}");
	let best = metric(alice, BEST).await?;
	for node in [alice, bob, charlie] {
		let left = FINALITY_BACK_WITHIN.saturating_sub(restarted.elapsed());
		wait_metric(node, FINALIZED, "finality after Charlie's return", left, |n| n >= best)
			.await?;
	}
	let finality_back = restarted.elapsed();
	ensure!(finality_back <= FINALITY_BACK_WITHIN, "finality back in {finality_back:?}");
	println!(
		"   Charlie restarted at #{from_disk} from disk; finality recovered to #{best} on all \
		 three {finality_back:?} after his restart (bound {FINALITY_BACK_WITHIN:?})"
	);

	Ok(())
}
