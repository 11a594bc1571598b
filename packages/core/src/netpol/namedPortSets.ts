import { l4Name } from '../match/index.js';
import type { L4Protocol } from '../model/inventory.js';
import type { SetIdentity } from './addressSets.js';

/**
 * The identity of the shared set of a peer's pods that give a named port one number (an egress
 * named port resolves per destination pod, rules.ts `namedEgress`): `nppeer.H<hash>.Tcp8080.Ip4`.
 * A CompileSession patches these sets in place, so it names them the way the compile does.
 */
export function namedPortSetIdentity(
  peer: { readonly key: string; readonly scope: string | null },
  protocol: L4Protocol,
  name: string,
  number: number,
  family: 4 | 6,
): SetIdentity {
  return { key: `${peer.key} port=${protocol}/${name}=${number}`, scope: peer.scope, variant: [`${titleCase(l4Name(protocol))}${number}`], family };
}

const titleCase = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
