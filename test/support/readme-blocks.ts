/**
 * The fenced code blocks of a Markdown file, with the `readme-test` markers that tell the
 * README test how to treat them. A marker is an HTML comment (invisible once rendered) on its
 * own line right before a block, blank lines allowed in between:
 *
 * - `<!-- readme-test: skip (why) -->`: the block is not run; the reason is required.
 * - `<!-- readme-test: expect-error CODE -->`: the block shows an error on purpose; one of its
 *   GraphQL answers must carry `extensions.code` CODE.
 */

export type BlockMarker = { kind: 'skip'; reason: string } | { kind: 'expect-error'; code: string };

export interface FencedBlock {
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string's first word: `sh`, `graphql`, `text`, or '' for none. */
  lang: string;
  /** The lines between the fences, without the fence's own indentation (blocks in lists). */
  lines: string[];
  marker?: BlockMarker;
}

/** The Markdown line of a block's `i`th line. */
export const lineOf = (block: FencedBlock, i: number): number => block.line + 1 + i;

/** Languages a reader runs in a shell: every such example must be `sh`, which the test runs. */
const SHELL_ALIASES = new Set(['bash', 'shell', 'console', 'zsh', 'shell-session']);

const MARKER = /^\s*<!--\s*readme-test:(.*?)-->\s*$/;
const FENCE = /^(\s*)(`{3,})(.*)$/;

function parseMarker(text: string): BlockMarker | string {
  const body = text.trim();
  const skip = /^skip\b\s*(?:\((.*)\))?\s*$/.exec(body);
  if (skip) {
    const reason = (skip[1] ?? '').trim();
    return reason ? { kind: 'skip', reason } : 'a skip marker needs a reason: skip (why)';
  }
  const error = /^expect-error\s+([A-Z][A-Z_]*)$/.exec(body);
  if (error) return { kind: 'expect-error', code: error[1] };
  return `unknown marker "${body}": use "skip (why)" or "expect-error CODE"`;
}

/** Parses every fenced block, and lists what is wrong with the markers and block languages. */
export function readmeBlocks(markdown: string): { blocks: FencedBlock[]; problems: string[] } {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  const problems: string[] = [];
  let pending: { line: number; marker: BlockMarker | string } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const marker = MARKER.exec(line);
    if (marker) {
      if (pending) problems.push(`line ${pending.line}: marker not followed by a code block`);
      pending = { line: i + 1, marker: parseMarker(marker[1]) };
      continue;
    }
    const fence = FENCE.exec(line);
    if (!fence) {
      if (pending && line.trim() !== '') {
        problems.push(`line ${pending.line}: marker not right before a code block`);
        pending = undefined;
      }
      continue;
    }
    const [, indent, ticks, info] = fence;
    const block: FencedBlock = { line: i + 1, lang: info.trim().split(/\s+/)[0] ?? '', lines: [] };
    let closed = false;
    for (i++; i < lines.length; i++) {
      if (lines[i].trim() === ticks) {
        closed = true;
        break;
      }
      const text = lines[i];
      const strip = Math.min(indent.length, text.length - text.trimStart().length);
      block.lines.push(text.slice(strip));
    }
    if (!closed) problems.push(`line ${block.line}: code block never closed`);
    if (SHELL_ALIASES.has(block.lang))
      problems.push(
        `line ${block.line}: a \`${block.lang}\` block: write runnable examples as \`sh\``,
      );
    if (pending) {
      if (typeof pending.marker === 'string')
        problems.push(`line ${pending.line}: ${pending.marker}`);
      else if (block.lang !== 'sh')
        problems.push(`line ${pending.line}: marker before a \`${block.lang}\` block, not \`sh\``);
      else block.marker = pending.marker;
      pending = undefined;
    }
    blocks.push(block);
  }
  if (pending) problems.push(`line ${pending.line}: marker not followed by a code block`);
  return { blocks, problems };
}
