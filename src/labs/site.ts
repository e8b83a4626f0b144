// The course site's address, set in ONE place. Links printed by checks point at the published
// site; LAB_SITE_URL (or the argument) overrides it, e.g. http://localhost:3000 for `npm start`.
import type { DocLink, LabId } from './types.ts';

/** The published site (placeholder until the course publishes its fork's GitHub Pages). */
export const PUBLISHED_SITE_URL = 'https://ufsc-lab-mesos.github.io/laboratorio-mesos';

export function siteBaseUrl(env: Record<string, string | undefined> = {}): string {
  const fromEnv = env.LAB_SITE_URL?.trim();
  return (fromEnv || PUBLISHED_SITE_URL).replace(/\/+$/, '');
}

export function docUrl(doc: DocLink, base: string = PUBLISHED_SITE_URL): string {
  return `${base.replace(/\/+$/, '')}${doc.path}${doc.anchor ? `#${doc.anchor}` : ''}`;
}

/** Site path of each lab's page. */
export const LAB_PAGES: Record<LabId, string> = {
  '01': '/laboratorios/01-o-cluster-por-dentro',
  '02': '/laboratorios/02-servicos-com-marathon',
  '03': '/laboratorios/03-tarefas-agendadas-com-chronos',
  '04': '/laboratorios/04-falhas-e-recuperacao',
  '05': '/laboratorios/05-um-pipeline-de-dados',
};

export function labDoc(lab: LabId, anchor: string): DocLink {
  return { path: LAB_PAGES[lab], anchor };
}
