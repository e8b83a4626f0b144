// The images of the real stack, each movable with a .env variable (the course mirror, a local registry).
// labs/cluster/compose.yaml uses exactly these variables and defaults; a test keeps them in step.
import type { ServiceName } from '../../../../src/cluster/topology.ts';

export interface ImageSpec {
  envVar: string;
  defaultRef: string;
  services: ServiceName[];
  /** Only amd64 exists for the 2016–2017 Mesos images. */
  amd64Only: boolean;
}

export const IMAGES: readonly ImageSpec[] = [
  // The official image is multi-arch, but whether 3.4.14 has arm64 is unverified; compose pins amd64 for all.
  { envVar: 'ZOOKEEPER_IMAGE', defaultRef: 'zookeeper:3.4.14', services: ['zookeeper'], amd64Only: false },
  {
    envVar: 'MESOS_MASTER_IMAGE',
    defaultRef: 'datastrophic/mesos-master:1.1.0',
    services: ['mesos-master'],
    amd64Only: true,
  },
  {
    envVar: 'MESOS_AGENT_IMAGE',
    defaultRef: 'datastrophic/mesos-slave:1.1.0',
    services: ['mesos-agent-1', 'mesos-agent-2'],
    amd64Only: true,
  },
  {
    envVar: 'MARATHON_IMAGE',
    defaultRef: 'datastrophic/marathon:1.3.6',
    services: ['marathon'],
    amd64Only: true,
  },
  {
    envVar: 'CHRONOS_IMAGE',
    defaultRef: 'datastrophic/chronos:mesos-1.1.0-chronos-3.0.1',
    services: ['chronos'],
    amd64Only: true,
  },
];

export const PLATFORM = 'linux/amd64';

/** Image references after .env overrides, in pull order (smallest first, so a rate limit shows early). */
export function imageRefs(env: Record<string, string | undefined> = {}): string[] {
  return IMAGES.map((i) => {
    const v = env[i.envVar];
    return v !== undefined && v.trim() !== '' ? v.trim() : i.defaultRef;
  });
}

/** The file name the course uses for the offline archive of every image. */
export const OFFLINE_ARCHIVE = 'mesos-lab-images.tar';

/** Container names of the original course stack (fixed container_name values), found by the preflight. */
export const LEGACY_CONTAINER_NAMES: readonly string[] = [
  'zookeeper',
  'master',
  'slave',
  'slave-1',
  'slave-2',
  'marathon',
  'chronos',
];
