// Test helper: an in-memory NB holding one logical switch (`pods`) with the given ports, for
// reconcile tests whose port groups name those ports.
import type { OvsdbClient } from '../../src/index.js';
import { MemoryOvsdbServer } from '../../src/memory/index.js';

export async function nbWithPorts(ports: readonly string[]): Promise<{ server: MemoryOvsdbServer; client: OvsdbClient }> {
  const server = MemoryOvsdbServer.ovnNorthbound();
  const client = await server.connectClient();
  const setup = client.transaction();
  const sw = setup.insert('Logical_Switch', { name: 'pods' });
  setup.insertChildren('Logical_Switch_Port', ports.map((name) => ({ name })), { parent: { table: 'Logical_Switch', uuidName: sw }, column: 'ports' });
  await client.transact(setup);
  return { server, client };
}
