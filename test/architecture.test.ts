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
    expect(coreFiles).toEqual(expect.arrayContaining(['types.ts', 'defaults.ts', 'normalise.ts', 'score.ts', 'rank.ts', 'signals.ts', 'explain.ts', 'index.ts']));
  });

  it('imports only other core files (./), never zod, chalk, csv-*, node:*', () => {
    const bad = coreFiles.flatMap((f) => importProblems(f, readFileSync(new URL(f, coreDir), 'utf8')));
    expect(bad).toEqual([]);
  });

  it('reads no clock, randomness or process', () => {
    expect(coreFiles.filter((f) => readsAmbientState(readFileSync(new URL(f, coreDir), 'utf8')))).toEqual([]);
  });

  it('catches the violations it is meant to catch (checker self-test)', () => {
    expect(importProblems('x.ts', "import { readFileSync } from 'node:fs';")).toEqual([
      'x.ts imports node:fs (only ./ files allowed)',
      'x.ts imports node:',
    ]);
    expect(importProblems('x.ts', "import { readFileSync } from 'fs';")).toEqual(['x.ts imports fs (only ./ files allowed)']);
    expect(importProblems('x.ts', "import { z } from 'zod';\nexport * from '../errors.ts';\nimport 'chalk';")).toEqual([
      'x.ts imports zod (only ./ files allowed)',
      'x.ts imports zod',
      'x.ts imports ../errors.ts (only ./ files allowed)',
      'x.ts imports chalk (only ./ files allowed)',
      'x.ts imports chalk',
    ]);
    expect(importProblems('x.ts', "const p = import('csv-parse');")).toEqual([
      'x.ts imports csv-parse (only ./ files allowed)',
      'x.ts imports csv-',
    ]);
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

describe('src/commands', () => {
  const commandsDir = new URL('../src/commands/', import.meta.url);
  /** The shared read and write sides every command may use; the rest are commands. */
  const SHARED = new Set(['load.ts', 'output.ts', 'snapshot.ts', 'follow-up.ts']);
  const files = readdirSync(commandsDir, { encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));

  it('no command imports another command (only the shared load, output, snapshot and follow-up modules)', () => {
    const bad = files.flatMap((f) =>
      [...stripComments(readFileSync(new URL(f, commandsDir), 'utf8')).matchAll(/\bfrom\s+['"]\.\/([^'"]+)['"]/g)]
        .map((m) => m[1]!)
        .filter((spec) => !SHARED.has(spec))
        .map((spec) => `${f} imports ./${spec}`),
    );
    expect(bad).toEqual([]);
  });
});
