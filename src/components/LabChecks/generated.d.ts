// The module the lab-data plugin (plugin.ts) generates at build time: SiteLab[] (data.ts).
declare module '@generated/lab-data/default/labs.json' {
  const labs: unknown;
  export default labs;
}
