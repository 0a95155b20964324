import { Layout } from './layout';
import { PageContext, href } from './page-context';

/** A page in place of the one asked for: what went wrong, in the reader's words. */
export function ErrorPage({
  ctx,
  title,
  message,
}: {
  ctx: PageContext;
  title: string;
  message: string;
}) {
  return (
    <Layout ctx={ctx} title={title}>
      <p>{message}</p>
      <p>
        <a href={href(ctx, '/')}>{ctx.t('error.backHome')}</a>
      </p>
    </Layout>
  );
}
