// `npm run clean`: removes dist/ so that a build ships only the modules src/ has today
// (tsc never deletes the output of a source file that was deleted or renamed).
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
