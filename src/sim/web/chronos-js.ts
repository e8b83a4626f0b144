// The Chronos page (port 4400): Jobs (schedule or parents, last result, success and error counts,
// current state), a job's page, Run and Delete, and the dependency graph drawn as our own SVG from
// /v1/scheduler/graph/csv. Plain browser JavaScript kept as a string (see common-js.ts).
export const CHRONOS_JS = String.raw`
(function () {
  'use strict';
  var L = window.Lab, el = L.el, enc = L.enc;
  var API = '/v1/scheduler';
  var LAST = { success: ['success', 'ok', 'sucesso'], failure: ['failure', 'bad', 'falha'], fresh: ['fresh', 'muted', 'nunca rodou'] };

  function lastBadge(status) {
    var l = LAST[status] || [status, 'muted', ''];
    return el('span', null, L.badge(l[0], l[1]), l[2] ? ' ' + l[2] : '');
  }
  function stateText(st) {
    if (!st) return '—';
    if (st === 'idle') return 'idle (parado)';
    if (st === 'queued') return 'queued (na fila)';
    if (/running$/.test(st)) return st + ' (rodando)';
    return st;
  }
  function when(job) {
    if (job.parents && job.parents.length) return el('span', null, 'depende de: ', job.parents.map(function (p, i) {
      return [i ? ', ' : '', el('a', { href: '#/jobs/' + enc(p) }, p)];
    }));
    return el('code', null, job.schedule || '—');
  }
  async function load() {
    var jobs = await L.getJSON(API + '/jobs');
    var summary = await L.getJSON(API + '/jobs/summary');
    var byName = {};
    (summary.jobs || []).forEach(function (s) { byName[s.name] = s; });
    return { jobs: jobs, summary: byName };
  }

  async function runJob(name) {
    var r = await L.request('PUT', API + '/job/' + enc(name));
    if (r.ok) L.announce('Job ' + name + ' enviado para rodar agora.', 'ok');
    else L.announce('O Chronos respondeu ' + r.status + ' ao pedido de rodar ' + name + '. ' + (r.text || ''), 'bad');
    L.refresh();
  }
  function deleteDialog(name) {
    L.openDialog({
      title: 'Delete job ' + name, confirm: 'Apagar', danger: true,
      body: [el('p', null, 'O job sai do Chronos (DELETE ' + API + '/job/' + name + '). Jobs que dependem dele ficam sem esse pai.')],
      onConfirm: async function () {
        var r = await L.request('DELETE', API + '/job/' + enc(name));
        if (!r.ok) return el('div', { class: 'error', role: 'alert' }, 'O Chronos respondeu ' + r.status + '. ' + (r.text || ''));
        L.announce('Job ' + name + ' apagado.', 'ok');
        location.hash = '#/';
        return null;
      },
    });
  }
  function buttons(name) {
    return el('span', { class: 'actions' },
      el('button', { type: 'button', class: 'primary', 'aria-label': 'Run ' + name, 'data-run': name, onclick: function () { runJob(name); } }, 'Run'),
      el('button', { type: 'button', class: 'danger', 'aria-label': 'Delete ' + name, onclick: function () { deleteDialog(name); } }, 'Delete'));
  }

  // ------------------------------------------------------------------ Jobs
  async function jobs() {
    var d = await load();
    var rows = d.jobs.map(function (j) {
      var s = d.summary[j.name] || {};
      return [el('a', { href: '#/jobs/' + enc(j.name) }, j.name), when(j), lastBadge(s.status), stateText(s.state),
        el('span', { 'data-success': j.name }, String(j.successCount)), String(j.errorCount), j.disabled ? 'sim' : 'não', buttons(j.name)];
    });
    return { title: 'Jobs', nodes: [
      L.heading(1, 'Jobs'),
      L.hint('Um job do Chronos é um comando que roda num agendamento ISO 8601 (R/início/intervalo) ou depois dos seus jobs pais. ' +
        'Run faz o job rodar agora, fora do agendamento.'),
      L.table(null, [{ label: 'Job' }, { label: 'Schedule / Parents' }, { label: 'Last' }, { label: 'State' },
        { label: 'Success', num: true }, { label: 'Errors', num: true }, { label: 'Disabled' }, { label: 'Actions' }],
        rows, 'Nenhum job ainda. Crie um com POST ' + API + '/iso8601 ou ' + API + '/dependency.'),
    ] };
  }

  async function job(args) {
    var d = await load();
    var j = d.jobs.filter(function (x) { return x.name === args[0]; })[0];
    if (!j) throw new Error('O job ' + args[0] + ' não existe (ou acabou de ser apagado).');
    var s = d.summary[j.name] || {};
    var children = d.jobs.filter(function (x) { return (x.parents || []).indexOf(j.name) !== -1; });
    return { title: 'Job ' + j.name, nodes: [
      el('p', null, el('a', { href: '#/' }, '← Jobs')),
      L.heading(1, 'Job ' + j.name),
      buttons(j.name),
      L.facts([['Command', el('code', null, j.command)], [j.parents ? 'Parents' : 'Schedule', when(j)],
        ['Last', lastBadge(s.status)], ['State', stateText(s.state)], ['Success', el('span', { 'data-success': j.name }, String(j.successCount))],
        ['Errors', String(j.errorCount)], ['Errors since last success', String(j.errorsSinceLastSuccess)],
        ['Last success', L.fmtTime(j.lastSuccess)], ['Last error', L.fmtTime(j.lastError)], ['Retries', String(j.retries)],
        ['Owner', j.owner || '—'], ['Resources', 'cpus ' + L.fmtNum(j.cpus) + ' · mem ' + L.fmtMem(j.mem) + ' · disk ' + L.fmtMem(j.disk)],
        ['Disabled', j.disabled ? 'sim' : 'não'],
        ['Dependent jobs', children.length ? children.map(function (c, i) { return [i ? ', ' : '', el('a', { href: '#/jobs/' + enc(c.name) }, c.name)]; }) : '—']],
        'Dados do job'),
      L.heading(2, 'Definition', 'definição em JSON'),
      el('pre', { tabindex: '0', 'aria-label': 'Definição do job em JSON' }, JSON.stringify(j, null, 2)),
    ] };
  }

  // ------------------------------------------------------------------ Dependency graph
  function parseCsv(text) {
    var nodes = [], links = [];
    text.split('\n').forEach(function (line) {
      var f = line.split(',');
      if (f[0] === 'node' && f.length >= 4) nodes.push({ name: f[1], last: f[2], state: f[3] });
      else if (f[0] === 'link' && f.length >= 3) links.push([f[1], f[2]]);
    });
    return { nodes: nodes, links: links };
  }
  /** Columns by longest path from a job without parents; rows in order of appearance. */
  function layout(g) {
    var depth = {};
    g.nodes.forEach(function (n) { depth[n.name] = 0; });
    for (var round = 0; round < g.nodes.length; round++) {
      var changed = false;
      g.links.forEach(function (l) {
        if (depth[l[0]] === undefined || depth[l[1]] === undefined) return;
        if (depth[l[1]] < depth[l[0]] + 1) { depth[l[1]] = depth[l[0]] + 1; changed = true; }
      });
      if (!changed) break;
    }
    var rows = {}, pos = {}, colW = 0;
    g.nodes.forEach(function (n) { colW = Math.max(colW, n.name.length * 8 + 40, 150); });
    g.nodes.forEach(function (n) {
      var c = depth[n.name];
      rows[c] = (rows[c] || 0) + 1;
      pos[n.name] = { x: 20 + c * (colW + 60), y: 20 + (rows[c] - 1) * 70, w: colW, h: 44 };
    });
    var maxCol = 0, maxRow = 0;
    Object.keys(rows).forEach(function (c) { maxCol = Math.max(maxCol, Number(c)); maxRow = Math.max(maxRow, rows[c]); });
    return { pos: pos, width: 40 + (maxCol + 1) * colW + maxCol * 60, height: 40 + maxRow * 70 - 26 };
  }
  function drawGraph(g) {
    var lay = layout(g);
    var parts = [el('title', { id: 'graph-title' }, 'Grafo de dependências dos jobs'),
      el('desc', { id: 'graph-desc' }, g.nodes.length + ' jobs e ' + g.links.length + ' dependências; a seta vai do job pai para o job dependente.'),
      el('defs', null, el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '8', markerHeight: '8', orient: 'auto' },
        el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#57606a' })))];
    g.links.forEach(function (l) {
      var a = lay.pos[l[0]], b = lay.pos[l[1]];
      if (!a || !b) return;
      var x1 = a.x + a.w, y1 = a.y + a.h / 2, x2 = b.x, y2 = b.y + b.h / 2, mx = (x1 + x2) / 2;
      parts.push(el('path', { class: 'edge', d: 'M' + x1 + ',' + y1 + ' C' + mx + ',' + y1 + ' ' + mx + ',' + y2 + ' ' + x2 + ',' + y2, 'marker-end': 'url(#arrow)' }));
    });
    g.nodes.forEach(function (n) {
      var p = lay.pos[n.name];
      var kind = LAST[n.last] ? n.last : 'fresh';
      parts.push(el('g', { class: 'node ' + kind, 'data-job': n.name },
        el('rect', { x: p.x, y: p.y, width: p.w, height: p.h, rx: '6' }),
        el('text', { x: p.x + 10, y: p.y + 18 }, n.name),
        el('text', { x: p.x + 10, y: p.y + 36 }, (LAST[n.last] ? LAST[n.last][2] : n.last) + ' · ' + n.state)));
    });
    return el('svg', { class: 'graph', role: 'img', 'aria-labelledby': 'graph-title graph-desc',
      width: lay.width, height: Math.max(lay.height, 60), viewBox: '0 0 ' + lay.width + ' ' + Math.max(lay.height, 60) }, parts);
  }
  async function graph() {
    var g = parseCsv(await L.getText(API + '/graph/csv'));
    return { title: 'Dependency graph', nodes: [
      L.heading(1, 'Dependency graph', 'grafo de dependências'),
      L.hint('Cada caixa é um job; a seta vai do job pai para o job dependente, que roda quando todos os pais terminam com sucesso. ' +
        'A borda verde indica que a última execução deu certo, a vermelha que falhou, a cinza que o job nunca rodou. Lido de ' + API + '/graph/csv.'),
      g.nodes.length ? drawGraph(g) : el('p', { class: 'muted' }, 'Nenhum job ainda.'),
      L.heading(2, 'Dependencies', 'em texto'),
      L.table(null, [{ label: 'Parent' }, { label: 'Dependent job' }], g.links.map(function (l) {
        return [el('a', { href: '#/jobs/' + enc(l[0]) }, l[0]), el('a', { href: '#/jobs/' + enc(l[1]) }, l[1])];
      }), 'Nenhum job dependente ainda.'),
    ] };
  }

  L.start({ service: 'Chronos', routes: [
    { re: /^\/$/, view: jobs, name: 'Jobs' },
    { re: /^\/jobs\/(.+)$/, view: job, name: 'Job' },
    { re: /^\/graph$/, view: graph, name: 'Dependency graph' },
  ] });
})();
`;
