// The Mesos master page (port 5050): Overview, Agents (with the sandbox browser), Frameworks,
// Offers and Tasks, read from the same endpoints the checks read (/master/state,
// /metrics/snapshot) and, for an agent's sandbox, from the agent's own /state, /files/browse and
// /files/read through read-only JSONP (the agents send no CORS headers, like the real ones).
// Plain browser JavaScript kept as a string (see common-js.ts).
export const MESOS_JS = String.raw`
(function () {
  'use strict';
  var L = window.Lab, el = L.el, enc = L.enc;

  var TASK_STATES = ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_FINISHED',
    'TASK_KILLED', 'TASK_FAILED', 'TASK_LOST', 'TASK_ERROR'];
  var STATE_KIND = { TASK_RUNNING: 'ok', TASK_FINISHED: 'ok', TASK_STAGING: 'warn', TASK_STARTING: 'warn',
    TASK_KILLING: 'warn', TASK_FAILED: 'bad', TASK_LOST: 'bad', TASK_ERROR: 'bad', TASK_KILLED: 'muted' };

  function state() { return L.getJSON('/master/state'); }
  function agentsById(s) { var o = {}; (s.slaves || []).forEach(function (a) { o[a.id] = a; }); return o; }
  function frameworksById(s) {
    var o = {};
    (s.frameworks || []).concat(s.completed_frameworks || []).forEach(function (f) { o[f.id] = f; });
    return o;
  }
  function allTasks(s) {
    var active = [], done = [];
    (s.frameworks || []).concat(s.completed_frameworks || []).forEach(function (f) {
      (f.tasks || []).forEach(function (t) { active.push(t); });
      (f.completed_tasks || []).forEach(function (t) { done.push(t); });
    });
    return { active: active, completed: done };
  }
  function stateBadge(st) { return L.badge(st, STATE_KIND[st] || 'muted'); }
  function started(t) {
    var st = (t.statuses || []).filter(function (x) { return x.state === 'TASK_RUNNING'; })[0];
    return st ? L.fmtTime(st.timestamp) : '—';
  }
  function lastTime(t) {
    var st = t.statuses || [];
    return st.length ? L.fmtTime(st[st.length - 1].timestamp) : '—';
  }
  function agentLink(s, id) {
    var a = agentsById(s)[id];
    return el('a', { href: '#/agents/' + enc(id) }, a ? a.hostname : id);
  }
  function frameworkLink(s, id) {
    var f = frameworksById(s)[id];
    return el('a', { href: '#/frameworks/' + enc(id) }, f ? f.name : id);
  }
  function taskLink(t) { return el('a', { href: '#/tasks/' + enc(t.framework_id) + '/' + enc(t.id) }, t.id); }
  function tasksTable(s, caption, tasks, empty, completed) {
    return L.table(caption, [{ label: 'ID' }, { label: 'Name' }, { label: 'State' }, { label: 'Framework' },
      { label: 'Agent' }, { label: completed ? 'Finished' : 'Started' }, { label: 'Sandbox' }],
      tasks.map(function (t) {
        return [taskLink(t), t.name, stateBadge(t.state), frameworkLink(s, t.framework_id), agentLink(s, t.slave_id),
          completed ? lastTime(t) : started(t),
          el('a', { href: '#/sandbox/' + enc(t.slave_id) + '/' + enc(t.framework_id) + '/' + enc(t.id),
            'aria-label': 'Sandbox da tarefa ' + t.id }, 'Sandbox')];
      }), empty);
  }
  function add(a, b) {
    var out = {};
    ['cpus', 'mem', 'disk'].forEach(function (k) { out[k] = (a[k] || 0) + ((b && b[k]) || 0); });
    return out;
  }
  function leaderText(s) {
    if (!s.leader_info) return 'nenhum master eleito ainda';
    return s.leader_info.hostname + ':' + s.leader_info.port + ' (' + s.leader + ')';
  }

  // ------------------------------------------------------------------ Overview
  async function overview() {
    var s = await state();
    var m = await L.getJSON('/metrics/snapshot');
    var total = { cpus: 0, mem: 0, disk: 0 }, used = { cpus: 0, mem: 0, disk: 0 }, offered = { cpus: 0, mem: 0, disk: 0 };
    (s.slaves || []).forEach(function (a) { total = add(total, a.resources); });
    (s.frameworks || []).forEach(function (f) { used = add(used, f.used_resources); offered = add(offered, f.offered_resources); });
    var idle = { cpus: total.cpus - used.cpus - offered.cpus, mem: total.mem - used.mem - offered.mem, disk: total.disk - used.disk - offered.disk };
    var tasks = allTasks(s);
    var resRow = function (label, k, fmt) { return [label, fmt(total[k]), fmt(used[k]), fmt(offered[k]), fmt(idle[k])]; };
    return { title: 'Overview', nodes: [
      L.heading(1, 'Overview', 'visão geral do cluster'),
      L.hint('O que o master líder sabe agora, lido de /master/state e /metrics/snapshot (os mesmos endereços que as verificações leem).'),
      L.heading(2, 'Cluster'),
      L.facts([
        ['Cluster', s.cluster || '—'],
        ['Leader', leaderText(s)],
        ['Version', s.version],
        ['Built', s.build_date],
        ['Started', L.fmtTime(s.start_time)],
        ['Elected', L.fmtTime(s.elected_time)],
      ], 'Dados do cluster'),
      L.heading(2, 'Agents', 'agentes'),
      L.hint('Ativos (activated) recebem tarefas; inativos (deactivated) perderam contato com o master ou estão sendo desligados.'),
      L.facts([['Activated', String(s.activated_slaves)], ['Deactivated', String(s.deactivated_slaves)]], 'Agentes'),
      L.heading(2, 'Tasks', 'tarefas por estado'),
      L.table(null, [{ label: 'State' }, { label: 'Tasks', num: true }], TASK_STATES.map(function (st) {
        var v = m['master/tasks_' + st.slice(5).toLowerCase()];
        return [st.slice(5).charAt(0) + st.slice(6).toLowerCase(), L.fmtNum(v || 0, 0)];
      })),
      L.heading(2, 'Resources', 'recursos'),
      L.hint('Used: em uso por tarefas. Offered: oferecido a um framework e ainda não aceito nem recusado. Idle: livre, nem usado nem oferecido.'),
      L.table(null, [{ label: 'Resource' }, { label: 'Total', num: true }, { label: 'Used', num: true },
        { label: 'Offered', num: true }, { label: 'Idle', num: true }], [
        resRow('CPUs', 'cpus', function (v) { return L.fmtNum(v); }),
        resRow('Mem', 'mem', L.fmtMem),
        resRow('Disk', 'disk', L.fmtMem),
      ]),
      L.heading(2, 'Active Tasks', 'tarefas ativas'),
      tasksTable(s, null, tasks.active, 'Nenhuma tarefa ativa agora.', false),
      L.heading(2, 'Completed Tasks', 'tarefas terminadas'),
      tasksTable(s, null, tasks.completed.slice(-50).reverse(), 'Nenhuma tarefa terminou ainda.', true),
    ] };
  }

  // ------------------------------------------------------------------ Agents
  function attrs(a) {
    var keys = Object.keys(a.attributes || {});
    return keys.length ? keys.map(function (k) { return k + ':' + a.attributes[k]; }).join('; ') : '—';
  }
  async function agents() {
    var s = await state();
    return { title: 'Agents', nodes: [
      L.heading(1, 'Agents', 'agentes'),
      L.hint('Os agentes são as máquinas que rodam as tarefas e oferecem seus recursos ao master. Textos e imagens antigos os chamam de slaves.'),
      L.table(null, [{ label: 'ID' }, { label: 'Host' }, { label: 'CPUs', num: true }, { label: 'Mem', num: true },
        { label: 'Disk', num: true }, { label: 'Ports' }, { label: 'Attributes' }, { label: 'Registered' }, { label: 'Active' }],
        (s.slaves || []).map(function (a) {
          return [el('a', { href: '#/agents/' + enc(a.id) }, a.id), a.hostname, L.fmtNum(a.resources.cpus), L.fmtMem(a.resources.mem),
            L.fmtMem(a.resources.disk), a.resources.ports || '—', attrs(a), L.fmtTime(a.registered_time),
            a.active ? L.badge('sim', 'ok') : L.badge('não', 'bad')];
        }), 'Nenhum agente registrado no master agora.'),
    ] };
  }

  /** The agent's own address: its port (from the pid) on the host name this page was opened with. */
  function agentBase(a) {
    var m = /:(\d+)$/.exec(a.pid || '');
    return 'http://' + location.hostname + ':' + (m ? m[1] : '5051');
  }
  function findAgent(s, id) {
    var a = agentsById(s)[id];
    if (!a) throw new Error('O master não conhece o agente ' + id + ' (ele pode ter saído do cluster).');
    return a;
  }
  function findDirectory(agentState, frameworkId, taskId) {
    var fws = (agentState.frameworks || []).concat(agentState.completed_frameworks || []);
    for (var i = 0; i < fws.length; i++) {
      if (fws[i].id !== frameworkId) continue;
      var exs = (fws[i].executors || []).concat(fws[i].completed_executors || []);
      for (var j = 0; j < exs.length; j++) {
        var ts = (exs[j].tasks || []).concat(exs[j].queued_tasks || [], exs[j].completed_tasks || []);
        for (var k = 0; k < ts.length; k++) if (ts[k].id === taskId) return exs[j].directory;
      }
    }
    return null;
  }

  async function agent(args) {
    var s = await state();
    var a = findAgent(s, args[0]);
    var tasks = allTasks(s);
    var here = function (t) { return t.slave_id === a.id; };
    var fwIds = {};
    tasks.active.filter(here).forEach(function (t) { fwIds[t.framework_id] = true; });
    var fws = Object.keys(fwIds).map(function (id) { return frameworksById(s)[id]; }).filter(Boolean);
    return { title: 'Agent ' + a.hostname, nodes: [
      el('p', null, el('a', { href: '#/agents' }, '← Agents')),
      L.heading(1, 'Agent ' + a.hostname),
      L.facts([
        ['ID', a.id], ['Host', a.hostname], ['PID', a.pid], ['Registered', L.fmtTime(a.registered_time)],
        ['Active', a.active ? 'sim' : 'não'], ['Attributes', attrs(a)], ['Version', a.version || '—'],
      ], 'Dados do agente'),
      L.heading(2, 'Resources', 'recursos'),
      L.table(null, [{ label: 'Resource' }, { label: 'Total', num: true }, { label: 'Used', num: true }, { label: 'Offered', num: true }],
        [['CPUs', L.fmtNum(a.resources.cpus), L.fmtNum(a.used_resources.cpus), L.fmtNum(a.offered_resources.cpus)],
         ['Mem', L.fmtMem(a.resources.mem), L.fmtMem(a.used_resources.mem), L.fmtMem(a.offered_resources.mem)],
         ['Disk', L.fmtMem(a.resources.disk), L.fmtMem(a.used_resources.disk), L.fmtMem(a.offered_resources.disk)],
         ['Ports', a.resources.ports || '—', a.used_resources.ports || '—', a.offered_resources.ports || '—']]),
      L.heading(2, 'Frameworks', 'com tarefas neste agente'),
      L.table(null, [{ label: 'ID' }, { label: 'Name' }, { label: 'Active tasks here', num: true }], fws.map(function (f) {
        return [frameworkLink(s, f.id), f.name, String(tasks.active.filter(function (t) { return here(t) && t.framework_id === f.id; }).length)];
      }), 'Nenhum framework tem tarefas ativas neste agente.'),
      L.heading(2, 'Tasks', 'tarefas neste agente'),
      tasksTable(s, 'Active Tasks', tasks.active.filter(here), 'Nenhuma tarefa ativa neste agente.', false),
      tasksTable(s, 'Completed Tasks', tasks.completed.filter(here).slice(-50).reverse(), 'Nenhuma tarefa terminada neste agente.', true),
      L.hint('A sandbox de uma tarefa é a pasta onde ela roda no agente; lá ficam stdout e stderr.'),
    ] };
  }

  function parentOf(p) { return p.replace(/\/[^/]*\/?$/, '') || '/'; }
  function baseName(p) { return p.replace(/\/+$/, '').split('/').pop(); }

  async function browseView(s, a, path, root, taskId) {
    var list = await L.jsonp(agentBase(a) + '/files/browse?path=' + enc(path));
    list.sort(function (x, y) { return x.path < y.path ? -1 : 1; });
    var q = function (p) { return '?path=' + enc(p) + '&root=' + enc(root) + (taskId ? '&task=' + enc(taskId) : ''); };
    var rows = list.map(function (e) {
      var dir = e.mode.charAt(0) === 'd';
      var name = baseName(e.path);
      return [e.mode, L.fmtNum(e.size, 0), L.fmtTime(e.mtime),
        el('a', { href: '#/agents/' + enc(a.id) + (dir ? '/browse' : '/read') + q(e.path) }, name + (dir ? '/' : ''))];
    });
    return { title: 'Sandbox', nodes: [
      el('p', null, el('a', { href: '#/agents/' + enc(a.id) }, '← Agent ' + a.hostname)),
      L.heading(1, 'Sandbox', taskId ? 'tarefa ' + taskId : 'agente ' + a.hostname),
      L.hint('Arquivos da pasta da tarefa no agente, lidos de /files/browse. Abra stdout ou stderr para ver o que o comando escreveu.'),
      L.facts([['Agent', a.hostname], ['Path', el('code', null, path)]], 'Pasta'),
      path !== root ? el('p', null, el('a', { href: '#/agents/' + enc(a.id) + '/browse' + q(parentOf(path)) }, '↑ Pasta acima')) : null,
      L.table(null, [{ label: 'Mode' }, { label: 'Size', num: true }, { label: 'Modified' }, { label: 'Name' }], rows, 'A pasta está vazia.'),
    ] };
  }

  async function sandbox(args) {
    var s = await state();
    var a = findAgent(s, args[0]);
    var st = await L.jsonp(agentBase(a) + '/state');
    var dir = findDirectory(st, args[1], args[2]);
    if (!dir) throw new Error('O agente ' + a.hostname + ' não tem mais a sandbox da tarefa ' + args[2] + '.');
    return browseView(s, a, dir, dir, args[2]);
  }
  async function browse(args, params) {
    var s = await state();
    var a = findAgent(s, args[0]);
    var path = params.get('path') || '/';
    return browseView(s, a, path, params.get('root') || path, params.get('task'));
  }
  async function readFile(args, params) {
    var s = await state();
    var a = findAgent(s, args[0]);
    var path = params.get('path') || '';
    var base = agentBase(a) + '/files/read?path=' + enc(path);
    var size = (await L.jsonp(base + '&offset=-1')).offset;
    var max = 65536;
    var from = Math.max(0, size - max);
    var chunk = await L.jsonp(base + '&offset=' + from + '&length=' + max);
    var back = params.get('root') ? '?path=' + enc(parentOf(path)) + '&root=' + enc(params.get('root')) +
      (params.get('task') ? '&task=' + enc(params.get('task')) : '') : '?path=' + enc(parentOf(path));
    return { title: baseName(path), nodes: [
      el('p', null, el('a', { href: '#/agents/' + enc(a.id) + '/browse' + back }, '← Sandbox')),
      L.heading(1, baseName(path), params.get('task') ? 'tarefa ' + params.get('task') : null),
      L.facts([['Agent', a.hostname], ['Path', el('code', null, path)], ['Size', L.fmtNum(size, 0) + ' bytes']], 'Arquivo'),
      from > 0 ? L.hint('Mostrando só o fim do arquivo (os últimos 64 KiB).') : null,
      el('pre', { tabindex: '0', 'aria-label': 'Conteúdo de ' + baseName(path), 'data-file': path }, chunk.data || '(arquivo vazio)'),
    ] };
  }

  // ------------------------------------------------------------------ Frameworks
  async function frameworks() {
    var s = await state();
    var row = function (f) {
      var r = f.used_resources || {};
      return [el('a', { href: '#/frameworks/' + enc(f.id) }, f.id), f.hostname, f.user, f.name,
        L.fmtNum((f.tasks || []).length, 0), L.fmtNum(r.cpus), L.fmtMem(r.mem), L.fmtMem(r.disk),
        L.fmtTime(f.registered_time), f.active ? L.badge('sim', 'ok') : L.badge('não', 'bad')];
    };
    var cols = [{ label: 'ID' }, { label: 'Host' }, { label: 'User' }, { label: 'Name' }, { label: 'Active Tasks', num: true },
      { label: 'CPUs', num: true }, { label: 'Mem', num: true }, { label: 'Disk', num: true }, { label: 'Registered' }, { label: 'Active' }];
    return { title: 'Frameworks', nodes: [
      L.heading(1, 'Frameworks'),
      L.hint('Um framework (aqui, Marathon e Chronos) recebe ofertas de recursos do master e decide que tarefas lançar: é o escalonamento em dois níveis.'),
      L.heading(2, 'Active Frameworks', 'registrados agora'),
      L.table(null, cols, (s.frameworks || []).map(row), 'Nenhum framework registrado.'),
      L.heading(2, 'Completed Frameworks', 'que saíram do cluster'),
      L.table(null, cols, (s.completed_frameworks || []).map(row), 'Nenhum.'),
    ] };
  }
  async function framework(args) {
    var s = await state();
    var f = frameworksById(s)[args[0]];
    if (!f) throw new Error('O master não conhece o framework ' + args[0] + '.');
    return { title: 'Framework ' + f.name, nodes: [
      el('p', null, el('a', { href: '#/frameworks' }, '← Frameworks')),
      L.heading(1, 'Framework ' + f.name),
      L.facts([['ID', f.id], ['Name', f.name], ['Host', f.hostname], ['User', f.user], ['Role', f.role || '*'],
        ['Web UI', f.webui_url || '—'], ['Registered', L.fmtTime(f.registered_time)], ['Active', f.active ? 'sim' : 'não'],
        ['Failover timeout', L.fmtNum(f.failover_timeout, 0) + ' s']], 'Dados do framework'),
      L.heading(2, 'Resources', 'recursos'),
      L.facts([['Used', L.fmtRes(f.used_resources)], ['Offered', L.fmtRes(f.offered_resources)]], 'Recursos do framework'),
      L.heading(2, 'Offers', 'ofertas pendentes'),
      L.table(null, [{ label: 'ID' }, { label: 'Agent' }, { label: 'Resources' }], (f.offers || []).map(function (o) {
        return [o.id, agentLink(s, o.slave_id), L.fmtRes(o.resources)];
      }), 'Nenhuma oferta pendente para este framework agora.'),
      L.heading(2, 'Active Tasks', 'tarefas ativas'),
      tasksTable(s, null, f.tasks || [], 'Nenhuma tarefa ativa.', false),
      L.heading(2, 'Completed Tasks', 'tarefas terminadas'),
      tasksTable(s, null, (f.completed_tasks || []).slice(-50).reverse(), 'Nenhuma tarefa terminada.', true),
    ] };
  }

  // ------------------------------------------------------------------ Offers
  async function offers() {
    var s = await state();
    var rows = [];
    (s.frameworks || []).forEach(function (f) {
      (f.offers || []).forEach(function (o) {
        rows.push([o.id, frameworkLink(s, f.id), agentLink(s, o.slave_id), L.fmtNum(o.resources.cpus),
          L.fmtMem(o.resources.mem), L.fmtMem(o.resources.disk), o.resources.ports || '—']);
      });
    });
    return { title: 'Offers', nodes: [
      L.heading(1, 'Offers', 'ofertas de recursos'),
      L.hint('O master oferece os recursos livres de cada agente a um framework; o framework aceita (lançando tarefas) ou recusa. ' +
        'Uma oferta costuma durar pouco, por isso esta lista muitas vezes está vazia.'),
      L.table(null, [{ label: 'ID' }, { label: 'Framework' }, { label: 'Agent' }, { label: 'CPUs', num: true },
        { label: 'Mem', num: true }, { label: 'Disk', num: true }, { label: 'Ports' }], rows, 'Nenhuma oferta pendente agora.'),
    ] };
  }

  // ------------------------------------------------------------------ Tasks
  async function tasks() {
    var s = await state();
    var t = allTasks(s);
    return { title: 'Tasks', nodes: [
      L.heading(1, 'Tasks', 'tarefas'),
      L.hint('Cada tarefa roda num agente por conta de um framework. Abra uma tarefa para ver o histórico de estados, ou a sandbox para ver stdout e stderr.'),
      L.heading(2, 'Active Tasks', 'tarefas ativas'),
      tasksTable(s, null, t.active, 'Nenhuma tarefa ativa agora.', false),
      L.heading(2, 'Completed Tasks', 'tarefas terminadas'),
      tasksTable(s, null, t.completed.slice(-100).reverse(), 'Nenhuma tarefa terminou ainda.', true),
    ] };
  }
  async function task(args) {
    var s = await state();
    var t = allTasks(s);
    var found = t.active.concat(t.completed).filter(function (x) { return x.framework_id === args[0] && x.id === args[1]; })[0];
    if (!found) throw new Error('O master não conhece a tarefa ' + args[1] + ' (tarefas terminadas antigas saem da lista).');
    return { title: 'Task ' + found.id, nodes: [
      el('p', null, el('a', { href: '#/tasks' }, '← Tasks')),
      L.heading(1, 'Task ' + found.id),
      L.facts([['Name', found.name], ['State', stateBadge(found.state)], ['Framework', frameworkLink(s, found.framework_id)],
        ['Agent', agentLink(s, found.slave_id)], ['Resources', L.fmtRes(found.resources)],
        ['Sandbox', el('a', { href: '#/sandbox/' + enc(found.slave_id) + '/' + enc(found.framework_id) + '/' + enc(found.id) }, 'Abrir a sandbox')]],
        'Dados da tarefa'),
      L.heading(2, 'State history', 'histórico de estados'),
      L.hint('Cada atualização de estado que o agente mandou ao master, da mais antiga à mais nova.'),
      L.table(null, [{ label: 'State' }, { label: 'Time' }], (found.statuses || []).map(function (x) {
        return [stateBadge(x.state), L.fmtTime(x.timestamp)];
      }), 'Nenhuma atualização de estado ainda.'),
    ] };
  }

  L.start({ service: 'Mesos', routes: [
    { re: /^\/$/, view: overview, name: 'Overview' },
    { re: /^\/agents$/, view: agents, name: 'Agents' },
    { re: /^\/agents\/([^/]+)$/, view: agent, name: 'Agent' },
    { re: /^\/agents\/([^/]+)\/browse$/, view: browse, name: 'Sandbox' },
    { re: /^\/agents\/([^/]+)\/read$/, view: readFile, name: 'Sandbox' },
    { re: /^\/sandbox\/([^/]+)\/([^/]+)\/([^/]+)$/, view: sandbox, name: 'Sandbox' },
    { re: /^\/frameworks$/, view: frameworks, name: 'Frameworks' },
    { re: /^\/frameworks\/([^/]+)$/, view: framework, name: 'Framework' },
    { re: /^\/offers$/, view: offers, name: 'Offers' },
    { re: /^\/tasks$/, view: tasks, name: 'Tasks' },
    { re: /^\/tasks\/([^/]+)\/([^/]+)$/, view: task, name: 'Task' },
  ] });
})();
`;
