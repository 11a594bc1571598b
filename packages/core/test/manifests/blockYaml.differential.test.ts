import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify, type ToStringOptions } from 'yaml';
import { InputError } from '../../src/errors.js';
import { readObjects } from '../../src/manifests/documents.js';
import { readBlockYaml } from '../../src/manifests/yaml/blockReader.js';

// The block reader is a fast path: wherever it answers, it must answer exactly what the `yaml`
// package does (readObjects' fallback), and it must give up on anything the package reports an
// error for, so that error messages and document numbers stay the package's.

const repo = join(__dirname, '../../../..');

/** What readObjects got from the `yaml` package before the fast path: values, or null when a document has errors. */
function viaYamlPackage(text: string): unknown[] | null {
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.some((d) => d.errors.length > 0)) return null;
  return list.map((d) => d.toJS({ maxAliasCount: 100 }));
}

/** The reader either gives up or agrees with the package, and never answers a text the package rejects. */
function expectAgreement(text: string): boolean {
  const fast = readBlockYaml(text);
  if (fast === null) return false;
  expect(fast, JSON.stringify(text)).toStrictEqual(viaYamlPackage(text));
  return true;
}

const kubectlPod = `apiVersion: v1
kind: Pod
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"name":"web-0","namespace":"shop"}}
    ovn.kubernetes.io/ip_address: 10.16.0.10
  creationTimestamp: "2026-11-01T10:00:00Z"
  labels:
    app: web
  name: web-0
  namespace: shop
  ownerReferences:
  - apiVersion: apps/v1
    blockOwnerDeletion: true
    controller: true
    kind: ReplicaSet
    name: web-7d9f8b6c5
    uid: 1b2c3d4e-0000-4000-8000-000000000001
  resourceVersion: "1234"
spec:
  containers:
  - args:
    - --port=8000
    image: registry.example.com/web:1.2.3
    name: web
    ports:
    - containerPort: 8000
      name: http
      protocol: TCP
    resources: {}
  nodeName: worker-1
  securityContext: {}
  tolerations:
  - effect: NoExecute
    key: node.kubernetes.io/not-ready
    operator: Exists
    tolerationSeconds: 300
status:
  conditions:
  - lastProbeTime: null
    lastTransitionTime: "2026-11-01T10:00:01Z"
    message: 'containers with unready status: [web]'
    status: "True"
    type: Ready
  podIP: 10.16.0.10
  podIPs:
  - ip: 10.16.0.10
  - ip: fd00:10:16::a
  qosClass: BestEffort
`;

describe('block YAML reader: same values as the yaml package', () => {
  it('reads every YAML file of the repository (examples, fixtures) as the yaml package does, itself', () => {
    const files = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: repo, encoding: 'utf8' }).trim().split('\n');
    expect(files.length).toBeGreaterThan(10);
    const answered = files.filter((f) => expectAgreement(readFileSync(join(repo, f), 'utf8')));
    expect(answered).toEqual(files);
  });

  it('reads kubectl get -o yaml output (a List, sequences at their key\'s indentation) and --- separated documents', () => {
    const indented = kubectlPod.replace(/^/gm, '  ').replace(/^ {2}$/gm, '');
    const list = `apiVersion: v1\nitems:\n- ${indented.trimStart()}kind: List\nmetadata:\n  resourceVersion: ""\n`;
    expect(expectAgreement(list)).toBe(true);
    expect(expectAgreement(`${kubectlPod}---\n${kubectlPod}...\n---\n# only a comment\n`)).toBe(true);
    expect(readBlockYaml(`${kubectlPod}---\n${kubectlPod}`)).toHaveLength(2);
    const wrapped = stringify({ status: { message: 'a condition message long enough that the printer wraps it over two or three lines of text' } });
    expect(wrapped.split('\n').length).toBeGreaterThan(3);
    expect(expectAgreement(wrapped)).toBe(true);
  });

  it('types plain scalars by the YAML 1.2 core schema; quoted ones stay strings', () => {
    const scalars = [
      'true', 'True', 'TRUE', 'false', 'FALSE', 'tRUE', 'yes', 'no', 'on', 'off', 'y', 'n', 'null', 'Null', 'NULL', '~', 'nULL',
      '0', '-0', '+12', '012', '0o17', '0o8', '0x1F', '0X1F', '0b101', '1_000', '1e3', '1E-3', '-1.5e+2', '.5', '5.', '1.50',
      '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '-.nan', '12:30', '1.2.3', '2026-11-01', '10.16.0.0/16', '::1', '::/0', 'fd00::a',
      '-', '-a', 'a-b', 'a b', 'a#b', 'é', '9007199254740993', '0x', '0o',
    ];
    for (const s of scalars) {
      for (const text of [`k: ${s}\n`, `- ${s}\n`, `k: [${s}]\n`, `k: {a: ${s}}\n`, `k: "${s}"\n`, `k: '${s}'\n`, `${s}: v\n`]) expectAgreement(text);
    }
    // the common ones are answered here, not left to the package
    for (const s of ['true', 'yes', 'on', 'null', '~', '012', '0o17', '0x1F', '1e3', '.inf', '1.5', 'a b']) {
      expect(expectAgreement(`k: ${s}\n${s}: v\nq: "${s}"\n`)).toBe(true);
    }
  });

  it('reads block scalars, comments, empty values and document markers as the package does', () => {
    const texts = [
      'a: |\n  x\n  y', 'a: |\n  x\n\n', 'a: |-\n  x\n\n  y\n\nb: 1\n', 'a: >\n  x\n  y\n\n  z\n', 'a: >-\n  x\n   y\n', 'a: |\n\n  x\n',
      'a: |\nb: 1\n', 'a: |\n    x\n  y\n', 'a: |\n  # not a comment\n# a comment\nb: 2\n', 'a: |+\n  x\n\n', 'a: |2\n   x\n', 'a: >\n  x\n\n\n  y\n',
      'a: |\n  \n  x\n', 'a: b\n  c\n\n\n  d\ne: f\n', 'a: b\n  c # x\n', 'a: ~ #c\n  b\n', 'a: b\n  # x\n  c\n', 'a: b\n  - c\n', 'a: b\n  c: d\n', 'a:\n  b\n  c\n', '- b\n  12\n', 'a: |\n     \n  x\n', 'a: |\n  x\n     \n  y\n', '- |\n  x\n- >-\n  y\n',
      'a:   # c\n  b: 1 # c\n  c:\n  - 1\n  -   # c\n    x: 2\n', 'a:\nb:\n  \nc: ~\n', 'a:\n- - 1\n  - 2\n- - 3\n',
      '', '# c\n', '---\n', '---\n---\n', '...\n', 'a: 1\n...\n', 'a: 1\n...\n# c\n', 'a: 1\n...\nb: 2\n', '--- # c\na: 1\n', '--- a\n',
      '%YAML 1.2\n---\na: 1\n', 'a: 1\n---\n', 'a: 1\n  b: 2\n', 'a: b\n  c\n', '- a\nb: 1\n', 'a: 1\na: 2\n', 'a: {x: 1, x: 2}\n',
      'a: "x\\ty\\u00e9\\x41\\\\\\"\\/"\n', "a: 'it''s'\n", 'a: "unterminated\n', 'a: "multi\n  line"\n', 'a: &x 1\nb: *x\n', 'a: !!str 1\n',
      '? a\n: b\n', '[a, b]\n', '{a: 1}\n', 'a: [1, [2, {b: c}], "d, e", \'f\']\n', 'a: [1,]\n', 'a: [\n  1]\n', 'a: {b}\n', 'a: {"b":1}\n',
      'a: b: c\n', 'a: - b\n', 'a:\tb\n', 'a: b\r\n', '\ufeffa: 1\n', 'a: @x\n', 'a: `x`\n', '"a b": 1\n\'c\': 2\n', '"a":b\n', '<<: {a: 1}\n',
      '__proto__: 1\n', 'toString: 1\n', '1: a\n01: b\n', '~: a\n', 'a: #c\n', 'a: b #c\n', 'a: b#c\n', 'a: x:y\n', 'a: x: y\n', 'a: "x" y\n',
      '  a: 1\n  b: 2\n', 'a:\n    b: 1\n  c: 2\n', '- a\n - b\n', 'a:\n  - 1\n  - 2\nb: 3\n', `k: ${'x'.repeat(1100)}\n${'y'.repeat(1100)}: 1\n`,
      'key with spaces  : v\n', 'a: "\\q"\n', 'a: "\\ud800"\n', '- ? a\n', 'a: |\n x\n', 'a: >\n  x\n   more\n  y\n', 'a: >\n\n  x\n',
    ];
    let answered = 0;
    for (const text of texts) if (expectAgreement(text)) answered++;
    // About half are left to the package on purpose (anchors, tags, keep chomping, errors, ...).
    expect(answered).toBeGreaterThan(texts.length * 0.4);
  });

  it('agrees with the package on generated documents written in the styles the package and kubectl print (fixed seed)', () => {
    const scalar = fc.oneof(
      fc.constantFrom('true', 'yes', 'on', 'null', '~', '', ' ', '012', '0o17', '0x1F', '1e3', '.inf', '-0', '1.50', 'a: b', 'a #b', '#x', '- x', '"q"', "it's",
        'multi\nline\n', 'multi\nline', 'trailing\n\n', '  lead', 'x ', '::/0', 'svc:a:80', 'a,b', '[x]', '{y}', '@a', '&a', '*a', '!t', '%p', '|', '>', '\\', 'é', '😀',
        'a\tb', 'long '.repeat(30), '\nlead', 'k8s.io/app=web'),
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
    );
    const key = fc.oneof(fc.constantFrom('on', 'yes', '1', 'true', 'null', 'a b', 'a:b', 'kubernetes.io/name', '-x', 'é'), fc.string({ minLength: 1, maxLength: 8 }));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
      array: fc.array(tie('tree'), { maxLength: 4 }),
      object: fc.dictionary(key, tie('tree'), { maxKeys: 5 }),
    }));
    const styles: ToStringOptions[] = [
      {},
      { indentSeq: false },
      { indentSeq: false, lineWidth: 0 },
      { defaultStringType: 'QUOTE_DOUBLE' },
      { defaultStringType: 'QUOTE_SINGLE', defaultKeyType: 'PLAIN' },
      { defaultStringType: 'BLOCK_LITERAL' },
      { defaultStringType: 'BLOCK_FOLDED' },
      { collectionStyle: 'flow' },
      { indent: 4 },
    ];
    let answered = 0;
    fc.assert(
      fc.property(fc.array(fc.dictionary(key, tree, { maxKeys: 6 }), { minLength: 1, maxLength: 3 }), fc.nat(styles.length - 1), fc.boolean(), (docs, style, explicitEnd) => {
        const text = docs.map((d) => stringify(d, styles[style])).join(explicitEnd ? '...\n---\n' : '---\n');
        if (expectAgreement(text)) answered++;
      }),
      { seed: 20261205, numRuns: 600 },
    );
    expect(answered).toBeGreaterThan(300);
  });

  it('agrees or gives up on mutated manifests (characters deleted, inserted, lines shifted; fixed seed)', () => {
    const constructs = `"quoted key": 'v'\nfolded: >-\n  one\n  two\n\n  three\nliteral: |\n  a\n   b\n\nflow: {a: [1, "x, y", 'z'], b: {}}\nempty:\nnull: ~ # c\nwrapped: a long message that a printer\n  wrapped over lines\n\n  with an empty one\nlist:\n- wrapped\n  item\n`;
    const base = `${kubectlPod}---\n${constructs}...\n${readFileSync(join(repo, 'examples/cluster-guardrails/guardrails.yaml'), 'utf8')}`;
    const edits = fc.array(
      fc.tuple(fc.nat(base.length), fc.constantFrom('', ' ', ': ', '- ', '#', '"', "'", '\n', '|', '>', '[', ']', '{', '}', ',', '---\n', '...\n', '\n  ', 'x', '?', '&', '*'), fc.nat(3)),
      { minLength: 1, maxLength: 3 },
    );
    fc.assert(
      fc.property(edits, (list) => {
        let text = base;
        for (const [at, insert, remove] of list) text = text.slice(0, at % (text.length + 1)) + insert + text.slice((at % (text.length + 1)) + remove);
        expectAgreement(text);
      }),
      { seed: 20261205, numRuns: 1000 },
    );
  });
});

describe('reading manifests through the block reader: positions of bad input as before', () => {
  it('numbers documents and List items as the yaml package did, and reports schema errors at file#doc field.path', () => {
    const text = `# leading comment\n---\n${kubectlPod}---\n---\napiVersion: v1\nkind: List\nitems:\n- kind: Pod\n- just a string\n`;
    expect(readBlockYaml(text)).not.toBeNull();
    try {
      readObjects([{ name: 'pods.yaml', text }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).message).toBe('pods.yaml#2 items[1]: expected a Kubernetes object (a mapping)');
    }
  });

  it('leaves a file with a YAML error to the yaml package, which names the document and the problem', () => {
    const text = `${kubectlPod}---\nkind: Pod\nmetadata:\n  name: a\n  name: b\n`;
    expect(readBlockYaml(text)).toBeNull();
    expect(() => readObjects([{ name: 'dup.yaml', text }])).toThrow(/^dup\.yaml#1: YAML: Map keys must be unique/);
  });
});
