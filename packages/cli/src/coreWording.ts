import { GATEWAY_PORT_SOURCES } from '@ovn-nbgen/core/model';
import type { ScriptRefusalWording } from '@ovn-nbgen/core/script';

/**
 * Core's messages say what to supply in library terms (a compile option, a capability); the CLI
 * supplies the same things through flags and commands, so it names those where it prints core's
 * text. Each entry is a phrase core writes and the words nbgen prints instead.
 */
const CLI_WORDING: ReadonlyArray<readonly [core: string, cli: string]> = [
  [
    GATEWAY_PORT_SOURCES,
    'give them with --gateway-port ROUTER/SUBNET=LRP (CompileOptions.natGatewayPorts), name the external subnet in ConfigMap kube-system/ovn-external-gw-config (external-gw-switch) among the inputs, or run diff/apply, which read them from the router in the live NB',
  ],
  ['(capabilities.natGatewayPort)', '(--ovn-version)'],
  ['judge the flow from <node address>', 'run explain --from <node address>'],
];

/** `text` (a core message or lint fix) with the flags and commands that supply what it asks for. */
export function inCliTerms(text: string): string {
  return CLI_WORDING.reduce((out, [core, cli]) => out.replaceAll(core, cli), text);
}

/** The exported script's deletion refusal, naming the flag and the command nbgen gives for it. */
export const SCRIPT_REFUSAL_WORDING: ScriptRefusalWording = { retry: 'export with --max-delete', removeOwner: 'use nbgen delete --owner {owner}' };
