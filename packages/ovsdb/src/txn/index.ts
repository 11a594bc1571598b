export * from './operations.js';
export * from './builder.js';
export * from './results.js';
export * from './errors.js';
