import { DbError, syntaxError } from './dbError.js';
import { isId } from '../notation/uuid.js';

/**
 * `ovsdb/ovsdb-parser.c`: reads the members of one operation object, keeps only the first
 * problem, and at the end reports any member nobody asked for. Messages are prefixed with
 * `Parsing ovsdb operation i of n failed: `, as the server words them.
 */
export type MemberKind = 'id' | 'string' | 'object' | 'array' | 'boolean' | 'integer';

export class OperationParser {
  private readonly used = new Set<string>();
  private firstError: DbError | undefined;

  constructor(
    readonly json: unknown,
    readonly name: string,
  ) {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      // ovsdb-server reports this one without a `syntax` member.
      this.firstError = new DbError('syntax error', `Parsing ${name} failed: Object expected.`);
    }
  }

  private get object(): Record<string, unknown> {
    return typeof this.json === 'object' && this.json !== null && !Array.isArray(this.json) ? (this.json as Record<string, unknown>) : {};
  }

  member(name: string, kinds: readonly MemberKind[], optional = false): unknown {
    if (this.firstError) return undefined;
    const obj = this.object;
    if (!Object.prototype.hasOwnProperty.call(obj, name)) {
      if (!optional) this.raise(`Required '${name}' member is missing.`);
      return undefined;
    }
    const value = obj[name];
    if (kinds.some((k) => matches(k, value))) {
      this.used.add(name);
      return value;
    }
    this.raise(`Type mismatch for member '${name}'.`);
    return undefined;
  }

  raise(message: string): void {
    if (!this.firstError) this.firstError = syntaxError(this.json, null, `Parsing ${this.name} failed: ${message}`);
  }

  get error(): DbError | undefined {
    return this.firstError;
  }

  /** The first error, or a member that was present but not used. */
  finish(): DbError | undefined {
    if (this.firstError) return this.firstError;
    for (const key of Object.keys(this.object)) {
      if (!this.used.has(key)) {
        this.raise(`Member '${key}' is present but not allowed here.`);
        break;
      }
    }
    return this.firstError;
  }
}

function matches(kind: MemberKind, value: unknown): boolean {
  switch (kind) {
    case 'id':
      return typeof value === 'string' && isId(value);
    case 'string':
      return typeof value === 'string';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
  }
}
