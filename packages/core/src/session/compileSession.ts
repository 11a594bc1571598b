import type { CompileResult } from '../compile/compile.js';
import { kubeOvnPortName, withCompileDefaults, type CompileOptions, type CompileOptionsInput } from '../compile/options.js';
import { InputError, type CompileWarning, type InputIssue } from '../errors.js';
import type { ObjectRef } from '../ownership.js';
import type { ModelKind } from '../manifests/kinds.js';
import { isOvnPod, type Namespace, type Node, type Pod } from '../model/inventory.js';
import { emptyModelBuilder, type Model } from '../model/model.js';
import { compileNat } from '../nat/compile.js';
import { ownNodeRowsOf } from '../ownNode/compile.js';
import { compilePolicy, policyContext } from '../netpol/compile.js';
import type { NetworkPolicy } from '../netpol/networkPolicy.js';
import { policyKey } from '../netpol/names.js';
import { groupNbRows, listNbRows, PortGroupRow, type AddressSetRow, type NbRow, type NbRows } from '../rows/index.js';
import { ipFamilyOf, namedPortNumber, podIps, SelectionIndex } from '../selection/index.js';
import { sharedSetName, sharedSetRow } from '../netpol/addressSets.js';
import { namedPortSetIdentity } from '../netpol/namedPortSets.js';
import { matchesLabels, type Labels } from '../selectors/labelSelector.js';
import { compileClusterPolicies } from '../tiers/compile.js';
import type { PodSelection, TieredPolicy } from '../tiers/tieredPolicy.js';
import { MODEL_FIELD_OF, objectIdOf, objectKey, type ModelObject, type ObjectId } from './modelObjects.js';
import { PolicyDependencies, type Dependency, type NamedSetChange, type Readers } from './policyDeps.js';
import { givesUniformNumbers, namedIngressOf, type NamedIngress } from './namedIngress.js';
import { RowStore, type RowDelta } from './rowDelta.js';

/**
 * The compiler as a long-lived session: it holds the model, the selection index and the rows,
 * takes one object change at a time and answers with the rows that change. At every moment its
 * rows equal `compile(session.model(), options).rows`, byte for byte (a property test holds it to
 * that); the work an event costs grows with what the event touches:
 *
 *  - a NetworkPolicy is recompiled alone (its port group, ACLs and the shared peer sets it uses);
 *  - a Pod change recompiles the NetworkPolicies whose selectors pick its old or new version, and
 *    nothing when no field a selection reads changed (labels, addresses, container ports);
 *  - a Namespace relabel recompiles the NetworkPolicies whose namespaceSelector it enters or leaves;
 *  - a Pod's placement (`spec.nodeName`) moves the own-node rows of its old and new node only;
 *  - the tiered policies (CNP/ANP/BANP) are ranked against each other, so they are recompiled
 *    together, when one of them changes or a pod or node they select does; the NAT kinds are
 *    resolved against each other, so they are recompiled together when one of them or a Node does.
 *
 * Example:
 *   const session = new CompileSession(options);
 *   session.upsert({ kind: 'Pod', value: pod });         // → { added, changed, removed }
 *   session.remove({ kind: 'Pod', namespace: 'prod', name: 'web-1' });
 */
export class CompileSession {
  private readonly objects = new Map<ModelKind, Map<string, ModelObject['value']>>();
  private readonly index = new SelectionIndex({ namespaces: [], pods: [], services: [], nodes: [] });
  private readonly store = new RowStore();
  private readonly dependencies = new PolicyDependencies();
  private readonly policyUnits = new Map<string, PolicyUnit>();
  private readonly sharedSets = new Map<string, { row: AddressSetRow; holders: Set<string> }>();
  private tiers: CompiledPart = EMPTY_PART;
  private nat: CompiledPart = EMPTY_PART;
  /** Own-node rows per Node name (ownNode/compile.ts); present only while some policy exists. */
  private readonly ownNodeRows = new Map<string, readonly NbRow[]>();
  private ownNodeActive = false;
  private natIssues: readonly InputIssue[] = [];

  readonly options: CompileOptions;

  /** `owner` and `capabilities` are required; the rest default as `withCompileDefaults` says. */
  constructor(options: CompileOptionsInput) {
    this.options = withCompileDefaults(options);
  }

  /** Adds or replaces an object (by kind, namespace and name). */
  upsert(object: ModelObject): RowDelta {
    return this.apply([{ type: 'upsert', object }]);
  }

  /** Removes an object; removing one the session does not hold changes nothing. */
  remove(id: ObjectId): RowDelta {
    return this.apply([{ type: 'remove', id }]);
  }

  /**
   * Several events at once, compiled once at the end: a policy touched by many of them is
   * recompiled once (the initial list of a watch, a batch of a stream). The delta is the
   * difference between the rows before the first event and after the last.
   */
  apply(events: readonly SessionEvent[]): RowDelta {
    for (const event of events) {
      if (event.type === 'upsert') {
        const id = objectIdOf(event.object);
        const previous = this.stored(id);
        this.table(id.kind).set(objectKey(id), event.object.value);
        this.changed({ kind: event.object.kind, previous, current: event.object.value } as Change);
      } else {
        const previous = this.stored(event.id);
        if (previous === undefined) continue;
        this.table(event.id.kind).delete(objectKey(event.id));
        this.changed({ kind: event.id.kind, previous, current: undefined } as Change);
      }
    }
    this.flush();
    return this.store.takeDelta();
  }

  /** The object the session holds under `id`, if any. */
  get(id: ObjectId): ModelObject['value'] | undefined {
    return this.stored(id);
  }

  /** The model as it stands (objects in the order they first came). */
  model(): Model {
    const builder = emptyModelBuilder();
    for (const [kind, table] of this.objects) {
      const list = builder[MODEL_FIELD_OF[kind]] as ModelObject['value'][];
      list.push(...table.values());
    }
    return builder;
  }

  /** Every row, in the canonical order `compile` gives. */
  rows(): NbRows {
    return groupNbRows([...this.store.values()]);
  }

  /** Every current row produced from these objects, in canonical order (for `reconcileObjects`). */
  rowsOfObjects(objects: readonly ObjectRef[]): NbRows {
    return groupNbRows(objects.flatMap((object) => this.store.rowsOf(object)));
  }

  /** Warnings as `compile` gives them: NetworkPolicies by key, then tiered, then NAT. */
  warnings(): readonly CompileWarning[] {
    const keys = [...this.policyUnits.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return [...keys.flatMap((k) => this.policyUnits.get(k)!.warnings), ...this.tiers.warnings, ...this.nat.warnings];
  }

  /**
   * Why the NAT rows are held at their last resolved state (references that do not resolve yet);
   * empty when the rows are `compile`'s. `compile` of the model would throw with these issues.
   */
  unresolved(): readonly InputIssue[] {
    return this.natIssues;
  }

  /** `compile`'s result for the session's model, without compiling it again. */
  result(): CompileResult {
    return { rows: this.rows(), warnings: this.warnings() };
  }

  /** What the events since the last flush asked for. */
  private dirty: { readers: Readers; tiers: boolean; nat: boolean; ownNodes: Map<string, Set<string> | 'rebuild'> } = freshDirty();
  /** Shared sets of this flush whose rows must not be reused (they become empty). */
  private readonly staleSets = new Set<string>();

  private flush(): void {
    const { readers, tiers, nat, ownNodes } = this.dirty;
    this.dirty = freshDirty();
    this.staleSets.clear();
    // Sets first: a set that becomes empty or stops being empty sends its holders to recompile.
    for (const [dep, change] of readers.sets) this.updateSets(dep, change, readers.recompile);
    for (const [dep, change] of readers.namedSets) this.updateNamedPortSets(dep, change, readers.recompile);
    // Port groups are patched by pod name only when a pod's port name is its own (Kube-OVN's).
    if (this.options.portNameFor !== kubeOvnPortName) for (const key of readers.members.keys()) readers.recompile.add(key);
    const patches = this.portGroupPatches(readers.members, readers.recompile);
    this.recompilePolicies(readers.recompile);
    for (const [key, ports] of patches) this.patchPortGroup(key, ports);
    if (tiers) this.recompileTiers();
    if (nat) this.recompileNat();
    this.recompileOwnNodes(ownNodes);
  }

  /**
   * Each policy's port group after these pods (`namespace/name`) changed: a pod's port is in it
   * iff the pod, as held now, is an OVN pod its podSelector picks (only groups whose ports change
   * are returned). The ACLs do not list pods, except a named ingress port's when its selected
   * pods give it different numbers: a policy whose named ingress ports do not keep resolving to
   * the same one number on every selected pod (namedIngress.ts) goes to `recompile` instead.
   */
  private portGroupPatches(members: ReadonlyMap<string, ReadonlySet<string>>, recompile: Set<string>): Map<string, string[]> {
    const patches = new Map<string, string[]>();
    const table = this.table('Pod') as Map<string, Pod>;
    for (const [key, pods] of members) {
      if (recompile.has(key)) continue;
      const unit = this.policyUnits.get(key);
      if (!unit) continue;
      const { policy, namedIngress } = unit;
      const selects = (pod: Pod | undefined): pod is Pod =>
        pod !== undefined && isOvnPod(pod) && pod.namespace === policy.namespace && matchesLabels(policy.podSelector, pod.labels);
      const group = unit.rows[0] as PortGroupRow;
      const ports = patchedPorts(group.ports, pods, (podKey) => selects(table.get(podKey)));
      if (namedIngress !== 'none') {
        const uniform =
          namedIngress !== 'varied' &&
          (ports ?? group.ports).length > 0 &&
          [...pods].every((podKey) => {
            const pod = table.get(podKey);
            return !selects(pod) || givesUniformNumbers(namedIngress, pod);
          });
        if (!uniform) {
          recompile.add(key);
          continue;
        }
      }
      if (ports !== null) patches.set(key, ports);
    }
    return patches;
  }

  /** A policy's port group with these ports (from `portGroupPatches`); its ACLs stay. */
  private patchPortGroup(key: string, ports: string[]): void {
    const unit = this.policyUnits.get(key)!;
    const group = unit.rows[0] as PortGroupRow;
    const patched = PortGroupRow({ name: group.name, ports, externalIds: group.externalIds });
    this.policyUnits.set(key, { ...unit, rows: [patched, ...unit.rows.slice(1)] });
    this.store.add([patched]);
  }

  /**
   * The shared sets of a peer selection used as plain address sets, rebuilt from the index; when
   * a family's set becomes empty or stops being empty, the holders go to `recompile` instead
   * (their ACLs referencing it come or go).
   */
  private updateSets(dep: Dependency, change: ReadonlySet<string> | 'rebuild', recompile: Set<string>): void {
    const scope = dep.namespaceSelector === null ? dep.namespace : null;
    let pods: readonly Pod[] | undefined;
    for (const family of [4, 6] as const) {
      const identity = { key: dep.peerKey, scope, variant: [], family };
      const name = sharedSetName(identity);
      const entry = this.sharedSets.get(name);
      let addresses: readonly string[];
      if (change === 'rebuild') {
        pods ??=
          dep.namespaceSelector === null
            ? this.index.podsMatching(dep.namespace!, dep.podSelector)
            : this.index.podsSelectedBy(dep.namespaceSelector, dep.podSelector);
        addresses = podIps(pods, family);
      } else {
        addresses = this.patchedAddresses(entry?.row.addresses ?? [], change, family, (pod) => this.selects(dep, pod));
        if (entry !== undefined && addresses === entry.row.addresses) continue;
      }
      if ((entry === undefined) !== (addresses.length === 0)) {
        for (const key of dep.holders.plain) recompile.add(key);
        this.staleSets.add(name);
        continue;
      }
      if (entry === undefined) continue;
      entry.row = sharedSetRow(this.options.owner, identity, name, addresses);
      this.store.add([entry.row]);
    }
  }

  /**
   * The per-number sets of an egress named port's peer (`nppeer.H<hash>.Tcp8080.Ip4`) after pods
   * with these addresses and numbers changed, patched as plain peer sets are; a set that appears
   * or goes empty sends the peer's named-port holders to `recompile` (their ACLs for that number
   * come or go; policyDeps.ts `addNamedSets` says why nothing else can change them).
   */
  private updateNamedPortSets(dep: Dependency, change: NamedSetChange, recompile: Set<string>): void {
    const peer = { key: dep.peerKey, scope: dep.namespaceSelector === null ? dep.namespace : null };
    for (const { port, numbers } of change.ports.values()) {
      for (const number of numbers) {
        const gives = (pod: Pod) => namedPortNumber(pod, port.name, port.protocol) === number && this.selects(dep, pod);
        for (const family of [4, 6] as const) {
          const identity = namedPortSetIdentity(peer, port.protocol, port.name, number, family);
          const name = sharedSetName(identity);
          const entry = this.sharedSets.get(name);
          const addresses = this.patchedAddresses(entry?.row.addresses ?? [], change.ips, family, gives);
          if (entry !== undefined && addresses === entry.row.addresses) continue;
          if ((entry === undefined) !== (addresses.length === 0)) {
            for (const key of dep.namedPorts.keys()) recompile.add(key);
            this.staleSets.add(name);
            continue;
          }
          if (entry === undefined) continue;
          entry.row = sharedSetRow(this.options.owner, identity, name, addresses);
          this.store.add([entry.row]);
        }
      }
    }
  }

  /**
   * A set's addresses after pods with these addresses changed: each address is in the set iff a
   * pod it takes (`member`, as the index holds pods now) has it. Sorted as AddressSetRow sorts.
   * Returns `current` itself when nothing changed.
   */
  private patchedAddresses(current: readonly string[], ips: ReadonlySet<string>, family: 4 | 6, member: (pod: Pod) => boolean): readonly string[] {
    let out: string[] | null = null;
    for (const ip of ips) {
      if (ipFamilyOf(ip) !== family) continue;
      const wanted = this.index.podsWithIp(ip).some(member);
      const list: readonly string[] = out ?? current;
      const at = sortedIndexOf(list, ip);
      const present = at < list.length && list[at] === ip;
      if (wanted === present) continue;
      out ??= [...current];
      if (wanted) out.splice(at, 0, ip);
      else out.splice(at, 1);
    }
    return out ?? current;
  }

  private selects(dep: Dependency, pod: Pod): boolean {
    if (dep.namespaceSelector === null) return pod.namespace === dep.namespace && matchesLabels(dep.podSelector, pod.labels);
    return matchesLabels(dep.namespaceSelector, this.index.namespaceLabels(pod.namespace)) && matchesLabels(dep.podSelector, pod.labels);
  }

  private changed(change: Change): void {
    switch (change.kind) {
      case 'Namespace':
        return this.namespaceChanged(change.previous, change.current);
      case 'Pod':
        return this.podChanged(change.previous, change.current);
      case 'Service':
        if (change.previous) this.index.removeService(change.previous);
        if (change.current) this.index.upsertService(change.current, undefined);
        return;
      case 'Node':
        this.dirty.ownNodes.set((change.current ?? change.previous)!.name, 'rebuild');
        if (this.tieredCount() > 0) this.dirty.tiers = true;
        this.dirty.nat = true;
        return;
      case 'NetworkPolicy':
        this.dirty.readers.recompile.add(policyKey((change.current ?? change.previous)!));
        return;
      case 'ClusterNetworkPolicy':
      case 'AdminNetworkPolicy':
      case 'BaselineAdminNetworkPolicy':
        this.dirty.tiers = true;
        return;
      default:
        this.dirty.nat = true;
    }
  }

  private namespaceChanged(previous: Namespace | undefined, current: Namespace | undefined): void {
    const name = (current ?? previous)!.name;
    const before: Labels = this.index.namespaceLabels(name);
    if (current) this.index.upsertNamespace(current);
    else this.index.removeNamespace(name);
    const after: Labels = this.index.namespaceLabels(name);
    this.dependencies.readersOfNamespace(before, after, (pods) => this.index.podsMatching(name, pods).length > 0, this.dirty.readers);
    if (this.tieredCount() > 0) this.dirty.tiers = true;
  }

  private podChanged(previous: Pod | undefined, current: Pod | undefined): void {
    const versions = [previous, current].filter((p): p is Pod => p !== undefined && isOvnPod(p));
    const same = previous !== undefined && current !== undefined && selectionFieldsEqual(previous, current);
    if (current) this.index.upsertPod(current, previous);
    else if (previous) this.index.removePod(previous);
    this.placementChanged(previous, current);
    if (versions.length === 0 || same) return;
    this.dependencies.readersOfPod(versions, this.index.namespaceLabels(versions[0]!.namespace), this.dirty.readers);
    if (!this.dirty.tiers && this.tieredSelectionsRead(versions)) this.dirty.tiers = true;
  }

  /**
   * A pod is in its node's own-node group iff it is an OVN pod placed there: the groups of its
   * old and new node change when that differs (or, with a port name of the caller's, on any change).
   */
  private placementChanged(previous: Pod | undefined, current: Pod | undefined): void {
    const placement = (pod: Pod | undefined) => (pod !== undefined && isOvnPod(pod) ? pod.nodeName : null);
    const before = placement(previous);
    const after = placement(current);
    const ownPortName = this.options.portNameFor === kubeOvnPortName;
    if (before === after && (before === null || ownPortName)) return;
    const pod = (current ?? previous)!;
    for (const node of [before, after]) {
      if (node === null) continue;
      const known = this.dirty.ownNodes.get(node);
      if (!ownPortName) this.dirty.ownNodes.set(node, 'rebuild');
      else if (known === undefined) this.dirty.ownNodes.set(node, new Set([`${pod.namespace}/${pod.name}`]));
      else if (known !== 'rebuild') known.add(`${pod.namespace}/${pod.name}`);
    }
  }

  /** Recompiles NetworkPolicies by key (a key no longer held is dropped) and their shared sets. */
  private recompilePolicies(keys: ReadonlySet<string>): void {
    if (keys.size === 0) return;
    // Plain peer sets in `sharedSets` are current (patched first), except those going empty.
    const context = policyContext(this.index, this.options, (name) => (this.staleSets.has(name) ? undefined : this.sharedSets.get(name)?.row));
    const touchedSets = new Set<string>();
    const policies = this.table('NetworkPolicy') as Map<string, NetworkPolicy>;
    for (const key of keys) {
      const old = this.policyUnits.get(key);
      if (old) {
        this.store.remove(old.rows);
        for (const name of old.uses) {
          touchedSets.add(name);
          this.sharedSets.get(name)?.holders.delete(key);
        }
        this.policyUnits.delete(key);
      }
      const policy = policies.get(key);
      if (!policy) {
        this.dependencies.remove(key);
        continue;
      }
      if (!old || old.policy !== policy) this.dependencies.add(key, policy);
      const warnings: CompileWarning[] = [...policy.inputWarnings];
      const { result, uses } = context.sets.recordingUses(() => compilePolicy(policy, context, warnings));
      const rows = [result.portGroup, ...result.acls];
      this.store.add(rows);
      for (const name of uses) {
        touchedSets.add(name);
        const row = context.sets.row(name)!;
        const entry = this.sharedSets.get(name);
        if (entry) entry.holders.add(key);
        else this.sharedSets.set(name, { row, holders: new Set([key]) });
      }
      const namedIngress = namedIngressOf(policy, () => context.index.podsMatching(policy.namespace, policy.podSelector));
      this.policyUnits.set(key, { policy, rows, uses, warnings, namedIngress });
    }
    for (const name of touchedSets) {
      const entry = this.sharedSets.get(name);
      if (!entry) continue;
      if (entry.holders.size === 0) {
        this.store.remove([entry.row]);
        this.sharedSets.delete(name);
        continue;
      }
      // A set's pods change only with pods its holders all select, so every holder was
      // recompiled and this event's row is the current one; a set only released keeps its row.
      entry.row = context.sets.row(name) ?? entry.row;
      this.store.add([entry.row]);
    }
  }

  private recompileTiers(): void {
    const clusterPolicies = this.tieredPolicies();
    const model: Model = { ...emptyModelBuilder(), clusterPolicies, nodes: [...this.table('Node').values()] as Model['nodes'] };
    this.tiers = this.replacePart(this.tiers, compileClusterPolicies(model, this.options, this.index));
  }

  /**
   * NAT objects refer to each other by name and a watch stream brings them in any order: while a
   * reference does not resolve (an OvnFip before its OvnEip), the NAT rows stay as they were
   * last resolved (nothing is removed on incomplete input) and `unresolved()` says why.
   */
  private recompileNat(): void {
    const model: Model = {
      ...emptyModelBuilder(),
      nodes: [...this.table('Node').values()] as Model['nodes'],
      nat: this.listOf('nat') as Model['nat'],
    };
    try {
      this.nat = this.replacePart(this.nat, compileNat(model, this.options));
      this.natIssues = [];
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.natIssues = error.issues;
    }
  }

  /**
   * Pod ↔ own node allows (ownNode/compile.ts) of these nodes, from the pods the index places on
   * each: one port group and an ACL per direction and family, per node. They exist only while
   * some policy does (as Kube-OVN writes them), so the first policy or the last one's removal
   * recompiles every node's.
   */
  private recompileOwnNodes(changes: ReadonlyMap<string, Set<string> | 'rebuild'>): void {
    const active = this.policyUnits.size > 0 || this.tieredCount() > 0;
    const nodes = this.table('Node') as Map<string, Node>;
    const all = active !== this.ownNodeActive;
    this.ownNodeActive = active;
    const todo = all ? new Set([...nodes.keys(), ...this.ownNodeRows.keys()]) : changes.keys();
    for (const name of todo) {
      const change = all ? 'rebuild' : changes.get(name)!;
      if (change !== 'rebuild') {
        this.patchOwnNodeGroup(name, change);
        continue;
      }
      const old = this.ownNodeRows.get(name);
      if (old) this.store.remove(old);
      this.ownNodeRows.delete(name);
      const node = nodes.get(name);
      const compiled = active && node !== undefined ? ownNodeRowsOf(node, this.index.podsOnNode(name), this.options) : null;
      if (compiled === null) continue;
      const rows = [compiled.portGroup, ...compiled.acls];
      this.store.add(rows);
      this.ownNodeRows.set(name, rows);
    }
  }

  /** A node's own-node group after these pods (`namespace/name`) came, went or moved: only its ports change. */
  private patchOwnNodeGroup(name: string, pods: ReadonlySet<string>): void {
    const rows = this.ownNodeRows.get(name);
    if (!rows) return;
    const group = rows[0] as PortGroupRow;
    const table = this.table('Pod') as Map<string, Pod>;
    const ports = patchedPorts(group.ports, pods, (podKey) => {
      const pod = table.get(podKey);
      return pod !== undefined && isOvnPod(pod) && pod.nodeName === name;
    });
    if (ports === null) return;
    const patched = PortGroupRow({ name: group.name, ports, externalIds: group.externalIds });
    this.ownNodeRows.set(name, [patched, ...rows.slice(1)]);
    this.store.add([patched]);
  }

  private replacePart(old: CompiledPart, compiled: CompileResult): CompiledPart {
    const rows = listNbRows(compiled.rows);
    this.store.remove(old.rows);
    this.store.add(rows);
    return { rows, warnings: compiled.warnings };
  }

  /** Does any tiered policy select one of these pod versions (as subject or `pods` peer)? */
  private tieredSelectionsRead(versions: readonly Pod[]): boolean {
    const policies = this.tieredPolicies();
    if (policies.length === 0) return false;
    const labels = this.index.namespaceLabels(versions[0]!.namespace);
    const selects = (s: PodSelection) =>
      matchesLabels(s.namespaceSelector, labels) && versions.some((pod) => matchesLabels(s.podSelector, pod.labels));
    return policies.some(
      (p) =>
        selects(p.subject) ||
        [...p.ingress, ...p.egress].some((rule) => rule.peers.some((peer) => peer.type === 'pods' && selects(peer))),
    );
  }

  /** Tiered policies in the order `model()` lists them. */
  private tieredPolicies(): TieredPolicy[] {
    return this.listOf('clusterPolicies') as TieredPolicy[];
  }

  /** One list of `model()`, without building the others. */
  private listOf(field: keyof Model): ModelObject['value'][] {
    const out: ModelObject['value'][] = [];
    for (const [kind, table] of this.objects) if (MODEL_FIELD_OF[kind] === field) out.push(...table.values());
    return out;
  }

  private tieredCount(): number {
    return this.table('ClusterNetworkPolicy').size + this.table('AdminNetworkPolicy').size + this.table('BaselineAdminNetworkPolicy').size;
  }

  private table(kind: ModelKind): Map<string, ModelObject['value']> {
    let table = this.objects.get(kind);
    if (!table) this.objects.set(kind, (table = new Map()));
    return table;
  }

  private stored(id: ObjectId): ModelObject['value'] | undefined {
    return this.objects.get(id.kind)?.get(objectKey(id));
  }
}

/** One object event: an upsert carries the object, a removal its identity. */
export type SessionEvent = { readonly type: 'upsert'; readonly object: ModelObject } | { readonly type: 'remove'; readonly id: ObjectId };

const freshDirty = () => ({ readers: { recompile: new Set<string>(), sets: new Map(), namedSets: new Map(), members: new Map() } as Readers, tiers: false, nat: false, ownNodes: new Map<string, Set<string> | 'rebuild'>() });

interface PolicyUnit {
  readonly policy: NetworkPolicy;
  readonly rows: readonly NbRow[];
  readonly uses: ReadonlySet<string>;
  readonly warnings: readonly CompileWarning[];
  /** How its named ingress ports resolve on the pods it selects, as compiled (or patched: they stay so). */
  readonly namedIngress: NamedIngress;
}

interface CompiledPart {
  readonly rows: readonly NbRow[];
  readonly warnings: readonly CompileWarning[];
}

const EMPTY_PART: CompiledPart = { rows: [], warnings: [] };

type Change = {
  [K in ModelObject['kind']]: {
    readonly kind: K;
    readonly previous: Extract<ModelObject, { kind: K }>['value'] | undefined;
    readonly current: Extract<ModelObject, { kind: K }>['value'] | undefined;
  };
}[ModelObject['kind']];

/**
 * A sorted port list after these pods (`namespace/name`, Kube-OVN port names) were checked
 * against `wanted`: each pod's port is inserted or removed in place. Null when nothing changed.
 */
function patchedPorts(current: readonly string[], pods: Iterable<string>, wanted: (podKey: string) => boolean): string[] | null {
  let ports: string[] | null = null;
  for (const podKey of pods) {
    const [namespace, name] = podKey.split('/') as [string, string];
    const port = kubeOvnPortName({ namespace, name } as Pod);
    const want = wanted(podKey);
    const list: readonly string[] = ports ?? current;
    const at = sortedIndexOf(list, port);
    if (want === (at < list.length && list[at] === port)) continue;
    ports ??= [...current];
    if (want) ports.splice(at, 0, port);
    else ports.splice(at, 1);
  }
  return ports;
}

/** Where `value` is or would go in a list sorted by code units (as `Array.prototype.sort` sorts strings). */
function sortedIndexOf(list: readonly string[], value: string): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (list[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Fields any selection or row reads: a pod event changing none of them changes no row. */
function selectionFieldsEqual(a: Pod, b: Pod): boolean {
  return (
    a.hostNetwork === b.hostNetwork &&
    a.nodeName === b.nodeName &&
    JSON.stringify(a.labels) === JSON.stringify(b.labels) &&
    JSON.stringify(a.ips) === JSON.stringify(b.ips) &&
    JSON.stringify(a.containerPorts) === JSON.stringify(b.containerPorts)
  );
}
