// Guard: no module under web/src translates text while it is being imported. A `t(...)` (or any
// function that ends up calling it) reached at module evaluation runs once, in the language of
// that moment (English: the picker has not run yet), and the text never follows the picker again.
//
// Why a static check rather than importing every module and switching the language: many modules
// cannot be evaluated in Node at all (Leaflet and MapLibre touch `window` on import, main.tsx
// renders into the page), and a module's private constants (like a list of sort labels) cannot be
// inspected from outside. The TypeScript compiler sees every file, so the check walks the syntax
// tree of each .ts/.tsx file and uses the type checker to resolve what each call calls:
//   1. the seeds are the i18n functions whose result depends on the chosen language;
//   2. a function "reaches" a seed when its body calls a seed or another reaching function
//      (so the per-screen `m(...)` wrappers and any helper that builds labels are caught too);
//   3. a call to a reaching function is a failure when it runs at module evaluation: outside any
//      function body, or inside a function that runs at once (an IIFE, or a callback handed to a
//      call, as `keys.map((key) => m(key))` is) or a static class field or block.
// A callback handed to a call is counted as run at once, because array methods run it there and
// then; this is on the safe side (an event listener registered at import would be flagged too).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const webSource = fileURLToPath(new URL('..', import.meta.url));
const i18nModule = path.join(webSource, 'i18n', 'index.ts');
/** The i18n exports whose result changes with the language picker. */
const languageDependent = ['t', 'formatMessage', 'currentLanguage', 'formatNumber', 'formatDate', 'countryName'];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    // Tests are not part of the app; declaration files hold no code.
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

type FunctionNode = ts.SignatureDeclaration | ts.ClassLikeDeclaration;

/** A function expression that runs where it is written: called at once, or handed to a call. */
function runsAtOnce(node: ts.FunctionExpression | ts.ArrowFunction): boolean {
  let outer: ts.Node = node;
  while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const parent = outer.parent;
  return (
    (ts.isCallExpression(parent) || ts.isNewExpression(parent)) &&
    (parent.expression === outer || parent.arguments?.includes(outer as ts.Expression) === true)
  );
}

/** The function whose body holds `node` when that body runs later, or undefined for module evaluation. */
function owner(node: ts.Node): FunctionNode | undefined {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isFunctionExpression(current) || ts.isArrowFunction(current)) {
      if (!runsAtOnce(current)) return current;
    } else if (
      ts.isFunctionDeclaration(current) ||
      ts.isMethodDeclaration(current) ||
      ts.isGetAccessor(current) ||
      ts.isSetAccessor(current)
    ) {
      return current;
    } else if (ts.isConstructorDeclaration(current)) {
      return current.parent;
    } else if (ts.isPropertyDeclaration(current) && !current.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword)) {
      // An instance field runs on `new`, like the constructor: it belongs to the class.
      return current.parent as ts.ClassLikeDeclaration;
    }
  }
  return undefined;
}

/** The function (or class, for `new`) that an expression names, if it is declared in our code. */
function declaredFunction(checker: ts.TypeChecker, expression: ts.Expression): FunctionNode | undefined {
  let symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(expression) ? expression.name : expression);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!declaration) return undefined;
  if (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration) || ts.isClassLike(declaration)) return declaration;
  if (
    (ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration)) &&
    declaration.initializer
  ) {
    const initializer = declaration.initializer;
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return initializer;
    // `const m = scoped('plans.')`: the function a factory of ours returns.
    if (ts.isCallExpression(initializer)) {
      const factory = declaredFunction(checker, initializer.expression);
      if (factory) return returnedFunction(factory);
    }
  }
  return undefined;
}

/** The function expression a function returns (`return (key) => ...`), if it returns one. */
function returnedFunction(node: FunctionNode): FunctionNode | undefined {
  if (!(ts.isFunctionDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) || !node.body) return undefined;
  const isFunction = (expression: ts.Expression | undefined): expression is ts.ArrowFunction | ts.FunctionExpression =>
    !!expression && (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression));
  if (!ts.isBlock(node.body)) return isFunction(node.body) ? node.body : undefined;
  for (const statement of node.body.statements)
    if (ts.isReturnStatement(statement) && isFunction(statement.expression)) return statement.expression;
  return undefined;
}

interface Call {
  at: ts.Node;
  from: FunctionNode | undefined;
  to: FunctionNode;
}

/**
 * Where web/src translates at import, as `file:line: call`. `extra`: more modules (path under
 * web/src → text), added to the real ones without touching the disk, to show the check at work.
 */
function importTimeTranslations(extra: Record<string, string> = {}): string[] {
  const virtual = new Map(Object.entries(extra).map(([name, text]) => [path.join(webSource, name), text]));
  const files = [...sourceFiles(webSource), ...virtual.keys()];
  const config = ts.readConfigFile(path.join(webSource, '..', '..', 'tsconfig.json'), ts.sys.readFile).config;
  // Only our own functions matter (a library cannot call our `t`), so the program is web/src alone:
  // no libraries' or the platform's declarations, which would make it five times slower to build.
  const options = {
    ...ts.convertCompilerOptionsFromJson(config.compilerOptions, webSource).options,
    types: [],
    noEmit: true,
    noResolve: true,
    noLib: true,
  };
  const host = ts.createCompilerHost(options, true);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (name) => virtual.has(name) || ts.sys.fileExists(name);
  host.readFile = (name) => virtual.get(name) ?? readFile(name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = virtual.get(name);
    return text === undefined ? getSourceFile(name, language, ...rest) : ts.createSourceFile(name, text, language, true);
  };
  const program = ts.createProgram(files, options, host);
  const checker = program.getTypeChecker();

  const i18n = program.getSourceFile(i18nModule);
  const i18nSymbol = i18n && checker.getSymbolAtLocation(i18n);
  if (!i18nSymbol) throw new Error(`cannot read ${i18nModule}`);
  const reaching = new Set<FunctionNode>();
  for (const name of languageDependent) {
    const exported = checker.getExportsOfModule(i18nSymbol).find((symbol) => symbol.name === name);
    const declaration = exported?.valueDeclaration;
    if (!declaration || !ts.isFunctionDeclaration(declaration))
      throw new Error(`i18n no longer exports the function ${name}: update this test`);
    reaching.add(declaration);
  }

  const calls: Call[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file)!;
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const from = owner(node);
        const to = declaredFunction(checker, node.expression);
        if (to) calls.push({ at: node, from, to });
        // A function handed over by name (`keys.map(m)`) is called by the receiver, here.
        for (const argument of node.arguments ?? []) {
          const passed =
            ts.isIdentifier(argument) || ts.isPropertyAccessExpression(argument) ? declaredFunction(checker, argument) : undefined;
          if (passed) calls.push({ at: argument, from, to: passed });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }

  // Which of our functions end up calling a language-dependent one: grow the set until it stops.
  for (let grown = true; grown; ) {
    grown = false;
    for (const call of calls) {
      if (call.from && !reaching.has(call.from) && reaching.has(call.to)) {
        reaching.add(call.from);
        grown = true;
      }
    }
  }

  return calls
    .filter((call) => call.from === undefined && reaching.has(call.to))
    .map((call) => {
      const source = call.at.getSourceFile();
      const { line } = source.getLineAndCharacterOfPosition(call.at.getStart());
      return `${path.relative(webSource, source.fileName)}:${line + 1}: ${call.at.getText().split('\n')[0]}`;
    });
}

describe('i18n', () => {
  it('no module under web/src translates text at import time (it would stay in the language of that moment)', () => {
    expect(importTimeTranslations()).toEqual([]);
  });

  it('the check finds translation at import through wrappers, helpers and callbacks, and not in code that runs later', () => {
    const found = importTimeTranslations({
      'probe/early.tsx': [
        "import { t, formatNumber } from '../i18n/index.ts';",
        "import { m } from '../activation/messages.ts';",
        "import { m as planText } from '../plans/messages.ts';",
        "const keys = ['col.name', 'col.status'] as const;",
        'function labels() { return keys.map((key) => m(key)); }',
        'const direct = t("list.title");',
        'const byName = keys.map(m);',
        'const throughHelper = labels();',
        'const immediately = (() => planText("title"))();',
        'class Panel { static heading = formatNumber(3); label = t("list.title"); }',
        // Run later: a component, an arrow kept for later, an instance field; none is flagged.
        'export function Label() { return <span>{t("list.title")}</span>; }',
        'const later = () => labels();',
        'export const used = [direct, byName, throughHelper, immediately, Panel, later];',
      ].join('\n'),
    });
    expect(found.filter((line) => line.startsWith('probe/')).map((line) => line.replace(/^probe\/early\.tsx:(\d+):.*$/, '$1'))).toEqual([
      '6',
      '7',
      '8',
      '9',
      '10',
    ]);
  });
});
