// Which ports an ACL match is bound to, read from its text: a bound match whose ports a flow does
// not cross is never read by explain --db, so anything unsure must come back unbound (null).
import { describe, expect, it } from 'vitest';
import { matchBinding, matchReferences } from '../../src/live/matchBinding.js';

describe('matchBinding', () => {
  it('binds a match that starts with inport/outport == @group or == "port", then && or the end', () => {
    expect(matchBinding('outport == @np.shop.web && ip4')).toEqual({ kind: 'portGroup', name: 'np.shop.web' });
    expect(matchBinding('  inport==@a_b.1&&tcp.dst == 80')).toEqual({ kind: 'portGroup', name: 'a_b.1' });
    expect(matchBinding('inport == @pg')).toEqual({ kind: 'portGroup', name: 'pg' });
    expect(matchBinding('inport == "web.shop" && ip')).toEqual({ kind: 'port', name: 'web.shop' });
    // Kube-OVN's and ovn-kubernetes' own layouts.
    expect(matchBinding('outport==@ovn.np.web.shop.ingress && ip && ip4.src == $ovn.np.web.shop.ingress.allow.IPv4.0')).toEqual({
      kind: 'portGroup',
      name: 'ovn.np.web.shop.ingress',
    });
  });

  it('leaves unbound whatever may match other ports: ||, a set, parentheses, a later binding, an escaped string, a prefix name', () => {
    for (const match of [
      'inport == @a && ip4 || ip6',
      '(inport == @a && ip4) || arp',
      'inport == {@a, @b} && ip',
      '(inport == @a) && ip',
      'ip4 && inport == @a',
      'inport == "we\\"b" && ip',
      'inport != @a && ip',
      'inport == @a.b-c && ip',
      '!(inport == @a) && ip',
      'inport == $a && ip',
      'ip4.dst == 10.0.0.0/8',
      '',
    ]) {
      expect({ match, binding: matchBinding(match) }).toEqual({ match, binding: null });
    }
  });
});

describe('matchReferences', () => {
  it('names the port groups and address sets a match may look up, with the group behind $pg_ip4', () => {
    expect(matchReferences('outport == @web && ip4.src == {$allow.v4, $db_ip4} && ip6.src == $db_ip6')).toEqual({
      portGroups: ['web', 'db'],
      addressSets: ['allow.v4', 'db_ip4', 'db_ip6'],
    });
  });
});
