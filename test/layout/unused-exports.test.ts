import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { REPO } from '../helpers/repo.js';

/**
 * Every name a module under src/ exports is imported somewhere (by src/ or by a test), or used in its
 * own file (the type of an exported function's options is part of that function's interface): an
 * export nobody uses is dead code, or a helper that should not be public. Read with TypeScript's
 * parser: named imports, `import *` (every name counts), re-exports and dynamic `import()`.
 */
function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** The module a relative specifier names, as a .ts path (NodeNext writes `.js`). */
function resolve(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return path.resolve(path.dirname(from), specifier).replace(/\.js$/, '.ts');
}

/** How many times NAME appears as an identifier in the file (its declaration included). */
function mentions(sf: ts.SourceFile, name: string): number {
  let n = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name) n++;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return n;
}

function exportedNames(sf: ts.SourceFile): string[] {
  const names: string[] = [];
  for (const st of sf.statements) {
    const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
    if (!mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) names.push(d.name.getText(sf));
    else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) {
      names.push(st.name.text);
    }
  }
  return names;
}

/** Per imported module, the names taken from it ('*' for all of them). */
function importedNames(file: string, sf: ts.SourceFile, into: Map<string, Set<string>>): void {
  const take = (specifier: string, name: string) => {
    const target = resolve(file, specifier);
    if (!target) return;
    if (!into.has(target)) into.set(target, new Set());
    into.get(target)!.add(name);
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const spec = node.moduleSpecifier.text;
      if (ts.isImportDeclaration(node)) {
        const clause = node.importClause;
        const bindings = clause?.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) take(spec, '*');
        else if (bindings) for (const el of bindings.elements) take(spec, (el.propertyName ?? el.name).text);
        if (clause?.name) take(spec, 'default');
      } else if (node.exportClause && ts.isNamedExports(node.exportClause)) {
        for (const el of node.exportClause.elements) take(spec, (el.propertyName ?? el.name).text);
      } else take(spec, '*');
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteral(arg)) take(arg.text, '*');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

test('every export of src/ is imported somewhere', () => {
  const files = [...tsFiles(path.join(REPO, 'src')), ...tsFiles(path.join(REPO, 'test'))];
  const parsed = new Map(files.map((f) => [f, ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true)]));
  const imported = new Map<string, Set<string>>();
  for (const [f, sf] of parsed) importedNames(f, sf, imported);
  const unused: string[] = [];
  for (const [f, sf] of parsed) {
    if (!f.startsWith(path.join(REPO, 'src') + path.sep)) continue;
    const taken = imported.get(f) ?? new Set();
    if (taken.has('*')) continue;
    for (const name of exportedNames(sf)) if (!taken.has(name) && mentions(sf, name) < 2) unused.push(`${path.relative(REPO, f)}: ${name}`);
  }
  assert.deepEqual(unused, []);
});
