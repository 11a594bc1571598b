export * from './rowIndex';
export * from './tableStore';
export * from './diff';
export * from './request';
export * from './replica';
export * from './monitorCache';
