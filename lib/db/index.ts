export * from './config';
export * from './client';
export * from './migrate';
export * from './models';
export * from './seed';
export { newId, ID_PATTERN } from './ids';
export * from './runs';
