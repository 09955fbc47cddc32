// `npm run check-commits`: every commit subject since the rule was adopted is under 72
// characters, i.e. at most 71 (CONTRIBUTING.md, "Commits"). Older history is left as it was written. In a
// shallow clone that lacks the baseline, the commits the clone has are checked.
import { execFileSync } from 'node:child_process';

/** The last commit before the rule was checked; subjects after it must fit. */
const BASELINE = 'd8816976b92725d88e98e972f0d8163d85baa272';
const LIMIT = 72;

const git = (...args) => execFileSync('git', args, { encoding: 'utf8' });
try {
  git('rev-parse', '--git-dir');
} catch {
  console.error('check-commits: not a git checkout, nothing to check');
  process.exit(0);
}
let range = 'HEAD';
try {
  git('cat-file', '-e', `${BASELINE}^{commit}`);
  range = `${BASELINE}..HEAD`;
} catch {
  // A shallow clone without the baseline: check what is here.
}
const long = git('log', '--format=%h %s', range)
  .split('\n')
  .filter((line) => line !== '' && line.slice(line.indexOf(' ') + 1).length >= LIMIT);
for (const line of long) console.error(`commit subject of ${LIMIT} characters or more: ${line}`);
process.exit(long.length > 0 ? 1 : 0);
