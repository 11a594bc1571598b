/** The port groups a port is in (one object per distinct set of groups: rows are gathered per set). */
export interface PortGroups {
  readonly groups: readonly string[];
}

export const NO_GROUPS: PortGroups = { groups: [] };

/**
 * Port → the groups (of `groups`) it is in, from each group's list of ports. Groups of policies that
 * select the same pods share one list (the compiler's selections are cached: 740 distinct lists for
 * 1,000 groups in the 10,000-pod bench), so each list is walked once, for all its groups, and gets
 * a number. A port's lists, in the order they are walked, are a path in a trie: ports in the same
 * lists end on the same node, which holds their PortGroups (made when a port of it is first asked
 * for). Nothing is kept per port but its place in the trie: no list of numbers per port, no key text per port
 * (54,000 memberships here; what was there before allocated about 2 MB more).
 */
export function portGroupsIndex(groups: Iterable<string>, groupPorts: ReadonlyMap<string, readonly string[]>): (port: string) => PortGroups {
  const groupsOfList = new Map<readonly string[], string[]>();
  for (const g of groups) {
    const ports = groupPorts.get(g)!;
    const same = groupsOfList.get(ports);
    if (same === undefined) groupsOfList.set(ports, [g]);
    else same.push(g);
  }
  const root = new ListPath(null, null);
  // A port's place in the trie, moved on in place: one map lookup per membership.
  const byPort = new Map<string, { at: ListPath }>();
  // forEach and an indexed loop: this runs once, mostly before the optimizing compiler steps in,
  // where for-of makes an iterator result per membership.
  groupsOfList.forEach((groupsOfThisList, ports) => {
    for (let i = 0; i < ports.length; i++) {
      const port = ports[i]!;
      const place = byPort.get(port);
      if (place === undefined) byPort.set(port, { at: root.then(groupsOfThisList) });
      // A port listed twice in one list stays on its node.
      else if (place.at.groups !== groupsOfThisList) place.at = place.at.then(groupsOfThisList);
    }
  });
  return (port) => {
    const place = byPort.get(port);
    return place === undefined ? NO_GROUPS : place.at.portGroups();
  };
}

/** A node of the trie: the lists walked so far (`groups` is the last one's groups). */
class ListPath {
  /** The first child (most nodes have one), then any others by their list's groups. */
  private only: ListPath | null = null;
  private more: Map<readonly string[], ListPath> | null = null;
  private made: PortGroups | null = null;

  constructor(
    private readonly parent: ListPath | null,
    readonly groups: readonly string[] | null,
  ) {}

  then(groups: readonly string[]): ListPath {
    if (this.only === null) return (this.only = new ListPath(this, groups));
    if (this.only.groups === groups) return this.only;
    this.more ??= new Map();
    let next = this.more.get(groups);
    if (next === undefined) this.more.set(groups, (next = new ListPath(this, groups)));
    return next;
  }

  /** The groups of every list on the path, in the order the lists were walked. */
  portGroups(): PortGroups {
    if (this.made === null) {
      const lists: (readonly string[])[] = [];
      for (let at: ListPath | null = this; at !== null && at.groups !== null; at = at.parent) lists.push(at.groups);
      const groups: string[] = [];
      for (let i = lists.length - 1; i >= 0; i--) groups.push(...lists[i]!);
      this.made = { groups };
    }
    return this.made;
  }
}
