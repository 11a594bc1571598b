import type { FlowExplanation } from '@ovn-nbgen/core';

/**
 * The logical ports of every stage of every path of an explanation: where the flow meets ACLs.
 * Judged on a live NB's layout alone (no ACLs, so every path and leg is walked), they are the
 * ports readLiveNbForPorts reads the ACLs for.
 */
export function portsCrossed(explanation: FlowExplanation): Set<string> {
  const ports = new Set<string>();
  for (const path of explanation.paths) {
    for (const stage of path.stages) {
      ports.add(stage.inport);
      ports.add(stage.outport);
    }
  }
  return ports;
}
