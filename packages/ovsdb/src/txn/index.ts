export * from './operations';
export * from './builder';
export * from './results';
export * from './errors';
