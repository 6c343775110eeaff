import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GraphError } from '../errors/graph-error.js';
import { checkTemplateParameters } from './check-template-send.js';
import { compileTemplateSpec } from './template-send-spec.js';
import { checkTemplateRequest } from './validate-template-request.js';
import { validateTemplateEdit } from './validate-template-edit.js';

/** JSON-ish values shaped a little like template requests, so the fuzzing reaches deep branches. */
const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('BODY', 'HEADER', 'FOOTER', 'BUTTONS', 'TEXT', 'IMAGE', 'URL', 'OTP', 'QUICK_REPLY', 'text', 'body', 'button', 'url', '{{1}}', 'Hi {{1}} there', ''),
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('any'), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom('type', 'format', 'text', 'example', 'buttons', 'body_text', 'header_handle', 'url', 'otp_type', 'parameters', 'sub_type', 'index', 'parameter_name', 'currency', 'image', 'location'),
      tie('any'),
      { maxKeys: 5 },
    ),
  ),
})).any;

describe('template rules never crash on bad input', () => {
  it('checkTemplateRequest returns a result for any input', () => {
    fc.assert(
      fc.property(value, fc.constantFrom('MARKETING', 'UTILITY', 'AUTHENTICATION'), (components, category) => {
        const result = checkTemplateRequest({ name: 'fuzz', language: 'en_US', category, components });
        expect(typeof result.ok).toBe('boolean');
        checkTemplateRequest(components);
      }),
      { numRuns: 500 },
    );
  });

  it('the send check throws only GraphErrors, for any stored definition and any send', () => {
    fc.assert(
      fc.property(value, value, fc.constantFrom('POSITIONAL', 'NAMED'), (stored, sent, format) => {
        const spec = compileTemplateSpec({ category: 'UTILITY', parameter_format: format, components: Array.isArray(stored) ? stored : [stored] });
        try {
          checkTemplateParameters(spec, sent);
        } catch (err) {
          expect(err).toBeInstanceOf(GraphError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the edit check throws only GraphErrors', () => {
    fc.assert(
      fc.property(value, (input) => {
        try {
          validateTemplateEdit(
            { definition: { name: 'x', language: 'en', category: 'UTILITY', parameter_format: 'POSITIONAL', components: [{ type: 'BODY', text: 'Hello there friend.' }] }, status: 'REJECTED', approvedEdits: [] },
            input,
            0,
          );
        } catch (err) {
          expect(err).toBeInstanceOf(GraphError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
