import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { NAMESPACES, negotiateLanguage, translator } from '../../src/portal/i18n';

const SRC = join(__dirname, '..', '..', 'src');
const PORTAL = join(SRC, 'portal');
/** The officials' workspace is built on the portal's views and catalogs: the same rules. */
const CONSOLE = join(SRC, 'console');

function leaves(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    leaves(v, path ? `${path}.${k}` : k),
  );
}

const placeholders = (text: string) =>
  [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();

function tsxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsxFiles(path);
    return path.endsWith('.tsx') ? [path] : [];
  });
}

/** Text a person would read, written in a view instead of the catalog. */
function untranslated(file: string): string[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TSX,
  );
  const found: string[] = [];
  const readable = (text: string) => /\p{L}/u.test(text);
  const where = (node: ts.Node) =>
    `${file.slice(SRC.length + 1)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && readable(node.text)) found.push(`${where(node)} ${node.text.trim()}`);
    if (ts.isJsxExpression(node) && node.expression && ts.isStringLiteral(node.expression)) {
      if (readable(node.expression.text) && ts.isJsxElement(node.parent))
        found.push(`${where(node)} ${node.expression.text}`);
    }
    if (
      ts.isJsxAttribute(node) &&
      /^(title|alt|aria-label|placeholder|label|aria-description)$/.test(node.name.getText()) &&
      node.initializer &&
      ts.isStringLiteral(node.initializer) &&
      readable(node.initializer.text)
    )
      found.push(`${where(node)} ${node.name.getText()}="${node.initializer.text}"`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the portal speaks English, French and Spanish', () => {
  it.each(Object.keys(NAMESPACES))(
    'namespace %s: French and Spanish have every key, non-empty, with the same placeholders',
    (ns) => {
      const m = NAMESPACES[ns as keyof typeof NAMESPACES];
      const english = new Map(leaves(m.en));
      for (const lang of ['fr', 'es'] as const) {
        const other = new Map(leaves(m[lang]));
        expect([...other.keys()].sort()).toEqual([...english.keys()].sort());
        for (const [key, text] of other) {
          expect(text.trim()).not.toBe('');
          expect({ key, lang, placeholders: placeholders(text) }).toEqual({
            key,
            lang,
            placeholders: placeholders(english.get(key)!),
          });
        }
      }
    },
  );

  it('has no text of its own in any view: every word comes from the catalog', () => {
    const files = tsxFiles(PORTAL);
    expect(files.length).toBeGreaterThan(3);
    expect(files.flatMap(untranslated)).toEqual([]);
  });

  it('nor has any view or page of the workspace (src/console)', () => {
    const files = tsxFiles(CONSOLE);
    expect(files.map((f) => f.slice(CONSOLE.length + 1))).toEqual(
      expect.arrayContaining([
        'views/sign-in.tsx',
        'views/versions.tsx',
        'workspace.controller.tsx',
      ]),
    );
    expect(files.flatMap(untranslated)).toEqual([]);
  });

  it('would catch text written in a view (the check above can fail)', () => {
    const probe = join(__dirname, 'fixtures', 'untranslated-view.tsx');
    expect(untranslated(probe).length).toBe(3);
  });

  it('picks the language from ?lang=, then Accept-Language, else English', () => {
    expect(negotiateLanguage('fr', 'es')).toBe('fr');
    expect(negotiateLanguage('de', 'es-PE,es;q=0.9,en;q=0.5')).toBe('es');
    expect(negotiateLanguage(undefined, 'fr-SN, fr;q=0.8')).toBe('fr');
    expect(negotiateLanguage(undefined, 'de-DE')).toBe('en');
    expect(negotiateLanguage(['fr'], undefined)).toBe('en');
  });

  it('translates with plurals and interpolation', () => {
    expect(translator('fr')('country:entries', { count: 2 })).toBe('2 entrées');
    expect(translator('es')('country:entries', { count: 1 })).toBe('1 entrada');
    expect(translator('en')('version', { version: 3 })).toBe('Version 3');
  });
});
