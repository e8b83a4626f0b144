// Every known problem of the real cluster, in one place. `npm run doctor`, the docker backend's messages,
// the site's troubleshooting page and the instructor's "verify on a real Docker host" list are all generated
// from this file, so they cannot drift apart. Isomorphic: no node: imports (the site renders it too).
//
// Facts and causes come from the research note on running the 2016–2017 images today (cgroup v2, Docker
// Engine 29's API floor, schema-1 images, amd64-only images, Docker Hub's pull limit).

/** blocks: the real cluster cannot run until it is fixed; warns: it runs, with a caveat; informs: good to know. */
export type ProblemLevel = 'blocks' | 'warns' | 'informs';

export const LEVEL_LABEL: Record<ProblemLevel, string> = {
  blocks: 'impede',
  warns: 'atenção',
  informs: 'informação',
};

/** Where the kit detects the problem. */
export type ProblemSource = 'preflight' | 'pull' | 'logs' | 'readiness' | 'smoke';

export interface Problem {
  /** Stable id, used in `doctor --json`, in links to the site and in tests. */
  id: string;
  /** The preflight check that finds it (P1…P14 of the research note), when there is one. */
  check?: string;
  source: ProblemSource;
  level: ProblemLevel;
  /** Short Portuguese title for tables and the site. */
  title: string;
  /** What happened and why, in Portuguese. May contain {placeholders} filled by `fillText`. */
  message: string;
  /** What to do now, in Portuguese. May contain {placeholders}. */
  action: string;
  /** Text that identifies it in `docker pull` output or `docker compose logs` (case-insensitive). */
  patterns?: RegExp[];
  /** Services whose logs are scanned for the patterns (all when absent). */
  services?: string[];
  /** Its cause or fix still has to be confirmed on a real Docker host before the course. */
  verifyOnRealHost?: boolean;
}

const SIMULATOR_HINT =
  'Enquanto isso, você pode fazer os laboratórios no cluster simulado: `npm run cluster -- up` escolhe o simulador sozinho quando o Docker não responde (ou force com `LAB_BACKEND=sim`).';

export const PROBLEMS: readonly Problem[] = [
  // ── Preflight (before `docker compose up`) ─────────────────────────────────────────────────────────
  {
    id: 'docker-ausente',
    check: 'P1',
    source: 'preflight',
    level: 'blocks',
    title: 'Docker não instalado',
    message: 'O comando `docker` não foi encontrado neste computador, então o cluster real não pode rodar.',
    action: `Instale o Docker Desktop (macOS e Windows) ou o Docker Engine (Linux) para usar o cluster real. ${SIMULATOR_HINT}`,
  },
  {
    id: 'docker-sem-resposta',
    check: 'P1',
    source: 'preflight',
    level: 'blocks',
    title: 'O Docker não está respondendo',
    message:
      'O programa `docker` existe, mas o motor do Docker (o daemon) não respondeu; sem ele o cluster real não sobe.',
    action: `Abra o Docker Desktop (ou rode \`sudo systemctl start docker\` no Linux), espere ele terminar de iniciar e tente de novo. ${SIMULATOR_HINT}`,
  },
  {
    id: 'compose-ausente',
    check: 'P2',
    source: 'preflight',
    level: 'blocks',
    title: 'Docker Compose v2 ausente',
    message:
      'Este laboratório precisa do Docker Compose v2 (`docker compose`, sem hífen). O `docker-compose` antigo (v1) não funciona com o Docker atual.',
    action:
      'Atualize o Docker Desktop ou instale o pacote `docker-compose-plugin` e rode `npm run doctor` de novo.',
  },
  {
    id: 'compose-antigo',
    check: 'P2',
    source: 'preflight',
    level: 'blocks',
    title: 'Docker Compose antigo demais',
    message:
      'Seu Docker Compose é a versão {version}; este laboratório precisa da {minimum} ou mais nova (as antigas falam com o Docker 29 numa versão de API que ele recusa).',
    action: 'Atualize o Docker Desktop ou o pacote `docker-compose-plugin` e rode `npm run doctor` de novo.',
    verifyOnRealHost: true,
  },
  {
    id: 'api-minima-alta',
    check: 'P3',
    source: 'preflight',
    level: 'informs',
    title: 'Docker 29 ou mais novo: tarefas Docker desativadas',
    message:
      'Seu Docker (API mínima {minApi}) não aceita clientes antigos. O cluster funciona normalmente, mas tarefas Docker dentro do Mesos ficam desativadas (o cliente Docker embutido na imagem do agente é de 2017).',
    action:
      'Nada a fazer para os laboratórios: eles usam tarefas de linha de comando (`cmd`). Só o apêndice opcional de tarefas Docker fica indisponível.',
  },
  {
    id: 'cgroup-v2',
    check: 'P4',
    source: 'preflight',
    level: 'informs',
    title: 'cgroup v2',
    message:
      'Seu sistema usa cgroup v2. O Mesos 1.1 só isola recursos com cgroup v1; por isso os agentes rodam com o lançador POSIX (sem isolamento real de CPU e memória) e apenas tarefas de linha de comando.',
    action: 'Nada a fazer: isso é esperado e o `compose.yaml` do kit já está configurado assim.',
  },
  {
    id: 'arm-emulado',
    check: 'P5',
    source: 'preflight',
    level: 'warns',
    title: 'Computador ARM: imagens emuladas',
    message:
      'Seu computador é ARM (por exemplo, um Mac com Apple Silicon). As imagens do Mesos só existem para amd64 e vão rodar emuladas, então espere lentidão (1 a 3 minutos para o Marathon subir).',
    action:
      "No Docker Desktop, ative Settings → General → 'Use Rosetta for x86_64/amd64 emulation' e reserve pelo menos 6 GiB de memória para o Docker.",
    verifyOnRealHost: true,
  },
  {
    id: 'emulacao-quebrada',
    check: 'P5',
    source: 'preflight',
    level: 'blocks',
    title: 'Emulação amd64 não funciona',
    message:
      'A emulação amd64 não está funcionando (`exec format error`), então as imagens do Mesos não conseguem rodar neste computador.',
    action:
      'Ative o Rosetta no Docker Desktop (Settings → General) ou instale o suporte binfmt/QEMU no Linux e tente de novo.',
    patterns: [/exec format error/i, /qemu: uncaught target signal/i],
  },
  {
    id: 'memoria-pouca',
    check: 'P6',
    source: 'preflight',
    level: 'warns',
    title: 'Pouca memória para o Docker',
    message:
      'O Docker tem só {mem} GiB de memória. Este cluster precisa de pelo menos {recommended} GiB; com menos, o Marathon e o Chronos podem ser encerrados por falta de memória.',
    action:
      'Aumente a memória em Docker Desktop → Settings → Resources (no Windows com WSL2, no arquivo `.wslconfig`) e reinicie o Docker.',
  },
  {
    id: 'memoria-insuficiente',
    check: 'P6',
    source: 'preflight',
    level: 'blocks',
    title: 'Memória insuficiente para o Docker',
    message:
      'O Docker tem só {mem} GiB de memória, menos que os {minimum} GiB sem os quais o cluster não consegue subir.',
    action:
      'Aumente a memória em Docker Desktop → Settings → Resources (no Windows com WSL2, no arquivo `.wslconfig`), reinicie o Docker e rode `npm run doctor` de novo.',
  },
  {
    id: 'porta-ocupada',
    check: 'P7',
    source: 'preflight',
    level: 'blocks',
    title: 'Porta já em uso',
    message:
      'A porta {port} ({label}) já está em uso por outro programa, então o serviço não pode subir nela.',
    action:
      'Feche o programa que usa a porta ou escolha outra no arquivo `.env` (por exemplo `{envVar}={suggestion}`). Para descobrir quem usa: `lsof -i :{port}` (macOS e Linux) ou `netstat -ano | findstr :{port}` (Windows).',
  },
  {
    id: 'porta-tarefas-ocupada',
    check: 'P7',
    source: 'preflight',
    level: 'blocks',
    title: 'Porta de tarefas já em uso',
    message:
      'A porta {port}, que o {label} oferece às tarefas, já está em uso por outro programa; o Docker não consegue publicá-la.',
    action:
      'Feche o programa que usa a porta (`lsof -i :{port}` no macOS e Linux, `netstat -ano | findstr :{port}` no Windows). As portas de tarefas (31000 a 31019) são fixas.',
  },
  {
    id: 'conteineres-antigos',
    check: 'P8',
    source: 'preflight',
    level: 'warns',
    title: 'Contêineres da versão antiga do laboratório',
    message:
      'Encontramos contêineres de uma versão antiga deste laboratório ({names}). Eles podem ocupar as mesmas portas.',
    action:
      'Remova com `docker rm -f {names}` (confira antes se não são de outro projeto seu) e rode `npm run doctor` de novo.',
  },
  {
    id: 'imagem-ausente',
    check: 'P9',
    source: 'preflight',
    level: 'informs',
    title: 'Imagens ainda não baixadas',
    message: 'Faltam {count} imagem(ns) no seu Docker: {images}.',
    action:
      '`npm run cluster -- up` baixa uma de cada vez. Sem internet (ou numa sala com muitos alunos), carregue o pacote offline: `npm run cluster -- images load mesos-lab-images.tar`.',
  },
  {
    id: 'limite-downloads',
    check: 'P9',
    source: 'pull',
    level: 'blocks',
    title: 'Limite de downloads do Docker Hub',
    message:
      'O Docker Hub limitou os downloads desta rede (10 por hora sem login), então a imagem {image} não foi baixada.',
    action:
      'Faça `docker login` com uma conta gratuita, ou carregue o pacote offline da disciplina: `npm run cluster -- images load mesos-lab-images.tar`.',
    patterns: [/toomanyrequests/i, /pull rate limit/i, /rate limit exceeded/i],
  },
  {
    id: 'imagem-formato-antigo',
    check: 'P9',
    source: 'pull',
    level: 'blocks',
    title: 'Imagem em formato antigo',
    message:
      'A imagem {image} está num formato antigo (manifesto schema 1) que o Docker atual não baixa mais.',
    action:
      'Use a cópia espelhada da disciplina (defina a variável da imagem no `.env`, veja `labs/cluster/.env.example`) ou o pacote offline: `npm run cluster -- images load mesos-lab-images.tar`.',
    patterns: [/schema 1/i, /deprecated-image-specs/i, /manifest\.v1\+prettyjws/i, /Docker Image Format v1/i],
    verifyOnRealHost: true,
  },
  {
    id: 'imagem-inexistente',
    check: 'P9',
    source: 'pull',
    level: 'blocks',
    title: 'Imagem não existe mais',
    message: 'A imagem {image} não existe mais no registro (a tag foi apagada ou o nome está errado).',
    action:
      'Use o espelho da disciplina (variável da imagem no `.env`) ou o pacote offline: `npm run cluster -- images load mesos-lab-images.tar`.',
    patterns: [
      /manifest unknown/i,
      /manifest for .* not found/i,
      /not found: manifest/i,
      /repository does not exist/i,
      /pull access denied/i,
    ],
  },
  {
    id: 'imagem-sem-plataforma',
    check: 'P9',
    source: 'pull',
    level: 'blocks',
    title: 'Imagem sem a plataforma pedida',
    message: 'A imagem {image} não existe para a plataforma pedida ({platform}).',
    action:
      'O kit pede linux/amd64 em todos os serviços; confira se o `compose.yaml` não foi alterado e se a emulação amd64 está ativa (Rosetta no Docker Desktop).',
    patterns: [/no matching manifest for/i, /does not provide the specified platform/i],
  },
  {
    id: 'sem-rede',
    check: 'P9',
    source: 'pull',
    level: 'blocks',
    title: 'Sem acesso ao registro de imagens',
    message: 'O Docker não conseguiu falar com o registro de imagens para baixar {image}.',
    action:
      'Confira a conexão com a internet (e o proxy da rede, se houver) ou carregue o pacote offline: `npm run cluster -- images load mesos-lab-images.tar`.',
    patterns: [
      /dial tcp/i,
      /no such host/i,
      /i\/o timeout/i,
      /TLS handshake timeout/i,
      /connection refused/i,
      /network is unreachable/i,
    ],
  },
  {
    id: 'disco-pouco',
    check: 'P10',
    source: 'preflight',
    level: 'warns',
    title: 'Pouco espaço em disco',
    message:
      'Pouco espaço em disco para o Docker ({free} GiB livres); as imagens do cluster somam alguns GB.',
    action: 'Libere espaço com `docker system prune` (cuidado: apaga imagens e contêineres não usados).',
    patterns: [/no space left on device/i],
    verifyOnRealHost: true,
  },
  {
    id: 'hosts-ausente',
    check: 'P11',
    source: 'preflight',
    level: 'warns',
    title: 'Opcional: nomes do cluster no arquivo hosts',
    message:
      'Os nomes do cluster (`mesos-agent-1`, …) não apontam para 127.0.0.1 neste computador, então os links da interface do Mesos para os agentes e os logs das tarefas não abrem.',
    action:
      'Opcional: adicione ao arquivo hosts a linha `127.0.0.1 mesos-master mesos-agent-1 mesos-agent-2 marathon chronos zookeeper` (Windows: `C:\\Windows\\System32\\drivers\\etc\\hosts`, precisa de administrador). Sem isso, use http://localhost:5050, :8080 e :4400.',
  },
  {
    id: 'ambiente',
    check: 'P12',
    source: 'preflight',
    level: 'informs',
    title: 'Onde o kit está rodando',
    message: 'Rodando em: {where}; contexto Docker: {context}.',
    action: 'Nada a fazer; mostre esta linha a quem for ajudar você.',
  },
  {
    id: 'agentes-mudaram',
    check: 'P13',
    source: 'preflight',
    level: 'informs',
    title: 'Configuração dos agentes mudou',
    message:
      'Você mudou os recursos ou os atributos dos agentes desde a última subida; vamos recriá-los do zero para evitar o erro "Incompatible agent info".',
    action: 'Nada a fazer: `npm run cluster -- up` recria os agentes sozinho.',
  },
  {
    id: 'tarefas-docker-indisponiveis',
    check: 'P14',
    source: 'preflight',
    level: 'informs',
    title: 'Apêndice de tarefas Docker indisponível',
    message: 'O exercício opcional com tarefas Docker não é possível neste computador ({why}).',
    action:
      'Faça-o no laboratório da UFSC ou na VM da disciplina, ou leia a seção de limitações. Os laboratórios normais não são afetados.',
  },

  // ── Known failures read from `docker compose logs` ──────────────────────────────────────────────────
  {
    id: 'log-containerizer-docker-cgroup2',
    source: 'logs',
    level: 'blocks',
    title: 'Agente tentou usar o containerizer Docker',
    message:
      'O agente tentou usar o containerizer Docker, que não funciona com cgroup v2, e encerrou ao iniciar.',
    action:
      'Use o `compose.yaml` padrão do kit (`MESOS_CONTAINERIZERS=mesos`) e só use `compose.docker-tasks.yaml` se `npm run doctor` disser que é possível.',
    patterns: [
      /Failed to find a mounted cgroups hierarchy for the 'cpu' subsystem/i,
      /Could not create DockerContainerizer/i,
    ],
    services: ['mesos-agent-1', 'mesos-agent-2'],
  },
  {
    id: 'log-lancador-linux',
    source: 'logs',
    level: 'blocks',
    title: 'Agente precisa do lançador POSIX',
    message: 'O agente tentou usar o lançador Linux, que precisa de cgroup v1, e encerrou ao iniciar.',
    action:
      'O agente precisa de `MESOS_LAUNCHER=posix` neste computador (cgroup v2): use o `compose.yaml` padrão do kit, que já define isso.',
    patterns: [
      /Failed to create Linux launcher/i,
      /Failed to mount cgroups hierarchy at '\/sys\/fs\/cgroup\/freezer'/i,
      /Failed to determine the hierarchy where the subsystem freezer is attached/i,
    ],
    services: ['mesos-agent-1', 'mesos-agent-2'],
  },
  {
    id: 'log-cliente-docker-antigo',
    source: 'logs',
    level: 'blocks',
    title: 'Cliente Docker antigo recusado',
    message:
      'O Docker recusou um cliente antigo ("client version … is too old"): o Docker 29 não aceita o cliente Docker de 2017 que vem na imagem do agente.',
    action:
      'Use o `compose.yaml` padrão do kit, sem tarefas Docker; os laboratórios usam tarefas de linha de comando (`cmd`).',
    patterns: [/client version 1\.\d+ is too old/i, /Minimum supported API version is/i],
  },
  {
    id: 'log-estado-antigo-agente',
    source: 'logs',
    level: 'blocks',
    title: 'Estado antigo do agente',
    message:
      'O agente encontrou o estado de uma execução anterior com outra configuração ("Incompatible agent info") e se recusou a subir.',
    action: 'Rode `npm run cluster -- reset` (ou `docker compose -p mesos down -v`) e suba de novo.',
    patterns: [/Incompatible agent info detected/i, /Incompatible slave info detected/i],
    services: ['mesos-agent-1', 'mesos-agent-2'],
  },
  {
    id: 'log-emulacao',
    source: 'logs',
    level: 'blocks',
    title: 'Falha na emulação amd64',
    message:
      'Um serviço caiu dentro da emulação amd64 (`exec format error` ou `qemu: uncaught target signal`).',
    action:
      'Ative o Rosetta no Docker Desktop (Settings → General) ou instale o suporte binfmt/QEMU no Linux, e suba de novo com `npm run cluster -- up`.',
    patterns: [/qemu: uncaught target signal/i, /exec format error/i],
    verifyOnRealHost: true,
  },
  {
    id: 'log-sem-memoria',
    source: 'logs',
    level: 'blocks',
    title: 'Serviço sem memória',
    message: 'O {service} ficou sem memória e foi encerrado (OutOfMemoryError ou código de saída 137).',
    action:
      'Dê mais memória ao Docker (Docker Desktop → Settings → Resources; no WSL2, `.wslconfig`), pelo menos 4 GiB, e suba de novo.',
    patterns: [/java\.lang\.OutOfMemoryError/i, /exited with code 137/i, /\bOOMKilled\b/],
  },
  {
    id: 'log-porta-em-uso',
    source: 'logs',
    level: 'blocks',
    title: 'Porta em uso',
    message:
      'Um serviço não conseguiu abrir sua porta porque ela já estava em uso ("Address already in use").',
    action:
      'Rode `npm run doctor` para ver qual porta está ocupada e mude-a no arquivo `.env` (por exemplo `MARATHON_PORT=18080`).',
    patterns: [/Address already in use/i, /port is already allocated/i, /bind: address already in use/i],
  },
  {
    id: 'log-zookeeper-inacessivel',
    source: 'logs',
    level: 'blocks',
    title: 'ZooKeeper inacessível',
    message: 'Os serviços não conseguiram falar com o ZooKeeper, então nenhum master foi eleito.',
    action:
      'Veja `npm run cluster -- logs zookeeper`; se ele não subiu, rode `npm run cluster -- reset` e suba de novo.',
    patterns: [/ZOO_ERROR.*connection refused/i, /Unable to connect to zookeeper/i],
  },

  // ── Readiness and smoke test ────────────────────────────────────────────────────────────────────────
  {
    id: 'cluster-nao-ficou-pronto',
    source: 'readiness',
    level: 'blocks',
    title: 'O cluster não ficou pronto a tempo',
    message: 'O cluster subiu, mas {missing} não se registrou(aram) no master dentro do tempo de espera.',
    action:
      'Veja `npm run cluster -- logs mesos-agent-1` e `npm run cluster -- logs marathon`. Em computadores ARM (emulação) a primeira subida pode levar até 6 minutos: tente `npm run cluster -- up` de novo.',
  },
  {
    id: 'servico-encerrou',
    source: 'readiness',
    level: 'blocks',
    title: 'Um serviço encerrou ao subir',
    message: 'O serviço {service} encerrou logo depois de iniciar.',
    action: 'Veja `npm run cluster -- logs {service}`; as explicações conhecidas aparecem acima, se houver.',
  },
  {
    id: 'smoke-marathon',
    source: 'smoke',
    level: 'blocks',
    title: 'Teste rápido do Marathon falhou',
    message: 'A aplicação de teste do Marathon não chegou a {expected} instâncias rodando ({detail}).',
    action:
      'Confira em http://localhost:5050 se os dois agentes estão ativos e veja `npm run cluster -- logs marathon`.',
  },
  {
    id: 'smoke-chronos',
    source: 'smoke',
    level: 'blocks',
    title: 'Teste rápido do Chronos falhou',
    message: 'O job de teste do Chronos não terminou com sucesso ({detail}).',
    action:
      'Confira em http://localhost:5050 se o framework chronos está registrado e veja `npm run cluster -- logs chronos`.',
  },
];

export function problem(id: string): Problem {
  const p = PROBLEMS.find((x) => x.id === id);
  if (!p) throw new Error(`unknown problem id: ${id}`);
  return p;
}

/** Replaces {name} placeholders; unknown ones are left as they are, so a missing value is visible in tests. */
export function fillText(text: string, vars: Record<string, string | number> = {}): string {
  return text.replace(/\{([a-zA-Z]+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** The problems whose patterns match a text (pull output or logs), most specific first, without duplicates. */
export function matchProblems(text: string, source?: ProblemSource): Problem[] {
  return PROBLEMS.filter(
    (p) => (source === undefined || p.source === source) && p.patterns?.some((re) => re.test(text)),
  );
}

// ── The instructor's list: what must be confirmed on a real Docker host before the course ──────────────

export interface RealHostCheck {
  id: string;
  /** What is not known yet, in Portuguese. */
  what: string;
  /** The command(s) that answer it on a real host. */
  how: string;
  /** How `npm run doctor` or `npm run cluster -- smoke` confirms it (or shows it failing). */
  confirmedBy: string;
  /** Problems whose messages depend on the answer. */
  problems: string[];
}

export const REAL_HOST_CHECKS: readonly RealHostCheck[] = [
  {
    id: 'formato-das-imagens',
    what: 'O formato (schema) de cada imagem fixada no `compose.yaml`: todas precisam ser schema 2 para o Docker ≥ 28.2 baixá-las.',
    how: 'Para cada imagem: `docker buildx imagetools inspect --raw <imagem>`; `mediaType` `application/vnd.docker.distribution.manifest.v1+prettyjws` significa schema 1.',
    confirmedBy:
      '`npm run doctor` lista as imagens ausentes e `npm run cluster -- up` baixa uma de cada vez: uma imagem schema 1 aparece como "Imagem em formato antigo" (imagem-formato-antigo).',
    problems: ['imagem-formato-antigo'],
  },
  {
    id: 'posix-mac-apple-silicon',
    what: 'O Mesos 1.1 com `MESOS_LAUNCHER=posix` e sem `privileged` sobe e roda tarefas `cmd` no Docker Desktop para Mac com Apple Silicon e Rosetta.',
    how: 'Num Mac M1/M2/M3 com Rosetta ativo: `npm run doctor`, `npm run cluster -- up`, `npm run cluster -- smoke`.',
    confirmedBy:
      '`npm run doctor` mostra "Computador ARM" e cgroup v2; `npm run cluster -- smoke` passa (app do Marathon com 2 instâncias e job do Chronos).',
    problems: ['arm-emulado', 'log-emulacao', 'log-lancador-linux'],
  },
  {
    id: 'posix-windows-wsl2',
    what: 'O mesmo no Docker Desktop para Windows (WSL2), e qual versão de cgroup ele usa nas máquinas do laboratório.',
    how: 'No Windows, dentro do WSL2: `npm run doctor`, `npm run cluster -- up`, `npm run cluster -- smoke`.',
    confirmedBy:
      '`npm run doctor` mostra "Linux dentro do WSL2" e a versão de cgroup; `npm run cluster -- smoke` passa.',
    problems: ['cgroup-v2', 'ambiente'],
  },
  {
    id: 'posix-ubuntu-engine-29',
    what: 'O mesmo no Ubuntu 24.04 com Docker Engine 29 (cgroup v2, API mínima 1.44).',
    how: '`npm run doctor`, `npm run cluster -- up`, `npm run cluster -- smoke`.',
    confirmedBy:
      '`npm run doctor` mostra cgroup v2 e "Docker 29 ou mais novo"; `npm run cluster -- smoke` passa.',
    problems: ['cgroup-v2', 'api-minima-alta'],
  },
  {
    id: 'privileged-desnecessario',
    what: 'Que os agentes não precisam de `privileged: true` no modo POSIX.',
    how: 'Subir o `compose.yaml` padrão e rodar o teste rápido.',
    confirmedBy: '`npm run cluster -- smoke` passa com o `compose.yaml` padrão (que não usa `privileged`).',
    problems: ['log-lancador-linux'],
  },
  {
    id: 'marathon-java-opts',
    what: 'Que o script de início do Marathon 1.3.6 respeita `JAVA_OPTS` (limite de heap `-Xmx512m`).',
    how: '`docker compose -p mesos exec marathon sh -c "ps -o args= -C java"` deve mostrar `-Xmx512m`.',
    confirmedBy:
      'Não há confirmação automática: o `doctor` e o `smoke` passam mesmo sem o limite. Use o comando ao lado e `docker stats` (Marathon abaixo de ~700 MB).',
    problems: ['log-sem-memoria', 'memoria-pouca'],
  },
  {
    id: 'endpoints-de-saude',
    what: 'Os endpoints usados nas verificações de saúde do compose (`/master/health` no master 1.1, `/ping` no Marathon 1.3 e no Chronos 3.0.1) e a presença do `curl` nessas imagens.',
    how: '`docker compose -p mesos ps` deve mostrar `healthy` no master, no Marathon e no Chronos.',
    confirmedBy:
      '`npm run cluster -- up` mostra cada serviço ficando saudável; se o master nunca fica saudável, os agentes nem sobem e a espera termina com "O cluster não ficou pronto a tempo".',
    problems: ['cluster-nao-ficou-pronto'],
  },
  {
    id: 'docker-no-agente',
    what: 'A versão exata do docker-engine dentro de `datastrophic/mesos-slave:1.1.0` (esperado 1.13.x, API 1.26).',
    how: '`docker run --rm --entrypoint docker datastrophic/mesos-slave:1.1.0 --version`.',
    confirmedBy:
      'Só afeta o apêndice de tarefas Docker: `npm run doctor` o declara indisponível quando a API mínima do motor é maior que 1.26.',
    problems: ['tarefas-docker-indisponiveis', 'log-cliente-docker-antigo'],
  },
  {
    id: 'zookeeper-arm64',
    what: 'Se `zookeeper:3.4.14` tem variante arm64 (então poderia rodar sem emulação), e se um ZooKeeper 3.8/3.9 funciona com o cliente do Mesos 1.1.',
    how: '`docker buildx imagetools inspect zookeeper:3.4.14` (lista as plataformas).',
    confirmedBy:
      'O kit fixa linux/amd64 em todos os serviços, que funciona nos dois casos; `npm run cluster -- smoke` confirma uma eventual troca de versão.',
    problems: ['imagem-sem-plataforma'],
  },
  {
    id: 'min-api-version-daemon-json',
    what: 'O nome da chave `min-api-version` no `daemon.json` (Docker Desktop → Docker Engine), só para o apêndice de tarefas Docker.',
    how: 'Adicionar `"min-api-version": "1.24"` ao `daemon.json`, reiniciar o Docker e rodar `docker version --format "{{.Server.MinAPIVersion}}"`.',
    confirmedBy:
      '`npm run doctor` passa a mostrar a API mínima 1.24 e, com cgroup v1, libera o apêndice de tarefas Docker.',
    problems: ['api-minima-alta', 'tarefas-docker-indisponiveis'],
  },
  {
    id: 'compose-versao-minima',
    what: 'A versão mínima do Docker Compose v2 que fala com o Docker 29 (o kit exige 2.20).',
    how: 'Num Docker 29, `docker compose version --short` e um `npm run cluster -- up`.',
    confirmedBy:
      '`npm run doctor` compara a versão do Compose com o mínimo e mostra "Docker Compose antigo demais".',
    problems: ['compose-antigo'],
  },
  {
    id: 'digests-e-espelho',
    what: 'Os digests das cinco imagens depois de confirmadas, e o espelho da disciplina (registro próprio e pacote offline), para não depender do Docker Hub durante a aula.',
    how: 'Em cada imagem: `docker buildx imagetools inspect <imagem>` (anote o digest); copie para o registro da disciplina; no `.env` da turma use, por exemplo, `MESOS_MASTER_IMAGE=<registro>/mesos-master:1.1.0@sha256:<digest>`; gere o pacote com `npm run cluster -- images save mesos-lab-images.tar`.',
    confirmedBy:
      '`npm run doctor` mostra as cinco imagens presentes depois de `npm run cluster -- images load mesos-lab-images.tar`, e `npm run cluster -- up` não baixa nada.',
    problems: ['limite-downloads', 'imagem-inexistente', 'imagem-formato-antigo'],
  },
  {
    id: 'comandos-dos-laboratorios',
    what: 'Os comandos das aplicações dos laboratórios (um servidor HTTP com `python3`, `python` ou `node`, o que houver) rodam dentro da imagem do agente, e as portas de tarefas 31000–31019 publicadas chegam ao serviço a partir do computador do estudante.',
    how: 'Com o cluster Docker no ar: `npm run lab:02 -- --demo`, `npm run lab:05 -- --demo` e depois `npm run check`; em seguida `curl http://127.0.0.1:<porta da tarefa>/`.',
    confirmedBy:
      '`npm run cluster -- smoke` prova que as tarefas sobem; o `npm run check` dos laboratórios 02 e 05 (verificações `02.health-http` e `05.servico`) prova que o comando serve HTTP e que a porta chega ao computador.',
    problems: ['porta-tarefas-ocupada'],
  },
  {
    id: 'memoria-e-disco',
    what: 'A memória que o cluster usa de fato (estimativa: 2 a 3 GB) e o espaço das imagens (estimativa: 3 a 5 GB).',
    how: 'Com o cluster no ar: `docker stats --no-stream` e `docker image ls`.',
    confirmedBy:
      '`npm run doctor` avisa abaixo de 4 GiB de memória (6 GiB em ARM) e com pouco disco; ajuste esses limites com os números medidos.',
    problems: ['memoria-pouca', 'memoria-insuficiente', 'disco-pouco'],
  },
];
