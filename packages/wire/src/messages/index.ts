export * from './check-schema.js';
export * from './send-schemas.js';
export * from './media-types.js';
export * from './media-reference.js';
export * from './validate-send.js';
