// The floor of the side-by-side bench: the least a program can do to write the rows. Reads one
// prepared `transact` (the operations nbgen apply would send to this NB, made before timing),
// sends it over the unix socket as one JSON-RPC request and waits for the reply. No schema, no
// reading of the NB, no validation.
//   node bench/sideBySide/floorTransact.mjs SOCKET PARAMS.json
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

const [socketPath, paramsFile] = process.argv.slice(2);
const request = `{"method":"transact","params":${readFileSync(paramsFile, 'utf8')},"id":1}`;
const socket = connect(socketPath);
const chunks = [];
socket.on('connect', () => socket.write(request));
socket.on('data', (chunk) => {
  chunks.push(chunk);
  // The reply is one JSON object; the socket carries nothing else before it (echo comes later).
  try {
    const reply = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const failed = reply.error ?? reply.result.find((r) => r?.error);
    if (failed) throw new Error(`transact failed: ${JSON.stringify(failed)}`);
    socket.destroy();
  } catch (error) {
    if (error instanceof SyntaxError) return; // not the whole reply yet
    throw error;
  }
});
