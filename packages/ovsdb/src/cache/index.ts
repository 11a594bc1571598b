export * from './rowIndex.js';
export * from './tableStore.js';
export * from './diff.js';
export * from './request.js';
export * from './replica.js';
export * from './monitorCache.js';
