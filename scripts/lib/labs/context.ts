// The pieces every lab command needs, resolved once: the repository, settings, state folder, the
// student's matrícula and exercise parameters, the backend in use and clients for the cluster.
import {
  clusterAddresses,
  createClusterClients,
  type ClusterClients,
} from '../../../src/cluster/clients/index.ts';
import { EXAMPLE_MATRICULA, exerciseParams, type ExerciseParams } from '../../../src/labs/params.ts';
import { siteBaseUrl } from '../../../src/labs/site.ts';
import { BACKEND_LABEL } from '../cluster/select.ts';
import { loadEnv, repoRoot, type LabEnv } from '../env.ts';
import { readKitState, stateDir as resolveStateDir } from '../state.ts';
import { readStudent, type Student } from './files.ts';
import { zkReader } from './zk.ts';

export interface LabCommandContext {
  root: string;
  env: LabEnv;
  stateDir: string;
  student: Student;
  /** True when no matrícula is configured and the example one is used. */
  exampleMatricula: boolean;
  params: ExerciseParams;
  backendName: string;
  backendLabel: string;
  siteBase: string;
  clients: ClusterClients;
  close(): void;
}

export function resolveContext(processEnv: NodeJS.ProcessEnv = process.env, cwd?: string): LabCommandContext {
  const root = repoRoot(processEnv, cwd);
  const env = loadEnv(root, processEnv);
  const stateDir = resolveStateDir(root, processEnv);
  const student = readStudent(stateDir);
  const matricula = student.matricula ?? EXAMPLE_MATRICULA;
  const backend = readKitState(stateDir).backend;
  const addresses = clusterAddresses(env.vars, '127.0.0.1', env.ports);
  const zk = zkReader(addresses.zookeeper.host, addresses.zookeeper.port);
  return {
    root,
    env,
    stateDir,
    student,
    exampleMatricula: student.matricula === undefined,
    params: exerciseParams(matricula),
    backendName: backend ?? 'desconhecido',
    backendLabel: backend ? BACKEND_LABEL[backend] : 'desconhecido',
    siteBase: siteBaseUrl(env.vars),
    clients: createClusterClients(addresses, { zk }),
    close: () => zk.close(),
  };
}
