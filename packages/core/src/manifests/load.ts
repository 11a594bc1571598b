import { InputError, type InputIssue } from '../errors';
import { emptyModelBuilder, type IgnoredObject, type Model } from '../model/model';
import { readObjects, type ManifestSource } from './documents';
import { kindHandlers, type ModelKind } from './kinds';

export interface LoadedModel {
  readonly model: Model;
  readonly ignored: readonly IgnoredObject[];
}

/**
 * manifests → validated model. Throws InputError with every issue found (file, document, field
 * path); nothing partial is returned.
 */
export function loadModel(sources: readonly ManifestSource[]): LoadedModel {
  const objects = readObjects(sources);
  const into = emptyModelBuilder();
  const ignored: IgnoredObject[] = [];
  const issues: InputIssue[] = [];
  for (const { source, object } of objects) {
    const kind = typeof object.kind === 'string' ? object.kind : '';
    const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
    const handler = Object.hasOwn(kindHandlers, kind) ? kindHandlers[kind as ModelKind] : undefined;
    if (!handler || !handler.apiVersions.includes(apiVersion)) {
      const meta = object.metadata as { name?: unknown } | undefined;
      ignored.push({ source, apiVersion, kind, name: typeof meta?.name === 'string' ? meta.name : '' });
      continue;
    }
    issues.push(...handler.add(object, source, into));
  }
  if (issues.length > 0) throw new InputError(issues);
  return { model: Object.freeze(into), ignored };
}
