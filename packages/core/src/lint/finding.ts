import { formatSource, type SourceRef } from '../errors.js';

export type LintSeverity = 'error' | 'warning' | 'info';

/**
 * One lint finding: a stable id and name, where (file#doc and field path), what is wrong in the
 * words of the field report it prevents, and the fix.
 */
export interface LintFinding {
  /** Stable id, e.g. `NBG001`; docs/lint.md lists them. */
  readonly id: string;
  /** Short name of the check, e.g. `service-port-in-policy`. */
  readonly check: string;
  readonly severity: LintSeverity;
  /** `NetworkPolicy shop/web-ingress`. */
  readonly object: string;
  readonly source: SourceRef;
  /** Field path in the object, e.g. `spec.ingress[0].ports[0].port`; empty for the whole object. */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

/** `policies.yaml#2 spec.ingress[0].ports[0].port` (items of a List keep their `items[i]` prefix). */
export function findingLocation(f: LintFinding): string {
  const path = [f.source.itemPath, f.path].filter((p) => p !== undefined && p !== '').join('.');
  return path === '' ? formatSource(f.source) : `${formatSource(f.source)} ${path}`;
}

const SEVERITY_ORDER: Record<LintSeverity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then by file, document, path and id: the same input always prints the same. */
export function sortFindings(findings: readonly LintFinding[]): LintFinding[] {
  const key = (f: LintFinding): string =>
    `${SEVERITY_ORDER[f.severity]}\u0000${f.source.file}\u0000${String(f.source.doc).padStart(6, '0')}\u0000${findingLocation(f)}\u0000${f.id}\u0000${f.message}`;
  return [...findings].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 *   error NBG001 service-port-in-policy: NetworkPolicy shop/web-ingress
 *     at cluster.yaml#3 spec.ingress[0].ports[0].port
 *     port 80 is the port of Service shop/web ...
 *     fix: ...
 */
export function formatFindings(findings: readonly LintFinding[]): string {
  if (findings.length === 0) return 'no findings\n';
  const out: string[] = [];
  for (const f of findings) {
    out.push(`${f.severity} ${f.id} ${f.check}: ${f.object}`);
    out.push(`  at ${findingLocation(f)}`);
    out.push(`  ${f.message}`);
    out.push(`  fix: ${f.fix}`);
    out.push('');
  }
  const count = (s: LintSeverity): number => findings.filter((f) => f.severity === s).length;
  out.push(`${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info`);
  return `${out.join('\n')}\n`;
}
