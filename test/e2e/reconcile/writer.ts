// Writing rows into a test bed's NB through the library (OvsdbClient + Reconciler) instead of the
// exported script: the live path the reconcile e2e suites judge.
import { capabilitiesForOvnVersion, compile, loadModel, type CompileOptions, type ManifestSource, type NbRows } from '@ovn-nbgen/core';
import { OvsdbClient, Reconciler, type ReconcileResult } from '@ovn-nbgen/ovsdb';
import type { Ovn } from '../../harness/ovn.js';
import type { PolicyWriter } from '../netpol/run.js';
import { e2eCompileOptions } from '../netpol/run.js';
import { scenarioSources } from '../netpol/scenarios.js';

/** A reconciler of `owner` on the test bed's NB, closed (with its client) after `use`. */
export async function withReconciler<T>(ovn: Ovn, owner: string, use: (reconciler: Reconciler) => Promise<T>): Promise<T> {
  const client = await OvsdbClient.connect({
    remote: `unix:${ovn.nbSocketPath}`,
    session: { probeIntervalMs: 0, requestTimeoutMs: 120_000 },
  });
  try {
    const reconciler = await Reconciler.start(client, { owner });
    try {
      return await use(reconciler);
    } finally {
      await reconciler.close();
    }
  } finally {
    await client.close();
    // The harness re-syncs the SB before the next trace only if it knows the NB changed.
    ovn.invalidate();
  }
}

/**
 * Compiles with the capabilities the live schema reports and reconciles. They must be the ones the
 * export path derives from the OVN version, or the two paths would write different rows.
 */
export async function reconcileSources(ovn: Ovn, sources: readonly ManifestSource[], options: CompileOptions): Promise<ReconcileResult> {
  return withReconciler(ovn, options.owner, async (reconciler) => {
    const expected = capabilitiesForOvnVersion(ovn.version);
    if (JSON.stringify(reconciler.capabilities) !== JSON.stringify(expected)) {
      throw new Error(`live schema capabilities ${JSON.stringify(reconciler.capabilities)} differ from OVN ${ovn.version}'s ${JSON.stringify(expected)}`);
    }
    const { model } = loadModel(sources);
    const { rows } = compile(model, { ...options, capabilities: reconciler.capabilities });
    return reconciler.reconcile(rows);
  });
}

export async function reconcileRows(ovn: Ovn, owner: string, rows: NbRows): Promise<ReconcileResult> {
  return withReconciler(ovn, owner, (reconciler) => reconciler.reconcile(rows));
}

/** The netpol runner's writer, through the Reconciler. */
export const writeWithReconciler: PolicyWriter = async (ovn, scenario) => {
  const result = await reconcileSources(ovn, scenarioSources(scenario), e2eCompileOptions(ovn));
  if (result.plan.warnings.length > 0) throw new Error(`reconcile warnings: ${result.plan.warnings.join('; ')}`);
};
