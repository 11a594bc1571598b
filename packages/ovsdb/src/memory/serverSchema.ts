/**
 * The `_Server` database schema every ovsdb-server hosts (`ovsdb/_server.ovsschema` 1.2.0, as
 * ovsdb-server 3.1 answers `get_schema ["_Server"]`).
 */
export const SERVER_SCHEMA_JSON = {
  cksum: '3009684573 744',
  name: '_Server',
  version: '1.2.0',
  tables: {
    Database: {
      columns: {
        name: { type: 'string' },
        model: { type: { key: { type: 'string', enum: ['set', ['clustered', 'relay', 'standalone']] } } },
        connected: { type: 'boolean' },
        leader: { type: 'boolean' },
        schema: { type: { min: 0, key: 'string' } },
        sid: { type: { min: 0, key: 'uuid' } },
        cid: { type: { min: 0, key: 'uuid' } },
        index: { type: { min: 0, key: 'integer' } },
      },
    },
  },
} as const;
