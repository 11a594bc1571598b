/**
 * Malformed and unusual requests, each answered by ovsdb-server 3.1 in a specific way (parse
 * errors without `syntax`, column-set errors, select `sort`, monitor request members, the
 * `uuid` insert extension, parameter checks of lock/set_db_change_aware/get_schema). Replayed in
 * order on a fresh NB by wireCases.ovn.test.ts against both servers; then monitor_cond_change
 * (v1 monitors included), lock/steal/unlock misuse, a `wait` that times out, and the schema as
 * served (`get_schema`, `_Server`'s schema text: normalized, not the file's spelling).
 *
 * Left out: `monitor` with only two params, which makes ovsdb-server 3.1 drop the connection (and
 * in one of our runs, exit); the in-memory server answers "invalid parameters".
 */
export const WIRE_CASES: readonly (readonly [method: string, params: readonly unknown[]])[] = [
  ["transact", ["OVN_Northbound", 5]],
  ["transact", ["OVN_Northbound", {"table": "ACL"}]],
  ["transact", ["OVN_Northbound", {"op": "select", "table": "ACL", "where": 5}]],
  ["transact", ["OVN_Northbound", {"op": "insert", "table": "Address_Set", "row": {"name": "u1"}, "uuid": "12345678-1234-1234-1234-123456789abc"}, {"op": "insert", "table": "Address_Set", "row": {"name": "u2"}, "uuid": "12345678-1234-1234-1234-123456789abc"}]],
  ["transact", ["OVN_Northbound", {"op": "insert", "table": "Address_Set", "row": {"name": "u1"}, "uuid": "nope"}]],
  ["transact", ["OVN_Northbound", {"op": "wait", "table": "ACL", "where": [], "columns": [], "until": "<", "rows": [], "timeout": 0}]],
  ["transact", ["OVN_Northbound", {"op": "wait", "table": "ACL", "where": [], "columns": [], "until": "==", "rows": [], "timeout": -1}]],
  ["transact", ["OVN_Northbound", {"op": "select", "table": "ACL", "where": [], "columns": ["nope"]}]],
  ["transact", ["OVN_Northbound", {"op": "select", "table": "ACL", "where": [], "columns": ["match", "match"]}]],
  ["transact", ["OVN_Northbound", {"op": "insert", "table": "Address_Set", "row": {"name": "s2"}}, {"op": "insert", "table": "Address_Set", "row": {"name": "s1"}}, {"op": "select", "table": "Address_Set", "where": [], "columns": ["name"], "sort": ["name"]}]],
  ["monitor_cond", ["OVN_Northbound", "m", {"ACL": [{"columns": ["nope"]}]}]],
  ["monitor_cond", ["OVN_Northbound", "m2", {"ACL": [{"frob": 1}]}]],
  ["transact", ["OVN_Northbound", {"op": "insert", "table": "Address_Set", "row": []}]],
  ["transact", ["OVN_Northbound", {"op": "select", "table": "ACL", "where": [true, false]}]],
  ["transact", ["OVN_Northbound", {"op": "commit", "durable": "yes"}]],
  ["transact", ["OVN_Northbound", {"op": "insert", "table": "Address_Set", "row": {"name": "x"}, "uuid-name": "9bad"}]],
  ["transact", ["OVN_Northbound", {"op": "mutate", "table": "Address_Set", "where": [], "mutations": [["addresses"]]}]],
  ["transact", ["OVN_Northbound", {"op": "mutate", "table": "Address_Set", "where": [], "mutations": [["external_ids", "insert", ["map", [["a"]]]]]}]],
  ["transact", ["OVN_Northbound", {"op": "select", "table": "ACL", "where": [], "sort": ["nope"]}]],
  ["transact", ["OVN_Northbound", {"op": "insert", "table": "Address_Set", "row": {"_uuid": ["uuid", "12345678-1234-1234-1234-123456789abd"], "name": "q"}}]],
  ["transact", ["OVN_Northbound", {"op": "delete", "table": "Address_Set", "where": [["name", "==", "u1"]]}, {"op": "insert", "table": "Address_Set", "row": {"name": "u3"}, "uuid": "12345678-1234-1234-1234-123456789abc"}]],
  ["lock", ["a", "b"]],
  ["set_db_change_aware", []],
  ["get_schema", []],
  ["monitor", ["OVN_Northbound", "v1", {"Address_Set": {}}]],
  ["monitor_cond", ["OVN_Northbound", "v2", {"Address_Set": [{"columns": ["name"]}]}]],
  ["monitor_cond_change", ["v1", "v1b", {"Address_Set": [{"where": []}]}]],
  ["monitor_cond_change", ["nope", "x", {"Address_Set": [{"where": []}]}]],
  ["monitor_cond_change", ["v2", "v2b", {"Address_Set": [{"columns": ["addresses"], "where": []}]}]],
  ["monitor_cond_change", ["v2", "v2c", {"ACL": [{"where": []}]}]],
  ["monitor_cond_change", ["v2", "v2d", {"Address_Set": [{"where": [["nope", "==", 1]]}]}]],
  ["monitor_cond_change", ["v2"]],
  ["monitor_cond_change", ["v2", "v2", {"Address_Set": [{"where": [["name", "==", "x"]]}]}]],
  ["unlock", ["zz"]],
  ["steal", ["zz"]],
  ["steal", ["zz"]],
  ["transact", ["OVN_Northbound", {"op": "wait", "table": "ACL", "where": [], "columns": ["priority"], "until": "==", "rows": [{"priority": 1}], "timeout": 100}]],
  ["get_schema", ["OVN_Northbound"]],
  ["get_schema", ["_Server"]],
  ["list_dbs", []],
  ["transact", ["_Server", {"op": "select", "table": "Database", "where": [], "columns": ["name", "model", "connected", "leader", "schema", "cid", "sid", "index"]}]],
];
