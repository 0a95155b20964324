import type { Translate } from '../i18n';

/**
 * The API explorer's page: GraphiQL's stylesheet and scripts, all served by the service
 * itself, and our init script last. English only: GraphiQL's own interface is English.
 */
export function GraphiqlPage({
  t,
  styles,
  scripts,
}: {
  t: Translate;
  styles: string[];
  scripts: string[];
}) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t('transparency:graphiql.title')}</title>
        {styles.map((url) => (
          <link key={url} rel="stylesheet" href={url} />
        ))}
        {scripts.map((url) => (
          <script key={url} defer src={url} />
        ))}
      </head>
      <body>
        <main id="graphiql">
          <noscript>
            <p>{t('transparency:graphiql.noscript')}</p>
          </noscript>
        </main>
      </body>
    </html>
  );
}
