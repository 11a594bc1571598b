import type { CompileOptions } from '@ovn-nbgen/core';

/**
 * `--gateway-port ROUTER/SUBNET=LRP`: one definition for every command that compiles NAT. It says
 * what the router is when its gateway ports are not Kube-OVN's `<vpc>-<subnet>` from the Vpc and
 * the ConfigMap kube-system/ovn-external-gw-config (diff and apply read them from the live NB).
 */
export const gatewayPortFlag = { 'gateway-port': { type: 'string', multiple: true } } as const;

export const GATEWAY_PORT_FLAG_HELP = `      --gateway-port ROUTER/SUBNET=LRP
                         the router's distributed gateway port on an external subnet; repeatable.
                         Give all of a router's ports; unlisted routers get Kube-OVN's
                         <vpc>-<subnet> ports from their Vpc and the ConfigMap
                         kube-system/ovn-external-gw-config (external-gw-switch)`;

/**
 * `vpc1/ext1=vpc1-ext1` ... → `{ vpc1: { ext1: 'vpc1-ext1' } }`, or undefined when none is given.
 * Returns every bad value as a problem, so a command reports them with its other flags at once.
 */
export function parseGatewayPorts(values: readonly string[]): { ports: CompileOptions['natGatewayPorts']; problems: string[] } {
  if (values.length === 0) return { ports: undefined, problems: [] };
  const ports: Record<string, Record<string, string>> = {};
  const problems: string[] = [];
  for (const value of values) {
    const m = /^([^/=\s]+)\/([^/=\s]+)=(\S+)$/.exec(value);
    if (!m) {
      problems.push(`--gateway-port: expected ROUTER/SUBNET=LRP, found ${JSON.stringify(value)}`);
      continue;
    }
    const [, router, subnet, lrp] = m as unknown as [string, string, string, string];
    const forRouter = (ports[router] ??= {});
    if (forRouter[subnet] !== undefined && forRouter[subnet] !== lrp) {
      problems.push(`--gateway-port: ${router}/${subnet} given twice (${forRouter[subnet]} and ${lrp})`);
    }
    forRouter[subnet] = lrp;
  }
  return { ports, problems };
}
