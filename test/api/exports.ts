/** The exports of the package's entry points and whether each is documented (TSDoc on its declaration). */
import ts from 'typescript';
import { fileURLToPath } from 'node:url';

export interface ExportDoc {
  name: string;
  documented: boolean;
}

/** `entries`: paths relative to src/, or absolute. */
export function exportDocs(entries: string[]): Map<string, ExportDoc[]> {
  const files = entries.map((e) => (e.startsWith('/') ? e : fileURLToPath(new URL(`../../src/${e}`, import.meta.url))));
  const program = ts.createProgram(files, { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const result = new Map<string, ExportDoc[]>();
  entries.forEach((entry, i) => {
    const source = program.getSourceFile(files[i]!)!;
    const moduleSymbol = checker.getSymbolAtLocation(source)!;
    result.set(
      entry,
      checker.getExportsOfModule(moduleSymbol).map((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        const declarations = target.getDeclarations() ?? [];
        const documented = declarations.some((d) => ts.getJSDocCommentsAndTags(d).length > 0 || (ts.isVariableDeclaration(d) && ts.getJSDocCommentsAndTags(d.parent.parent).length > 0));
        return { name: symbol.getName(), documented };
      }),
    );
  });
  return result;
}
