// The pipe bench's input (bench/sync/watchStream.ts): every event it writes is one nbgen reads,
// the events and the final List it hands `nbgen diff` describe the same cluster, and the marker
// number it reads back from an ACL is the one the marker policy compiles to.
import { describe, expect, it } from 'vitest';
import { capabilitiesForOvnVersion, compile, CompileSession, loadModel, manifestId, readManifest, type SessionEvent } from '@ovn-nbgen/core';
import { kubectlJson, MARKER_NAMESPACE, markerNumberOf, WatchCluster, type Manifest, type WatchEvent } from '../../bench/sync/watchStream.js';

const options = { owner: 'nbgen', capabilities: capabilitiesForOvnVersion('23.03'), alwaysAllowCidrs: ['100.64.0.0/16'] };

function sessionEventOf(event: WatchEvent): SessionEvent {
  const manifest = event.object as Manifest & Record<string, unknown>;
  if (event.type === 'DELETED') return { type: 'remove', id: manifestId(manifest)! };
  const reading = readManifest(manifest, { file: '-', doc: 0 });
  if (reading.ok !== true) throw new Error(`not read: ${JSON.stringify(reading)}`);
  return { type: 'upsert', object: reading.object };
}

describe('the pipe bench watch stream', () => {
  it('writes events nbgen reads, ending where its final List is: the session after the events equals a compile of the List', () => {
    const cluster = new WatchCluster({ pods: 600, policies: 60, podsPerNamespace: 100 }, 7, 4, 200);
    const session = new CompileSession(options);
    session.apply(cluster.list().items.map((item) => sessionEventOf({ type: 'ADDED', object: item })));
    const kinds = new Map<string, number>();
    for (let i = 0; i < 800; i++) {
      const event = i % 100 === 99 ? cluster.markerEvent(i) : cluster.next(i);
      // As written: kubectl's four-space layout, one value per event.
      const written = kubectlJson(event);
      expect(written.startsWith('{\n    "type": ')).toBe(true);
      const read = JSON.parse(written) as WatchEvent;
      kinds.set(`${read.type} ${read.object.kind}`, (kinds.get(`${read.type} ${read.object.kind}`) ?? 0) + 1);
      session.apply([sessionEventOf(read)]);
    }
    // The mix has every kind of event.
    expect([...kinds.keys()].sort()).toEqual(['ADDED Pod', 'DELETED Pod', 'MODIFIED Namespace', 'MODIFIED NetworkPolicy', 'MODIFIED Pod']);
    const { model } = loadModel([{ name: 'final.json', text: JSON.stringify(cluster.list()) }]);
    expect(JSON.stringify(session.rows())).toBe(JSON.stringify(compile(model, options).rows));
    // Pods added by the stream are among the names whose switch ports the bench creates up front.
    const added = new Set(cluster.addedPodKeys().map((k) => `${k.namespace}/${k.name}`));
    expect(cluster.pods.filter((p) => p.metadata.name.startsWith('churn-')).every((p) => added.has(`${p.metadata.namespace}/${p.metadata.name}`))).toBe(true);
  });

  it('reads the marker number back from the ACL the marker policy compiles to', () => {
    const cluster = new WatchCluster({ pods: 20, policies: 2, podsPerNamespace: 10 }, 7, 1, 0);
    const { model } = loadModel([{ name: 'm.json', text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [cluster.namespaces.at(-1), cluster.markerEvent(4711).object] }) }]);
    const matches = compile(model, options).rows.acls.filter((a) => a.externalIds['nbgen/namespace'] === MARKER_NAMESPACE).map((a) => a.match);
    expect(matches.map(markerNumberOf).filter((n) => n !== undefined)).toEqual([4711]);
    expect(markerNumberOf('outport == @pg && ip4.src == 10.254.0.1/32')).toBeUndefined();
  });
});
