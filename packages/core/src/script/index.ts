// The offline export: rows → an idempotent ovn-nbctl script.
export { renderNbctlScript, type NbctlScriptOptions } from './renderNbctlScript.js';
export type { ScriptRefusalWording } from './runtime.js';
export { ScriptValueError, shellWord, ovsdbString, ovsdbMap } from './quote.js';
