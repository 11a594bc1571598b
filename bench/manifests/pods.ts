/**
 * Pods as `kubectl get pods -A` prints them (metadata with annotations and owner references, a
 * container with ports, resources and mounts, status with conditions and IPs), Kube-OVN
 * annotations included, and the three texts a user feeds nbgen: `-o json` (a List, 4-space
 * indent), `-o yaml` (a List, sequences at their key's indentation, strings quoted where YAML would
 * read another type) and `---`-separated YAML documents.
 */

export function kubectlPods(count: number): object[] {
  const items: object[] = [];
  for (let i = 0; i < count; i++) {
    const ip = `10.${16 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`;
    const app = `app-${i % 100}`;
    items.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        annotations: {
          'ovn.kubernetes.io/allocated': 'true',
          'ovn.kubernetes.io/ip_address': ip,
          'ovn.kubernetes.io/logical_switch': 'ovn-default',
          'ovn.kubernetes.io/routed': 'true',
        },
        creationTimestamp: '2026-11-01T10:00:00Z',
        generateName: `${app}-7d9f8b6c5-`,
        labels: { app, 'pod-template-hash': '7d9f8b6c5', tier: i % 2 === 0 ? 'backend' : 'frontend' },
        name: `${app}-7d9f8b6c5-${i}`,
        namespace: `ns-${Math.floor(i / 500)}`,
        ownerReferences: [
          { apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'ReplicaSet', name: `${app}-7d9f8b6c5`, uid: `1b2c3d4e-0000-4000-8000-${String(i % 100).padStart(12, '0')}` },
        ],
        resourceVersion: String(100000 + i),
        uid: `a1b2c3d4-1111-4222-8333-${String(i).padStart(12, '0')}`,
      },
      spec: {
        containers: [
          {
            args: ['--port=8080', '--log-level=info'],
            image: 'registry.example.com/app:1.2.3',
            imagePullPolicy: 'IfNotPresent',
            name: 'main',
            ports: [
              { containerPort: 8080, name: 'http', protocol: 'TCP' },
              { containerPort: 9090, name: 'metrics', protocol: 'TCP' },
            ],
            resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
            volumeMounts: [{ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: 'kube-api-access', readOnly: true }],
          },
        ],
        dnsPolicy: 'ClusterFirst',
        enableServiceLinks: true,
        nodeName: `node-${i % 20}`,
        priority: 0,
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        securityContext: {},
        serviceAccountName: 'default',
        terminationGracePeriodSeconds: 30,
        tolerations: [{ effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 }],
      },
      status: {
        conditions: [{ lastProbeTime: null, lastTransitionTime: '2026-11-01T10:00:01Z', status: 'True', type: 'Ready' }],
        hostIP: `172.18.0.${(i % 20) + 2}`,
        phase: 'Running',
        podIP: ip,
        podIPs: [{ ip }],
        qosClass: 'Burstable',
        startTime: '2026-11-01T10:00:00Z',
      },
    });
  }
  return items;
}

export function kubectlList(items: readonly object[]): object {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

/** Like kubectl's printer: plain where YAML reads a string back, double quotes otherwise. */
const PLAIN_SAFE = /^[A-Za-z0-9][\w./-]*$/;
const NOT_A_STRING = /^(?:[-+]?(?:\d+|\d*\.\d+|\d+\.\d*)(?:[eE][-+]?\d+)?|0[xo][\dA-Fa-f]+|true|false|yes|no|on|off|null|y|n|~)$/i;

function scalar(value: unknown): string {
  if (typeof value === 'string') return PLAIN_SAFE.test(value) && !NOT_A_STRING.test(value) ? value : JSON.stringify(value);
  return value === null ? 'null' : String(value);
}

function emit(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length > 0) {
        const lines: string[] = [];
        emit(item, `${indent}  `, lines);
        out.push(`${indent}- ${lines[0]!.trimStart()}`, ...lines.slice(1));
      } else {
        out.push(`${indent}- ${inline(item)}`);
      }
    }
    return;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v !== null && typeof v === 'object' && Object.keys(v).length > 0) {
      out.push(`${indent}${scalar(key)}:`);
      // kubectl prints a sequence at its key's indentation, a mapping one level deeper.
      emit(v, Array.isArray(v) ? indent : `${indent}  `, out);
    } else {
      out.push(`${indent}${scalar(key)}: ${inline(v)}`);
    }
  }
}

function inline(value: unknown): string {
  if (Array.isArray(value)) return '[]';
  if (value !== null && typeof value === 'object') return '{}';
  return scalar(value);
}

export function kubectlYaml(object: object): string {
  const out: string[] = [];
  emit(object, '', out);
  return `${out.join('\n')}\n`;
}
