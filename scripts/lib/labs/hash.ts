// The fingerprint of the check code in this kit version: sha256 over the framework, the clients and
// every lab's definition (not the tests, not respostas/). Grading compares it with its own copy.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { listFiles } from './files.ts';

export function checkCodeFiles(root: string): string[] {
  const pick = (dir: string) =>
    listFiles(path.join(root, dir))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('respostas/'))
      .map((f) => `${dir}/${f}`);
  return [...pick('src/labs'), ...pick('src/cluster/clients'), ...pick('labs')]
    .filter((f) => existsSync(path.join(root, f)))
    .sort();
}

export function checkCodeHash(root: string): string {
  const hash = createHash('sha256');
  for (const file of checkCodeFiles(root)) {
    // Line endings normalised: a Windows checkout hashes the same as a Linux one.
    const text = readFileSync(path.join(root, file), 'utf8').replace(/\r\n/g, '\n');
    hash.update(`${file}\n${text.length}\n${text}\n`);
  }
  return `sha256:${hash.digest('hex')}`;
}
