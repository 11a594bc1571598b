import { compile, formatWarning } from '@ovn-nbgen/core';
import { EXIT_FOUND, EXIT_OK, UsageError } from '../errors.js';
import { auditLiveNb, formatAudit } from '../live/audit.js';
import { auditFlows } from '../live/auditFlows.js';
import { readLiveSource } from '../live/liveSource.js';
import { expandPortNameAlias } from '../live/portNames.js';
import { compileSettings, DB_FLAGS_HELP, dbFlags, INPUT_FLAGS_HELP, inputFlags } from '../options/common.js';
import { parseCommandArgs } from '../options/parse.js';
import type { Command } from './command.js';

export const auditCommand: Command = {
  summary: "compare a live NB's verdicts with nbgen's compile of the same manifests (exit 1 when they differ)",
  usage: `nbgen audit -f PATH... --db REMOTE [--port-name CONVENTION] [flags]

Judges the same flows twice, from the live NB's rows (whoever wrote them, read with select only)
and from nbgen's compile of the manifests for the NB's schema, and lists every flow on which they
disagree, with the live row that decided and the rule nbgen says should decide. This finds a
policy the CNI has not applied, an ipBlock except that also excludes a selector peer, rows a
deleted policy left behind. Flows: every pod pair on every protocol and port a NetworkPolicy
names plus one port none names; for each ipBlock, addresses inside it, inside each except and
just outside, to and from every pod.
      --port-name CONVENTION  kube-ovn, ovn-kubernetes or a {pod}/{namespace} template (default:
                         both conventions when reading the NB, {pod}.{namespace} for nbgen's compile)
${INPUT_FLAGS_HELP}
${DB_FLAGS_HELP}

Exit status: 0 they agree, 1 they disagree, 2 bad input, 4 NB unreachable.

Example:
  nbgen audit -f examples/underlay-service --db unix:/run/ovn/ovnnb_db.sock`,
  async run(argv, io) {
    const { values } = parseCommandArgs('audit', argv, { ...inputFlags, ...dbFlags, 'port-name': { type: 'string' } });
    if ((values.filename?.length ?? 0) === 0) throw new UsageError('audit compares the NB with manifests: give them with -f', 'audit');
    const source = await readLiveSource('audit', values, io);
    const settings = compileSettings('audit', { 'port-name': expandPortNameAlias(values['port-name']) });
    const model = source.manifests!;
    const { rows, warnings } = compile(model, { ...settings.compileOptions, capabilities: source.live.capabilities });
    for (const w of warnings) io.stderr(`${formatWarning(w)}\n`);
    const inNb = new Set(source.inventory.pods.filter((p) => p.ips.length > 0).map((p) => `${p.namespace}/${p.name}`));
    const pods = model.pods.filter((p) => inNb.has(`${p.namespace}/${p.name}`));
    const result = auditLiveNb({ model, rows, portNameFor: settings.compileOptions.portNameFor }, source, auditFlows(model, pods));
    io.stdout(formatAudit(result, source));
    return result.disagreements.length === 0 ? EXIT_OK : EXIT_FOUND;
  },
};
