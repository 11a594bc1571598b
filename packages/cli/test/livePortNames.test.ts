// Which pod a live logical switch port is: external_ids first, then the --port-name templates.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT_NAME_TEMPLATES, podOfPort, portNameTemplates } from '../src/live/portNames.js';

const port = (name: string, externalIds: Record<string, string> = {}) => ({ name, switch: 'ovn-default', type: '', ips: ['10.16.0.10'], externalIds });

describe('podOfPort', () => {
  it('reads Kube-OVN and ovn-kubernetes external_ids, then the name templates in order', () => {
    expect(
      [
        port('web-0.shop', { pod: 'shop/web-0' }),
        port('shop_web-0', { namespace: 'shop', pod: 'true' }),
        port('web-0.v1.shop'),
        port('shop_web-0'),
        port('eth0'),
      ].map((p) => podOfPort(p, DEFAULT_PORT_NAME_TEMPLATES)),
    ).toEqual([
      { namespace: 'shop', name: 'web-0' },
      { namespace: 'shop', name: 'web-0' },
      { namespace: 'shop', name: 'web-0.v1' },
      { namespace: 'shop', name: 'web-0' },
      null,
    ]);
  });

  it('--port-name takes the CNI names or a template, and refuses one without both placeholders', () => {
    expect(portNameTemplates('explain', 'ovn-kubernetes')).toEqual(['{namespace}_{pod}']);
    expect(podOfPort(port('k8s.shop.web-0.v1'), portNameTemplates('explain', 'k8s.{namespace}.{pod}'))).toEqual({ namespace: 'shop', name: 'web-0.v1' });
    expect(() => portNameTemplates('explain', '{pod}')).toThrow(/--port-name: with --db/);
  });
});
