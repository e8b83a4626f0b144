import { describe, expect, it } from 'vitest';
import { checkAppDefinition, parseJsonBody, readApp } from './validate.ts';

describe('checkAppDefinition (also used by the course site in the browser)', () => {
  it('normalises a minimal app with Marathon 1.3.6 defaults', () => {
    const r = checkAppDefinition({ id: 'web/./api/../front/', cmd: 'sleep 10', unknownField: 1 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.app).toMatchObject({
      id: '/web/front',
      instances: 1,
      cpus: 1,
      mem: 128,
      disk: 0,
      gpus: 0,
      backoffSeconds: 1,
      backoffFactor: 1.15,
      maxLaunchDelaySeconds: 3600,
      upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 },
      portDefinitions: [{ port: 0, protocol: 'tcp', labels: {} }],
      requirePorts: false,
      env: {},
      labels: {},
    });
    expect('unknownField' in r.app).toBe(false);
  });

  it('fills health check defaults (300/60/20/3) and portIndex 0', () => {
    const r = checkAppDefinition({ id: '/h', cmd: 'x', healthChecks: [{ path: '/' }] });
    expect(r.ok && r.app.healthChecks[0]).toEqual({
      path: '/',
      protocol: 'HTTP',
      portIndex: 0,
      command: undefined,
      gracePeriodSeconds: 300,
      intervalSeconds: 60,
      timeoutSeconds: 20,
      maxConsecutiveFailures: 3,
      ignoreHttp1xx: false,
      port: undefined,
    });
  });

  it('uris become fetch entries, extract by extension', () => {
    const r = checkAppDefinition({ id: '/f', cmd: 'x', uris: ['http://h/a.tgz', 'http://h/b.sh'] });
    expect(r.ok && r.app.fetch.map((f) => f.extract)).toEqual([true, false]);
  });

  it('400 read errors: types, protocol, constraint shape and operator', () => {
    const r = checkAppDefinition({
      id: '/x',
      cmd: 'x',
      cpus: 'muito',
      healthChecks: [{ protocol: 'MESOS_HTTP' }],
      constraints: [['hostname'], ['hostname', 'unique']],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('Invalid JSON');
    expect(r.body.details).toEqual([
      { path: '/cpus', errors: ['error.expected.jsnumber'] },
      {
        path: '/constraints(0)',
        errors: ['Constraint definition must be an array of strings in format: <key>, <operator>[, value]'],
      },
      {
        path: '/constraints(1)',
        errors: [
          'Constraint operator must be one of the following: [UNIQUE, LIKE, CLUSTER, GROUP_BY, UNLIKE, MAX_PER]',
        ],
      },
      { path: '/healthChecks(0)/protocol', errors: ['MESOS_HTTP is not a valid protocol'] },
    ]);
  });

  it('400 for both ports and portDefinitions, duplicated ports, both uris and fetch', () => {
    const both = checkAppDefinition({ id: '/x', cmd: 'x', ports: [1], portDefinitions: [{ port: 2 }] });
    expect(!both.ok && both.body).toEqual({
      message: 'Invalid JSON',
      details: [{ path: '', errors: ['You cannot specify both ports and port definitions'] }],
    });
    const dup = checkAppDefinition({ id: '/x', cmd: 'x', ports: [80, 80] });
    expect(!dup.ok && dup.body).toEqual({
      message: 'Invalid JSON',
      details: [{ path: '/ports', errors: ['Ports must be unique.'] }],
    });
    const fetchBoth = checkAppDefinition({ id: '/x', cmd: 'x', uris: ['a'], fetch: [{ uri: 'b' }] });
    expect(!fetchBoth.ok && fetchBoth.status).toBe(400);
  });

  it('422 rule violations, grouped by path', () => {
    const r = checkAppDefinition({
      id: '/x',
      cmd: 'x',
      args: ['y'],
      mem: -1,
      constraints: [
        ['rack', 'LIKE'],
        ['rack', 'UNLIKE', '[a'],
        ['hostname', 'MAX_PER', 'dois'],
        ['rack', 'GROUP_BY', 'x'],
      ],
      healthChecks: [{ portIndex: 3 }],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.status).toBe(422);
    const byPath = Object.fromEntries(
      (r.body.details as { path: string; errors: string[] }[]).map((d) => [d.path, d.errors]),
    );
    expect(byPath['/']).toEqual([
      "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.",
      'Health check port indices must address an element of the ports array or container port mappings.',
    ]);
    expect(byPath['/mem']).toEqual(['got -1.0, expected 0.0 or more']);
    expect(byPath['/constraints']).toEqual([
      'A regular expression value must be provided',
      "'[a' is not a valid regular expression",
      'Value was specified but is not a number',
    ]);
  });

  it('a PUT body merges over the current app and takes the id from the path', () => {
    const base = readApp({ id: '/a', cmd: 'sleep 1', instances: 3, env: { A: '1' } }, { now: 1 });
    expect(base.ok).toBe(true);
    if (!base.ok) return;
    const r = readApp({ id: '/other', instances: 5 }, { base: base.app, pathId: '/a', now: 2 });
    expect(r.ok && [r.app.id, r.app.cmd, r.app.instances, r.app.env, r.app.version]).toEqual([
      '/a',
      'sleep 1',
      5,
      { A: '1' },
      2,
    ]);
  });

  it('parseJsonBody gives the empty-body and broken-JSON 400 bodies', () => {
    expect(parseJsonBody('  ')).toEqual({
      ok: false,
      body: {
        message: 'Please specify data in JSON format',
        details: 'No content to map due to end-of-input\n at [Source: ; line: 1, column: 0]',
      },
    });
    const broken = parseJsonBody('{"id": x}');
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.body.message).toBe('Invalid JSON');
  });
});
