export * from './uuid';
export * from './value';
export * from './codec';
export * from './validate';
export * from './canonical';
