// The troubleshooting data is the single source for doctor, the backend's messages, the site page and the
// instructor's list: keep it whole and consistent.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fillText, matchProblems, problem, PROBLEMS, REAL_HOST_CHECKS } from './troubleshooting.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

describe('problems', () => {
  it('have unique kebab-case ids and complete Portuguese texts', () => {
    const ids = PROBLEMS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of PROBLEMS) {
      expect(p.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(['blocks', 'warns', 'informs']).toContain(p.level);
      for (const text of [p.title, p.message, p.action]) {
        expect(text.trim().length, p.id).toBeGreaterThan(5);
        expect(text, p.id).toBe(text.trim());
      }
      // Sentences end with a period (titles do not).
      expect(p.message.endsWith('.'), p.id).toBe(true);
      expect(p.action.endsWith('.') || p.action.endsWith(')'), p.id).toBe(true);
    }
  });

  it('cover each of the fourteen preflight checks', () => {
    for (let i = 1; i <= 14; i++)
      expect(
        PROBLEMS.some((p) => p.check === `P${i}`),
        `P${i}`,
      ).toBe(true);
  });

  it('that come from output or logs can be recognised (they have patterns)', () => {
    for (const p of PROBLEMS.filter((x) => x.source === 'logs' || x.source === 'pull')) {
      expect(p.patterns?.length, p.id).toBeGreaterThan(0);
    }
  });

  it('matchProblems finds a problem by its text', () => {
    expect(matchProblems('toomanyrequests: slow down', 'pull').map((p) => p.id)).toEqual([
      'limite-downloads',
    ]);
    expect(matchProblems('all good')).toEqual([]);
  });

  it('fillText fills known placeholders and leaves unknown ones visible', () => {
    expect(fillText('porta {port} de {label}', { port: 8080 })).toBe('porta 8080 de {label}');
    expect(() => problem('nao-existe')).toThrow();
  });

  it('every id the code uses exists here', () => {
    const dirs = ['scripts/lib/doctor', 'scripts/lib/cluster/docker', 'scripts/lib/cluster'];
    const used = new Set<string>();
    for (const d of dirs) {
      for (const f of readdirSync(path.join(repo, d)).filter(
        (n) => n.endsWith('.ts') && !n.endsWith('.test.ts'),
      )) {
        const text = readFileSync(path.join(repo, d, f), 'utf8');
        for (const m of text.matchAll(/problem\('([a-z0-9-]+)'\)|found\(\s*'P\d+',\s*'([a-z0-9-]+)'/g)) {
          used.add(m[1] ?? m[2]);
        }
      }
    }
    expect(used.size).toBeGreaterThan(15);
    const known = new Set(PROBLEMS.map((p) => p.id));
    for (const id of used) expect(known.has(id), id).toBe(true);
  });

  it('is isomorphic: no node: imports (the site renders it)', () => {
    const text = readFileSync(path.join(here, 'troubleshooting.ts'), 'utf8');
    expect(text).not.toMatch(/from ['"]node:/);
  });
});

describe('what must be verified on a real Docker host', () => {
  it('covers the open items of the research note', () => {
    const ids = REAL_HOST_CHECKS.map((c) => c.id);
    for (const id of [
      'formato-das-imagens',
      'posix-mac-apple-silicon',
      'posix-windows-wsl2',
      'posix-ubuntu-engine-29',
      'marathon-java-opts',
      'endpoints-de-saude',
      'docker-no-agente',
      'zookeeper-arm64',
      'min-api-version-daemon-json',
    ]) {
      expect(ids).toContain(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('says for each how to check it and how doctor or smoke confirms it, linking existing problems', () => {
    const known = new Set(PROBLEMS.map((p) => p.id));
    for (const c of REAL_HOST_CHECKS) {
      expect(c.how.length, c.id).toBeGreaterThan(10);
      expect(c.confirmedBy, c.id).toMatch(/npm run doctor|npm run cluster -- (smoke|up)|doctor|smoke/);
      expect(c.problems.length, c.id).toBeGreaterThan(0);
      for (const id of c.problems) expect(known.has(id), `${c.id} → ${id}`).toBe(true);
    }
  });

  it('every problem marked "verify on a real host" is on the instructor list', () => {
    const listed = new Set(REAL_HOST_CHECKS.flatMap((c) => c.problems));
    for (const p of PROBLEMS.filter((x) => x.verifyOnRealHost)) expect(listed.has(p.id), p.id).toBe(true);
  });
});
