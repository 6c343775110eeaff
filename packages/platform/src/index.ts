export * from './config.js';
export * from './server.js';
export * from './db/connect.js';
export * from './db/migrate.js';
export * from './db/sqlstate.js';
export * from './crypto/secret-box.js';
export * from './tenants/create-tenant.js';
export * from './tenants/api-key.js';
