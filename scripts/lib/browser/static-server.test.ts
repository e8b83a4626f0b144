import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveStaticFile, startStaticServer, type StaticServer } from './static-server.ts';

let root: string;
let server: StaticServer;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'site-'));
  mkdirSync(path.join(root, 'fundamentos', 'arquitetura'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<h1>início</h1>');
  writeFileSync(path.join(root, 'fundamentos', 'arquitetura', 'index.html'), '<h1>arquitetura</h1>');
  writeFileSync(path.join(root, 'app.js'), 'console.log(1)');
  writeFileSync(path.join(root, '404.html'), '<h1>não encontrada</h1>');
  server = await startStaticServer(root);
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('static server for the built site', () => {
  it('listens on 127.0.0.1 on an ephemeral port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it('serves folder pages as Docusaurus lays them out', async () => {
    const res = await fetch(`${server.url}/fundamentos/arquitetura`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('arquitetura');
    expect(await (await fetch(`${server.url}/`)).text()).toContain('início');
  });

  it('serves assets with their content type', async () => {
    const res = await fetch(`${server.url}/app.js`);
    expect(res.headers.get('content-type')).toContain('text/javascript');
  });

  it('answers unknown paths with 404.html and status 404', async () => {
    const res = await fetch(`${server.url}/nada-aqui`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('não encontrada');
  });

  it('never resolves outside the root', async () => {
    expect(await resolveStaticFile(root, '/../../etc/passwd')).toBeUndefined();
    expect(await resolveStaticFile(root, '/%2e%2e/%2e%2e/etc/passwd')).toBeUndefined();
    expect(await resolveStaticFile(root, '/%E0%A4%A')).toBeUndefined();
  });
});
