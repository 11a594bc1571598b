#!/usr/bin/env node
// The `nbgen` command. The CLI and the tests run the same TypeScript sources: tsx compiles them on
// load, so there is no build step and no dist/ to fall out of date.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
await main();
