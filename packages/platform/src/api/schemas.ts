/**
 * Schemas every /api/v1 route shares: Meta's error body, timestamps, nullable fields, list pages
 * and their query. Route schemas are TypeBox, so each request and response type is derived from
 * the schema that validates (requests) or serializes (responses) it.
 */
import { Type, type SchemaOptions, type TSchema } from '@sinclair/typebox';
import { invalidParameter } from '@switchboard/wire';

export const Nullable = <T extends TSchema>(schema: T, options?: SchemaOptions) => Type.Union([schema, Type.Null()], options);

export const Timestamp = Type.String({ format: 'date-time' });

/** Meta's synchronous error shape, which every /api/v1 failure uses. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      message: Type.String(),
      type: Type.String(),
      code: Type.Integer(),
      error_subcode: Type.Optional(Type.Integer()),
      error_data: Type.Optional(Type.Object({ messaging_product: Type.Literal('whatsapp'), details: Type.String() })),
      error_user_title: Type.Optional(Type.String()),
      error_user_msg: Type.Optional(Type.String()),
      is_transient: Type.Optional(Type.Boolean()),
      fbtrace_id: Type.String(),
    }),
  },
  { description: "An error in Meta's shape: branch on error.code and read error.error_data.details." },
);

/** The error answers every authenticated route can give, for the OpenAPI description. */
export const errorResponses = { '4xx': ErrorResponse } as const;

export const TenantIdParam = Type.String({
  maxLength: 64,
  description: 'Operator key only: act for (or filter by) this tenant. A tenant key may only name its own tenant.',
});

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE, description: 'Items per page.' })),
  before: Type.Optional(Type.String({ maxLength: 512, description: 'paging.before from the previous page: the next (older) items.' })),
};

export const Paging = Type.Object({
  before: Nullable(Type.String({ description: 'Pass as `before` to get the next page; null on the last page.' })),
});

/** A page of items: newest first, with the cursor of the next page. */
export const Page = <T extends TSchema>(item: T) => Type.Object({ data: Type.Array(item), paging: Paging });

export const Success = Type.Object({ success: Type.Boolean() });

/**
 * The page size asked for. The schema already bounds `limit`, but AJV's coercion lets "1e309"
 * through as Infinity (an "integer" to its checks), so the bound is enforced here as well.
 */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw invalidParameter(`Param limit must be an integer from 1 to ${MAX_PAGE}.`);
  }
  return limit;
}
