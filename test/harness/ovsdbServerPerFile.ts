// The lifetime the OVSDB tests give their servers: one per test file, started before its tests and
// stopped after them. Apart from ovsdbServer.ts so that module stays free of vitest.
import { afterAll, beforeAll } from 'vitest';
import {
  makeTempDir,
  removeTempDir,
  run,
  startNbCluster,
  startStandaloneNb,
  stopAllOvsdbServers,
  type NbCluster,
  type StandaloneNb,
  type StandaloneNbOptions,
} from './ovsdbServer.js';

const START_TIMEOUT_MS = 60_000;

function runningOnly<T>(what: string, get: () => T | undefined): () => T {
  return () => get() ?? fail(`${what} is not started yet: use it inside a hook or a test`);
}

function fail(message: string): never {
  throw new Error(message);
}

/**
 * A standalone NB for the tests of one file, and ovn-nbctl on its unix socket. `options` runs in
 * the beforeAll (e.g. to make the TLS files). After the tests: the NB and every ovsdb-server the
 * file started are stopped.
 */
export function standaloneNbPerFile(options: () => StandaloneNbOptions | Promise<StandaloneNbOptions> = () => ({})): {
  readonly nb: () => StandaloneNb;
  readonly nbctl: (...args: string[]) => Promise<string>;
} {
  let started: StandaloneNb | undefined;
  beforeAll(async () => {
    started = await startStandaloneNb(await options());
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await started?.stop();
    await stopAllOvsdbServers();
  });
  const nb = runningOnly('the NB', () => started);
  return { nb, nbctl: (...args) => run('ovn-nbctl', [`--db=${nb().remotes.unix}`, ...args]) };
}

/** A Raft NB cluster of `size` members for the tests of one file, stopped (with every ovsdb-server the file started) after them. */
export function nbClusterPerFile(size: number): () => NbCluster {
  let started: NbCluster | undefined;
  beforeAll(async () => {
    started = await startNbCluster({ size });
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await started?.stop();
    await stopAllOvsdbServers();
  });
  return runningOnly('the NB cluster', () => started);
}

/** A temporary directory for the tests of one file, made before them and removed after them. */
export function tempDirPerFile(prefix: string): () => string {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await makeTempDir(prefix);
  });
  afterAll(async () => {
    if (dir) await removeTempDir(dir);
  });
  return runningOnly('the temporary directory', () => dir);
}
