import type { Inventory } from '../model/inventory.js';
import type { AclProgram } from './aclProgram.js';
import { endAddressOf, knownPodEnd, podPortName, type Endpoint } from './endpoints.js';
import type { Verdict } from './evaluateStage.js';
import { DEFAULT_SOURCE_PORT, type ExplainOptions, type FlowQuery } from './explainFlow.js';
import type { L4Name } from './match/evaluate.js';
import { judgeDirectPath, type DecidingRow } from './path.js';

/** judgeFlow's verdict, deciding rows and family for a flow from one OVN pod to another. */
export interface PodFlowJudgement {
  readonly verdict: Verdict;
  /** The one path's deciding rows (judgeFlow's `paths[0].decidingRows`). */
  readonly decidingRows: readonly DecidingRow[];
  readonly family: 4 | 6;
}

/**
 * judgeFlow for the flow most of a flows file holds, from one OVN pod to another, both named
 * `NS/NAME`: the same ends (the pod index's), the same family, the same one pass judged by
 * judgeDirectPath on the same two packets, without the explanation around it (its context, ends,
 * path, lists: about 500 bytes a flow that nbgen test only read the verdict, rows and family of).
 * null for any other flow, and for one judgeFlow refuses (a bad port, no shared family): the
 * caller asks judgeFlow, which judges or refuses it with its message.
 * (test/flowtest/podFlow.differential.test.ts holds it to judgeFlow on random clusters and flows.)
 */
export function judgePodFlow(program: AclProgram, inventory: Inventory, query: FlowQuery, options: ExplainOptions): PodFlowJudgement | null {
  if (query.via !== undefined || query.protocol === 'ICMP') return null;
  const port = query.port;
  if (port === null || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  // explainAny: `from` is the pod of that name when it has an OVN port (resolveEndpoint's first
  // look-up), `to` the same by knownPodEnd; knownPodEnd also leaves `svc:`/`node:` texts to it.
  const source = knownPodEnd(inventory, query.from);
  if (source === null) return null;
  const target = knownPodEnd(inventory, query.to);
  if (target === null || source.kind !== 'pod' || target.kind !== 'pod' || source.pod === target.pod) return null;
  const family = sharedFamily(query.family, source, target);
  if (family === null) return null;
  const src = endAddressOf(source, family)!;
  const dst = endAddressOf(target, family)!;
  const traced = judgeDirectPath(
    program,
    family,
    L4_NAMES[query.protocol],
    options.sourcePort ?? DEFAULT_SOURCE_PORT,
    podPortName(source, options.portNameFor),
    podPortName(target, options.portNameFor),
    src.value,
    dst.value,
    port,
  );
  return { verdict: traced.verdict, decidingRows: traced.decidingRows, family };
}

// The probe's protocol as explainAny writes it (`toLowerCase`), without a new string per flow.
const L4_NAMES: Readonly<Record<Exclude<FlowQuery['protocol'], 'ICMP'>, L4Name>> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

/** pickFamily's answer for two pod ends, or null where it refuses. */
function sharedFamily(asked: 4 | 6 | undefined, source: Endpoint, target: Endpoint): 4 | 6 | null {
  const v4 = endAddressOf(source, 4) !== null && endAddressOf(target, 4) !== null;
  if (v4 && asked !== 6) return 4;
  const v6 = endAddressOf(source, 6) !== null && endAddressOf(target, 6) !== null;
  if (asked === undefined) return v6 ? 6 : null;
  return (asked === 4 ? v4 : v6) ? asked : null;
}
