import { formatSource } from '../errors.js';
import type { ExpectedFlow } from './flowFile.js';
import type { FlowTestResult } from './runFlowTests.js';

/** `shop/client -> svc:shop/web:80 TCP/80` (with `IPv6` when the file asks for a family). */
export function flowLabel(flow: ExpectedFlow): string {
  const q = flow.query;
  const what = q.protocol === 'ICMP' ? 'ICMP' : `${q.protocol}/${q.port}`;
  return `${q.from} -> ${q.to} ${what}${q.family ? ` IPv${q.family}` : ''}`;
}

const where = (flow: ExpectedFlow): string => `${formatSource(flow.source)} ${flow.path}`;

/**
 * One line per failing flow, with the row that decided it, then `N passed, M failed`:
 *   FAIL flows.yaml#0 [2]  shop/client -> svc:shop/web:80 TCP/80: expected allow, got deny: NetworkPolicy shop/web-ingress rule ingress/default-drop (backend shop/web-0)
 *   2 passed, 1 failed
 */
export function formatFlowTestText(results: readonly FlowTestResult[]): string {
  // One pass, the text appended as it goes (no list of lines, no second filter: 10,000 flows).
  let text = '';
  let failed = 0;
  let source: ExpectedFlow['source'] | null = null;
  let file = '';
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    if (r.passed) continue;
    failed++;
    // The flows of a file share one source: its name is written once.
    if (r.flow.source !== source) file = formatSource((source = r.flow.source));
    text += `FAIL ${file} ${r.flow.path}  ${flowLabel(r.flow)}: expected ${r.flow.expect}, got ${r.decidingText}\n`;
  }
  return `${text}${results.length - failed} passed, ${failed} failed\n`;
}

/** One record per flow: the flow, what was expected, the verdict and the rows that decided it. */
export function flowTestsToJson(results: readonly FlowTestResult[]) {
  return results.map((r) => ({
    source: where(r.flow),
    flow: { from: r.flow.query.from, to: r.flow.query.to, port: r.flow.query.port, protocol: r.flow.query.protocol, family: r.family },
    expected: r.flow.expect,
    verdict: r.verdict,
    passed: r.passed,
    deciding: r.deciding,
  }));
}

/** A JUnit XML report (one testcase per flow, a <failure> per mismatch) for CI systems to show. */
export function formatFlowTestJunit(results: readonly FlowTestResult[], suiteName: string): string {
  const failed = results.filter((r) => !r.passed).length;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="nbgen test" tests="${results.length}" failures="${failed}">`,
    `  <testsuite name="${xml(suiteName)}" tests="${results.length}" failures="${failed}" errors="0" skipped="0">`,
  ];
  for (const r of results) {
    const head = `    <testcase classname="${xml(formatSource(r.flow.source))}" name="${xml(`${r.flow.path} ${flowLabel(r.flow)} expect ${r.flow.expect}`)}"`;
    if (r.passed) {
      out.push(`${head}/>`);
    } else {
      out.push(`${head}>`);
      out.push(`      <failure message="${xml(`expected ${r.flow.expect}, got ${r.verdict}`)}" type="verdict">${xml(r.decidingText)}</failure>`);
      out.push('    </testcase>');
    }
  }
  out.push('  </testsuite>', '</testsuites>');
  return `${out.join('\n')}\n`;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const xml = (text: string): string => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
