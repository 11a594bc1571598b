import { formatImpactMarkdown, formatImpactText, impactOf, impactPage, impactToJson, renderReportHtml } from '@ovn-nbgen/core/explain';
import { EXIT_FOUND, EXIT_OK, UsageError } from '../errors.js';
import { COMPILE_FLAGS_HELP, compileFlags } from '../options/common.js';
import { parseCommandArgs } from '../options/parse.js';
import type { Command } from './command.js';
import { compiledModel } from './explain.js';

const FORMATS = ['text', 'json', 'markdown', 'html'] as const;

export const impactCommand: Command = {
  summary: 'list the flows a change of policies opens or closes, with the rule deciding each (offline, for review)',
  usage: `nbgen impact --before PATH... --after PATH... [-o text|json|markdown|html] [flags]

Compiles both versions and judges, in each, every flow the way \`nbgen explain\` does: every pod
to every pod on every port/protocol a policy of either version names, plus one port no policy
names (standing for any other port); both address families where both ends have both; every
Service VIP on its ports (after DNAT, every backend); from and to an address inside and one
outside every ipBlock/networks CIDR and its excepts; and, when Nodes are in the input, from every
pod and outside address to node:NODE:nodePort of every NodePort/LoadBalancer Service (judged in
legs, as explain does). Pods with the same namespace labels, pod
labels, named ports and families are judged once, as a class. Lists every flow whose verdict
changes, grouped per source, destination and port: opened or closed, with the number of pods on
each side and the rule that decides it after the change (and before).

      --before PATH...   manifests of the current version (files, directories; repeatable)
      --after PATH...    manifests of the proposed version
  -o, --output FORMAT    text (default), json, or markdown (a summary line and a table capped at
                         50 rows, for a pull-request comment), or html (one self-contained page:
                         the matrix after the change on each port a pod-to-pod flow changes,
                         changed cells marked, the rule before and after on hover or click)
${COMPILE_FLAGS_HELP}

Exit status: 0 nothing changes, 1 something does, 2 bad input.

Example (the change opens and closes flows: exit 1):
  nbgen impact --before examples/pr-review/cluster.yaml examples/pr-review/before --after examples/pr-review/cluster.yaml examples/pr-review/after`,
  async run(argv, io) {
    const { values } = parseCommandArgs('impact', spreadPathLists(argv), {
      ...compileFlags,
      before: { type: 'string', multiple: true },
      after: { type: 'string', multiple: true },
      output: { type: 'string', short: 'o' },
    });
    const format = values.output ?? 'text';
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--output: expected ${FORMATS.join(', ')}, found ${JSON.stringify(format)}`, 'impact');
    if (!values.before?.length || !values.after?.length) throw new UsageError('--before PATH... and --after PATH... are required', 'impact');
    const before = await compiledModel('impact', { ...values, filename: values.before }, io);
    const after = await compiledModel('impact', { ...values, filename: values.after }, io);
    const impact = impactOf(before, after, { portNameFor: after.settings.compileOptions.portNameFor, afterFlows: format === 'html' });
    if (format === 'json') io.stdout(`${JSON.stringify(impactToJson(impact), null, 2)}\n`);
    else if (format === 'html') io.stdout(renderReportHtml(impactPage(impact)));
    else if (format === 'markdown') io.stdout(formatImpactMarkdown(impact));
    else io.stdout(formatImpactText(impact));
    return impact.changes.length === 0 ? EXIT_OK : EXIT_FOUND;
  },
};

/** `--before a b --after c` → `--before a --before b --after c`: the paths after a flag are its own. */
export function spreadPathLists(argv: readonly string[]): string[] {
  const out: string[] = [];
  let list: string | null = null;
  for (const arg of argv) {
    if (arg === '--before' || arg === '--after') {
      list = arg;
      continue;
    }
    if (list !== null && !arg.startsWith('-')) {
      out.push(list, arg);
      continue;
    }
    if (list !== null && out[out.length - 2] !== list) out.push(list);
    list = null;
    out.push(arg);
  }
  if (list !== null && out[out.length - 2] !== list) out.push(list);
  return out;
}
