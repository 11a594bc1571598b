/** The field of a FlowQuery a FlowQueryError is about (the CLI flag of the same name). */
export type FlowQueryField = 'from' | 'to' | 'port' | 'protocol' | 'family' | 'via';

/**
 * A flow that cannot be judged: an end that is not in the manifests, a Service port that does
 * not exist, no common address family... The CLI reports it as a usage error on `--<field>`.
 */
export class FlowQueryError extends Error {
  readonly code = 'NBGEN_FLOW_QUERY';
  constructor(
    readonly field: FlowQueryField,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'FlowQueryError';
  }
}
