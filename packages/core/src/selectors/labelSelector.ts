import * as z from 'zod';
import { labelKey, labelMap, labelValue } from '../manifests/names.js';

/** metav1.LabelSelector with the API server's validation of operators and values. */
export const labelSelectorSchema = z
  .object({
    matchLabels: labelMap.optional(),
    matchExpressions: z
      .array(
        z
          .object({
            key: labelKey,
            operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist'], {
              message: 'operator must be one of In, NotIn, Exists, DoesNotExist',
            }),
            values: z.array(labelValue).optional(),
          })
          .superRefine((req, ctx) => {
            const n = req.values?.length ?? 0;
            if ((req.operator === 'In' || req.operator === 'NotIn') && n === 0) {
              ctx.addIssue({ code: 'custom', path: ['values'], message: `must be non-empty for operator ${req.operator}` });
            }
            if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && n > 0) {
              ctx.addIssue({ code: 'custom', path: ['values'], message: `must be empty for operator ${req.operator}` });
            }
          }),
      )
      .optional(),
  })
  .strict();

export type LabelSelector = z.infer<typeof labelSelectorSchema>;
export type Labels = Readonly<Record<string, string>>;

/**
 * Kubernetes label selector semantics: all requirements must hold; an empty selector matches
 * everything. (A *missing* selector is the caller's business: in NetworkPolicy peers a missing
 * namespaceSelector means "the policy's namespace", not "all".)
 */
export function matchesLabels(selector: LabelSelector, labels: Labels): boolean {
  const matchLabels = selector.matchLabels;
  if (matchLabels !== undefined) {
    // Keys, not entries: no pair array per label per pod checked.
    const keys = Object.keys(matchLabels);
    for (let i = 0; i < keys.length; i++) if (labels[keys[i]!] !== matchLabels[keys[i]!]) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, req.key);
    const value = labels[req.key];
    switch (req.operator) {
      case 'In':
        if (!has || !req.values!.includes(value!)) return false;
        break;
      case 'NotIn':
        if (has && req.values!.includes(value!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}
