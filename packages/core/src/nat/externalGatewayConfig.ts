import * as z from 'zod';
import { handlerFor, type KindHandler } from '../manifests/handler.js';
import { dnsLabel, dnsSubdomain } from '../model/meta.js';
import {
  DEFAULT_EXTERNAL_SUBNET,
  EXTERNAL_GW_CONFIG_NAME,
  EXTERNAL_GW_CONFIG_NAMESPACE,
  type ExternalGatewayConfig,
} from './kubeOvnObjects.js';

/**
 * ConfigMaps: only Kube-OVN's `kube-system/ovn-external-gw-config` means something to nbgen;
 * every other ConfigMap is read past. Kube-OVN's controller takes the default external subnet from
 * its `external-gw-switch` (default `external`), so a cluster whose external subnet is, say,
 * `external0` is described by this object, not by the Vpc.
 */

const flag = z.enum(['true', 'false', ''], { message: 'must be "true" or "false"' });

const configSchema = z.object({
  'external-gw-switch': z
    .string()
    .optional()
    .refine((s) => s === undefined || s.trim() === '' || dnsSubdomain.safeParse(s.trim()).success, {
      message: 'must be the name of a Kube-OVN Subnet (a lowercase RFC 1123 name)',
    }),
  'enable-external-gw': flag.optional(),
  'external-gw-nodes': z.string().optional(),
  type: z.enum(['centralized', 'distributed', ''], { message: 'must be centralized or distributed' }).optional(),
});

const configMapSchema = z.object({ metadata: z.object({ name: z.string(), namespace: dnsLabel.default('default') }) });

export const configMapHandler: KindHandler = {
  apiVersions: ['v1'],
  scope: 'Namespaced',
  claims(object) {
    const meta = configMapSchema.safeParse(object);
    return meta.success && meta.data.metadata.namespace === EXTERNAL_GW_CONFIG_NAMESPACE && meta.data.metadata.name === EXTERNAL_GW_CONFIG_NAME;
  },
  add: (object, source, into) => dataHandler.add(object, source, into),
};

const dataHandler = handlerFor({ apiVersions: ['v1'], scope: 'Namespaced' }, z.object({ data: configSchema.default({}) }), (v, source, into) => {
  const data = v.data;
  const config: ExternalGatewayConfig = {
    kind: 'ExternalGatewayConfig',
    name: EXTERNAL_GW_CONFIG_NAME,
    enabled: data['enable-external-gw'] === 'true',
    externalSubnet: data['external-gw-switch']?.trim() || DEFAULT_EXTERNAL_SUBNET,
    nodes: [...new Set((data['external-gw-nodes'] ?? '').split(',').map((n) => n.trim()).filter((n) => n !== ''))].sort(),
    // Kube-OVN's default when `type` is unset.
    type: data.type === 'distributed' ? 'distributed' : 'centralized',
    source,
  };
  into.nat.push(config);
});
