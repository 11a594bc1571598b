import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commands, loadCommand, type CommandName } from '../src/index.js';

/**
 * The commands the documentation shows, extracted from the texts themselves (not a hand-kept list):
 * every `Example` line of each command's --help, and every line of a fenced code block of README.md,
 * docs/*.md and examples/*\/README.md that runs nbgen (`nbgen`, `$ nbgen`, `npx nbgen`,
 * `node packages/cli/bin/nbgen.js`), continuation lines joined.
 *
 * - A line holding `...` or `[` is a synopsis (`nbgen lint -f PATH... [-o text|json]`), not a
 *   command: it is returned apart, so a test can check that its command exists.
 * - Only the nbgen parts of a shell line are commands: `npm ci && npx nbgen export ...` runs
 *   `nbgen export ...`; a redirection (`> nb.sh`) is dropped (the output is captured).
 * - The expected exit status is what the text says: `[exit N]` after the command in its block
 *   (the walkthrough prints it), `exit N` in the line's trailing comment or in the `Example (...)`
 *   heading of a --help; otherwise 0.
 */
export interface DocCommand {
  /** `README.md:14` or `nbgen explain --help`. */
  readonly where: string;
  /** The nbgen part of the line as written. */
  readonly text: string;
  /** The arguments after `nbgen`. */
  readonly argv: readonly string[];
  readonly exit: number;
}

export interface DocSynopsis {
  readonly where: string;
  readonly text: string;
  /** The word after `nbgen`: a command name, or a global flag such as --version. */
  readonly command: string;
}

const NBGEN = /^(?:npx nbgen|nbgen|node packages\/cli\/bin\/nbgen\.js)(?:\s|$)/;

export async function documentedCommands(root: string): Promise<{ commands: DocCommand[]; synopses: DocSynopsis[] }> {
  const found = { commands: [] as DocCommand[], synopses: [] as DocSynopsis[] };
  for (const name of Object.keys(commands) as CommandName[]) {
    const lines = (await loadCommand(name)).usage.split('\n');
    const heading = lines.findIndex((l) => /^Example/.test(l));
    if (heading < 0) continue;
    const exit = exitIn(lines[heading]!) ?? 0;
    for (const line of lines.slice(heading + 1)) {
      if (/^\s+\S/.test(line)) addLine(found, `nbgen ${name} --help`, line.trim(), exit);
    }
  }
  const readmes = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => `docs/${f}`),
    ...readdirSync(join(root, 'examples')).sort().map((d) => `examples/${d}/README.md`),
  ];
  for (const file of readmes) {
    let text: string;
    try {
      text = readFileSync(join(root, file), 'utf8');
    } catch {
      continue;
    }
    const lines = text.split('\n');
    let inBlock = false;
    // In a block that shows a session (`$ ` prompts), only the prompted lines are commands; the
    // rest is their output, which may well contain the word nbgen.
    let prompted = false;
    for (let i = 0; i < lines.length; i++) {
      if (/^\s*```/.test(lines[i]!)) {
        inBlock = !inBlock;
        if (inBlock) {
          const end = lines.findIndex((l, j) => j > i && /^\s*```/.test(l));
          prompted = lines.slice(i + 1, end < 0 ? undefined : end).some((l) => l.startsWith('$ '));
        }
        continue;
      }
      if (!inBlock) continue;
      if (prompted && !lines[i]!.startsWith('$ ')) continue;
      let line = lines[i]!;
      const start = i;
      while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1).trimEnd()} ${lines[++i]!.trim()}`;
      const shown = line.replace(/^\$ /, '').trim();
      addLine(found, `${file}:${start + 1}`, shown, exitAfter(lines, i) ?? 0);
    }
  }
  return found;
}

/** One shell line: its nbgen parts become commands (or a synopsis). */
function addLine(found: { commands: DocCommand[]; synopses: DocSynopsis[] }, where: string, line: string, defaultExit: number): void {
  const hash = line.search(/\s#/);
  const comment = hash < 0 ? '' : line.slice(hash);
  const code = hash < 0 ? line : line.slice(0, hash).trim();
  if (!NBGEN.test(code) && !/(&&|;|\|)\s*(npx nbgen|nbgen)\s/.test(code)) return;
  if (code.includes('...') || code.includes('[')) {
    found.synopses.push({ where, text: code, command: code.replace(NBGEN, '').trim().split(/\s+/)[0] ?? '' });
    return;
  }
  for (const part of code.split(/\s*(?:&&|;|\|\|?)\s*/)) {
    const segment = part.replace(/^(?:[A-Z_]+=\S+\s+)*/, '');
    if (!NBGEN.test(segment)) continue;
    const words = segment.replace(NBGEN, '').trim().split(/\s+/).filter((w) => w !== '');
    const redirect = words.findIndex((w) => /^(\d?>>?|<)/.test(w));
    const argv = redirect < 0 ? words : words.slice(0, redirect);
    found.commands.push({ where, text: segment, argv, exit: exitIn(comment) ?? defaultExit });
  }
}

function exitIn(text: string): number | undefined {
  const m = /\bexit (\d)\b/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** `[exit N]` between a `$ ` line and the end of its block or the next `$ ` line. */
function exitAfter(lines: readonly string[], i: number): number | undefined {
  if (!lines[i]!.startsWith('$ ')) return undefined;
  for (let j = i + 1; j < lines.length && !/^\s*```/.test(lines[j]!) && !lines[j]!.startsWith('$ '); j++) {
    const m = /^\[exit (\d+)\]$/.exec(lines[j]!);
    if (m) return Number(m[1]);
  }
  return undefined;
}
