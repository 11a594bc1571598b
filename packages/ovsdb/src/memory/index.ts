export { MemoryOvsdbServer, OVN_NB_SCHEMA_PATH, type MemoryServerOptions, type ListenOptions, type DatabaseStatus } from './server';
export { MemoryChannel } from './channel';
export { MemoryDatabase, type RowChange } from './database';
export { duplexPair } from './duplexPair';
