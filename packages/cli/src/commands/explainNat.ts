import { explainNat, renderNatExplanation } from '@ovn-nbgen/core/model';
import { loadInput } from '../compileInput.js';
import { EXIT_OK } from '../errors.js';
import { COMPILE_FLAGS_HELP, compileFlags, compileSettings, INPUT_FLAGS_HELP, inputFlags } from '../options/common.js';
import { outputFormat } from '../options/outputFormat.js';
import { parseCommandArgs } from '../options/parse.js';
import type { Command } from './command.js';

export const explainNatCommand: Command = {
  summary: 'say where OVN runs each Kube-OVN FIP/SNAT/DNAT and whether it survives losing every gateway node',
  usage: `nbgen explain-nat -f PATH... [-o text|json] [--gateway-port ROUTER/SUBNET=LRP]... [flags]

Reads OvnEip, OvnFip, OvnSnatRule, OvnDnatRule and the Vpc, Subnet, IP, Vip and Node objects they
refer to, runs the same checks as compile, and prints per EIP: who uses it, each NAT's mode
(distributed: on the chassis hosting the pod's port; centralized: on the active gateway chassis of
the router's gateway port), and whether it keeps working with every gateway node down.

A FIP follows spec.type (empty means distributed). Kube-OVN itself writes logical_port and
external_mac for every pod FIP, which OVN runs distributed even when spec.type says centralized.

  -o, --output FORMAT    text (default) or json
${INPUT_FLAGS_HELP}
${COMPILE_FLAGS_HELP}

Example:
  nbgen explain-nat -f examples/eip-fip`,
  async run(argv, io) {
    const { values } = parseCommandArgs('explain-nat', argv, {
      ...inputFlags,
      ...compileFlags,
      output: { type: 'string', short: 'o' },
    });
    const format = outputFormat('explain-nat', values.output);
    const { compileOptions } = compileSettings('explain-nat', values);
    const model = await loadInput('explain-nat', values, io);
    const explanation = explainNat(model, compileOptions);
    io.stdout(format === 'json' ? `${JSON.stringify(explanation, null, 2)}\n` : renderNatExplanation(explanation));
    return EXIT_OK;
  },
};
