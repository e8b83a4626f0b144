// Docusaurus plugin: writes the labs' site data (data.ts) to .docusaurus/lab-data/default/labs.json,
// which the LabChecks components import. Node-side only; runs at every build and dev reload.
import type { Plugin } from '@docusaurus/types';
import path from 'node:path';
import { LABS } from '../../../labs/index.ts';
import { siteLabs } from './data.ts';

export default function labDataPlugin(): Plugin {
  return {
    name: 'lab-data',
    getPathsToWatch() {
      return [path.join(__dirname, '../../../labs/*/lab.ts')];
    },
    async contentLoaded({ actions }) {
      await actions.createData('labs.json', JSON.stringify(siteLabs(LABS)));
    },
  };
}
