// The stylesheet shared by the simulator's three web pages. Our own, plain CSS; colours chosen for
// WCAG AA contrast on white (text #1f2328 / links #0b57d0 / muted #4d5560).
export const STYLE_CSS = String.raw`
:root { --fg:#1f2328; --muted:#4d5560; --line:#d0d7de; --bg:#ffffff; --soft:#f4f6f8; --accent:#0b57d0;
  --ok:#116329; --warn:#7a4d00; --bad:#b3261e; --mark:#6b2fa3; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); line-height: 1.45; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, summary:focus-visible {
  outline: 3px solid #f0a500; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: #fff; padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .6rem 1.2rem;
  background: #1f2937; color: #fff; }
header.top a { color: #fff; }
.brand { font-weight: 700; font-size: 1.2rem; }
.sim-mark { background: var(--mark); color: #fff; border-radius: 1rem; padding: .1rem .7rem; font-size: .85rem;
  font-weight: 600; }
header.top nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .2rem 1rem; margin: 0; padding: 0; }
header.top nav a { text-decoration: none; padding: .2rem .3rem; border-bottom: 2px solid transparent; }
header.top nav a[aria-current="page"] { border-bottom-color: #fff; font-weight: 600; }
.status-line { margin-left: auto; font-size: .85rem; color: #e5e7eb; }
main { padding: 1rem 1.2rem 2rem; max-width: 1300px; }
main:focus { outline: none; }
h1 { font-size: 1.5rem; margin: .4rem 0 .3rem; }
h2 { font-size: 1.2rem; margin: 1.4rem 0 .4rem; }
h3 { font-size: 1.05rem; margin: 1rem 0 .3rem; }
.hint { color: var(--muted); margin: .2rem 0 .8rem; max-width: 60rem; }
.en { color: var(--muted); font-weight: 400; font-size: .9em; }
table { border-collapse: collapse; margin: .3rem 0 1rem; min-width: 20rem; }
caption { text-align: left; font-weight: 600; padding: .2rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .6rem; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9rem; }
pre { background: var(--soft); border: 1px solid var(--line); padding: .6rem; overflow: auto; max-height: 32rem;
  white-space: pre-wrap; word-break: break-all; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: .3rem 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.grid { display: flex; flex-wrap: wrap; gap: 0 2rem; }
.badge { display: inline-block; border-radius: .3rem; padding: 0 .4rem; font-size: .85rem; font-weight: 600;
  border: 1px solid currentColor; }
.ok { color: var(--ok); } .warn { color: var(--warn); } .bad { color: var(--bad); } .muted { color: var(--muted); }
button { font: inherit; padding: .3rem .8rem; border-radius: .3rem; border: 1px solid #57606a; background: #fff;
  color: var(--fg); cursor: pointer; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.danger { background: var(--bad); border-color: var(--bad); color: #fff; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0 1rem; }
.error { color: var(--bad); border: 1px solid var(--bad); padding: .5rem .8rem; border-radius: .3rem;
  background: #fff5f5; }
dialog { border: 1px solid var(--line); border-radius: .5rem; padding: 1rem 1.2rem; max-width: 46rem;
  width: calc(100% - 2rem); }
dialog::backdrop { background: rgba(0,0,0,.35); }
dialog h2 { margin-top: 0; }
label { display: block; font-weight: 600; margin: .4rem 0 .2rem; }
label.check { font-weight: 400; margin: .6rem 0; }
td .actions { margin: 0; }
input[type=number], textarea { font: inherit; padding: .3rem; border: 1px solid #57606a; border-radius: .3rem;
  width: 100%; }
input[type=number] { width: 8rem; }
textarea { font-family: ui-monospace, Menlo, Consolas, monospace; min-height: 14rem; }
.msg { min-height: 1.4rem; margin: .3rem 0; }
footer { padding: .6rem 1.2rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); }
svg.graph { border: 1px solid var(--line); background: #fff; max-width: 100%; height: auto; }
svg.graph text { font-family: system-ui, sans-serif; font-size: 13px; fill: #1f2328; }
svg.graph .edge { stroke: #57606a; stroke-width: 1.5; fill: none; }
svg.graph .node rect { stroke-width: 2; fill: #fff; }
svg.graph .node.success rect { stroke: #116329; } svg.graph .node.failure rect { stroke: #b3261e; }
svg.graph .node.fresh rect { stroke: #57606a; }
`;
