import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { ManifestSource } from '@ovn-nbgen/core';
import { FileError, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';

const MANIFEST_EXTENSION = /\.(ya?ml|json)$/;

/** How standard input is named in messages (`<stdin>#0 spec...`), as kubectl does not say `-`. */
export const STDIN_NAME = '<stdin>';

/**
 * `-f` arguments → manifest texts (core does no I/O). A file is read whatever its name; a directory
 * contributes its *.yaml, *.yml and *.json files — with `recursive` (kubectl's -R) also those of
 * every directory below it — sorted by path so the same tree always gives the same output; `-` is
 * standard input (once). Source names are the paths as given, so error messages point at what the
 * user typed.
 */
export async function readManifestSources(
  command: string,
  paths: readonly string[] | undefined,
  io: CliIo,
  recursive = false,
): Promise<ManifestSource[]> {
  if (paths === undefined || paths.length === 0) {
    throw new UsageError('no input: give manifests with -f FILE, -f DIRECTORY or -f - (stdin)', command);
  }
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError('-f - (stdin) can be given once', command);
  const sources: ManifestSource[] = [];
  for (const path of paths) {
    if (path === '-') {
      sources.push({ name: STDIN_NAME, text: await io.readStdin() });
      continue;
    }
    const absolute = resolve(io.cwd, path);
    if (statOf(path, absolute).isDirectory()) {
      for (const file of manifestFilesIn(absolute, recursive)) {
        sources.push({ name: join(path, relative(absolute, file)), text: readText(path, file) });
      }
    } else {
      sources.push({ name: path, text: readText(path, absolute) });
    }
  }
  return sources;
}

function manifestFilesIn(directory: string, recursive: boolean): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (recursive) walk(full);
      }
      else if (entry.isFile() && MANIFEST_EXTENSION.test(entry.name)) files.push(full);
    }
  };
  walk(directory);
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function statOf(given: string, absolute: string): Stats {
  try {
    return statSync(absolute);
  } catch (error) {
    throw new FileError(`${given}: ${describe(error)}`);
  }
}

/**
 * A file's text, decoded as UTF-8 as `readFileSync(path, 'utf8')` decodes it (invalid bytes as
 * U+FFFD, a BOM kept). Read into a buffer and decoded in one call: Node 20's `readFileSync(path,
 * 'utf8')` took about twice as long on an 18 MB inventory (44 against 20 ms of CPU), time every
 * `-f` pays before anything is compiled (docs/speed-log.md "front6"; test/input/readText.test.ts
 * holds the two decodings equal on random bytes).
 */
export function readText(given: string, absolute: string): string {
  try {
    return readFileSync(absolute).toString('utf8');
  } catch (error) {
    throw new FileError(`${given}: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return (error as Error).message;
}
