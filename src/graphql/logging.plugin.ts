import { ApolloServerPlugin } from '@apollo/server';
import { JsonLogger } from '../logging/json-logger';
import { GraphqlContext } from './context';
import { isClientError, isDatabaseUnreachable, refusedValueState } from './error-mapping';

/**
 * Feeds the access log line (operation name, error codes) and logs every fault of ours with
 * its stack and request id; the client only ever sees a generic message for those. A value
 * the database refused is the client's error but a gap in our checks: logged as a warning.
 */
export function loggingPlugin(logger: JsonLogger): ApolloServerPlugin<GraphqlContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didEncounterErrors(ctx) {
          for (const error of ctx.errors) {
            const state = refusedValueState(error);
            if (state) {
              // The client hears BAD_USER_INPUT; we hear that an edge check is missing.
              logger.emit('warn', 'input refused by the database', {
                requestId: ctx.contextValue.requestId,
                operationName: ctx.operationName ?? null,
                sqlState: state,
              });
              continue;
            }
            if (isDatabaseUnreachable(error)) {
              // The client hears SERVICE_UNAVAILABLE; operators need the cause.
              logger.emit('error', 'database unreachable', {
                requestId: ctx.contextValue.requestId,
                operationName: ctx.operationName ?? null,
                error: (error.originalError ?? error).message,
              });
              continue;
            }
            if (isClientError(error)) continue;
            const cause = error.originalError ?? error;
            logger.emit('error', 'unexpected error', {
              requestId: ctx.contextValue.requestId,
              operationName: ctx.operationName ?? null,
              error: cause.message,
              stack: cause.stack,
            });
          }
          return Promise.resolve();
        },
        willSendResponse(ctx) {
          const body = ctx.response.body;
          const errors = body.kind === 'single' ? (body.singleResult.errors ?? []) : [];
          ctx.contextValue.req.graphqlOutcome = {
            operationName: ctx.operationName ?? ctx.request.operationName ?? null,
            errorCodes: errors.map((e) => {
              const code = e.extensions?.code;
              return typeof code === 'string' ? code : 'UNKNOWN';
            }),
          };
          return Promise.resolve();
        },
      });
    },
  };
}
