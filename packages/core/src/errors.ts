/**
 * Errors with stable codes. Input errors name the file, the document index within it and the
 * field path, e.g. `policies.yaml#2 spec.egress[0].ports[1].endPort: must be >= port (80)`.
 */
export interface SourceRef {
  /** File name as given by the caller (`<stdin>` for standard input). */
  readonly file: string;
  /** 0-based index of the YAML document within the file (items of a `List` share it). */
  readonly doc: number;
  /** Path prefix for objects inside a `kind: List`, e.g. `items[3]`; empty otherwise. */
  readonly itemPath?: string;
}

export interface InputIssue {
  readonly source: SourceRef;
  /** Field path in the object, e.g. `spec.ingress[0].ports[1].port`; empty for the whole object. */
  readonly path: string;
  readonly message: string;
}

export function formatSource(source: SourceRef): string {
  return `${source.file}#${source.doc}`;
}

export function formatInputIssue(issue: InputIssue): string {
  const prefix = source(issue.source, issue.path);
  return `${prefix}: ${issue.message}`;
}

function source(src: SourceRef, path: string): string {
  const fullPath = [src.itemPath, path].filter((p) => p !== undefined && p !== '').join('.');
  return fullPath === '' ? formatSource(src) : `${formatSource(src)} ${fullPath}`;
}

/** Thrown when any input is invalid; carries every issue found, and nothing is emitted. */
export class InputError extends Error {
  readonly code = 'NBGEN_INPUT';
  constructor(readonly issues: readonly InputIssue[]) {
    super(issues.map(formatInputIssue).join('\n'));
    this.name = 'InputError';
  }
}

/**
 * A compile option holds a value it cannot take (e.g. an `alwaysAllowCidrs` entry that is not a
 * CIDR). A caller's mistake, not the manifests': the CLI checks its flags before compiling.
 */
export class CompileOptionError extends Error {
  readonly code = 'NBGEN_COMPILE_OPTION';
  constructor(
    readonly option: string,
    readonly value: string,
    expected: string,
  ) {
    super(`${option}: ${JSON.stringify(value)} is not ${expected}`);
    this.name = 'CompileOptionError';
  }
}

/**
 * Every code a compile warning can carry. A union, so that `lint` (which reports each as a finding,
 * lint/rules/compileWarnings.ts) fails `tsc` until a new code is given its finding.
 */
export type CompileWarningCode =
  | 'NP_CIDR_HOST_BITS'
  | 'NP_RULES_IGNORED'
  | 'NP_NAMED_PORT_UNRESOLVED'
  | 'TIER_CIDR_HOST_BITS'
  | 'TIER_DOMAIN_NAMES_UNSUPPORTED'
  | 'TIER_PRIORITY_TIE'
  | 'NAT_GATEWAY_PORT_UNSUPPORTED'
  | 'NAT_LB_MULTIPLE_GATEWAY_PORTS';

/** A non-fatal finding of compile (e.g. a CIDR with host bits that was normalized). */
export interface CompileWarning {
  readonly code: CompileWarningCode;
  readonly message: string;
  readonly source?: SourceRef;
  readonly path?: string;
}

export function formatWarning(w: CompileWarning): string {
  const where = w.source ? `${source(w.source, w.path ?? '')}: ` : '';
  return `warning ${w.code}: ${where}${w.message}`;
}

/** Renders a field path from zod/JS path segments: `spec.ingress[0].ports[1].port`. */
export function formatFieldPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}
