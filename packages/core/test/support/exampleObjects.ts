import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readObjects } from '../../src/manifests/documents.js';

const examples = join(import.meta.dirname, '../../../../examples');

/**
 * Every object of `kind` in the repository's examples (every *.yaml, *.yml and *.json below
 * examples/), as readObjects hands them to the kind readers. Files there that are not manifests
 * (flow lists) are skipped.
 */
export function exampleObjects(kind: string): Record<string, unknown>[] {
  const texts: { name: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ya?ml|json)$/.test(entry.name)) texts.push({ name: full, text: readFileSync(full, 'utf8') });
    }
  };
  walk(examples);
  const objectsOf = (source: { name: string; text: string }) => {
    try {
      return readObjects([source]);
    } catch {
      return [];
    }
  };
  return texts.flatMap(objectsOf).filter(({ object }) => object.kind === kind).map(({ object }) => object);
}
