import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { anp, banp, cnp, modelOf } from './fixtures.js';

/** The issues (`file#doc path: message`) loading these documents reports, or [] when it loads. */
function issuesOf(...docs: string[]): string[] {
  try {
    modelOf(...docs);
    return [];
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.message.split('\n');
  }
}

const allNs = { namespaces: {} };
const denyFromAll = { action: 'Deny', from: [{ namespaces: {} }] };

describe('ClusterNetworkPolicy validation (v1alpha2 CRD and CEL rules)', () => {
  it('accepts a policy using every peer and protocol form', () => {
    expect(
      issuesOf(
        cnp('every-form', {
          tier: 'Admin',
          priority: 0,
          subject: { pods: { podSelector: {} } },
          ingress: [
            {
              name: 'web',
              action: 'Accept',
              from: [{ namespaces: {} }, { pods: { namespaceSelector: { matchLabels: { a: 'b' } }, podSelector: {} } }],
              protocols: [
                { tcp: { destinationPort: { number: 8080 } } },
                { udp: { destinationPort: { range: { start: 53, end: 54 } } } },
                { sctp: {} },
                { destinationNamedPort: 'http' },
              ],
            },
          ],
          egress: [
            { action: 'Pass', to: [{ nodes: {} }, { networks: ['10.0.0.0/8', '::/0'] }, { domainNames: ['*.example.com'] }] },
          ],
        }),
      ),
    ).toEqual([]);
  });

  it('names file, document and field path for each CRD violation', () => {
    expect(
      issuesOf(
        cnp('ok', { tier: 'Baseline', priority: 1, subject: allNs }),
        cnp('bad', {
          tier: 'Middle',
          priority: 1001,
          subject: { namespaces: {}, pods: { podSelector: {} } },
          ingress: [{ action: 'Allow', from: [{}] }],
          egress: [
            { action: 'Deny', to: [{ networks: ['10.0.0.1'] }], protocols: [{ tcp: { destinationPort: { range: { start: 90, end: 80 } } } }] },
            { action: 'Accept', to: [{ networks: ['10.0.0.0/8'] }], protocols: [{ destinationNamedPort: 'http' }] },
            { action: 'Accept', to: [{ pods: { podSelector: {} }, namespaces: {} }], protocols: [{ tcp: {}, udp: {} }] },
          ],
        }),
      ),
    ).toEqual([
      'test.yaml#1 spec.tier: must be one of Admin, Baseline',
      'test.yaml#1 spec.priority: must be between 0 and 1000',
      'test.yaml#1 spec.subject: exactly one of namespaces, pods must be set (found namespaces, pods)',
      'test.yaml#1 spec.ingress[0].action: must be one of Accept, Deny, Pass',
      'test.yaml#1 spec.ingress[0].from[0]: exactly one of namespaces, pods must be set (found none)',
      'test.yaml#1 spec.egress[0].to[0].networks[0]: Invalid CIDR format provided',
      'test.yaml#1 spec.egress[0].protocols[0].tcp.destinationPort.range: Start port must be less than End port',
      'test.yaml#1 spec.egress[1]: networks/nodes/domainNames peer cannot be set with destinationNamedPort since there are no named ports for networks/nodes/domainNames',
      'test.yaml#1 spec.egress[2].to[0]: exactly one of namespaces, pods, nodes, networks, domainNames must be set (found namespaces, pods)',
      'test.yaml#1 spec.egress[2].protocols[0]: exactly one of tcp, udp, sctp, destinationNamedPort must be set (found tcp, udp)',
    ]);
  });

  it('enforces the 25-rule, 25-peer and 25-network limits and rejects unknown fields', () => {
    const rules = (n: number) => Array.from({ length: n }, () => denyFromAll);
    expect(issuesOf(cnp('max', { tier: 'Admin', priority: 5, subject: allNs, ingress: rules(25) }))).toEqual([]);
    expect(
      issuesOf(
        cnp('over', {
          tier: 'Admin',
          priority: 5,
          subject: allNs,
          ingress: rules(26),
          egress: [
            { action: 'Deny', to: [{ networks: Array.from({ length: 26 }, (_, i) => `10.${i}.0.0/16`) }] },
            { action: 'Deny', to: [{ networks: ['10.0.0.0/8', '10.0.0.0/8'] }] },
            { action: 'Deny', to: [{ namespaces: {} }], ports: [{ portNumber: { port: 80 } }] },
          ],
        }),
      ),
    ).toEqual([
      'test.yaml#0 spec.ingress: must have at most 25 rules',
      'test.yaml#0 spec.egress[0].to[0].networks: must have at most 25 items',
      'test.yaml#0 spec.egress[1].to[0].networks[1]: duplicate value "10.0.0.0/8"',
      'test.yaml#0 spec.egress[2]: Unrecognized key: "ports"',
    ]);
  });

  it('rejects two ClusterNetworkPolicies of the same name', () => {
    const doc = cnp('twice', { tier: 'Admin', priority: 1, subject: allNs });
    expect(issuesOf(doc, doc)).toEqual(['test.yaml#1 metadata.name: duplicate ClusterNetworkPolicy twice (first defined at test.yaml#0)']);
  });
});

describe('AdminNetworkPolicy and BaselineAdminNetworkPolicy validation (v1alpha1)', () => {
  it('allows 100 rules per direction and rejects 101', () => {
    const rules = (n: number) => Array.from({ length: n }, () => denyFromAll);
    expect(issuesOf(anp('max', { priority: 1000, subject: allNs, ingress: rules(100), egress: [] }))).toEqual([]);
    expect(issuesOf(anp('over', { priority: 1000, subject: allNs, egress: Array.from({ length: 101 }, () => ({ action: 'Deny', to: [{ namespaces: {} }] })) }))).toEqual([
      'test.yaml#0 spec.egress: must have at most 100 rules',
    ]);
  });

  it('requires both selectors in a v1alpha1 pods subject and checks ports', () => {
    expect(
      issuesOf(
        anp('bad', {
          priority: -1,
          subject: { pods: { podSelector: {} } },
          ingress: [
            {
              action: 'Accept',
              from: [{ namespaces: {} }],
              ports: [{ portRange: { start: 9000, end: 9000 } }, { portNumber: { protocol: 'ICMP', port: 1 } }, {}],
            },
          ],
          egress: [{ action: 'Pass', to: [{ nodes: {} }], ports: [{ namedPort: 'dns' }] }],
        }),
      ),
    ).toEqual([
      'test.yaml#0 spec.priority: must be between 0 and 1000',
      'test.yaml#0 spec.subject.pods.namespaceSelector: Invalid input: expected object, received undefined',
      'test.yaml#0 spec.ingress[0].action: must be one of Allow, Deny, Pass',
      'test.yaml#0 spec.ingress[0].ports[0].portRange: start must be less than end',
      'test.yaml#0 spec.ingress[0].ports[1].portNumber.protocol: protocol must be TCP, UDP or SCTP',
      'test.yaml#0 spec.ingress[0].ports[2]: exactly one of portNumber, portRange, namedPort must be set (found none)',
      'test.yaml#0 spec.egress[0]: networks/nodes/domainNames peer cannot be set with namedPort since there are no named ports for networks/nodes/domainNames',
    ]);
  });

  it('accepts only the BaselineAdminNetworkPolicy named default, with Allow and Deny', () => {
    expect(issuesOf(banp({ subject: allNs, ingress: [{ action: 'Allow', from: [{ namespaces: {} }] }] }))).toEqual([]);
    expect(
      issuesOf(
        banp(
          {
            subject: allNs,
            ingress: [{ action: 'Pass', from: [{ namespaces: {} }] }],
            egress: [{ action: 'Deny', to: [{ domainNames: ['example.com'] }] }],
          },
          'other',
        ),
      ),
    ).toEqual([
      'test.yaml#0 metadata.name: Only one baseline admin network policy with metadata.name="default" can be created in the cluster (found "other")',
      'test.yaml#0 spec.ingress[0].action: must be one of Allow, Deny',
      'test.yaml#0 spec.egress[0].to[0]: Unrecognized key: "domainNames"',
      'test.yaml#0 spec.egress[0].to[0]: exactly one of namespaces, pods, nodes, networks must be set (found none)',
    ]);
  });
});

describe('normalization into one model', () => {
  it('reads ANP Allow as Accept, defaults port protocols to TCP, and puts the BANP last in Baseline', () => {
    const model = modelOf(
      anp('a', {
        priority: 3,
        subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'db' } } } },
        egress: [{ name: 'dns', action: 'Allow', to: [{ networks: ['10.96.0.10/32'] }], ports: [{ portNumber: { port: 53 } }, { portRange: { protocol: 'UDP', start: 53, end: 60 } }] }],
      }),
      banp({ subject: allNs, ingress: [{ action: 'Deny', from: [{ namespaces: { matchLabels: { x: 'y' } } }] }] }),
      cnp('c', { tier: 'Baseline', priority: 7, subject: { namespaces: { matchLabels: { team: 'a' } } }, ingress: [{ action: 'Pass', from: [{ pods: { podSelector: {} } }], protocols: [{ tcp: {} }] }] }),
    );
    expect(model.clusterPolicies.map(({ source: _source, ...p }) => p)).toEqual([
      {
        kind: 'AdminNetworkPolicy',
        name: 'a',
        tier: 'Admin',
        priority: 3,
        subject: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'db' } } },
        ingress: [],
        egress: [
          {
            name: 'dns',
            action: 'Accept',
            peers: [{ type: 'networks', cidrs: ['10.96.0.10/32'] }],
            ports: [
              { type: 'range', protocol: 'TCP', start: 53, end: 53 },
              { type: 'range', protocol: 'UDP', start: 53, end: 60 },
            ],
            path: 'spec.egress[0]',
          },
        ],
      },
      {
        kind: 'BaselineAdminNetworkPolicy',
        name: 'default',
        tier: 'Baseline',
        priority: 1001,
        subject: { namespaceSelector: {}, podSelector: {} },
        ingress: [
          { name: null, action: 'Deny', peers: [{ type: 'pods', namespaceSelector: { matchLabels: { x: 'y' } }, podSelector: {} }], ports: [], path: 'spec.ingress[0]' },
        ],
        egress: [],
      },
      {
        kind: 'ClusterNetworkPolicy',
        name: 'c',
        tier: 'Baseline',
        priority: 7,
        subject: { namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: {} },
        ingress: [
          { name: null, action: 'Pass', peers: [{ type: 'pods', namespaceSelector: {}, podSelector: {} }], ports: [{ type: 'protocol', protocol: 'TCP' }], path: 'spec.ingress[0]' },
        ],
        egress: [],
      },
    ]);
  });
});
