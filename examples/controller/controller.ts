// A controller's core loop on ovn-nbgen: connect to the NB, hold a CompileSession, feed it watch
// events, commit what each batch changed. Events come as `kubectl get --watch
// --output-watch-events -o json` prints them; a real controller would take them from an informer.
//
//   node --import tsx examples/controller/controller.ts unix:/var/run/ovn/ovnnb_db.sock < events.json
import { JsonObjectSplitter, manifestId, readManifest, watchEventsOf, type SessionEvent } from '@ovn-nbgen/core';
import { OvsdbClient, Reconciler } from '@ovn-nbgen/ovsdb';

export async function runController(remote: string, input: AsyncIterable<string | Buffer>, log = console.error): Promise<void> {
  const client = await OvsdbClient.connect({ remote });
  const reconciler = await Reconciler.start(client, { owner: 'example-controller' });
  const session = reconciler.compileSession({ alwaysAllowCidrs: ['100.64.0.0/16'] });
  const splitter = new JsonObjectSplitter();
  let position = 0;
  try {
    for await (const chunk of input) {
      const batch: SessionEvent[] = [];
      for (const { text } of splitter.push(chunk.toString())) {
        for (const event of watchEventsOf(JSON.parse(text), { file: 'events', doc: position++ })) {
          if (event.type === 'upsert') {
            const reading = readManifest(event.object, event.source);
            if (reading.ok === true) batch.push({ type: 'upsert', object: reading.object });
            else if (reading.ok === false) log(`skipped ${event.source.file}#${event.source.doc}: ${reading.issues[0]!.message}`);
          } else if (event.type === 'delete') {
            const id = manifestId(event.object);
            if (id) batch.push({ type: 'remove', id });
          }
        }
      }
      const result = await reconciler.reconcileDelta(session, session.apply(batch));
      if (result.committed) log(`committed ${batch.length} events: ${result.operations} operations`);
    }
  } finally {
    await reconciler.close();
    await client.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runController(process.argv[2] ?? 'unix:/var/run/ovn/ovnnb_db.sock', process.stdin);
