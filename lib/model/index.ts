export * from './schema';
export * from './issues';
export { validateModel, parseModelJson } from './validate';
