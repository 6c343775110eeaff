/**
 * The Graph API addresses every object as /{id}: a WABA, a phone number, a template, a media
 * object, a business. One route per method looks the id up among the kinds that modules register
 * and hands the request to the owner; an id no kind knows is 100/33.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { unknownObject } from '@switchboard/wire';

export type NodeHandler = (id: string, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export interface NodeKind {
  name: string;
  has(id: string): boolean;
  get?: NodeHandler;
  post?: NodeHandler;
  delete?: NodeHandler;
}

export class NodeRouter {
  readonly #kinds: NodeKind[] = [];

  register(kind: NodeKind): void {
    this.#kinds.push(kind);
  }

  mount(app: FastifyInstance): void {
    for (const method of ['get', 'post', 'delete'] as const) {
      app.route({
        method: method.toUpperCase(),
        url: '/:id',
        handler: async (request, reply) => {
          const { id } = request.params as { id: string };
          const kind = this.#kinds.find((k) => k.has(id));
          const handler = kind?.[method];
          if (!handler) throw unknownObject(id, method);
          return handler(id, request, reply);
        },
      });
    }
  }
}
