// Expected reachability from Kubernetes semantics, and the whole-matrix comparison.
//
// Like the upstream e2e `Reachability` truth tables, a scenario starts from "everything allowed"
// and states, in Kubernetes terms, which pods its policies isolate and which probes they allow:
//
//   k8s.ingress('x/a', ({ from }) => from.namespace === 'y');   // x/a: ingress only from ns y
//   k8s.egress(inNamespace('x'));                              // egress from x/* denied
//
// The rules (NetworkPolicy API reference, "Isolated and Non-isolated Pods"): a pod selected by
// some policy for a direction is isolated in that direction; a connection is allowed iff the
// source's egress and the destination's ingress both allow it; each direction allows what the
// union of the applying rules allows (policies are additive). The expectation never looks at
// compiled rows: the verdicts it is compared with come from ovn-trace.
import type { Connection } from '../../harness/topology.js';
import type { Verdict } from '../../harness/trace.js';
import type { ClusterPod } from './cluster.js';

/** One first packet: `from` opens `conn` to `to`'s address of `conn.family`. */
export interface Probe {
  readonly from: ClusterPod;
  readonly to: ClusterPod;
  readonly conn: Connection;
}

/** Does a rule allow this probe? (For ingress the peer is `from`, for egress it is `to`.) */
export type Allow = (probe: Probe) => boolean;

/** A pod by key (`x/a`), or every pod a predicate accepts. */
export type PodMatch = string | ((pod: ClusterPod) => boolean);

export const inNamespace =
  (...namespaces: string[]) =>
  (pod: ClusterPod): boolean =>
    namespaces.includes(pod.namespace);

export const anyPod = (): boolean => true;

function matches(match: PodMatch, pod: ClusterPod): boolean {
  return typeof match === 'string' ? pod.key === match : match(pod);
}

interface Isolation {
  readonly target: PodMatch;
  readonly allows: readonly Allow[];
}

export class Expectations {
  private readonly ingressRules: Isolation[] = [];
  private readonly egressRules: Isolation[] = [];

  /**
   * Isolates `target` for ingress (a policy selects it with type Ingress) and allows the probes
   * any of `allows` accepts. No `allows`: ingress to `target` is denied. Calls add up.
   */
  ingress(target: PodMatch, ...allows: Allow[]): this {
    this.ingressRules.push({ target, allows });
    return this;
  }

  /** Same as `ingress`, for traffic leaving `target`. */
  egress(target: PodMatch, ...allows: Allow[]): this {
    this.egressRules.push({ target, allows });
    return this;
  }

  verdict(probe: Probe): Verdict {
    const permits = (rules: readonly Isolation[], pod: ClusterPod): boolean => {
      const applying = rules.filter((r) => matches(r.target, pod));
      return applying.length === 0 || applying.some((r) => r.allows.some((allow) => allow(probe)));
    };
    return permits(this.egressRules, probe.from) && permits(this.ingressRules, probe.to) ? 'allow' : 'drop';
  }
}

export function connectionLabel(conn: Connection): string {
  return `${conn.protocol.toUpperCase()}/${conn.port} IPv${conn.family}`;
}

/** Every ordered pair of distinct pods that have an address of the connection's family. */
export function probesFor(pods: readonly ClusterPod[], connections: readonly Connection[]): Probe[] {
  const probes: Probe[] = [];
  for (const conn of connections) {
    const reachable = pods.filter((p) => (conn.family === 4 ? true : p.ipv6 !== null));
    for (const from of reachable) {
      for (const to of reachable) {
        // A pod talking to itself never leaves its network namespace: not a policy question.
        if (from.key !== to.key) probes.push({ from, to, conn });
      }
    }
  }
  return probes;
}

export const probeKey = (p: Probe): string => `${connectionLabel(p.conn)} ${p.from.key} -> ${p.to.key}`;

/** Verdict of every probe, by `probeKey`. */
export type Matrix = ReadonlyMap<string, Verdict>;

export function expectedMatrix(probes: readonly Probe[], expect: (k8s: Expectations) => void): Matrix {
  const k8s = new Expectations();
  expect(k8s);
  return new Map(probes.map((p) => [probeKey(p), k8s.verdict(p)]));
}

export interface Mismatch {
  readonly probe: Probe;
  readonly expected: Verdict;
  readonly observed: Verdict;
}

export function mismatches(probes: readonly Probe[], expected: Matrix, observed: Matrix): Mismatch[] {
  return probes.flatMap((probe) => {
    const key = probeKey(probe);
    const e = expected.get(key);
    const o = observed.get(key);
    if (e === undefined || o === undefined) throw new Error(`no verdict for ${key}`);
    return e === o ? [] : [{ probe, expected: e, observed: o }];
  });
}

/**
 * One grid per connection with a mismatch, rows = source, columns = destination:
 * `.` allowed as expected, `X` dropped as expected, `!` expected allow but dropped,
 * `?` expected drop but allowed, `-` not probed (same pod).
 */
export function formatMatrixDiff(
  pods: readonly ClusterPod[],
  probes: readonly Probe[],
  expected: Matrix,
  observed: Matrix,
): string {
  const out: string[] = [];
  const connections = [...new Map(probes.map((p) => [connectionLabel(p.conn), p.conn])).values()];
  for (const conn of connections) {
    const label = connectionLabel(conn);
    const rows = pods.filter((p) => conn.family === 4 || p.ipv6 !== null);
    const cell = (from: ClusterPod, to: ClusterPod): string => {
      const key = `${label} ${from.key} -> ${to.key}`;
      const e = expected.get(key);
      const o = observed.get(key);
      if (e === undefined || o === undefined) return '-';
      if (e === o) return e === 'allow' ? '.' : 'X';
      return e === 'allow' ? '!' : '?';
    };
    const grid = rows.map((from) => rows.map((to) => cell(from, to)));
    const wrong = grid.flat().filter((c) => c === '!' || c === '?').length;
    if (wrong === 0) continue;
    out.push(`${label}: ${wrong} probe(s) differ (rows: from, columns: to; . allow  X drop  ! want allow, got drop  ? want drop, got allow)`);
    out.push(`       ${rows.map((p) => p.key.padEnd(4)).join('')}`);
    rows.forEach((from, i) => out.push(`  ${from.key.padEnd(5)}${grid[i]!.map((c) => c.padEnd(4)).join('')}`));
  }
  return out.join('\n');
}
