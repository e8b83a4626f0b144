// dockerEngineAnswers: the probe the automatic backend choice uses, against the fake docker as a real process.
import { afterEach, describe, expect, it } from 'vitest';
import { fakeDocker, noDockerEnv, type FakeDocker } from '../../../../test/fake-docker/fake.ts';
import { dockerEngineAnswers } from './detect.ts';

let fake: FakeDocker | undefined;
afterEach(() => fake?.cleanup());

describe('dockerEngineAnswers', () => {
  it.each([
    [28, '28.5.1'],
    [29, '29.0.1'],
  ] as const)('Docker %s answers', async (docker, version) => {
    fake = fakeDocker({ docker });
    const r = await dockerEngineAnswers({ env: fake.env });
    expect(r).toEqual({ ok: true, reason: `o Docker ${version} está respondendo`, serverVersion: version });
    expect(fake.calls()).toEqual([['version', '--format', '{{.Server.Version}}']]);
  });

  it('a client whose engine does not answer counts as no Docker', async () => {
    fake = fakeDocker({ engine: 'down' });
    const r = await dockerEngineAnswers({ env: fake.env });
    expect(r.ok).toBe(false);
    expect(r.reason).toBe('o Docker está instalado, mas o motor (daemon) não está respondendo');
  });

  it('an engine that hangs is given up on after the short timeout', async () => {
    fake = fakeDocker({ engine: 'hang' });
    const r = await dockerEngineAnswers({ env: fake.env, timeoutMs: 300 });
    expect(r.ok).toBe(false);
    expect(r.reason).toContain('não respondeu a tempo');
  });

  it('no docker executable at all', async () => {
    const r = await dockerEngineAnswers({ env: noDockerEnv() });
    expect(r).toEqual({ ok: false, reason: 'o comando docker não está instalado neste computador' });
  });
});
