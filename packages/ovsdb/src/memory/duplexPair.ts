import { Duplex } from 'node:stream';

/**
 * Two connected in-process streams: bytes written to one are read from the other. Delivery is
 * deferred to the next tick, as on a socket, so neither side runs inside the other's write.
 * Destroying one end closes the other.
 */
export function duplexPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (peer: () => Duplex): Duplex =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        process.nextTick(() => {
          const p = peer();
          if (!p.destroyed) p.push(chunk);
        });
        callback();
      },
      final(callback) {
        process.nextTick(() => peer().push(null));
        callback();
      },
      destroy(error, callback) {
        process.nextTick(() => {
          const p = peer();
          if (!p.destroyed) p.destroy();
        });
        callback(error);
      },
    });
  ends.push(make(() => ends[1] as Duplex), make(() => ends[0] as Duplex));
  return [ends[0] as Duplex, ends[1] as Duplex];
}
