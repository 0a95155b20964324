import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { RequestContext } from '../auth/principal';
import { GraphqlContext } from './context';

/** The caller and request id of the current GraphQL request, for domain services. */
export const Ctx = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestContext => {
    const ctx = GqlExecutionContext.create(context).getContext<GraphqlContext>();
    return { principal: ctx.principal, requestId: ctx.requestId };
  },
);

/** This request's DataLoaders. */
export const RequestLoaders = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  return GqlExecutionContext.create(context).getContext<GraphqlContext>().loaders;
});
