import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// STYLE.md §1: src/core is pure. It imports only other core files and reads no ambient state.
const coreDir = new URL('../src/core/', import.meta.url);
const coreFiles = readdirSync(coreDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));

/** Source without comments, so a comment saying "never Date.now() here" is not flagged. */
const stripComments = (text: string): string => text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');

/** Every module specifier: import/export ... from, side-effect import, dynamic import(), require(). */
function specifiers(text: string): string[] {
  const pattern = /\bfrom\s+['"]([^'"]+)['"]|\bimport\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]/g;
  return [...stripComments(text).matchAll(pattern)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');
}

const FORBIDDEN_MODULES = ['zod', 'chalk', 'csv-', 'node:'];
/** Problems of one core file's import specifiers. */
function importProblems(file: string, text: string): string[] {
  return specifiers(text).flatMap((spec) => {
    const problems: string[] = [];
    if (!spec.startsWith('./') || spec.includes('..')) problems.push(`${file} imports ${spec} (only ./ files allowed)`);
    for (const bad of FORBIDDEN_MODULES) if (spec.includes(bad)) problems.push(`${file} imports ${bad}`);
    return problems;
  });
}

const AMBIENT = /new Date\(|Date\.now\(|Math\.random\(|\bprocess\.|\bperformance\.|crypto\.|\bglobalThis\b|\brequire\(|\bimport\(/;
/** Whether a core file reads the clock, randomness, the process or loads code dynamically. */
const readsAmbientState = (text: string): boolean => AMBIENT.test(stripComments(text));

describe('src/core purity', () => {
  it('has the engine files', () => {
    expect(coreFiles).toEqual(
      expect.arrayContaining(['types.ts', 'defaults.ts', 'normalise.ts', 'score.ts', 'rank.ts', 'signals.ts', 'explain.ts', 'index.ts']),
    );
  });

  it('imports only other core files (./), never zod, chalk, csv-*, node:*', () => {
    const bad = coreFiles.flatMap((f) => importProblems(f, readFileSync(new URL(f, coreDir), 'utf8')));
    expect(bad).toEqual([]);
  });

  it('reads no clock, randomness or process', () => {
    expect(coreFiles.filter((f) => readsAmbientState(readFileSync(new URL(f, coreDir), 'utf8')))).toEqual([]);
  });

  it('catches the violations it is meant to catch (checker self-test)', () => {
    expect(importProblems('x.ts', "import { readFileSync } from 'node:fs';")).toEqual(['x.ts imports node:fs (only ./ files allowed)', 'x.ts imports node:']);
    expect(importProblems('x.ts', "import { readFileSync } from 'fs';")).toEqual(['x.ts imports fs (only ./ files allowed)']);
    expect(importProblems('x.ts', "import { z } from 'zod';\nexport * from '../errors.ts';\nimport 'chalk';")).toEqual([
      'x.ts imports zod (only ./ files allowed)',
      'x.ts imports zod',
      'x.ts imports ../errors.ts (only ./ files allowed)',
      'x.ts imports chalk (only ./ files allowed)',
      'x.ts imports chalk',
    ]);
    expect(importProblems('x.ts', "const p = import('csv-parse');")).toEqual(['x.ts imports csv-parse (only ./ files allowed)', 'x.ts imports csv-']);
    expect(importProblems('x.ts', "// import x from 'zod'\nimport { a } from './a.ts';")).toEqual([]);
    expect([
      readsAmbientState('const t = Date.now();'),
      readsAmbientState('const d = new Date();'),
      readsAmbientState('const r = Math.random();'),
      readsAmbientState('if (process.env.X) {}'),
      readsAmbientState('// never Date.now() here\nconst x = 1;'),
    ]).toEqual([true, true, true, true, false]);
  });
});

/** Module specifiers of a file with whether each is type-only (`import type` / `export type`), comments stripped. */
function imports(text: string): { spec: string; typeOnly: boolean }[] {
  const pattern = /\b(import|export)\s+(type\s+)?[^'";]*?\bfrom\s+['"]([^'"]+)['"]|\bimport\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]/g;
  return [...stripComments(text).matchAll(pattern)].map((m) => ({ spec: m[3] ?? m[4] ?? m[5] ?? '', typeOnly: m[2] !== undefined }));
}

/** The .ts files of one src/ layer. */
function layer(name: string): { dir: URL; files: string[] } {
  const dir = new URL(`../src/${name}/`, import.meta.url);
  return { dir, files: readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')) };
}

/** `file imports spec` for every import of a layer's files that `bad` says crosses a line. */
function crossings(name: string, bad: (spec: string, typeOnly: boolean) => boolean): string[] {
  const { dir, files } = layer(name);
  return files.flatMap((f) =>
    imports(readFileSync(new URL(f, dir), 'utf8'))
      .filter((i) => bad(i.spec, i.typeOnly))
      .map((i) => `${name}/${f} imports ${i.spec}`),
  );
}

describe('src/commands', () => {
  /**
   * The shared read and write sides every command may use; every other file is a command.
   * The read side: load-options.ts (the reading flags, --as-of), load-config.ts (the config
   * file, the run's inputs), load-model.ts (the model and kam_model), load.ts (file, mapping,
   * validation, the stderr reading report), load-deals.ts (--deals), load-gates.ts (gates and
   * overrides); output.ts: the write side; snapshot.ts: a file as a dated snapshot;
   * follow-up.ts: goals, history and backtest read and computed; hold.ts: diff's
   * --hysteresis and --overrides; robust-picks.ts: report --robust.
   */
  const SHARED = new Set([
    'load-options.ts',
    'load-config.ts',
    'load-model.ts',
    'load.ts',
    'load-deals.ts',
    'load-gates.ts',
    'output.ts',
    'snapshot.ts',
    'follow-up.ts',
    'hold.ts',
    'robust-picks.ts',
  ]);

  it('no command imports another command (only the shared load, output, snapshot and follow-up modules)', () => {
    expect(crossings('commands', (spec) => spec.startsWith('./') && !SHARED.has(spec.slice(2)))).toEqual([]);
  });

  it('the shared modules import no command either', () => {
    const { dir } = layer('commands');
    const bad = [...SHARED].flatMap((f) =>
      imports(readFileSync(new URL(f, dir), 'utf8'))
        .filter((i) => i.spec.startsWith('./') && !SHARED.has(i.spec.slice(2)))
        .map((i) => `commands/${f} imports ${i.spec}`),
    );
    expect(bad).toEqual([]);
  });
});

describe('layers', () => {
  it('io never imports commands (not even a type)', () => {
    expect(crossings('io', (spec) => spec.includes('/commands/') || spec.startsWith('../cli'))).toEqual([]);
  });

  it('schema never imports commands, and io only for the shape of the table read (type-only: io/read-table.ts)', () => {
    expect(
      crossings('schema', (spec, typeOnly) => spec.includes('/commands/') || (spec.includes('/io/') && !(typeOnly && spec === '../io/read-table.ts'))),
    ).toEqual([]);
  });

  it('core imports nothing outside core (and no type either)', () => {
    expect(crossings('core', (spec) => !spec.startsWith('./'))).toEqual([]);
  });

  it('the checker sees value, type-only, re-export and dynamic imports', () => {
    expect(
      imports(
        "import { a } from './a.ts';\nimport type { B } from '../io/b.ts';\nexport { c } from '../commands/c.ts';\nexport type { D } from './d.ts';\nconst e = import('./e.ts');\n// import x from './x.ts'",
      ),
    ).toEqual([
      { spec: './a.ts', typeOnly: false },
      { spec: '../io/b.ts', typeOnly: true },
      { spec: '../commands/c.ts', typeOnly: false },
      { spec: './d.ts', typeOnly: true },
      { spec: './e.ts', typeOnly: false },
    ]);
  });
});
