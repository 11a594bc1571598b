export * from './types.js';
export * from './schema.js';
export * from './capabilities.js';
