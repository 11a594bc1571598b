import { compile, formatSource, formatWarning, loadModel, type CompileResult, type Model } from '@ovn-nbgen/core';
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
  values: CompileFlagValues & { readonly filename?: string[] | undefined; readonly verbose?: boolean | undefined },
  io: CliIo,
): Promise<CompiledInput> {
  const settings = compileSettings(command, values);
  const model = await loadInput(command, values, io);
  const result = compile(model, settings.compileOptions);
  for (const warning of result.warnings) io.stderr(`${formatWarning(warning)}\n`);
  return { ...result, settings };
}

/** `-f` sources → validated model; with --verbose, the objects of kinds nbgen does not compile. */
export async function loadInput(
  command: string,
  values: { readonly filename?: string[] | undefined; readonly verbose?: boolean | undefined },
  io: CliIo,
): Promise<Model> {
  const sources = await readManifestSources(command, values.filename, io);
  const { model, ignored } = loadModel(sources);
  if (values.verbose) {
    for (const object of ignored) {
      const what = [object.apiVersion, object.kind].filter((s) => s !== '').join(' ') || 'object without kind';
      io.stderr(`ignored: ${formatSource(object.source)} ${what}${object.name ? ` ${object.name}` : ''}\n`);
    }
  }
  return model;
}
