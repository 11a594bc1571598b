import type { LabelSelector, Labels } from '../selectors/labelSelector.js';

/**
 * Pod selections of one namespace by a label their selector requires (an entry of its
 * matchLabels): a pod event tests only the selections that can pick a pod with its labels, not
 * every selection of its namespace (about 200 at 100 NetworkPolicies a namespace, each tested
 * against both versions of the pod). Selections without matchLabels are always candidates.
 */
export class LabelIndex<T extends { readonly podSelector: LabelSelector }> {
  private readonly byLabel = new Map<string, Set<T>>();
  private readonly unindexed = new Set<T>();

  add(item: T): void {
    const label = requiredLabel(item.podSelector);
    if (label === null) {
      this.unindexed.add(item);
      return;
    }
    let items = this.byLabel.get(label);
    if (!items) this.byLabel.set(label, (items = new Set()));
    items.add(item);
  }

  delete(item: T): void {
    const label = requiredLabel(item.podSelector);
    if (label === null) {
      this.unindexed.delete(item);
      return;
    }
    const items = this.byLabel.get(label);
    items?.delete(item);
    if (items?.size === 0) this.byLabel.delete(label);
  }

  /** The selections that may pick a pod with one of these label sets (more, never fewer: test each). */
  candidates(labelSets: readonly Labels[]): Set<T> {
    const out = new Set(this.unindexed);
    for (const labels of labelSets) {
      for (const key in labels) {
        const items = this.byLabel.get(labelKey(key, labels[key]!));
        if (items) for (const item of items) out.add(item);
      }
    }
    return out;
  }
}

/** One label every pod the selector picks has (the first of its matchLabels), or null. */
function requiredLabel(selector: LabelSelector): string | null {
  for (const key in selector.matchLabels ?? {}) return labelKey(key, selector.matchLabels![key]!);
  return null;
}

const labelKey = (key: string, value: string): string => `${key}\u0000${value}`;
