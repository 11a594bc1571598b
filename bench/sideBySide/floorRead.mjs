// The read floor of the side-by-side bench: the least a program can do to read the owner's rows
// that `nbgen diff`/`apply` plan against. Reads one prepared `monitor_cond` request (the tables,
// columns and conditions nbgen's reconciler monitors, made before timing), sends it over the unix
// socket as one JSON-RPC request, finds where the reply ends and parses it once. No schema, no
// handshake, no cache or index of the rows.
//   node bench/sideBySide/floorRead.mjs SOCKET PARAMS.json
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

const [socketPath, paramsFile] = process.argv.slice(2);
const request = `{"method":"monitor_cond","params":${readFileSync(paramsFile, 'utf8')},"id":1}`;
const socket = connect(socketPath);
const chunks = [];
// Where the reply's top-level object closes: one scan of each chunk as it arrives (bytes outside
// strings count braces and brackets; a backslash in a string skips the next byte). Parsing the
// whole buffer on every chunk instead would be quadratic in a reply of tens of megabytes.
let depth = 0;
let inString = false;
let escaped = false;

/** The index just past the byte that closes the current top-level value in `chunk`, or -1. */
function endIn(chunk) {
  for (let i = 0; i < chunk.length; i++) {
    const byte = chunk[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (byte === 0x5c) escaped = true;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) depth++;
    else if ((byte === 0x7d || byte === 0x5d) && --depth === 0) return i + 1;
  }
  return -1;
}

socket.on('connect', () => socket.write(request));
socket.on('data', function onData(chunk) {
  const end = endIn(chunk);
  if (end < 0) {
    chunks.push(chunk);
    return;
  }
  chunks.push(chunk.subarray(0, end));
  const message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  chunks.length = 0;
  if (message.method === 'echo') {
    // A server that waited long for a core probes us first; answer as any client must.
    socket.write(JSON.stringify({ id: message.id, result: message.params, error: null }));
    if (end < chunk.length) onData(chunk.subarray(end));
    return;
  }
  if (message.error) throw new Error(`monitor_cond failed: ${JSON.stringify(message.error)}`);
  const rows = Object.values(message.result).reduce((n, table) => n + Object.keys(table).length, 0);
  process.stdout.write(`${rows}\n`);
  socket.destroy();
});
socket.on('error', (error) => {
  throw error;
});
