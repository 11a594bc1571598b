#!/usr/bin/env node
// The `nbgen` command: runs the compiled CLI as bundled into bundle/ (tsc's dist/ in ESM chunks, one
// per command: scripts/bundle.mjs), built by `npm ci` through the root `prepare` script or by
// `npm pack`, so no TypeScript compiler or loader runs at start-up.
let main;
try {
  ({ main } = await import('../bundle/main.js'));
} catch (error) {
  // A build that does not load is a bug (or a checkout never built: `npm run build`), not bad
  // input: exit code 3 like any internal error.
  process.stderr.write(`nbgen: internal error (please report): ${error?.stack ?? error}\n`);
  process.exit(3);
}
await main();
// Done: exit now instead of when the event loop drains. With nothing left to run, Node still waits
// for V8's background GC tasks before it exits (10-40 ms after a command that read 800 rows, on a
// busy machine); main() has closed its connections, and output written to a pipe that is still
// pending (asynchronous pipes, Windows) is let drain the ordinary way.
if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
