"""The ovsdbapp writer of the side-by-side bench: the rows nbgen compiled (ROWS.json, made before
timing), written through ovsdbapp's NbApi (Debian python3-ovsdbapp) in one transaction, as an
OpenStack-style controller would: address sets and port groups by db_create, ACLs by
pg_acl_add into their port group.
    python3 bench/sideBySide/ovsdbappWrite.py unix:SOCKET ROWS.json
"""
import json
import sys

from ovsdbapp.backend.ovs_idl import connection
from ovsdbapp.schema.ovn_northbound import impl_idl

remote, rows_file = sys.argv[1], sys.argv[2]
with open(rows_file) as f:
    rows = json.load(f)

idl = connection.OvsdbIdl.from_server(remote, 'OVN_Northbound')
api = impl_idl.OvnNbApiIdlImpl(connection.Connection(idl=idl, timeout=3600))
ports = {row.name: row for row in api.tables['Logical_Switch_Port'].rows.values()}

with api.transaction(check_error=True) as txn:
    for a in rows['addressSets']:
        txn.add(api.db_create('Address_Set', name=a['name'], addresses=a['addresses'], external_ids=a['externalIds']))
    for pg in rows['portGroups']:
        txn.add(api.db_create('Port_Group', name=pg['name'], ports=[ports[p].uuid for p in pg['ports'] if p in ports],
                              external_ids=pg['externalIds']))
with api.transaction(check_error=True) as txn:
    for acl in rows['acls']:
        txn.add(api.pg_acl_add(acl['portGroup'], acl['direction'], acl['priority'], acl['match'], acl['action'],
                               log=acl['log'], name=acl['name'], severity=acl['severity'], meter=acl['meter'],
                               **acl['externalIds']))
