/**
 * The OpenAPI description of /api/v1 (GET /api/v1/openapi.json) and its interactive page
 * (GET /api/v1/docs, Swagger UI served from the npm package: no CDN, no outside validator).
 *
 * The description is built from the routes themselves (@fastify/swagger, dynamic mode): every
 * /api/v1 route declares tags, summary and TypeBox schemas. Only /api/v1 routes are listed; the
 * Cloud-API-compatible surface, /webhooks and the frame's own routes are left out.
 *
 * registerApiDocs must run before any route is declared (modules.ts calls it first). The swagger
 * plugin is installed by calling it directly rather than through app.register(): register()
 * defers a plugin until ready(), and its onRoute hook would then miss every route the modules
 * declare synchronously at the root before that moment.
 */
import type { FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi, { type FastifySwaggerUiOptions } from '@fastify/swagger-ui';

export const API_PREFIX = '/api/v1/';
export const OPENAPI_PATH = '/api/v1/openapi.json';
export const DOCS_PATH = '/api/v1/docs';

export function registerApiDocs(app: FastifyInstance): void {
  fastifySwagger(
    app,
    {
      mode: 'dynamic',
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Switchboard platform API',
          version: '1',
          description:
            'Operator and tenant API of the Switchboard BSP. Authenticate with `Authorization: Bearer <key>`: a tenant API key ' +
            'sees only its own tenant; the operator key sees every tenant and acts for one with `tenant_id`. Errors use ' +
            "Meta's error shape (`error.code`, `error.error_data.details`). While the platform's database cannot be reached, any " +
            'request may be answered `503` with code `2` and `Retry-After`: nothing was done, so retry it. Messaging itself uses the Cloud-API-compatible ' +
            'endpoints (`POST /{version}/{phone-number-id}/messages`), which are not listed here.',
        },
        components: {
          securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A tenant API key (sb_…) or the operator key.' } },
        },
        security: [{ bearer: [] }],
      },
      hideUntagged: true,
      transform: ({ schema, url }) => ({
        schema: url.startsWith(API_PREFIX) && url !== OPENAPI_PATH ? schema : { ...schema, hide: true },
        url,
      }),
    },
    (err) => {
      if (err) throw err;
    },
  );

  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());

  // Swagger UI runs inside a scope of its own, called rather than registered: its plugin wrapper
  // declares a dependency on a *registered* '@fastify/swagger', which the direct install above is
  // not. Its typings say callback plugin; the function is async and ignores the callback.
  const installUi = fastifySwaggerUi as unknown as (scope: FastifyInstance, options: FastifySwaggerUiOptions) => Promise<void>;
  void app.register(async (scope) =>
    installUi(scope, {
      routePrefix: DOCS_PATH,
      // The package's default policy minus upgrade-insecure-requests (a platform reached over plain
      // HTTP on an internal network would lose its assets) and minus outside hosts (no CDN, no validator).
      staticCSP:
        "default-src 'self'; base-uri 'self'; font-src 'self' data:; frame-ancestors 'self'; img-src 'self' data:; " +
        "object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self'",
      theme: { title: 'Switchboard API' },
      uiConfig: { deepLinking: true },
    }),
  );
}
