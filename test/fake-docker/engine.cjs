// The fake Docker engine behind test/fake-docker/docker: answers like Docker 28 or 29 without any engine.
// Driven by a scenario file (FAKE_DOCKER_SCENARIO, JSON, fields in fake.ts); keeps what changes (images pulled
// or loaded, compose services) in FAKE_DOCKER_STATE; appends every argv to FAKE_DOCKER_LOG.
// `run(argv, env)` answers one command; tests call it in-process (fast) or through the executable (real process).
'use strict';
const fs = require('node:fs');
const { Buffer } = require('node:buffer');

class Exit extends Error {
  constructor(code) {
    super('exit ' + code);
    this.code = code;
  }
}

function run(argv, env) {
  let stdout = '';
  let stderr = '';
  let hang = false;
  const process = {
    exit: (code) => {
      throw new Exit(code);
    },
  };

  function readJson(file, fallback) {
    if (!file) return fallback;
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      return fallback;
    }
  }

  const PRESETS = {
    28: { serverVersion: '28.5.1', apiVersion: '1.51', minApi: '1.24', composeVersion: '2.39.4' },
    29: { serverVersion: '29.0.1', apiVersion: '1.52', minApi: '1.44', composeVersion: '2.40.3' },
  };
  const sc = readJson(env.FAKE_DOCKER_SCENARIO, {});
  const preset = PRESETS[sc.docker || 29] || PRESETS[29];
  const S = {
    engine: 'up',
    cgroupVersion: '2',
    architecture: 'x86_64',
    memTotal: 8 * 1024 ** 3,
    operatingSystem: 'Ubuntu 24.04.3 LTS',
    dockerRootDir: '/var/lib/docker',
    context: 'default',
    containers: [],
    images: [],
    pull: {},
    emulation: 'ok',
    logs: {},
    upResult: 'ok',
    ...preset,
    ...sc,
  };
  const stateFile = env.FAKE_DOCKER_STATE;
  const state = readJson(stateFile, null) || { images: [...S.images], services: {} };
  function saveState() {
    if (stateFile) fs.writeFileSync(stateFile, JSON.stringify(state));
  }
  if (env.FAKE_DOCKER_LOG) fs.appendFileSync(env.FAKE_DOCKER_LOG, JSON.stringify(argv) + '\n');

  const out = (s) => {
    stdout += s.endsWith('\n') ? s : s + '\n';
  };
  const err = (s) => {
    stderr += s.endsWith('\n') ? s : s + '\n';
  };
  const NO_DAEMON =
    'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';

  function engineDown() {
    if (S.engine === 'hang') {
      hang = true;
      return true;
    }
    if (S.engine === 'down') {
      err(NO_DAEMON);
      process.exit(1);
    }
    return false;
  }

  function flag(args, name) {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  }

  const SERVICES = ['zookeeper', 'mesos-master', 'mesos-agent-1', 'mesos-agent-2', 'marathon', 'chronos'];

  function versionCmd(args) {
    const client = {
      Platform: { Name: '' },
      Version: S.serverVersion,
      ApiVersion: S.apiVersion,
      DefaultAPIVersion: S.apiVersion,
      Os: 'linux',
      Arch: 'amd64',
      Context: S.context,
    };
    const server = {
      Platform: { Name: 'Docker Engine - Community' },
      Version: S.serverVersion,
      ApiVersion: S.apiVersion,
      MinAPIVersion: S.minApi,
      Os: 'linux',
      Arch: 'amd64',
    };
    const format = flag(args, '--format') || flag(args, '-f');
    if (S.engine !== 'up') {
      if (S.engine === 'hang') return engineDown();
      if (format === '{{json .}}') out(JSON.stringify({ Client: client, Server: null }));
      else if (format) out('');
      err(NO_DAEMON);
      process.exit(1);
    }
    if (format === '{{json .}}') return out(JSON.stringify({ Client: client, Server: server }));
    if (format === '{{.Server.Version}}') return out(S.serverVersion);
    if (format === '{{.Server.MinAPIVersion}}') return out(S.minApi);
    out(
      `Client:\n Version: ${S.serverVersion}\nServer: Docker Engine - Community\n Version: ${S.serverVersion}`,
    );
  }

  function infoCmd(args) {
    if (engineDown()) return;
    const info = {
      ServerVersion: S.serverVersion,
      CgroupVersion: S.cgroupVersion,
      CgroupDriver: S.cgroupVersion === '2' ? 'systemd' : 'cgroupfs',
      Architecture: S.architecture,
      MemTotal: S.memTotal,
      NCPU: 4,
      OperatingSystem: S.operatingSystem,
      OSType: 'linux',
      DockerRootDir: S.dockerRootDir,
      Name: 'fake-host',
    };
    const format = flag(args, '--format') || flag(args, '-f');
    if (format === '{{json .}}') return out(JSON.stringify(info));
    out(`Server Version: ${info.ServerVersion}`);
  }

  function composeCmd(args) {
    // Strip the global options the kit passes: -p NAME, -f FILE (repeatable), --env-file FILE.
    const rest = [];
    for (let i = 0; i < args.length; i++) {
      if (['-p', '-f', '--env-file', '--project-name', '--file'].includes(args[i])) i++;
      else rest.push(args[i]);
    }
    const sub = rest[0];
    if (S.composeVersion === null) {
      err("docker: unknown command: docker compose\n\nRun 'docker --help' for more information");
      process.exit(1);
    }
    if (sub === 'version') {
      if (rest.includes('--short')) return out(S.composeVersion);
      return out(`Docker Compose version v${S.composeVersion}`);
    }
    if (engineDown()) return;
    const targets = rest.slice(1).filter((a) => !a.startsWith('-') && SERVICES.includes(a));
    const chosen = targets.length ? targets : SERVICES;
    switch (sub) {
      case 'up': {
        if (S.upResult !== 'ok') {
          err(S.upResult);
          process.exit(1);
        }
        for (const s of chosen) {
          const planned = (S.servicesAfterUp || {})[s] || { State: 'running', Health: '', ExitCode: 0 };
          state.services[s] = planned;
          err(` Container mesos-${s}-1  Started`);
        }
        saveState();
        return;
      }
      case 'rm':
        for (const s of chosen) delete state.services[s];
        saveState();
        return;
      case 'down':
        state.services = {};
        saveState();
        return;
      case 'stop':
        for (const s of chosen)
          if (state.services[s]) state.services[s] = { State: 'exited', Health: '', ExitCode: 137 };
        saveState();
        return;
      case 'start':
        for (const s of chosen) state.services[s] = { State: 'running', Health: '', ExitCode: 0 };
        saveState();
        return;
      case 'ps': {
        const rows = Object.entries(S.ps || state.services).map(([svc, st]) => ({
          Name: `mesos-${svc}-1`,
          Service: svc,
          Project: 'mesos',
          State: st.State,
          Health: st.Health || '',
          ExitCode: st.ExitCode || 0,
          Status: st.State === 'running' ? 'Up 1 minute' : `Exited (${st.ExitCode || 0}) 1 minute ago`,
          Publishers: [],
        }));
        if (rest.includes('json') || flag(rest, '--format') === 'json') {
          // Compose >= 2.21 prints one JSON object per line; older versions print one array.
          const ndjson = S.composeVersion.localeCompare('2.21.0', undefined, { numeric: true }) >= 0;
          if (ndjson) rows.forEach((r) => out(JSON.stringify(r)));
          else out(JSON.stringify(rows));
          return;
        }
        rows.forEach((r) => out(`${r.Name}  ${r.State}`));
        return;
      }
      case 'logs': {
        for (const s of chosen) {
          const text = S.logs[s];
          if (!text) continue;
          for (const line of text.split('\n')) out(`${s}-1  | ${line}`);
        }
        return;
      }
      case 'config':
        return out('name: mesos');
      default:
        err(`unknown compose command: ${sub}`);
        process.exit(1);
    }
  }

  function pullLines(ref) {
    const tag = ref.includes(':') ? ref.split(':').pop() : 'latest';
    const layers = ['a5a2b2ad1e8e', '3c7b9d4e0f11', '9f2e1a7c6b55'];
    const lines = [`${tag}: Pulling from ${ref.split(':')[0]}`];
    for (const l of layers) lines.push(`${l}: Pulling fs layer`);
    for (const l of layers) lines.push(`${l}: Download complete`, `${l}: Pull complete`);
    lines.push('Digest: sha256:4f1c0ffee', `Status: Downloaded newer image for ${ref}`, `docker.io/${ref}`);
    return lines;
  }

  const PULL_ERRORS = {
    ratelimit: (ref) =>
      `Error response from daemon: toomanyrequests: You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit (${ref})`,
    schema1: (ref) =>
      S.serverVersion.localeCompare('28.2', undefined, { numeric: true }) >= 0
        ? `Error response from daemon: Docker Image Format v1 and Docker Image manifest version 2, schema 1 support has been removed. Suggest the author of docker.io/${ref} to upgrade the image to the OCI Format or Docker Image manifest v2, schema 2. More information at https://docs.docker.com/go/deprecated-image-specs/`
        : `Error response from daemon: [DEPRECATION NOTICE] Docker Image Format v1 and Docker Image manifest version 2, schema 1 support is disabled by default and will be removed in an upcoming release. Suggest the author of docker.io/${ref} to upgrade the image to the OCI Format or Docker Image manifest v2, schema 2. More information at https://docs.docker.com/go/deprecated-image-specs/`,
    notfound: (ref) =>
      `Error response from daemon: manifest for ${ref} not found: manifest unknown: manifest unknown`,
    platform: () => 'no matching manifest for linux/amd64 in the manifest list entries',
    network: () =>
      'Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host',
    nospace: (ref) =>
      `failed to register layer: write /var/lib/docker/overlay2/x/diff/usr/lib/libjvm.so: no space left on device (${ref})`,
  };

  function pullCmd(args) {
    if (engineDown()) return;
    const ref = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '--platform').pop();
    const outcome = S.pull[ref] || 'ok';
    if (outcome === 'ok') {
      for (const l of pullLines(ref)) out(l);
      if (!state.images.includes(ref)) state.images.push(ref);
      saveState();
      return;
    }
    const lines = pullLines(ref).slice(0, 2);
    lines.forEach(out);
    err(PULL_ERRORS[outcome](ref));
    process.exit(1);
  }

  function imageCmd(args) {
    if (engineDown()) return;
    if (args[0] === 'inspect') {
      const refs = args.slice(1).filter((a, i, all) => !a.startsWith('-') && all[i - 1] !== '--format');
      let missing = false;
      for (const r of refs) {
        if (state.images.includes(r)) out('sha256:' + Buffer.from(r).toString('hex').slice(0, 12));
        else {
          err(`Error response from daemon: No such image: ${r}`);
          missing = true;
        }
      }
      process.exit(missing ? 1 : 0);
    }
    if (args[0] === 'ls') {
      state.images.forEach((r) => out(r));
      return;
    }
    err('unknown image command');
    process.exit(1);
  }

  function saveCmd(args) {
    if (engineDown()) return;
    const file = flag(args, '-o') || flag(args, '--output');
    const refs = args.filter(
      (a, i) => !a.startsWith('-') && args[i - 1] !== '-o' && args[i - 1] !== '--output',
    );
    for (const r of refs) {
      if (!state.images.includes(r)) {
        err(`Error response from daemon: reference does not exist: ${r}`);
        process.exit(1);
      }
    }
    fs.writeFileSync(file, 'FAKE-DOCKER-ARCHIVE\n' + JSON.stringify(refs));
  }

  function loadCmd(args) {
    if (engineDown()) return;
    const file = flag(args, '-i') || flag(args, '--input');
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      err(`open ${file}: no such file or directory`);
      process.exit(1);
    }
    if (!text.startsWith('FAKE-DOCKER-ARCHIVE\n')) {
      err('Error response from daemon: unexpected EOF');
      process.exit(1);
    }
    const refs = JSON.parse(text.slice('FAKE-DOCKER-ARCHIVE\n'.length));
    for (const r of refs) {
      if (!state.images.includes(r)) state.images.push(r);
      out(`Loaded image: ${r}`);
    }
    saveState();
  }

  function runCmd(args) {
    if (engineDown()) return;
    // Only the emulation probe: docker run --rm --platform linux/amd64 --entrypoint uname IMAGE -m
    if (S.emulation === 'broken') {
      err('exec /usr/bin/uname: exec format error');
      process.exit(1);
    }
    out(args.includes('uname') || args.includes('-m') ? 'x86_64' : '');
  }

  function psCmd() {
    if (engineDown()) return;
    S.containers.forEach((n) => out(n));
  }

  function contextCmd(args) {
    if (args[0] === 'show') return out(S.context);
    err('unknown context command');
    process.exit(1);
  }

  const [cmd, ...args] = argv;
  try {
    switch (cmd) {
      case 'version':
        versionCmd(args);
        break;
      case 'info':
        infoCmd(args);
        break;
      case 'compose':
        composeCmd(args);
        break;
      case 'pull':
        pullCmd(args);
        break;
      case 'image':
        imageCmd(args);
        break;
      case 'save':
        saveCmd(args);
        break;
      case 'load':
        loadCmd(args);
        break;
      case 'run':
        runCmd(args);
        break;
      case 'ps':
        psCmd(args);
        break;
      case 'context':
        contextCmd(args);
        break;
      default:
        err(`docker: unknown command: docker ${cmd}`);
        process.exit(1);
    }
  } catch (e) {
    if (e instanceof Exit) return { code: e.code, stdout, stderr, hang };
    throw e;
  }
  return { code: 0, stdout, stderr, hang };
}

module.exports = { run };
