import type { LabelSelector } from '../selectors/labelSelector.js';

/**
 * Canonical text of a label selector in kubectl's selector syntax, requirements sorted and
 * de-duplicated: `{app=web,tier in (api,db),!legacy}`; `{}` selects everything. Equal selectors
 * (however written) get equal text; the text is also what external_ids show to a reader.
 */
export function selectorKey(selector: LabelSelector): string {
  // A one-pair selector's text is made each time: cheaper than remembering it, since a compile
  // asks for most selectors once (20,000 WeakMap entries at 10,000 policies cost about 10 ms).
  const single = singlePairText(selector);
  if (single !== null) return single;
  let key = selectorKeys.get(selector);
  if (key === undefined) {
    key = requirementsText(selector);
    selectorKeys.set(selector, key);
  }
  return key;
}

/** Selectors are frozen model objects: the text of any other selector is computed once per object. */
const selectorKeys = new WeakMap<LabelSelector, string>();

/**
 * `{key=value}` of a selector that is one matchLabels pair and nothing else, the commonest
 * selector (20,000 of them at 10,000 policies): what requirementsText gives it, without its set,
 * entries and sorted copy. Null for any other selector.
 */
function singlePairText(selector: LabelSelector): string | null {
  if (selector.matchExpressions !== undefined && selector.matchExpressions.length > 0) return null;
  const labels = selector.matchLabels;
  if (labels === undefined) return null;
  let text: string | null = null;
  for (const key in labels) {
    if (text !== null || !Object.hasOwn(labels, key)) return null;
    text = `{${key}=${labels[key]}}`;
  }
  return text;
}

/** The canonical text of any selector (exported for the differential test of singlePairText). */
export function requirementsText(selector: LabelSelector): string {
  const requirements = new Set<string>();
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) requirements.add(`${key}=${value}`);
  for (const req of selector.matchExpressions ?? []) {
    const values = [...new Set(req.values ?? [])].sort();
    switch (req.operator) {
      case 'In':
        requirements.add(values.length === 1 ? `${req.key}=${values[0]}` : `${req.key} in (${values.join(',')})`);
        break;
      case 'NotIn':
        requirements.add(`${req.key} notin (${values.join(',')})`);
        break;
      case 'Exists':
        requirements.add(req.key);
        break;
      case 'DoesNotExist':
        requirements.add(`!${req.key}`);
        break;
    }
  }
  return `{${[...requirements].sort().join(',')}}`;
}
