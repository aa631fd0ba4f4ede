// npm scripts run on the Node 24 pinned as a devDependency; stop early with a clear word if not.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`llmux needs Node.js 22.19 or newer (this is ${process.version}); run it through npm so the pinned Node 24 is used.`);
  process.exit(1);
}
