// Every recognised failure text (as Docker 28 and 29 print it, see the fake engine) maps to its Portuguese
// explanation, and every log pattern of the troubleshooting data is recognised in compose logs.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { PROBLEMS } from '../../../../src/cluster/troubleshooting.ts';
import { fakeDocker } from '../../../../test/fake-docker/fake.ts';
import { explainLogs, explainPullFailure } from './explain.ts';

const engine = createRequire(import.meta.url)('../../../../test/fake-docker/engine.cjs') as {
  run(argv: string[], env: NodeJS.ProcessEnv): { code: number; stdout: string; stderr: string };
};

function pullOutput(docker: 28 | 29, outcome: string, ref: string, serverVersion?: string): string {
  const f = fakeDocker({ docker, pull: { [ref]: outcome }, ...(serverVersion ? { serverVersion } : {}) });
  try {
    const r = engine.run(['pull', '--platform', 'linux/amd64', ref], f.env);
    expect(r.code).toBe(1);
    return `${r.stdout}\n${r.stderr}`;
  } finally {
    f.cleanup();
  }
}

describe('pull failures', () => {
  const cases: [string, string, string][] = [
    ['ratelimit', 'limite-downloads', 'Docker Hub limitou os downloads'],
    ['schema1', 'imagem-formato-antigo', 'formato antigo'],
    ['notfound', 'imagem-inexistente', 'não existe mais'],
    ['platform', 'imagem-sem-plataforma', 'linux/amd64'],
    ['network', 'sem-rede', 'registro de imagens'],
    ['nospace', 'disco-pouco', 'espaço em disco'],
  ];
  for (const docker of [28, 29] as const) {
    it.each(cases)(`Docker ${docker}: %s → %s`, (outcome, id, text) => {
      const ref = 'mesoscloud/zookeeper:3.4.6-ubuntu-14.04';
      const e = explainPullFailure(pullOutput(docker, outcome, ref), ref);
      expect(e?.problem.id).toBe(id);
      expect(e!.message + e!.action).toContain(text);
      expect(e!.message).not.toMatch(/\{[a-z]+\}/);
    });
  }
  it('schema 1 is recognised in both wordings (disabled in 26–28.1, removed in 28.2+)', () => {
    const ref = 'x/y:1';
    const disabled = pullOutput(28, 'schema1', ref, '27.5.1');
    expect(disabled).toContain('is disabled by default');
    expect(explainPullFailure(disabled, ref)?.problem.id).toBe('imagem-formato-antigo');
    expect(pullOutput(28, 'schema1', ref)).toContain('has been removed'); // 28.5.1
    expect(pullOutput(29, 'schema1', ref)).toContain('has been removed');
  });
  it('an unknown failure is not forced into a known one', () => {
    expect(explainPullFailure('Error response from daemon: something new', 'a:b')).toBeNull();
  });
  it('names the image in the message', () => {
    const e = explainPullFailure(
      'toomanyrequests: You have reached your pull rate limit',
      'zookeeper:3.4.14',
    );
    expect(e?.message).toContain('zookeeper:3.4.14');
  });
});

describe('log patterns', () => {
  // One real-looking line per pattern of every `logs` problem, as `docker compose logs` prefixes it.
  const samples: Record<string, [string, string][]> = {
    'log-containerizer-docker-cgroup2': [
      [
        'mesos-agent-1',
        "Failed to create a containerizer: Could not create DockerContainerizer: Failed to create docker: Failed to find a mounted cgroups hierarchy for the 'cpu' subsystem; you probably need to mount cgroups manually",
      ],
    ],
    'log-lancador-linux': [
      [
        'mesos-agent-2',
        "Failed to create a containerizer: Could not create MesosContainerizer: Failed to create launcher: Failed to create Linux launcher: Failed to mount cgroups hierarchy at '/sys/fs/cgroup/freezer': Operation not permitted",
      ],
    ],
    'log-cliente-docker-antigo': [
      [
        'mesos-agent-1',
        'Error response from daemon: client version 1.26 is too old. Minimum supported API version is 1.44, please upgrade your client to a newer version',
      ],
    ],
    'log-estado-antigo-agente': [
      [
        'mesos-agent-1',
        'Failed to perform recovery: Incompatible agent info detected. To remedy this do as follows: rm -f /var/lib/mesos-agent/meta/slaves/latest',
      ],
    ],
    'log-emulacao': [['marathon', 'qemu: uncaught target signal 11 (Segmentation fault) - core dumped']],
    'log-sem-memoria': [
      ['marathon', 'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space'],
    ],
    'log-porta-em-uso': [['chronos', 'java.net.BindException: Address already in use']],
    'log-zookeeper-inacessivel': [
      [
        'mesos-master',
        'ZOO_ERROR@handle_socket_error_msg@1697: Socket [172.18.0.2:2181] zk retcode=-4, errno=111(Connection refused): server refused to accept the client',
      ],
    ],
  };

  it('has a sample for every log problem of the troubleshooting data', () => {
    const ids = PROBLEMS.filter((p) => p.source === 'logs').map((p) => p.id);
    expect(Object.keys(samples).sort()).toEqual([...ids].sort());
  });

  for (const [id, lines] of Object.entries(samples)) {
    it(`recognises ${id}`, () => {
      const text = [
        'zookeeper-1  | Started',
        ...lines.map(([svc, l]) => `${svc}-1  | I1126 00:00:00 ${l}`),
      ].join('\n');
      const found = explainLogs(text);
      expect(found.map((f) => f.problem.id)).toContain(id);
      const f = found.find((x) => x.problem.id === id)!;
      expect(f.service).toBe(lines[0][0]);
      expect(f.message).not.toMatch(/\{[a-z]+\}/);
    });
  }

  it('reads the older container-name prefix too (mesos-mesos-agent-1-1 |)', () => {
    const found = explainLogs('mesos-mesos-agent-1-1  | Failed to create Linux launcher: x');
    expect(found[0]?.service).toBe('mesos-agent-1');
  });

  it('reports each problem once per service, and ignores an agent pattern in another service', () => {
    const text = [
      'mesos-agent-1-1  | Incompatible agent info detected',
      'mesos-agent-1-1  | Incompatible agent info detected',
      'marathon-1  | Incompatible agent info detected',
    ].join('\n');
    expect(explainLogs(text).map((f) => `${f.problem.id}/${f.service}`)).toEqual([
      'log-estado-antigo-agente/mesos-agent-1',
    ]);
  });

  it('finds nothing in a healthy log', () => {
    expect(explainLogs('mesos-master-1  | I1126 Elected as the leading master!\nmarathon-1  | pong')).toEqual(
      [],
    );
  });
});
