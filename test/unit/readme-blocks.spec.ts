import { lineOf, readmeBlocks } from '../support/readme-blocks';

const md = (...lines: string[]) => lines.join('\n');

describe('readmeBlocks: the README test reads code blocks and their markers', () => {
  it('reads each block with its language, lines and marker, blank lines allowed in between', () => {
    const { blocks, problems } = readmeBlocks(
      md(
        'Intro',
        '<!-- readme-test: skip (starts a second server) -->',
        '',
        '```sh',
        'npm start',
        '```',
        '<!-- readme-test: expect-error CONFLICT -->',
        '```sh',
        'curl x',
        '```',
        '```graphql',
        '{ me { name } }',
        '```',
      ),
    );
    expect(problems).toEqual([]);
    expect(blocks).toEqual([
      {
        line: 4,
        lang: 'sh',
        lines: ['npm start'],
        marker: { kind: 'skip', reason: 'starts a second server' },
      },
      {
        line: 8,
        lang: 'sh',
        lines: ['curl x'],
        marker: { kind: 'expect-error', code: 'CONFLICT' },
      },
      { line: 11, lang: 'graphql', lines: ['{ me { name } }'] },
    ]);
    expect(lineOf(blocks[1], 0)).toBe(9);
  });

  it('strips the indentation of a block inside a list item', () => {
    const { blocks } = readmeBlocks(
      md('- item:', '', '  ```sh', '  curl a \\', '    -d b', '  ```'),
    );
    expect(blocks[0].lines).toEqual(['curl a \\', '  -d b']);
  });

  it('refuses a skip without a reason, unknown markers, stray markers and shell blocks not in sh', () => {
    const { problems } = readmeBlocks(
      md(
        '<!-- readme-test: skip -->',
        '```sh',
        'a',
        '```',
        '<!-- readme-test: skip () -->',
        '```sh',
        'b',
        '```',
        '<!-- readme-test: ignore this -->',
        '```sh',
        'c',
        '```',
        '<!-- readme-test: skip (why) -->',
        'Some prose',
        '```sh',
        'd',
        '```',
        '<!-- readme-test: expect-error FORBIDDEN -->',
        '```graphql',
        '{ principals { id } }',
        '```',
        '```bash',
        'e',
        '```',
        '```sh',
        'never closed',
      ),
    );
    expect(problems).toEqual([
      'line 1: a skip marker needs a reason: skip (why)',
      'line 5: a skip marker needs a reason: skip (why)',
      'line 9: unknown marker "ignore this": use "skip (why)" or "expect-error CODE"',
      'line 13: marker not right before a code block',
      'line 18: marker before a `graphql` block, not `sh`',
      'line 22: a `bash` block: write runnable examples as `sh`',
      'line 25: code block never closed',
    ]);
  });
});
