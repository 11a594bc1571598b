# -- rows -----------------------------------------------------------------------------------------
read_ports

# Address_Set
row Address_Set np.shop.client_egress.Out0.Ip4 'name="np.shop.client_egress.Out0.Ip4"' 'external_ids={"nbgen/kind"="NetworkPolicy","nbgen/name"="client-egress","nbgen/namespace"="shop","nbgen/owner"="nbgen","nbgen/rule"="egress/0/ip4"}'
values addresses '"10.16.0.10"'

# Port_Group
row Port_Group np.shop.client_egress 'name="np.shop.client_egress"' 'external_ids={"nbgen/kind"="NetworkPolicy","nbgen/name"="client-egress","nbgen/namespace"="shop","nbgen/owner"="nbgen"}'
ports '"client.shop"'

# ACL
acl np.shop.client_egress direction=from-lport priority=2001 'match="inport == @np.shop.client_egress && ip4 && ip4.dst == $np.shop.client_egress.Out0.Ip4 && tcp.dst == 8000"' action=pass log=false tier=1 'options={"apply-after-lb"="true"}' 'external_ids={"nbgen/kind"="NetworkPolicy","nbgen/name"="client-egress","nbgen/namespace"="shop","nbgen/owner"="nbgen","nbgen/rule"="egress/0/ip4/tcp-8000"}'
acl np.shop.client_egress direction=from-lport priority=2000 'match="inport == @np.shop.client_egress && ip"' action=drop log=false tier=1 'options={"apply-after-lb"="true"}' 'external_ids={"nbgen/kind"="NetworkPolicy","nbgen/name"="client-egress","nbgen/namespace"="shop","nbgen/owner"="nbgen","nbgen/rule"="egress/default-drop"}'

# NAT
nat '"ovn-cluster"' ovn-cluster-external type=dnat_and_snat 'external_ip="172.19.0.10"' 'logical_ip="10.16.0.10"' 'logical_port="frontend.shop"' 'external_mac="00:00:00:0a:00:0a"' 'options={"stateless"="false"}' 'external_ids={"nbgen/kind"="OvnFip","nbgen/name"="fip-frontend","nbgen/namespace"="","nbgen/owner"="nbgen"}'

# Load_Balancer
row Load_Balancer dnat.dnat_web.tcp 'name="dnat.dnat_web.tcp"' protocol=tcp 'vips={"172.19.0.11:80"="10.16.0.10:8000"}' 'options={}' 'external_ids={"nbgen/kind"="OvnDnatRule","nbgen/name"="dnat-web","nbgen/namespace"="","nbgen/owner"="nbgen"}'
attach '"ovn-cluster"'

commit
