import { ApolloServerPlugin } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import { ErrorCode } from '../common/errors';
import { GraphqlContext } from './context';

interface Serialized {
  errors: unknown;
  extensions: unknown;
  text: string;
}

/** Responses serialized while being measured, keyed by their `data`, so they are serialized once. */
const measured = new WeakMap<object, Serialized>();

/** Apollo's own layout of a response body: errors, data, extensions, and a newline. */
const serialize = (result: FormattedExecutionResult): string =>
  JSON.stringify({ errors: result.errors, data: result.data, extensions: result.extensions }) +
  '\n';

/**
 * Caps what one response may weigh: the cost limit works on an estimate, this on the real
 * thing (long texts, many criteria). A response over `maxBytes` is replaced by
 * BAD_USER_INPUT (HTTP 400) before any of it is sent. The measured text is what
 * {@link stringifyResult} then sends.
 */
export function responseSizePlugin(maxBytes: number): ApolloServerPlugin<GraphqlContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        willSendResponse({ response }) {
          const body = response.body;
          if (body.kind !== 'single') return Promise.resolve();
          const result = body.singleResult;
          const text = serialize(result);
          // UTF-16 length <= UTF-8 bytes <= 3 x length: count bytes only when it can matter.
          const bytes = text.length * 3 <= maxBytes ? text.length : Buffer.byteLength(text);
          if (bytes > maxBytes) {
            body.singleResult = {
              errors: [
                {
                  message: `The response would be ${bytes} bytes, over the limit of ${maxBytes}: ask for fewer fields, or page lists with first`,
                  extensions: { code: ErrorCode.BAD_USER_INPUT },
                },
              ],
            };
            response.http.status = 400;
          } else if (result.data) {
            measured.set(result.data, {
              errors: result.errors,
              extensions: result.extensions,
              text,
            });
          }
          return Promise.resolve();
        },
      });
    },
  };
}

/** Apollo's `stringifyResult`: the text measured above when it is still the same response. */
export function stringifyResult(result: FormattedExecutionResult): string {
  const known = result.data ? measured.get(result.data) : undefined;
  if (known && known.errors === result.errors && known.extensions === result.extensions) {
    return known.text;
  }
  return serialize(result);
}
