export * from './deletionLimit.js';
