import { describe, expect, it } from 'vitest';
import { DEFAULT_NB_REMOTE, defaultNbRemotes, parseRemotes } from '../../src/index.js';
import { splitRemoteList } from '../../src/subpaths/session.js';

describe('parseRemotes (OVS remote syntax)', () => {
  it('parses unix, tcp and ssl remotes, IPv6 in brackets, default port 6640', () => {
    expect(parseRemotes('unix:/run/ovn/ovnnb_db.sock,tcp:10.0.0.1:6641, ssl:[fd00::1]:6641,tcp:nb.example')).toEqual({
      remotes: [
        { kind: 'unix', path: '/run/ovn/ovnnb_db.sock', text: 'unix:/run/ovn/ovnnb_db.sock' },
        { kind: 'tcp', host: '10.0.0.1', port: 6641, text: 'tcp:10.0.0.1:6641' },
        { kind: 'ssl', host: 'fd00::1', port: 6641, text: 'ssl:[fd00::1]:6641' },
        { kind: 'tcp', host: 'nb.example', port: 6640, text: 'tcp:nb.example:6640' },
      ],
    });
  });

  it('splits only at a comma followed by a method name, as lib/ovsdb-session.c does', () => {
    expect(splitRemoteList('unix:/tmp/a,b.sock,  tcp:1.2.3.4:6641,\tunix:/x')).toEqual([
      'unix:/tmp/a,b.sock',
      'tcp:1.2.3.4:6641',
      'unix:/x',
    ]);
    expect(splitRemoteList('  ')).toEqual([]);
  });

  it('takes a cid: entry as the pinned cluster id', () => {
    expect(parseRemotes('tcp:127.0.0.1:6641,cid:0F7C7E45-4B8E-4F1F-9A6B-3A0C1E2D3F40')).toEqual({
      remotes: [{ kind: 'tcp', host: '127.0.0.1', port: 6641, text: 'tcp:127.0.0.1:6641' }],
      clusterId: '0f7c7e45-4b8e-4f1f-9a6b-3a0c1e2d3f40',
    });
  });

  it('explains what is wrong with a bad remote', () => {
    const cases: Record<string, string> = {
      'tcp:::1:6641': 'an IPv6 address must be written in brackets',
      'tcp:[::1:6641': 'unterminated "["',
      'tcp:1.2.3.4:70000': 'port must be 1..65535',
      'ptcp:6641': 'is a listening remote',
      'http://x': 'expected unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT',
      'unix:': 'missing socket path',
      'ssl:[10.0.0.1]:1': 'is not an IPv6 address',
      '': 'no remote given',
    };
    for (const [text, reason] of Object.entries(cases)) {
      expect(() => parseRemotes(text), text).toThrow(reason);
    }
  });

  it('defaults like ovn-nbctl: $OVN_NB_DB, else the NB socket in /var/run/ovn', () => {
    expect(defaultNbRemotes({})).toBe(DEFAULT_NB_REMOTE);
    expect(DEFAULT_NB_REMOTE).toBe('unix:/var/run/ovn/ovnnb_db.sock');
    expect(defaultNbRemotes({ OVN_NB_DB: 'tcp:10.0.0.9:6641' })).toBe('tcp:10.0.0.9:6641');
  });
});
