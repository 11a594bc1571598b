import { compile, formatFindings, lintModel, type LintOptions } from '@ovn-nbgen/core';
import { formatCidr, parseCidr } from '@ovn-nbgen/core/model';
import { loadInput } from '../compileInput.js';
import { inCliTerms } from '../coreWording.js';
import { EXIT_FOUND, EXIT_OK, UsageError } from '../errors.js';
import { COMPILE_FLAGS_HELP, compileFlags, compileSettings, INPUT_FLAGS_HELP, inputFlags } from '../options/common.js';
import { parseCommandArgs } from '../options/parse.js';
import type { Command } from './command.js';
import { outputFormat } from '../options/outputFormat.js';

export const lintCommand: Command = {
  summary: 'find policies that will not do what they look like (Service ports, SNAT, empty selections, ...)',
  usage: `nbgen lint -f PATH... [--pod-cidr CIDR]... [--join-cidr CIDR]... [-o text|json] [flags]

Checks the manifests for the surprises field reports are made of, each finding with an id, a
severity, the object and field (file#document path) and the fix:

  NBG001 error    a policy port equal to a Service port whose targetPort differs for the pods
  NBG002 warning  an ipBlock outside the pod CIDRs on pods behind a NodePort/LoadBalancer Service
                  with externalTrafficPolicy: Cluster (the client address is SNATed away)
  NBG003 warning  an ipBlock covering node addresses or the join subnet (admits all SNATed traffic)
  NBG004 warning  a policy that selects no pod
  NBG005 warning  a peer that selects no pod
  NBG006 error    a named port that no pod of the rule defines
  NBG007 warning  a CIDR with host bits (NetworkPolicy and cluster-scoped policies)
  NBG008 warning  egress isolation without a DNS allowance (UDP/TCP 53 to kube-system or anywhere)
  NBG009 warning  an OvnFip that runs elsewhere than its spec.type suggests
  NBG010 warning  rules of a direction missing from policyTypes
  NBG011 warning  an egress ipBlock covering a Service ClusterIP but none of its endpoints
  NBG012 warning  two cluster-scoped policies at one priority selecting the same pods
  NBG013 warning  a domainNames peer (OVN ACLs cannot match DNS names)
  NBG014 warning  NAT on a router with several gateway ports, for an OVN without NAT gateway_port
  NBG015 warning  a DNAT rule on a router with several gateway ports (load balancers need OVN 25.03)
  NBG016 warning  a NetworkPolicy rule an Admin Deny overrides for every peer it allows
  NBG017 warning  an egress podSelector rule for pods reached through a NodePort (it does not match)

      --pod-cidr CIDR    the cluster's pod CIDRs (repeatable); default: inferred from the pods'
                         addresses, the /16 (IPv4) or /64 (IPv6) around each pod IP
      --join-cidr CIDR   Kube-OVN's join subnet (repeatable); default 100.64.0.0/16
  -o, --output FORMAT    text (default) or json
${INPUT_FLAGS_HELP}
${COMPILE_FLAGS_HELP}

Node addresses come from the Node objects in the input.
Exit status: 0 no error-level finding, 1 at least one error, 2 bad input.

Example (finds an error: exit 1):
  nbgen lint -f examples/walkthrough/cluster.yaml -f examples/walkthrough/before`,
  async run(argv, io) {
    const { values } = parseCommandArgs('lint', argv, {
      ...inputFlags,
      ...compileFlags,
      'pod-cidr': { type: 'string', multiple: true },
      'join-cidr': { type: 'string', multiple: true },
      output: { type: 'string', short: 'o' },
    });
    const format = outputFormat('lint', values.output);
    const podCidrs = values['pod-cidr'] ? cidrs('--pod-cidr', values['pod-cidr']) : undefined;
    const joinCidrs = values['join-cidr'] ? cidrs('--join-cidr', values['join-cidr']) : undefined;
    const settings = compileSettings('lint', values);
    const model = await loadInput('lint', values, io);
    const { rows, warnings } = compile(model, settings.compileOptions);
    // The compile warnings are findings here (NBG007, NBG012–NBG015), not lines on stderr.
    const options: LintOptions = {
      rows,
      compileWarnings: warnings,
      portNameFor: settings.compileOptions.portNameFor,
      ...(podCidrs ? { podCidrs } : {}),
      ...(joinCidrs ? { joinCidrs } : {}),
    };
    const findings = lintModel(model, options).map((f) => ({ ...f, fix: inCliTerms(f.fix) }));
    io.stdout(format === 'json' ? `${JSON.stringify({ findings }, null, 2)}\n` : formatFindings(findings));
    return findings.some((f) => f.severity === 'error') ? EXIT_FOUND : EXIT_OK;
  },
};

function cidrs(flag: string, values: readonly string[]): string[] {
  return values.map((text) => {
    const cidr = parseCidr(text);
    if (cidr === null) throw new UsageError(`${flag}: expected a CIDR, found ${JSON.stringify(text)}`, 'lint');
    return formatCidr(cidr);
  });
}
