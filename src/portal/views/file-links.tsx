import { PageContext } from './page-context';

const FORMATS = [
  ['csv', 'fileCsv'],
  ['json', 'fileJson'],
  ['xlsx', 'fileXlsx'],
] as const;

/** Links to one file in each export format: `base` is the URL without its extension. */
export function FileLinks({ ctx, base }: { ctx: PageContext; base: string }) {
  return (
    <>
      {FORMATS.map(([extension, label], i) => (
        <>
          {i > 0 ? ' · ' : ' '}
          <a href={`${base}.${extension}`} download>
            {ctx.t(label)}
          </a>
        </>
      ))}
    </>
  );
}
