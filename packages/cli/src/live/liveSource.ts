import type { Model, NbRows, Pod } from '@ovn-nbgen/core';
import type { LiveNb } from '@ovn-nbgen/ovsdb';
import { loadInput, type InputFlagValues } from '../compileInput.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { nbConnection, readLiveNbAt, type LiveFlagValues } from '../liveNb.js';
import { liveInventory, type LiveInventory } from './liveInventory.js';
import { portNameTemplates } from './portNames.js';

export type LiveSourceFlagValues = Omit<LiveFlagValues, 'owner' | 'always-allow' | 'log'> & InputFlagValues;

/** `explain`/`matrix` judge a live NB when --db is given, or with no -f when $OVN_NB_DB is set. */
export function wantsLiveNb(values: LiveSourceFlagValues): boolean {
  return values.db !== undefined || ((values.filename?.length ?? 0) === 0 && (process.env.OVN_NB_DB ?? '') !== '');
}

export interface LiveSource extends LiveInventory {
  readonly live: LiveNb;
  readonly rows: NbRows;
  /** The -f manifests, when given. */
  readonly manifests: Model | null;
}

/**
 * Flags → (-f manifests, if any) → the NB's rows, pods and VIPs. Bad flags fail before connecting.
 * With `focus`, only the ACLs that can apply to the logical ports it names are read: it is given
 * the NB's layout (pods, Services; no ACLs) and returns the ports a question involves.
 * `whileReading` runs once the full read's request is sent (see readLiveNbAt).
 */
export async function readLiveSource(
  command: string,
  values: LiveSourceFlagValues,
  io: CliIo,
  options: { readonly focus?: (layout: LiveSource) => Iterable<string>; readonly whileReading?: () => void } = {},
): Promise<LiveSource> {
  const { focus, whileReading } = options;
  for (const flag of ['ovn-version', 'owner', 'always-allow', 'log'] as const) {
    if ((values as Record<string, unknown>)[flag] !== undefined) {
      throw new UsageError(`--${flag} does not apply with --db: the rows and their target are read from the NB`, command);
    }
  }
  const templates = portNameTemplates(command, values['port-name']);
  const target = nbConnection(command, values);
  const manifests = (values.filename?.length ?? 0) > 0 ? await loadInput(command, values, io) : null;
  const sourceOf = (live: LiveNb): LiveSource => ({ live, rows: live.rows, manifests, ...liveInventory(live, manifests, templates) });
  const live = await readLiveNbAt(target, { ...(focus ? { focus: (layout: LiveNb) => focus(sourceOf(layout)) } : {}), ...(whileReading ? { whileReading } : {}) });
  return sourceOf(live);
}

export type { Pod };
