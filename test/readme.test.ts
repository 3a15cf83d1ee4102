import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES } from '../src/diagnostics/codes.js';
import { fedc, ROOT } from './helpers.js';

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

describe('README', () => {
  it('documents every diagnostic code', () => {
    for (const code of Object.keys(CODES)) expect(readme, code).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
  });

  it('documents every flag of every command', () => {
    for (const cmd of ['validate', 'render', 'diff']) {
      const help = fedc([cmd, '--help']).stdout;
      const flags = [...help.matchAll(/(?:^|\s)(--[a-z-]+)/g)].map((m) => m[1]!).filter((f) => f !== '--help');
      expect(flags.length).toBeGreaterThan(1);
      for (const f of flags) expect(readme, `${cmd} ${f}`).toContain(f);
    }
  });

  it('shows the two commands, and .ci/run calls the test command', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
    expect(readFileSync(path.join(ROOT, '.ci/run'), 'utf8')).toMatch(/^npm test/m);
  });
});
