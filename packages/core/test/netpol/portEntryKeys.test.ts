import { describe, expect, it } from 'vitest';
import { aclLines, compileYaml, namespace, pod, policy } from './helpers.js';

// A rule's port entries are deduplicated before ACLs are made. A container port may be named
// "null" (a valid IANA service name), which must stay a different entry from a port-less one of
// the same protocol, in either order: one allows every TCP port, the other one named port.
describe('port entries of a rule', () => {
  const cluster = (ports: object[]) =>
    [
      namespace('prod'),
      pod('prod', 'web', { app: 'web' }, ['10.0.0.2'], { ports: [{ name: 'http', containerPort: 8080 }] }),
      policy('prod', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports }] }),
    ].join('\n---\n');

  it('keeps a port named "null" apart from an entry without a port, in either order', () => {
    for (const ports of [
      [{ port: 'null' }, { protocol: 'TCP' }],
      [{ protocol: 'TCP' }, { port: 'null' }],
    ]) {
      const { rows, warnings } = compileYaml(cluster(ports));
      // Every TCP port is allowed (no tcp.dst in the allow), whichever entry came first.
      expect(aclLines(rows).filter((line) => line.includes(' allow-related '))).toEqual([
        'to-lport 2001 allow-related outport == @np.prod.p && ip && tcp',
      ]);
      // And the named port no pod has is reported, at its own index.
      const at = ports.findIndex((p) => 'port' in p);
      expect(warnings.map((w) => `${w.code} ${w.path}`)).toEqual([`NP_NAMED_PORT_UNRESOLVED spec.ingress[0].ports[${at}].port`]);
    }
  });
});
