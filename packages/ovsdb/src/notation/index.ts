export * from './uuid.js';
export * from './value.js';
export * from './codec.js';
export * from './validate.js';
export * from './canonical.js';
