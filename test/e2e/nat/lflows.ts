// Southbound logical flows as `ovn-sbctl lflow-list` prints them, parsed so tests can ask OVN's
// own compiled answer ("which chassis runs this NAT?") instead of looking at the rows we wrote.

export interface LogicalFlow {
  readonly datapath: string;
  readonly pipeline: 'ingress' | 'egress';
  readonly table: number;
  /** Stage name, e.g. `lr_out_snat`. */
  readonly stage: string;
  readonly priority: number;
  readonly match: string;
  readonly actions: string;
}

const DATAPATH = /^Datapath: "([^"]*)" \([0-9a-f-]+\)\s+Pipeline: (ingress|egress)$/;
const FLOW = /^\s+table=\s*(\d+)\s*\(\s*([a-z_0-9]+)\s*\), priority=(\d+)\s*, match=\((.*)\), action=\((.*)\)$/;

export function parseLogicalFlows(text: string): LogicalFlow[] {
  const flows: LogicalFlow[] = [];
  let datapath = '';
  let pipeline: 'ingress' | 'egress' = 'ingress';
  for (const line of text.split('\n')) {
    const dp = DATAPATH.exec(line);
    if (dp) {
      datapath = dp[1]!;
      pipeline = dp[2] as 'ingress' | 'egress';
      continue;
    }
    const f = FLOW.exec(line);
    if (f) {
      flows.push({ datapath, pipeline, table: Number(f[1]), stage: f[2]!, priority: Number(f[3]), match: f[4]!, actions: f[5]! });
    } else if (line.trim() !== '') {
      throw new Error(`unparsed lflow-list line: ${line}`);
    }
  }
  return flows;
}

/** The ports named in `is_chassis_resident("...")` of a match: where OVN runs the flow. */
export function residentPorts(flow: LogicalFlow): string[] {
  return [...flow.match.matchAll(/is_chassis_resident\("([^"]+)"\)/g)].map((m) => m[1]!);
}

/** `ip4.src == 192.168.0.2` as a whole term (not a prefix of 192.168.0.20). */
export function matchHasTerm(flow: LogicalFlow, term: string): boolean {
  const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[ (])${escaped}($|[ )])`).test(flow.match);
}
