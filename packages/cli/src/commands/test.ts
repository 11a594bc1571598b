import { flowTestsToJson, formatFlowTestJunit, formatFlowTestText, parseFlowFile, runFlowTests, type ExpectedFlow } from '@ovn-nbgen/core/explain';
import type { AclRow, MatchExpr } from '@ovn-nbgen/core';
import { EXIT_FOUND, EXIT_OK, UsageError } from '../errors.js';
import { readManifestSources } from '../input/readSources.js';
import { readLiveSource, wantsLiveNb } from '../live/liveSource.js';
import { COMPILE_FLAGS_HELP, DB_FLAGS_HELP, INPUT_FLAGS_HELP, judgeFlags } from '../options/common.js';
import { parseCommandArgs } from '../options/parse.js';
import type { Command } from './command.js';
import { compiledModel } from './explain.js';

const FORMATS = ['text', 'json', 'junit'] as const;

export const testCommand: Command = {
  summary: 'check the flows a team relies on against the compiled rows: allow/deny as expected (offline, for CI)',
  usage: `nbgen test -f PATH... --expect FLOWS [-o text|json|junit] [flags]
       nbgen test --db REMOTE [-f PATH...] --expect FLOWS [--port-name CONVENTION] [-o text|json|junit]

Compiles the manifests and judges every flow of FLOWS the way \`nbgen explain\` does (the same
engine, one process for all flows). FLOWS is a YAML or JSON file: a list (or {flows: [...]}) of

  - {from: shop/client, to: svc:shop/web:80, expect: allow}
  - {from: shop/client, to: shop/db-0, port: 5432, protocol: TCP, family: 6, expect: deny}

from/to take what explain's --from/--to take (NAMESPACE/POD, an IP, svc:NAMESPACE/NAME:PORT, node:NODE:PORT);
protocol defaults to TCP; port is the Service port with svc: and the nodePort with node: (and may be
left out there).

      --expect FLOWS     the flows file (- for standard input)
  -o, --output FORMAT    text (default: one line per failing flow with the rule that decided it,
                         then "N passed, M failed"), json (one record per flow) or junit (XML)
${INPUT_FLAGS_HELP}
${COMPILE_FLAGS_HELP}

With --db the flows are judged on the live NB's rows, whoever wrote them (as \`nbgen explain --db\`:
read with select only; pods found by their port's external_ids or --port-name, -f adds names).
${DB_FLAGS_HELP}

Exit status: 0 every flow as expected, 1 some flow not, 2 bad input (an unknown pod, a malformed
flow: file, index and field named).

Example (a flow of the file fails: exit 1):
  nbgen test -f examples/pr-review/cluster.yaml -f examples/pr-review/after --expect examples/pr-review/flows.yaml`,
  async run(argv, io) {
    const { values } = parseCommandArgs('test', argv, {
      ...judgeFlags,
      expect: { type: 'string' },
      output: { type: 'string', short: 'o' },
    });
    const format = values.output ?? 'text';
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--output: expected text, json or junit, found ${JSON.stringify(format)}`, 'test');
    if (values.expect === undefined) throw new UsageError('--expect FLOWS is required', 'test');
    const [flowSource] = await readManifestSources('test', [values.expect], io);
    let parsed: ExpectedFlow[] | undefined;
    const flows = (): ExpectedFlow[] => (parsed ??= parseFlowFile(flowSource!));
    const results = wantsLiveNb(values) ? await judgedLive() : await judgedOffline();
    async function judgedLive() {
      // The flows are parsed while ovsdb-server builds its answer (seconds at 100,000 rows); a
      // bad flows file is still reported before an unreachable NB, as without --db.
      const source = await readLiveSource('test', values, io, { whileReading: flows }).catch((error: unknown) => {
        flows();
        throw error;
      });
      return runFlowTests({ inventory: source.inventory, rows: source.rows }, flows(), {
        portNameFor: source.portNameFor,
        serviceBackends: source.serviceBackends,
      });
    }
    async function judgedOffline() {
      const expected = flows();
      // The compiler's match trees, so the rows are judged without parsing them back.
      const matchTrees = new Map<AclRow, MatchExpr>();
      const { model, rows, settings } = await compiledModel('test', values, io, (row, tree) => matchTrees.set(row, tree));
      return runFlowTests({ inventory: model, rows, matchTrees }, expected, { portNameFor: settings.compileOptions.portNameFor });
    }
    if (format === 'json') io.stdout(`${JSON.stringify(flowTestsToJson(results), null, 2)}\n`);
    else if (format === 'junit') io.stdout(formatFlowTestJunit(results, values.expect));
    else io.stdout(formatFlowTestText(results));
    return results.every((r) => r.passed) ? EXIT_OK : EXIT_FOUND;
  },
};
