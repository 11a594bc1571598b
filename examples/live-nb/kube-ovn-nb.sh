#!/usr/bin/env bash
# An NB shaped like the one Kube-OVN writes for examples/walkthrough (cluster.yaml + before/):
# one logical switch, a port per pod named <pod>.<namespace> with external_ids:pod=NS/POD, the
# Service VIP on the switch's load balancer, and NetworkPolicy shop/web-ingress as Kube-OVN lays
# it out (port group web.ingress.shop, address sets per rule, drop 2000 / allow 2001, the port
# the policy names is the Service port 80: the field report of the walkthrough).
# Writes into the NB that OVN_NB_DB (or ovn-nbctl's default) names.
set -euo pipefail
nbctl() { ovn-nbctl "$@"; }

nbctl ls-add ovn-default
port() { # NAME NAMESPACE MAC IP
  nbctl lsp-add ovn-default "$1.$2" -- lsp-set-addresses "$1.$2" "$3 $4" \
    -- set Logical_Switch_Port "$1.$2" external_ids:pod="$2/$1" external_ids:vendor=kube-ovn
}
port web-0 shop 0a:58:10:10:00:10 10.16.0.10
port web-1 shop 0a:58:10:10:00:11 10.16.0.11
port client shop 0a:58:10:10:00:20 10.16.0.20
port stranger shop 0a:58:10:10:00:21 10.16.0.21
port prometheus monitoring 0a:58:10:10:00:30 10.16.0.30

nbctl lb-add cluster-tcp-loadbalancer 10.96.0.80:80 10.16.0.10:8000,10.16.0.11:8000 tcp \
  -- ls-lb-add ovn-default cluster-tcp-loadbalancer

pg=web.ingress.shop
nbctl create Port_Group name=$pg external_ids:np=shop/web-ingress external_ids:vendor=kube-ovn
nbctl pg-set-ports $pg web-0.shop web-1.shop
set_() { # NAME ADDRESSES...
  local name=$1; shift
  local list=''
  if (($# > 0)); then list=$(printf '"%s",' "$@"); list=${list%,}; fi
  nbctl create Address_Set name="$name" ${list:+addresses=$list} external_ids:np=shop/web-ingress/ingress external_ids:vendor=kube-ovn
}
set_ $pg.ingress.allow.IPv4.0 10.16.0.20
set_ $pg.ingress.except.IPv4.0
set_ $pg.ingress.allow.IPv4.1 10.16.0.30
set_ $pg.ingress.except.IPv4.1
acl() { # PRIORITY ACTION NAME MATCH
  nbctl -- --id=@acl create ACL direction=to-lport priority="$1" action="$2" name="\"$3\"" match="\"$4\"" \
    external_ids:parent=$pg external_ids:vendor=kube-ovn -- add Port_Group $pg acls @acl
}
acl 2000 drop shop/web-ingress "outport == @$pg && ip"
acl 2001 allow-related np/$pg/ingress/IPv4/0 "outport == @$pg && ip && ip4.src == \$$pg.ingress.allow.IPv4.0 && ip4.src != \$$pg.ingress.except.IPv4.0 && tcp.dst == 80"
acl 2001 allow-related np/$pg/ingress/IPv4/1 "outport == @$pg && ip && ip4.src == \$$pg.ingress.allow.IPv4.1 && ip4.src != \$$pg.ingress.except.IPv4.1 && tcp.dst == 9090"
