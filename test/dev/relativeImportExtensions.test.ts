import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const codemod = resolve(import.meta.dirname, '../../scripts/dev/relative-import-extensions.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'nbgen-codemod-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(join(scratch, path)), { recursive: true });
  writeFileSync(join(scratch, path), text);
}

async function codemodRun(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [codemod, '--root', scratch, ...args]);
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

const before = `import { a } from './a';
import type { B } from "../lib/b";
export * from './dir';
export { c } from './c.js';
import { z } from 'zod';
import data from './data.json';
const lazy = () => import('./a');
type T = import('./dir').T;
const notAnImport = './a';
`;

describe('scripts/dev/relative-import-extensions.mjs', () => {
  it('adds .js or /index.js to extensionless relative specifiers only, and a second run changes nothing', async () => {
    write('src/main.ts', before);
    write('src/a.ts', 'export const a = 1;\n');
    write('src/c.ts', 'export const c = 1;\n');
    write('src/data.json', '{}\n');
    write('src/dir/index.ts', 'export type T = 1;\n');
    write('lib/b.ts', 'export type B = 1;\n');
    write('node_modules/x/y.ts', "import './a';\n");

    expect(await codemodRun('--check')).toEqual({ code: 1, stdout: 'src/main.ts\n' });
    expect(await codemodRun()).toEqual({ code: 0, stdout: 'src/main.ts\n' });
    expect(readFileSync(join(scratch, 'src/main.ts'), 'utf8')).toBe(`import { a } from './a.js';
import type { B } from "../lib/b.js";
export * from './dir/index.js';
export { c } from './c.js';
import { z } from 'zod';
import data from './data.json';
const lazy = () => import('./a.js');
type T = import('./dir/index.js').T;
const notAnImport = './a';
`);
    expect(await codemodRun()).toEqual({ code: 0, stdout: '' });
    expect(await codemodRun('--check')).toEqual({ code: 0, stdout: '' });
    expect(readFileSync(join(scratch, 'node_modules/x/y.ts'), 'utf8')).toBe("import './a';\n");
  });
});
