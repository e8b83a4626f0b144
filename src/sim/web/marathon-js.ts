// The Marathon page (port 8080, at /ui/): Applications (instances, health, deployments, the launch
// queue and why an app waits), an application's page (definition, tasks with host, ports and health
// results, versions) and the actions scale, restart, destroy and create from JSON. Every action is
// the API call a student would make with curl; its answer (422 details included) is shown as is.
// Plain browser JavaScript kept as a string (see common-js.ts).
export const MARATHON_JS = String.raw`
(function () {
  'use strict';
  var L = window.Lab, el = L.el, enc = L.enc;

  function appPath(id) { return '/v2/apps' + id.split('/').map(enc).join('/'); }
  function appHref(id) { return '#/apps/' + enc(id); }
  var LIST = '/v2/apps?embed=apps.tasks&embed=apps.counts&embed=apps.deployments&embed=apps.lastTaskFailure';

  /** The API's answer, in a form a student can act on (message and, for 422, each path's errors). */
  function apiError(r) {
    var box = el('div', { class: 'error', role: 'alert' });
    var msg = r.json && r.json.message ? r.json.message : (r.text || '').trim();
    box.appendChild(el('p', null, 'O Marathon respondeu ' + r.status + (msg ? ': ' + msg : '.')));
    if (r.json && Array.isArray(r.json.details)) {
      box.appendChild(el('ul', { class: 'details' }, r.json.details.map(function (d) {
        return el('li', null, el('code', null, d.path || '/'), ': ', (d.errors || []).join('; '));
      })));
    }
    if (r.status === 409) box.appendChild(el('p', null, 'Há uma implantação em andamento para esta aplicação: espere ela terminar (veja Deployments) ou marque Forçar.'));
    return box;
  }

  function status(app, queued) {
    if ((app.deployments || []).length) return L.badge('Deploying', 'warn');
    if (app.instances === 0) return L.badge('Suspended', 'muted');
    if (queued && queued.delay && queued.delay.timeLeftSeconds > 0) return L.badge('Delayed', 'bad');
    if (queued) return L.badge('Waiting', 'warn');
    return L.badge('Running', 'ok');
  }
  function health(app) {
    if (!(app.healthChecks || []).length) return el('span', { class: 'muted' }, 'sem health check');
    var unknown = Math.max(0, (app.tasksRunning || 0) - (app.tasksHealthy || 0) - (app.tasksUnhealthy || 0));
    return el('span', null, el('span', { class: 'ok' }, (app.tasksHealthy || 0) + ' saudáveis'), ' · ',
      el('span', { class: app.tasksUnhealthy ? 'bad' : 'muted' }, (app.tasksUnhealthy || 0) + ' não saudáveis'),
      unknown ? el('span', { class: 'muted' }, ' · ' + unknown + ' sem resultado') : null);
  }
  function why(q, app) {
    if (!q) return '—';
    var parts = [q.count + ' instância(s) esperando: '];
    if (q.delay && q.delay.timeLeftSeconds > 0) parts.push('em espera (backoff) depois de falhas; nova tentativa em ' + q.delay.timeLeftSeconds + ' s.');
    else parts.push('aguardando uma oferta de recursos que sirva (cpus, mem, portas livres, restrições).');
    if (app && app.lastTaskFailure && app.lastTaskFailure.message) parts.push(' Última falha: ' + app.lastTaskFailure.message);
    return parts.join('');
  }
  function queueByApp(queue) {
    var o = {};
    (queue.queue || []).forEach(function (q) { if (q.app) o[q.app.id] = q; });
    return o;
  }

  // ------------------------------------------------------------------ Applications
  async function apps() {
    var list = await L.getJSON(LIST);
    var queue = queueByApp(await L.getJSON('/v2/queue'));
    var rows = (list.apps || []).map(function (a) {
      return [el('a', { href: appHref(a.id) }, a.id), status(a, queue[a.id]),
        (a.tasksRunning || 0) + ' de ' + a.instances, health(a), L.fmtNum(a.cpus), L.fmtMem(a.mem),
        (a.deployments || []).length ? el('a', { href: '#/deployments' }, (a.deployments || []).length + ' em andamento') : '—',
        why(queue[a.id], a)];
    });
    return { title: 'Applications', nodes: [
      L.heading(1, 'Applications', 'aplicações'),
      L.hint('Cada aplicação é um serviço de longa duração que o Marathon mantém com o número de instâncias pedido (lido de /v2/apps e /v2/queue).'),
      el('div', { class: 'actions' }, el('button', { type: 'button', class: 'primary', onclick: createDialog }, 'Create Application')),
      L.table(null, [{ label: 'ID' }, { label: 'Status' }, { label: 'Running Instances' }, { label: 'Health' },
        { label: 'CPUs', num: true }, { label: 'Memory', num: true }, { label: 'Deployments' }, { label: 'Waiting (queue)' }],
        rows, 'Nenhuma aplicação ainda. Use Create Application ou POST /v2/apps.'),
    ] };
  }

  function createDialog() {
    var area = el('textarea', { id: 'app-json', name: 'app-json', rows: '14', spellcheck: 'false', 'aria-describedby': 'app-json-hint' });
    area.value = '{\n  "id": "/minha-app",\n  "cmd": "python3 -m http.server $PORT0",\n  "cpus": 0.1,\n  "mem": 32,\n  "instances": 1\n}\n';
    L.openDialog({
      title: 'Create Application',
      confirm: 'Criar',
      body: [el('label', { for: 'app-json' }, 'Definição da aplicação (JSON)'),
        el('p', { class: 'hint', id: 'app-json-hint' }, 'O texto vai como está para POST /v2/apps; se o Marathon recusar, os erros dele aparecem aqui.'),
        area],
      onConfirm: async function () {
        var r = await L.request('POST', '/v2/apps', area.value, 'application/json');
        if (!r.ok) return apiError(r);
        L.announce('Aplicação ' + (r.json && r.json.id) + ' criada: o Marathon começou a implantação.', 'ok');
        if (r.json && r.json.id) location.hash = appHref(r.json.id);
        return null;
      },
    });
  }

  // ------------------------------------------------------------------ one application
  function healthCell(t) {
    var res = t.healthCheckResults || [];
    if (!res.length) return el('span', { class: 'muted' }, '—');
    return res.map(function (h) {
      return el('div', null, h.alive ? L.badge('Healthy', 'ok') : L.badge('Unhealthy', 'bad'),
        h.lastSuccess ? ' último sucesso ' + L.fmtTime(h.lastSuccess) : '',
        h.lastFailure ? ' · última falha ' + L.fmtTime(h.lastFailure) : '',
        h.consecutiveFailures ? ' · ' + h.consecutiveFailures + ' falhas seguidas' : '');
    });
  }
  async function app(args) {
    var id = args[0];
    var r = await L.request('GET', appPath(id));
    if (r.status === 404) throw new Error('A aplicação ' + id + ' não existe (ou acabou de ser destruída).');
    if (!r.ok || !r.json) throw new Error('GET ' + appPath(id) + ' respondeu ' + r.status + '.');
    var a = r.json.app;
    var queue = queueByApp(await L.getJSON('/v2/queue'));
    var versions = await L.getJSON(appPath(id) + '/versions');
    var def = {};
    Object.keys(a).forEach(function (k) {
      if (['tasks', 'deployments', 'lastTaskFailure', 'tasksStaged', 'tasksRunning', 'tasksHealthy', 'tasksUnhealthy', 'readinessCheckResults'].indexOf(k) === -1) def[k] = a[k];
    });
    var tasks = (a.tasks || []).map(function (t) {
      return [t.id, t.host, (t.ports || []).join(', ') || '—', L.badge(t.state || '—', t.state === 'TASK_RUNNING' ? 'ok' : 'warn'),
        healthCell(t), L.fmtTime(t.version), L.fmtTime(t.startedAt)];
    });
    return { title: 'Application ' + a.id, nodes: [
      el('p', null, el('a', { href: '#/apps' }, '← Applications')),
      L.heading(1, 'Application ' + a.id),
      L.facts([['Status', status(a, queue[a.id])], ['Running Instances', (a.tasksRunning || 0) + ' de ' + a.instances + ' pedidas'],
        ['Staged', String(a.tasksStaged || 0)], ['Health', health(a)], ['Waiting (queue)', why(queue[a.id], a)],
        ['Deployments', (a.deployments || []).length ? (a.deployments || []).map(function (d) { return d.id; }).join(', ') : '—'],
        ['Version', a.version]], 'Resumo da aplicação'),
      el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'primary', onclick: function () { scaleDialog(a); } }, 'Scale Application'),
        el('button', { type: 'button', onclick: function () { restartDialog(a); } }, 'Restart'),
        el('button', { type: 'button', class: 'danger', onclick: function () { destroyDialog(a); } }, 'Destroy')),
      a.lastTaskFailure ? el('div', null, L.heading(2, 'Last task failure', 'última falha'),
        L.facts([['Task', a.lastTaskFailure.taskId], ['State', a.lastTaskFailure.state], ['Message', a.lastTaskFailure.message || '—'],
          ['Host', a.lastTaskFailure.host], ['Time', L.fmtTime(a.lastTaskFailure.timestamp)]], 'Última falha')) : null,
      L.heading(2, 'Instances', 'tarefas da aplicação'),
      L.hint('Cada instância é uma tarefa do Mesos. Health mostra o resultado das verificações de saúde (health checks) de cada uma.'),
      L.table(null, [{ label: 'ID' }, { label: 'Host' }, { label: 'Ports' }, { label: 'Status' }, { label: 'Health' },
        { label: 'Version' }, { label: 'Started' }], tasks, 'Nenhuma instância rodando agora.'),
      L.heading(2, 'Configuration', 'definição atual'),
      el('pre', { tabindex: '0', 'aria-label': 'Definição da aplicação em JSON' }, JSON.stringify(def, null, 2)),
      L.heading(2, 'Versions', 'versões da definição'),
      L.hint('Cada mudança na definição gera uma versão (GET ' + appPath(id) + '/versions).'),
      el('ul', null, (versions.versions || []).map(function (v) {
        return el('li', null, el('code', null, v), v === a.version ? ' (atual)' : '');
      })),
    ] };
  }

  function done(r, what) {
    if (!r.ok) return apiError(r);
    L.announce(what + (r.json && r.json.deploymentId ? ' Implantação ' + r.json.deploymentId + '.' : ''), 'ok');
    return null;
  }
  /** Marathon refuses a change while a deployment holds the app (409) unless ?force=true. */
  function forceBox() {
    var box = el('input', { type: 'checkbox', id: 'force' });
    return { node: el('label', { class: 'check' }, box, ' Forçar (?force=true): passa por cima da implantação em andamento'),
      query: function () { return box.checked ? '?force=true' : ''; } };
  }
  function scaleDialog(a) {
    var force = forceBox();
    var input = el('input', { type: 'number', id: 'scale-instances', min: '0', step: '1', value: String(a.instances) });
    L.openDialog({
      title: 'Scale Application ' + a.id, confirm: 'Escalar',
      body: [el('label', { for: 'scale-instances' }, 'Número de instâncias'), input,
        el('p', { class: 'hint' }, 'Envia PUT ' + appPath(a.id) + ' com {"instances": N}.'), force.node],
      onConfirm: async function () {
        var n = Number(input.value);
        var r = await L.request('PUT', appPath(a.id) + force.query(), JSON.stringify({ instances: n }));
        return done(r, 'Pedido de escala aceito: ' + a.id + ' com ' + n + ' instância(s).');
      },
    });
  }
  function restartDialog(a) {
    var force = forceBox();
    L.openDialog({
      title: 'Restart ' + a.id, confirm: 'Reiniciar',
      body: [el('p', null, 'O Marathon troca as instâncias aos poucos (reinício gradual), respeitando o upgradeStrategy. Envia POST ' + appPath(a.id) + '/restart.'), force.node],
      onConfirm: async function () {
        return done(await L.request('POST', appPath(a.id) + '/restart' + force.query()), 'Reinício pedido para ' + a.id + '.');
      },
    });
  }
  function destroyDialog(a) {
    var force = forceBox();
    L.openDialog({
      title: 'Destroy ' + a.id, confirm: 'Destruir', danger: true,
      body: [el('p', null, 'Todas as instâncias serão encerradas e a aplicação sai do Marathon. Envia DELETE ' + appPath(a.id) + '.'), force.node],
      onConfirm: async function () {
        var r = await L.request('DELETE', appPath(a.id) + force.query());
        var out = done(r, 'Aplicação ' + a.id + ' destruída.');
        if (!out) location.hash = '#/apps';
        return out;
      },
    });
  }

  // ------------------------------------------------------------------ Deployments
  async function deployments() {
    var list = await L.getJSON('/v2/deployments');
    return { title: 'Deployments', nodes: [
      L.heading(1, 'Deployments', 'implantações'),
      L.hint('Uma implantação leva as aplicações do estado atual ao pedido (criar, escalar, reiniciar, destruir), em passos. Lido de /v2/deployments.'),
      L.table(null, [{ label: 'ID' }, { label: 'Affected Applications' }, { label: 'Current Action' }, { label: 'Progress' }, { label: 'Version' }],
        list.map(function (d) {
          return [d.id, (d.affectedApps || []).map(function (id) { return el('div', null, el('a', { href: appHref(id) }, id)); }),
            (d.currentActions || []).map(function (x) { return el('div', null, x.action + ' ' + x.app); }),
            'passo ' + d.currentStep + ' de ' + d.totalSteps, L.fmtTime(d.version)];
        }), 'Nenhuma implantação em andamento.'),
    ] };
  }

  L.start({ service: 'Marathon', routes: [
    { re: /^\/$/, view: apps, name: 'Applications' },
    { re: /^\/apps$/, view: apps, name: 'Applications' },
    { re: /^\/apps\/(.+)$/, view: app, name: 'Application' },
    { re: /^\/deployments$/, view: deployments, name: 'Deployments' },
  ] });
})();
`;
