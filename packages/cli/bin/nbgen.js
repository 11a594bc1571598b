#!/usr/bin/env node
// The `nbgen` command. The CLI and the tests run the same TypeScript sources: tsx compiles them on
// load, so there is no build step and no dist/ to fall out of date.
import { register } from 'tsx/esm/api';

register();
let main;
try {
  ({ main } = await import('../src/main.ts'));
} catch (error) {
  // Sources that do not load are a bug, not bad input: exit code 3 like any internal error.
  process.stderr.write(`nbgen: internal error (please report): ${error?.stack ?? error}\n`);
  process.exit(3);
}
await main();
