// The NB the CLI's real-OVN tests start each case from: nothing but the logical switch of
// examples/underlay-service with its two pods' ports (what `nbgen apply` of that example needs).
type Nbctl = (...args: string[]) => Promise<string>;

/** Empties the tables the examples write (and every switch), then adds `ovn-default` and its ports. */
export async function resetToUnderlayServiceSwitch(nbctl: Nbctl): Promise<void> {
  for (const table of ['Logical_Switch', 'Port_Group', 'Address_Set', 'Load_Balancer']) {
    for (const u of (await nbctl('--bare', '--columns=_uuid', 'list', table)).split(/\s+/).filter(Boolean)) await nbctl('--if-exists', 'destroy', table, u);
  }
  await nbctl('ls-add', 'ovn-default', '--', 'lsp-add', 'ovn-default', 'frontend.shop', '--', 'lsp-add', 'ovn-default', 'client.shop');
}
