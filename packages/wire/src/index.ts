export * from './errors/catalogue.js';
export * from './errors/graph-error.js';
export * from './errors/common.js';
export * from './signature/escape-unicode.js';
export * from './signature/signature.js';
export * from './phone/wa-id.js';
export * from './ids/ids.js';
export * from './messages/index.js';
