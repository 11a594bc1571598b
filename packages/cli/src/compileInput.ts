import { compile, formatSource, formatWarning, loadModel, type CompileResult, type Model } from '@ovn-nbgen/core';
import { dns1123LabelProblem } from '@ovn-nbgen/core/model';
import { UsageError, NoObjectsError } from './errors.js';
import type { CliIo } from './io.js';
import { readManifestSources } from './input/readSources.js';
import { compileSettings, type CompileFlagValues, type CompileSettings } from './options/common.js';

export interface CompiledInput extends CompileResult {
  readonly settings: CompileSettings;
}

/**
 * The path every compiling command shares: flags → options, -f → manifests → model → rows.
 * Compile warnings always go to stderr; --verbose adds the objects that were ignored.
 */
export async function compileInput(
  command: string,
  values: CompileFlagValues & InputFlagValues,
  io: CliIo,
): Promise<CompiledInput> {
  const settings = compileSettings(command, values);
  const model = await loadInput(command, values, io);
  const result = compile(model, settings.compileOptions);
  for (const warning of result.warnings) io.stderr(`${formatWarning(warning)}\n`);
  return { ...result, settings };
}

/** The flags of `inputFlags` (options/common.ts). */
export interface InputFlagValues {
  readonly filename?: string[] | undefined;
  readonly recursive?: boolean | undefined;
  readonly namespace?: string | undefined;
  readonly verbose?: boolean | undefined;
}

/** `-n`, checked as the API server checks a namespace name; `default` unless given. */
export function defaultNamespaceOf(command: string, values: InputFlagValues): string {
  const namespace = values.namespace ?? 'default';
  const problem = dns1123LabelProblem(namespace);
  if (problem) throw new UsageError(`--namespace ${JSON.stringify(namespace)}: ${problem}`, command);
  return namespace;
}

/**
 * `-f` sources → validated model; with --verbose, the objects of kinds nbgen does not compile.
 * Input without any object is refused (NoObjectsError), whatever the command.
 */
export async function loadInput(command: string, values: InputFlagValues, io: CliIo): Promise<Model> {
  const defaultNamespace = defaultNamespaceOf(command, values);
  const sources = await readManifestSources(command, values.filename, io, values.recursive === true);
  const { model, ignored, objectCount } = loadModel(sources, { defaultNamespace });
  if (objectCount === 0) throw new NoObjectsError(values.filename ?? []);
  if (values.verbose) {
    for (const object of ignored) {
      const what = [object.apiVersion, object.kind].filter((s) => s !== '').join(' ') || 'object without kind';
      io.stderr(`ignored: ${formatSource(object.source)} ${what}${object.name ? ` ${object.name}` : ''}\n`);
    }
  }
  return model;
}
