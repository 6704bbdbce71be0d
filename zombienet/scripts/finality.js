// Relative finality checks for the zombienet test runner (`js-script` lines of the .zndsl files),
// which can otherwise only compare a metric with a fixed number.
//
//   <node>: js-script ./scripts/finality.js with "advances,N" return is equal to 1 within T seconds
//     the node's finalized block advances by N blocks from now;
//   <node>: js-script ./scripts/finality.js with "stalls,N" return is equal to 1 within T seconds
//     the node's best block grows by N blocks while its finalized block stays where it is
//     (sampled after two new blocks, so a round whose votes were already out can complete);
//   <node>: js-script ./scripts/finality.js with "catches-up,OTHER" return is equal to 1 within T seconds
//     the node's best and finalized blocks reach OTHER's, as OTHER reports them now.
//
// The runner provides the global `zombie` (`zombie.connect`, the @polkadot/api classes) and
// calls `run(nodeName, networkInfo, args)`; the returned number is compared with the `return`
// clause, and the `within` clause bounds the whole call.

async function numbers(api) {
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const finalizedHash = await api.rpc.chain.getFinalizedHead();
  const finalized = (await api.rpc.chain.getHeader(finalizedHash)).number.toNumber();
  return { best, finalized };
}

// Resolves once `condition(numbers)` holds, polling every second.
async function until(api, condition) {
  for (;;) {
    const now = await numbers(api);
    if (condition(now)) return now;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function run(nodeName, networkInfo, args) {
  const [mode, value] = args;
  const node = networkInfo.nodesByName[nodeName];
  const api = await zombie.connect(node.wsUri, node.userDefinedTypes);
  try {
    if (mode === "advances") {
      const start = await numbers(api);
      const reached = await until(api, (n) => n.finalized >= start.finalized + Number(value));
      console.log(`${nodeName}: finalized #${start.finalized} -> #${reached.finalized}`);
      return 1;
    }
    if (mode === "stalls") {
      const first = await numbers(api);
      const settled = await until(api, (n) => n.best >= first.best + 2);
      const reached = await until(api, (n) => n.best >= settled.best + Number(value));
      console.log(
        `${nodeName}: best #${settled.best} -> #${reached.best}, ` +
          `finalized #${settled.finalized} -> #${reached.finalized}`,
      );
      return reached.finalized === settled.finalized ? 1 : 0;
    }
    if (mode === "catches-up") {
      const other = networkInfo.nodesByName[value];
      const otherApi = await zombie.connect(other.wsUri, other.userDefinedTypes);
      const target = await numbers(otherApi);
      await otherApi.disconnect();
      const reached = await until(
        api,
        (n) => n.best >= target.best && n.finalized >= target.finalized,
      );
      console.log(
        `${nodeName}: best #${reached.best}, finalized #${reached.finalized} ` +
          `(${value}: #${target.best}, #${target.finalized})`,
      );
      return 1;
    }
    throw new Error(`unknown mode ${mode}`);
  } finally {
    await api.disconnect();
  }
}

module.exports = { run };
