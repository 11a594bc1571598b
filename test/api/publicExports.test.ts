// The public surface of the packages, pinned: adding, removing or renaming an export changes
// this snapshot, so the change is made on purpose (and reviewed) rather than by accident.
import { describe, expect, it } from 'vitest';
import * as core from '@ovn-nbgen/core';
import * as ovsdb from '@ovn-nbgen/ovsdb';
import * as ovsdbMemory from '@ovn-nbgen/ovsdb/memory';
import * as ovsdbWire from '@ovn-nbgen/ovsdb/wire';

describe('public exports', () => {
  it('of @ovn-nbgen/core', () => {
    expect(Object.keys(core).sort()).toMatchSnapshot();
  });
  it('of @ovn-nbgen/ovsdb', () => {
    expect(Object.keys(ovsdb).sort()).toMatchSnapshot();
  });
  it('of @ovn-nbgen/ovsdb/memory and @ovn-nbgen/ovsdb/wire (internals for tests and tools)', () => {
    expect({ memory: Object.keys(ovsdbMemory).sort(), wire: Object.keys(ovsdbWire).sort() }).toMatchSnapshot();
  });
  it('keeps the in-memory server and the wire codec out of the main entry', () => {
    for (const name of [...Object.keys(ovsdbMemory), ...Object.keys(ovsdbWire)]) expect(Object.keys(ovsdb)).not.toContain(name);
  });
});
