// Drives the `zerog` command-line client (ZEROG_CLI, or `zerog` on PATH) against one node of the
// network and reports whether it did what services.zndsl expects.
//
//   alice: js-script ./scripts/zerog-cli.js with "da" return is equal to 1 within 400 seconds
//     publishes a random 1 MiB blob through the node with `zerog da submit --wait`; 1 when the
//     signer quorum certified it and every registered signer (3) received its shards;
//   dave: js-script ./scripts/zerog-cli.js with "storage" return is equal to 1 within 300 seconds
//     commits and uploads a random 1 MiB file to the node with `zerog storage upload`; 1 when the
//     node reports every segment stored. The node's storage provider then has a file to be challenged on.

const { execFileSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");

const cli = process.env.ZEROG_CLI || "zerog";

function zerog(wsUri, args) {
  const out = execFileSync(cli, ["--rpc", wsUri, ...args, "--suri", "//Alice", "--json"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  console.log(out.trim());
  return JSON.parse(out.trim().split("\n").pop());
}

async function run(nodeName, networkInfo, args) {
  const [mode] = args;
  const { wsUri } = networkInfo.nodesByName[nodeName];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zerog-zombienet-"));
  const file = path.join(dir, `${mode}.bin`);
  fs.writeFileSync(file, crypto.randomBytes(1 << 20));
  try {
    if (mode === "da") {
      const report = zerog(wsUri, ["da", "submit", file, "--namespace", "1", "--wait", "--timeout", "300"]);
      return report.certifiedAt != null && (report.signers || []).length === 3 ? 1 : 0;
    }
    if (mode === "storage") {
      const report = zerog(wsUri, ["storage", "upload", file]);
      return report.finalized === true ? 1 : 0;
    }
    throw new Error(`unknown mode ${mode}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { run };
