export { CompileSession, type SessionEvent } from './compileSession.js';
export { manifestId, readManifest, objectIdOf, type ManifestReading, type ModelObject, type ObjectId } from './modelObjects.js';
export { rowKey, emptyRowDelta, objectsOfDelta, ownerObjectOf, type RowDelta } from './rowDelta.js';
