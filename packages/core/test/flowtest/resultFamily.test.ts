import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capabilitiesForOvnVersion, compile, explainFlow, kubeOvnPortName, loadModel } from '../../src/index.js';
import { parseFlowFile, runFlowTests } from '../../src/subpaths/explain.js';

// runFlowTests keeps each flow's family, not its whole explanation (judge5: the explanations are
// not retained, so young-generation collections do not copy them). The family it keeps must be the
// one explain judged the flow in, also where the file names none and explain picks it.

const options = { owner: 'nbgen', capabilities: capabilitiesForOvnVersion('25.03'), portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} };
const example = join(import.meta.dirname, '../../../../examples/pr-review');
const read = (name: string) => ({ name, text: readFileSync(join(example, name), 'utf8') });

const ipv6Only = `apiVersion: v1
kind: Pod
metadata: {name: v6-only, namespace: shop, labels: {app: client}}
spec: {containers: [{name: c}]}
status: {podIPs: [{ip: 'fd00:10:16::99'}]}
`;

const flowsText = `- {from: shop/client, to: shop/db-0, port: 5432, expect: deny}
- {from: shop/client, to: shop/db-0, port: 5432, family: 6, expect: deny}
- {from: shop/v6-only, to: shop/web-0, port: 8000, expect: allow}
- {from: shop/web-0, to: shop/v6-only, port: 80, expect: allow}
- {from: shop/v6-only, to: 'svc:shop/web:80', expect: allow}
- {from: 'fd00:99::1', to: shop/web-0, port: 8000, expect: allow}
- {from: shop/client, to: 'svc:shop/web:80', family: 6, expect: allow}
`;

describe('runFlowTests keeps the family each flow was judged in', () => {
  it('equals explain’s, given or picked, for pods, addresses and Services', () => {
    const { model } = loadModel([read('cluster.yaml'), read('after/shop.yaml'), read('after/platform.yaml'), { name: 'v6.yaml', text: ipv6Only }]);
    const { rows } = compile(model, options);
    const flows = parseFlowFile({ name: 'flows.yaml', text: flowsText });
    const results = runFlowTests({ inventory: model, rows }, flows, { portNameFor: kubeOvnPortName });
    const explained = flows.map((f) => explainFlow({ inventory: model, rows }, f.query, { portNameFor: kubeOvnPortName }));
    expect(results.map((r) => [r.family, r.verdict])).toEqual(explained.map((e) => [e.family, e.verdict]));
    // The cases this holds on: families picked (IPv6-only ends) and given.
    expect(results.map((r) => r.family)).toEqual([4, 6, 6, 6, 6, 6, 6]);
  });
});
