import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlowFile } from '../../src/flowtest/flowFile.js';

// parseFlowFile reads a JSON flows file with JSON.parse (a fast path) and everything else with the
// YAML parser. A trailing comment line makes a text YAML-only, so text + `\n# yaml` is read by the
// YAML path: both must give the same flows, or the same error, for every JSON text.

/** The flows (without the source, which names the file) or the error message. */
function outcome(name: string, text: string): unknown {
  try {
    return parseFlowFile({ name, text }).map(({ source: _, ...flow }) => flow);
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function expectSameAsYamlPath(text: string): void {
  expect(outcome('flows.json', text), text).toStrictEqual(outcome('flows.json', `${text}\n# yaml`));
}

const field = fc.constantFrom('from', 'to', 'port', 'protocol', 'family', 'expect', 'prot', '__proto__', 'flows');
const anyValue = fc.oneof(
  fc.constantFrom(null, true, 0, 1, 80, 5432, 65535, 65536, 1.5, '', 'TCP', 'udp', 'ICMP', 'xdp', 4, 6, 5, 'allow', 'deny', 'allwo'),
  fc.constantFrom('shop/client', 'shop/db-0', 'svc:shop/web:80', 'node:n1:30080', '10.0.0.1', 'fd00::1', [], {}),
  fc.string({ unit: 'binary' }),
);
const goodFlow = fc.record(
  {
    from: fc.oneof(fc.constantFrom('shop/client', '10.0.0.1'), fc.string({ unit: 'binary', minLength: 1 })),
    to: fc.constantFrom('shop/db-0', 'svc:shop/web:80', 'fd00::1', 'a"b\\c/d\u2028e'),
    port: fc.integer({ min: 1, max: 65535 }),
    protocol: fc.constantFrom('TCP', 'udp', 'Sctp'),
    family: fc.constantFrom(4, 6),
    expect: fc.constantFrom('allow', 'deny'),
  },
  { requiredKeys: ['from', 'to', 'expect'] },
);
/** A flow as written: its fields in any order, some of them repeated, some unknown. */
const writtenFlow = fc.array(fc.tuple(field, anyValue), { maxLength: 7 }).map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v) ?? 'null'}`).join(', ')}}`);

describe('parseFlowFile: JSON.parse where the text is JSON, with the YAML path\'s outcome', () => {
  it('gives the YAML path\'s flows for well-formed JSON files (lists and {flows: [...]}, any spacing)', () => {
    fc.assert(
      fc.property(fc.array(goodFlow, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.constantFrom(undefined, 1, '\t'), (flows, wrapped, space) => {
        expectSameAsYamlPath(JSON.stringify(wrapped ? { flows } : flows, null, space));
      }),
    );
  });

  it('gives the YAML path\'s error for malformed flows, repeated keys and unknown fields', () => {
    fc.assert(
      fc.property(fc.array(writtenFlow, { maxLength: 4 }), fc.boolean(), (flows, wrapped) => {
        const list = `[${flows.join(',\n')}]`;
        expectSameAsYamlPath(wrapped ? `{"flows": ${list}}` : list);
      }),
    );
  });

  it('refuses a repeated key as the YAML parser does (JSON.parse would keep the last one)', () => {
    const text = '[{"from": "shop/client", "to": "shop/db-0", "port": 5432, "expect": "deny", "expect": "allow"}]';
    expect(outcome('flows.json', text)).toEqual({ error: expect.stringMatching(/Map keys must be unique/) });
    expectSameAsYamlPath(text);
  });
});
