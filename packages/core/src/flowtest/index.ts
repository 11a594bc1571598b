// Flow tests: the flows a team relies on, judged by explain's engine (`nbgen test`).
export { parseFlowFile, type ExpectedFlow } from './flowFile.js';
export { runFlowTests, type FlowTestResult } from './runFlowTests.js';
export { flowLabel, flowTestsToJson, formatFlowTestJunit, formatFlowTestText } from './format.js';
