export * from './clock/clock.js';
export * from './clock/virtual-clock.js';
export * from './config/read-config.js';
export * as parsers from './config/parsers.js';
export * from './http/create-http-server.js';
export * from './http/render-error.js';
export * from './logger.js';
export * from './postgres/embedded-postgres.js';
export * from './process/shutdown.js';
