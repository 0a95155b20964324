import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuthContext, RequestContext } from './principal';

/** The caller and request id of the current GraphQL request, for domain services. */
export const Ctx = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestContext => {
    const ctx = GqlExecutionContext.create(context).getContext<AuthContext>();
    return { principal: ctx.principal, requestId: ctx.requestId };
  },
);
