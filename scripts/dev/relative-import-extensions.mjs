#!/usr/bin/env node
// Adds the `.js` extension Node's ESM resolver requires to every extensionless relative module
// specifier in the repository's TypeScript files: `./x` → `./x.js` when `x.ts` exists,
// `./dir` → `./dir/index.js` when `dir/index.ts` exists. tsc with moduleResolution NodeNext then
// refuses any import written without it, so this is the one-time (and after-merge) fix.
//
// Idempotent: specifiers that already end in an extension Node resolves (`.js`, `.json`, ...) or
// that name no TypeScript file are left as they are. Re-run after merging a branch that still adds
// extensionless imports:
//
//   node scripts/dev/relative-import-extensions.mjs          # rewrite in place, list changed files
//   node scripts/dev/relative-import-extensions.mjs --check  # exit 1 if anything would change
//   ... --root DIR                                           # another tree than this repository
//
// Uses the TypeScript parser (the repo's devDependency), so only real module specifiers change:
// import/export declarations, `import type`, `import('...')` calls and `import('...')` types, never
// strings that merely look like paths.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';

const { values: flags } = parseArgs({ options: { check: { type: 'boolean' }, root: { type: 'string' } } });
const repoRoot = resolve(flags.root ?? join(dirname(fileURLToPath(import.meta.url)), '../..'));
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', '.vitest']);
const TS_FILE = /\.(mts|cts|ts|tsx)$/;
const DECLARATION_FILE = /\.d\.(m|c)?ts$/;

function* typeScriptFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) yield* typeScriptFiles(join(dir, entry.name));
    } else if (TS_FILE.test(entry.name) && !DECLARATION_FILE.test(entry.name)) {
      yield join(dir, entry.name);
    }
  }
}

/** The specifier Node ESM resolves to the same TypeScript file, or undefined to leave it alone. */
function withExtension(specifier, fromFile) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const target = resolve(dirname(fromFile), specifier);
  for (const [source, emitted] of [['.ts', '.js'], ['.tsx', '.js'], ['.mts', '.mjs'], ['.cts', '.cjs']]) {
    if (isFile(target + source)) return specifier + emitted;
  }
  if (isDirectory(target) && isFile(join(target, 'index.ts'))) return `${specifier.replace(/\/$/, '')}/index.js`;
  return undefined;
}

function isFile(path) {
  return existsSync(path) && statSync(path).isFile();
}

function isDirectory(path) {
  return existsSync(path) && statSync(path).isDirectory();
}

/** String literals that are module specifiers, wherever TypeScript syntax puts one. */
function moduleSpecifiers(sourceFile) {
  const found = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [first] = node.arguments;
      if (first && ts.isStringLiteralLike(first)) found.push(first);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal);
    } else if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) {
      found.push(node.name);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** The file's text with every specifier fixed (edits applied back to front so offsets stay valid). */
function rewrite(path) {
  const text = readFileSync(path, 'utf8');
  const sourceFile = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const edits = [];
  for (const literal of moduleSpecifiers(sourceFile)) {
    const fixed = withExtension(literal.text, path);
    if (fixed === undefined) continue;
    const start = literal.getStart(sourceFile);
    const quote = text[start];
    edits.push({ start, end: literal.getEnd(), replacement: `${quote}${fixed}${quote}` });
  }
  let result = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.replacement + result.slice(edit.end);
  }
  return result;
}

const checkOnly = flags.check === true;
const changed = [];
for (const path of typeScriptFiles(repoRoot)) {
  const before = readFileSync(path, 'utf8');
  const after = rewrite(path);
  if (after === before) continue;
  changed.push(relative(repoRoot, path));
  if (!checkOnly) writeFileSync(path, after);
}
for (const path of changed) console.log(path);
if (checkOnly && changed.length > 0) {
  console.error(`${changed.length} file(s) have extensionless relative imports: run node scripts/dev/relative-import-extensions.mjs`);
  process.exitCode = 1;
}
