import type { Capabilities } from '../capabilities.js';
import type { AclRow, AddressSetRow, LoadBalancerRow, NatRow, NbRow, PortGroupRow } from '../rows/index.js';
import {
  aclTable,
  addressSetTable,
  CapabilityError,
  encodeColumns,
  loadBalancerTable,
  natTable,
  portGroupTable,
  referenceNames,
  type EncodedColumn,
  type TableDescriptor,
} from '../tables/index.js';
import { ovsdbMap, ovsdbString, ScriptValueError, shellWords } from './quote.js';

/**
 * Rows → the script's row lines (see runtime.ts for what each helper does). The column values
 * come from the same encoding the live reconcile writes (tables/encode.ts), so the two writers
 * cannot drift; this file only spells them as ovn-nbctl words. Every value that came from input
 * is an ovsdb string inside a shell word; enum columns, numbers and booleans are written bare
 * because their values are fixed identifiers. Sets and references get lines of their own.
 */

function columnWord(c: EncodedColumn): string | undefined {
  if (c.unset) return undefined;
  switch (c.spec.type) {
    case 'enum':
    case 'integer':
    case 'boolean':
      return `${c.name}=${String(c.value)}`;
    case 'string':
      return `${c.name}=${ovsdbString(c.value as string)}`;
    case 'map':
      return `${c.name}=${ovsdbMap(c.value as Readonly<Record<string, string>>)}`;
    case 'set':
      return undefined;
  }
}

/** The `column=value` words of a row (sets left for `values` lines). */
function columnWords<R extends NbRow>(descriptor: TableDescriptor<R>, row: R, capabilities: Capabilities): string[] {
  return scriptSafe(() => encodeColumns(descriptor, row, capabilities))
    .map(columnWord)
    .filter((w): w is string => w !== undefined);
}

function scriptSafe<T>(encode: () => T): T {
  try {
    return encode();
  } catch (error) {
    if (error instanceof CapabilityError) throw new ScriptValueError(error.message);
    throw error;
  }
}

export function portGroupLines(pg: PortGroupRow, capabilities: Capabilities): string[] {
  const lines = [shellWords(['row', 'Port_Group', pg.name, ...columnWords(portGroupTable, pg, capabilities)])];
  // Port and router names go in JSON form: the runtime compares them with ovn-nbctl's JSON output.
  lines.push(shellWords(['ports', ...pg.ports.map(ovsdbString)]));
  return lines;
}

export function addressSetLines(as: AddressSetRow, capabilities: Capabilities): string[] {
  return [
    shellWords(['row', 'Address_Set', as.name, ...columnWords(addressSetTable, as, capabilities)]),
    shellWords(['values', 'addresses', ...as.addresses.map(ovsdbString)]),
  ];
}

export function aclLine(acl: AclRow, capabilities: Capabilities): string {
  return shellWords(['acl', acl.portGroup, ...columnWords(aclTable, acl, capabilities)]);
}

export function natLine(nat: NatRow, capabilities: Capabilities): string {
  const columns = columnWords(natTable, nat, capabilities);
  const [gateway] = scriptSafe(() => referenceNames(natTable, nat, capabilities)).flatMap((r) => r.names);
  // gateway_port is a reference: the runtime looks the port up by name in the same transaction.
  return shellWords(['nat', ovsdbString(nat.router), gateway ?? '', ...columns]);
}

export function loadBalancerLines(lb: LoadBalancerRow, capabilities: Capabilities): string[] {
  return [
    shellWords(['row', 'Load_Balancer', lb.name, ...columnWords(loadBalancerTable, lb, capabilities)]),
    ...lb.routers.map((router) => shellWords(['attach', ovsdbString(router)])),
  ];
}
