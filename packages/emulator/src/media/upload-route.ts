/**
 * `POST /{phone-number-id}/media`: a multipart upload (`file` with its content type, `type`,
 * `messaging_product` in the form or the query, fields in any order) checked against the per-type
 * MIME types and sizes (131053 when they do not fit). The multipart parser is registered in this
 * plugin only, so no other route accepts multipart bodies.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  baseMimeType,
  ErrorCode,
  GraphError,
  invalidParameter,
  MAX_MEDIA_BYTES,
  MEDIA_RULES,
  mediaTypeOf,
  missingParameter,
} from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import { authenticate, phoneFor } from '../graph/auth.js';
import { storeMedia } from './media-store.js';

interface UploadForm {
  fields: Record<string, string>;
  file?: { data: Buffer; mimeType: string; filename: string };
}

export function registerUploadRoute(app: FastifyInstance, ctx: EmulatorContext): void {
  void app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: MAX_MEDIA_BYTES, files: 1, fields: 20, parts: 25 } });
    scope.post('/:phoneNumberId/media', async (request) => {
      const { phoneNumberId } = request.params as { phoneNumberId: string };
      // The token comes in the header (or ?access_token=), so the caller is known before the file is read.
      const principal = authenticate(ctx, request);
      const phone = phoneFor(ctx, principal, phoneNumberId, 'post');
      const form = await readForm(request);

      const query = request.query as Record<string, unknown>;
      const product = form.fields.messaging_product ?? (typeof query.messaging_product === 'string' ? query.messaging_product : undefined);
      if (product === undefined) throw missingParameter('messaging_product');
      if (product !== 'whatsapp') throw invalidParameter('Param messaging_product must be "whatsapp".');
      if (!form.file) throw missingParameter('file');

      const mimeType = mimeTypeOf(form.file.mimeType, form.fields.type);
      const kind = mediaTypeOf(mimeType);
      if (!kind) throw uploadError(`Param file must be a file with one of the supported media types; ${mimeType} is not.`);
      const rule = MEDIA_RULES[kind];
      if (form.file.data.length === 0) throw uploadError('The uploaded file is empty.');
      if (form.file.data.length > rule.maxBytes) {
        throw uploadError(`The file is ${form.file.data.length} bytes; ${kind} media (${mimeType}) may be at most ${rule.maxBytes} bytes.`);
      }
      const media = storeMedia(ctx, {
        phoneNumberId: phone.id,
        data: form.file.data,
        mimeType,
        origin: 'upload',
        ...(form.file.filename ? { filename: form.file.filename } : {}),
      });
      return { id: media.id };
    });
  });
}

function uploadError(details: string): GraphError {
  return new GraphError(ErrorCode.MediaUploadError, { details });
}

/**
 * The file's MIME type: the file part's own content type, or the `type` field when the part has
 * none (curl without ;type=). When both are given they must agree.
 */
function mimeTypeOf(partType: string, typeField: string | undefined): string {
  const part = baseMimeType(partType || 'application/octet-stream');
  const field = typeField ? baseMimeType(typeField) : undefined;
  if (part === 'application/octet-stream') {
    if (!field) throw missingParameter('type');
    return field;
  }
  if (field && field !== part && mediaTypeOf(field) !== undefined) {
    throw uploadError(`The file's content type (${part}) does not match the type parameter (${field}).`);
  }
  return part;
}

async function readForm(request: FastifyRequest): Promise<UploadForm> {
  if (!request.isMultipart()) return { fields: {} };
  const form: UploadForm = { fields: {} };
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        form.file ??= { data, mimeType: part.mimetype, filename: part.filename };
      } else if (typeof part.value === 'string') {
        form.fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    if (err instanceof GraphError) throw err;
    const code = (err as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw uploadError(`The file is larger than ${MAX_MEDIA_BYTES} bytes, the largest media WhatsApp accepts.`);
    throw new GraphError(ErrorCode.InvalidParameter, { details: 'The request body is not valid multipart/form-data.', cause: err });
  }
  return form;
}
