// Drives every preflight outcome through the fake `docker` (test/fake-docker/docker); no Docker engine needed.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fakeDocker,
  inProcessDocker,
  noDockerEnv,
  type FakeDocker,
  type FakeScenario,
} from '../../../test/fake-docker/fake.ts';
import { PROBLEMS } from '../../../src/cluster/troubleshooting.ts';
import { imageRefs } from '../cluster/docker/images.ts';
import { runDoctor, type DoctorReport, type DoctorInput } from './checks.ts';
import { portFree, realProbes, type Probes } from './probes.ts';
import { exitCode, renderJson, renderTable } from './render.ts';

const GiB = 1024 ** 3;
const ALL_IMAGES = imageRefs({});
let fake: FakeDocker | undefined;
afterEach(() => fake?.cleanup());

interface Machine {
  busyPorts?: number[];
  hostsLine?: boolean;
  freeGiB?: number | null;
  platform?: NodeJS.Platform;
  wsl?: boolean;
  savedHash?: string | null;
  /** Run the fake as a real `docker` process on PATH (slower; proves the process path). */
  realProcess?: boolean;
}

function probesFor(env: NodeJS.ProcessEnv, m: Machine = {}): Probes {
  const real = realProbes({ env });
  return {
    docker: m.realProcess ? real.docker : inProcessDocker(env),
    portFree: async (port) => !(m.busyPorts ?? []).includes(port),
    lookup: async () => (m.hostsLine ? '127.0.0.1' : null),
    freeBytes: () => (m.freeGiB === undefined ? 50 * GiB : m.freeGiB === null ? null : m.freeGiB * GiB),
    platform: () => m.platform ?? 'linux',
    isWsl: () => m.wsl ?? false,
    savedAgentsHash: () => m.savedHash ?? null,
  };
}

async function doctor(
  scenario: FakeScenario,
  m: Machine = {},
  extra: Partial<DoctorInput> = {},
): Promise<DoctorReport> {
  fake = fakeDocker({ images: ALL_IMAGES, ...scenario });
  return runDoctor({ probes: probesFor(fake.env, m), ...extra });
}

function result(r: DoctorReport, check: string) {
  return r.results.filter((x) => x.check === check);
}
function one(r: DoctorReport, check: string) {
  const list = result(r, check);
  expect(list).toHaveLength(1);
  return list[0];
}

describe('without a usable Docker', () => {
  it('no docker executable: says so, points to the simulator, exit 0', async () => {
    const r = await runDoctor({ probes: probesFor(noDockerEnv(), { realProcess: true }) });
    expect(one(r, 'P1').problem?.id).toBe('docker-ausente');
    expect(r.facts.dockerFound).toBe(false);
    expect(r.backend).toBe('sim');
    expect(exitCode(r)).toBe(0);
    expect(one(r, 'P4').outcome).toBe('skipped');
    expect(one(r, 'P7').outcome).toBe('ok'); // ports are still checked: the simulator uses them too
    const table = renderTable(r);
    expect(table).toContain('O Docker não está instalado: o kit vai usar o cluster simulado.');
    expect(table).toContain('cluster simulado');
  });

  it('a docker client whose engine does not answer counts as no Docker', async () => {
    const r = await doctor({ engine: 'down' }, { realProcess: true });
    expect(one(r, 'P1').problem?.id).toBe('docker-sem-resposta');
    expect(r.facts.dockerFound).toBe(true);
    expect(r.backend).toBe('sim');
    expect(exitCode(r)).toBe(0);
    expect(renderTable(r)).toContain('O Docker está instalado, mas não respondeu');
    // Only the version probe and the context-free checks ran: no info, no pull, no image inspection.
    expect(fake!.calls().map((c) => c[0])).toEqual(['version']);
  });

  it('an engine that hangs is given up on after the timeout', async () => {
    const r = await doctor({ engine: 'hang' }, { realProcess: true }, { timeoutMs: 300 });
    expect(one(r, 'P1').summary).toBe('o motor do Docker não respondeu a tempo');
    expect(exitCode(r)).toBe(0);
  });
});

describe('Docker 29 on a cgroup v2 laptop (the common case today)', () => {
  it('runs, with Docker tasks off and the reasons stated', async () => {
    const r = await doctor({ docker: 29, cgroupVersion: '2' }, { hostsLine: true, realProcess: true });
    expect(one(r, 'P1').summary).toBe('Docker 29.0.1 respondendo');
    expect(one(r, 'P2').summary).toBe('Docker Compose 2.40.3');
    expect(one(r, 'P3').problem?.id).toBe('api-minima-alta');
    expect(one(r, 'P3').problem?.message).toContain('1.44');
    expect(one(r, 'P4').problem?.id).toBe('cgroup-v2');
    expect(one(r, 'P14').problem?.message).toContain('cgroup v2 e Docker com API mínima 1.44');
    expect(r.facts.dockerTasksPossible).toBe(false);
    expect(r.blocking).toBe(0);
    expect(r.warnings).toBe(0);
    expect(r.backend).toBe('docker');
    expect(exitCode(r)).toBe(0);
    expect(renderTable(r)).toContain('tudo certo para o cluster real');
  });
});

describe('Docker 28 on cgroup v1', () => {
  it('allows the Docker-tasks appendix', async () => {
    const r = await doctor({ docker: 28, cgroupVersion: '1' });
    expect(one(r, 'P3').outcome).toBe('ok');
    expect(one(r, 'P3').summary).toContain('1.24');
    expect(one(r, 'P4').outcome).toBe('ok');
    expect(one(r, 'P14').outcome).toBe('ok');
    expect(r.facts.dockerTasksPossible).toBe(true);
  });
  it('cgroup v1 with Docker 29 still rules it out (API floor)', async () => {
    const r = await doctor({ docker: 29, cgroupVersion: '1' });
    expect(r.facts.dockerTasksPossible).toBe(false);
    expect(one(r, 'P14').problem?.message).toContain('Docker com API mínima 1.44');
    expect(one(r, 'P14').problem?.message).not.toContain('cgroup');
  });
});

describe('Compose', () => {
  it('no Compose v2 plugin blocks and exits 1', async () => {
    const r = await doctor({ composeVersion: null });
    expect(one(r, 'P2').problem?.id).toBe('compose-ausente');
    expect(one(r, 'P2').outcome).toBe('blocks');
    expect(exitCode(r)).toBe(1);
  });
  it('an old Compose v2 blocks with both versions in the message', async () => {
    const r = await doctor({ composeVersion: '2.5.0' });
    expect(one(r, 'P2').problem?.message).toContain('2.5.0');
    expect(one(r, 'P2').problem?.message).toContain('2.20.0');
  });
  it('2.20 itself passes (numeric comparison, not text)', async () => {
    const r = await doctor({ composeVersion: '2.20.0' });
    expect(one(r, 'P2').outcome).toBe('ok');
  });
});

describe('architecture and emulation', () => {
  it('ARM with emulation working warns, after probing it with the ZooKeeper image', async () => {
    const r = await doctor({ architecture: 'aarch64', memTotal: 8 * GiB });
    expect(one(r, 'P5').problem?.id).toBe('arm-emulado');
    expect(one(r, 'P5').summary).toContain('emulação amd64 funcionando');
    const run = fake!.calls().find((c) => c[0] === 'run');
    expect(run).toEqual([
      'run',
      '--rm',
      '--pull',
      'never',
      '--platform',
      'linux/amd64',
      '--entrypoint',
      'uname',
      'zookeeper:3.4.14',
      '-m',
    ]);
  });
  it('ARM with broken emulation blocks', async () => {
    const r = await doctor({ architecture: 'arm64', emulation: 'broken', memTotal: 8 * GiB });
    expect(one(r, 'P5').problem?.id).toBe('emulacao-quebrada');
    expect(exitCode(r)).toBe(1);
  });
  it('ARM without the images yet does not pull anything to test', async () => {
    const r = await doctor({ architecture: 'aarch64', images: [], memTotal: 8 * GiB });
    expect(one(r, 'P5').problem?.id).toBe('arm-emulado');
    expect(fake!.calls().some((c) => c[0] === 'run' || c[0] === 'pull')).toBe(false);
  });
});

describe('memory', () => {
  it.each([
    [2, 'x86_64', 'memoria-insuficiente'],
    [3.5, 'x86_64', 'memoria-pouca'],
    [3.8, 'x86_64', undefined], // Docker Desktop set to 4 GB reports a little less
    [8, 'x86_64', undefined],
    [5, 'aarch64', 'memoria-pouca'], // 2 GiB more under emulation
    [4, 'aarch64', 'memoria-insuficiente'],
  ])('%s GiB on %s', async (gib, arch, id) => {
    const r = await doctor({ memTotal: gib * GiB, architecture: arch });
    expect(one(r, 'P6').problem?.id).toBe(id);
    if (id) expect(one(r, 'P6').problem?.message).toContain(`${gib} GiB`);
  });
});

describe('ports', () => {
  it('names the busy port, its service and the .env variable that moves it', async () => {
    const r = await doctor({}, { busyPorts: [8080, 31005] });
    const p7 = result(r, 'P7');
    expect(p7.map((x) => x.problem?.id)).toEqual(['porta-ocupada', 'porta-tarefas-ocupada']);
    expect(p7[0].problem?.message).toContain('8080 (Marathon)');
    expect(p7[0].problem?.action).toContain('MARATHON_PORT=18080');
    expect(p7[0].problem?.action).toContain('lsof -i :8080');
    expect(p7[1].problem?.message).toContain('agente Mesos 1');
    expect(exitCode(r)).toBe(1);
  });
  it('checks the port moved through .env instead of the default', async () => {
    const r = await doctor({}, { busyPorts: [8080] }, { env: { MARATHON_PORT: '18080' } });
    expect(one(r, 'P7').outcome).toBe('ok');
    expect(one(r, 'P7').summary).toContain('18080');
  });
  it('skips the ports of this project’s running services', async () => {
    const r = await doctor(
      {},
      { busyPorts: [5050, 31012] },
      { skipPortsOf: ['mesos-master', 'mesos-agent-2'] },
    );
    expect(one(r, 'P7').outcome).toBe('ok');
  });
  it('portFree really detects a listening port', async () => {
    const server = net.createServer();
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
    const port = (server.address() as net.AddressInfo).port;
    expect(await portFree(port)).toBe(false);
    await new Promise<void>((res) => server.close(() => res()));
    expect(await portFree(port)).toBe(true);
  });
});

describe('old containers, images, disk, hosts, context, agents', () => {
  it('finds containers of the old stack and gives the exact rm command', async () => {
    const r = await doctor({ containers: ['master', 'slave', 'mesos-marathon-1', 'postgres'] });
    expect(one(r, 'P8').problem?.action).toContain('docker rm -f master slave');
    expect(one(r, 'P8').problem?.action).not.toContain('postgres');
  });
  it('lists missing images, honouring .env image overrides', async () => {
    const mirror = 'ghcr.io/ufsc/chronos:3.0.1';
    const r = await doctor({ images: ALL_IMAGES.slice(0, 3) }, {}, { env: { CHRONOS_IMAGE: mirror } });
    expect(r.facts.missingImages).toEqual(['datastrophic/marathon:1.3.6', mirror]);
    expect(one(r, 'P9').problem?.message).toContain(mirror);
    expect(one(r, 'P9').outcome).toBe('informs');
    const inspected = fake!
      .calls()
      .filter((c) => c[0] === 'image')
      .map((c) => c[c.length - 1]);
    expect(inspected).toEqual([...ALL_IMAGES.slice(0, 4), mirror]);
  });
  it('warns about little free disk on Linux and does not measure inside Docker Desktop', async () => {
    const low = await doctor({ images: [] }, { freeGiB: 3 });
    expect(one(low, 'P10').problem?.id).toBe('disco-pouco');
    fake?.cleanup();
    const enough = await doctor({}, { freeGiB: 3 }); // nothing to pull: 3 GiB is enough
    expect(one(enough, 'P10').outcome).toBe('ok');
    fake?.cleanup();
    const desktop = await doctor({ operatingSystem: 'Docker Desktop' }, { freeGiB: 1 });
    expect(one(desktop, 'P10').summary).toContain('não medido');
  });
  it('the hosts line is optional: a warning without it, ok with it', async () => {
    expect(one(await doctor({}, { hostsLine: false }), 'P11').outcome).toBe('warns');
    fake?.cleanup();
    expect(one(await doctor({}, { hostsLine: true }), 'P11').outcome).toBe('ok');
  });
  it('says where it runs: WSL2, Docker context', async () => {
    const r = await doctor({ context: 'desktop-linux', operatingSystem: 'Docker Desktop' }, { wsl: true });
    expect(one(r, 'P12').summary).toBe(
      'Linux dentro do WSL2 (Docker: Docker Desktop); contexto Docker: desktop-linux',
    );
  });
  it('notices changed agent configuration', async () => {
    const same = await doctor({}, { savedHash: 'abc' }, { agentsHash: 'abc' });
    expect(one(same, 'P13').outcome).toBe('ok');
    fake?.cleanup();
    const changed = await doctor({}, { savedHash: 'abc' }, { agentsHash: 'def' });
    expect(one(changed, 'P13').problem?.id).toBe('agentes-mudaram');
    expect(changed.facts.agentsChanged).toBe(true);
  });
});

describe('output', () => {
  it('--json carries every check with its level and Portuguese texts', async () => {
    const r = await doctor({}, { busyPorts: [2181] });
    const j = JSON.parse(renderJson(r)) as {
      checks: { check: string; level: string; problem?: { message: string } }[];
    };
    expect(new Set(j.checks.map((c) => c.check)).size).toBe(14);
    const p7 = j.checks.find((c) => c.check === 'P7');
    expect(p7?.level).toBe('blocks');
    expect(p7?.problem?.message).toContain('A porta 2181 (ZooKeeper) já está em uso');
  });
  it('the table lists all fourteen checks and what to do', async () => {
    const r = await doctor({ memTotal: 3.5 * GiB });
    const t = renderTable(r);
    for (let i = 1; i <= 14; i++) expect(t).toMatch(new RegExp(`\\bP${i}\\b`));
    expect(t).toContain('O que fazer:');
    expect(t).toContain('Pouca memória para o Docker');
    expect(t).not.toMatch(/\{[a-zA-Z]+\}/); // no placeholder left unfilled
    expect(t).toContain('`127.0.0.1 mesos-master mesos-agent-1 mesos-agent-2 marathon chronos zookeeper`');
    const long = t.split('\n').filter((l) => l.length > 100 && !l.startsWith('  ✔') && !l.startsWith('  ⚠'));
    expect(long.filter((l) => / \S+ \S+ /.test(l.slice(100)))).toEqual([]); // wrapped, except one long word
  });
  it('every preflight problem the doctor can report exists in the troubleshooting data', async () => {
    const ids = new Set(PROBLEMS.map((p) => p.id));
    const r = await doctor(
      { architecture: 'aarch64', memTotal: 2 * GiB, containers: ['chronos'] },
      { busyPorts: [4400] },
    );
    for (const x of r.results) if (x.problem) expect(ids.has(x.problem.id), x.problem.id).toBe(true);
  });
});
