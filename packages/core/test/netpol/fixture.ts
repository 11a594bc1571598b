import { docs, namespace, pod } from './helpers.js';

/**
 * A small cluster: namespaces prod (team=a) and dev (team=b) given, kube-system only named by
 * its pod (so it carries just kubernetes.io/metadata.name). web-1 and web-2 name port `http`
 * differently; pending (no IP) and hostnet (hostNetwork) must never appear in rows.
 */
export const cluster = docs(
  namespace('prod', { team: 'a', env: 'prod' }),
  namespace('dev', { team: 'b' }),
  pod('prod', 'web-1', { app: 'web', tier: 'frontend' }, ['10.0.1.1', 'fd00::1:1'], {
    ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }],
  }),
  pod('prod', 'web-2', { app: 'web', tier: 'frontend' }, ['10.0.1.2'], { ports: [{ name: 'http', containerPort: 80 }] }),
  pod('prod', 'db-1', { app: 'db', tier: 'backend' }, ['10.0.1.3'], { ports: [{ name: 'sql', containerPort: 5432 }] }),
  pod('prod', 'client', { app: 'client' }, ['10.0.1.4']),
  pod('prod', 'pending', { app: 'web' }, []),
  pod('prod', 'hostnet', { app: 'web' }, ['192.168.1.10'], { hostNetwork: true, ports: [{ name: 'http', containerPort: 8080 }] }),
  pod('dev', 'client', { app: 'client' }, ['10.0.2.1', 'fd00::2:1']),
  pod('dev', 'tool', { app: 'tool', tier: 'backend' }, ['10.0.2.2'], { ports: [{ name: 'http', containerPort: 8000 }] }),
  pod('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, ['10.0.3.1'], {
    ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }],
  }),
);
