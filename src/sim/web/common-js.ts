// The small client library the three pages share (window.Lab): DOM building without innerHTML,
// same-origin fetch helpers, read-only JSONP for the Mesos agents, tables, a confirmation dialog,
// and a hash router that re-renders the current view every few seconds.
// Plain browser JavaScript kept as a string: no build step, served as /_lab/common.js.
// (No backticks or dollar-brace sequences inside: the text is a String.raw template.)
export const COMMON_JS = String.raw`
(function () {
  'use strict';
  var Lab = {};
  window.Lab = Lab;

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    if (typeof child === 'string' || typeof child === 'number') child = document.createTextNode(String(child));
    node.appendChild(child);
  }
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var SVG_TAGS = { svg: 1, g: 1, rect: 1, line: 1, path: 1, text: 1, title: 1, desc: 1, marker: 1, defs: 1, polygon: 1 };
  /** el('a', { href: '#/x', class: 'y', onclick: fn }, 'text', child, [more]) */
  function el(tag, attrs) {
    var node = SVG_TAGS[tag] ? document.createElementNS(SVG_NS, tag) : document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k.slice(0, 2) === 'on' && typeof v === 'function') node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, v === true ? '' : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }
  Lab.el = el;

  var NOT_RUNNING = 'Confira com npm run cluster -- status se o serviço está de pé.';
  async function request(method, url, body, contentType) {
    var init = { method: method, headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' };
    if (body !== undefined) { init.body = body; init.headers['Content-Type'] = contentType || 'application/json'; }
    var res;
    try { res = await fetch(url, init); }
    catch (e) { throw new Error('O serviço não respondeu ao pedido ' + method + ' ' + url + '. ' + NOT_RUNNING); }
    var text = await res.text();
    var json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    return { status: res.status, ok: res.ok, text: text, json: json };
  }
  Lab.request = request;
  Lab.getJSON = async function (url) {
    var r = await request('GET', url);
    if (!r.ok) throw new Error('GET ' + url + ' respondeu ' + r.status + '. ' + NOT_RUNNING);
    if (r.json === null) throw new Error('GET ' + url + ' não respondeu JSON.');
    return r.json;
  };
  Lab.getText = async function (url) {
    var r = await request('GET', url);
    if (!r.ok) throw new Error('GET ' + url + ' respondeu ' + r.status + '. ' + NOT_RUNNING);
    return r.text;
  };

  // Read-only JSONP (a script tag), as the Mesos web UI reads an agent on its own port: the
  // agents send no CORS headers, and this page must not add any.
  var jsonpSeq = 0;
  Lab.jsonp = function (url) {
    return new Promise(function (resolve, reject) {
      var name = '__labJsonp' + (++jsonpSeq);
      var script = document.createElement('script');
      var timer = setTimeout(function () { done(); reject(new Error('O agente não respondeu a tempo (' + url.split('?')[0] + '). ' + NOT_RUNNING)); }, 8000);
      function done() { clearTimeout(timer); delete window[name]; script.remove(); }
      window[name] = function (data) { done(); resolve(data); };
      script.onerror = function () { done(); reject(new Error('O agente não respondeu (' + url.split('?')[0] + '). ' + NOT_RUNNING)); };
      script.src = url + (url.indexOf('?') === -1 ? '?' : '&') + 'jsonp=' + name;
      document.head.appendChild(script);
    });
  };

  Lab.fmtTime = function (t) {
    if (t === null || t === undefined || t === '' || t === 0) return '—';
    var d = typeof t === 'number' ? new Date(t * 1000) : new Date(t);
    if (isNaN(d.getTime())) return String(t);
    return d.toLocaleString('pt-BR');
  };
  Lab.fmtNum = function (n, digits) {
    if (typeof n !== 'number' || isNaN(n)) return '—';
    return n.toLocaleString('pt-BR', { maximumFractionDigits: digits === undefined ? 2 : digits });
  };
  Lab.fmtMem = function (mb) { return typeof mb === 'number' ? Lab.fmtNum(mb, 0) + ' MB' : '—'; };
  Lab.fmtRes = function (r) {
    if (!r) return '—';
    var parts = [];
    if (r.cpus !== undefined) parts.push('cpus ' + Lab.fmtNum(r.cpus));
    if (r.mem !== undefined) parts.push('mem ' + Lab.fmtMem(r.mem));
    if (r.disk !== undefined) parts.push('disk ' + Lab.fmtMem(r.disk));
    if (r.ports) parts.push('ports ' + r.ports);
    return parts.join(' · ');
  };

  Lab.hint = function () {
    var p = el('p', { class: 'hint' });
    for (var i = 0; i < arguments.length; i++) append(p, arguments[i]);
    return p;
  };
  /** A heading with the real interface's name and, optionally, the Portuguese word beside it. */
  Lab.heading = function (level, name, pt) {
    return el('h' + level, null, name, pt ? el('span', { class: 'en' }, ' — ' + pt) : null);
  };
  Lab.facts = function (pairs, label) {
    var dl = el('dl', { class: 'facts', 'aria-label': label || null });
    pairs.forEach(function (p) { if (p) { dl.appendChild(el('dt', null, p[0])); dl.appendChild(el('dd', null, p[1])); } });
    return dl;
  };
  /** columns: [{ label, num }], rows: arrays of cells (strings or nodes). */
  Lab.table = function (caption, columns, rows, empty) {
    if (!rows.length) return el('p', { class: 'muted' }, empty || 'Nada para mostrar agora.');
    var head = el('tr', null, columns.map(function (c) { return el('th', { scope: 'col', class: c.num ? 'num' : null }, c.label); }));
    var body = rows.map(function (r) {
      return el('tr', null, r.map(function (cell, i) { return el('td', { class: columns[i] && columns[i].num ? 'num' : null }, cell); }));
    });
    return el('table', null, caption ? el('caption', null, caption) : null, el('thead', null, head), el('tbody', null, body));
  };
  Lab.badge = function (text, kind) { return el('span', { class: 'badge ' + (kind || 'muted') }, text); };
  Lab.errorBox = function (e) {
    return el('div', { class: 'error', role: 'alert' }, e && e.message ? e.message : String(e));
  };
  Lab.enc = encodeURIComponent;

  // ------------------------------------------------------------ live messages and the dialog
  Lab.announce = function (text, kind) {
    var box = document.getElementById('lab-msg');
    if (!box) return;
    box.className = 'msg ' + (kind || '');
    box.textContent = text;
  };

  /** Opens the shared dialog. opts: { title, body: [nodes], confirm, danger, onConfirm(): Promise<string|null> }
   *  onConfirm returns null when done (the dialog closes) or a node/string to show inside it. */
  Lab.openDialog = function (opts) {
    var dlg = document.getElementById('lab-dialog');
    dlg.textContent = '';
    var out = el('div', { class: 'msg', role: 'status', id: 'lab-dialog-out' });
    var ok = el('button', { type: 'submit', class: opts.danger ? 'danger' : 'primary' }, opts.confirm || 'Confirmar');
    var cancel = el('button', { type: 'button', onclick: function () { dlg.close(); } }, 'Cancelar');
    var form = el('form', { method: 'dialog' },
      el('h2', { id: 'lab-dialog-title' }, opts.title), opts.body || null, out,
      el('div', { class: 'actions' }, ok, cancel));
    form.addEventListener('submit', async function (ev) {
      ev.preventDefault();
      ok.disabled = true;
      out.textContent = 'Enviando…';
      try {
        var result = await opts.onConfirm();
        if (result === null || result === undefined) { dlg.close(); Lab.refresh(); return; }
        out.textContent = '';
        append(out, result);
      } catch (e) {
        out.textContent = e && e.message ? e.message : String(e);
      } finally {
        ok.disabled = false;
      }
    });
    dlg.setAttribute('aria-labelledby', 'lab-dialog-title');
    dlg.appendChild(form);
    dlg.showModal();
    var first = form.querySelector('input:not([type=checkbox]), textarea') || (opts.danger ? cancel : ok);
    first.focus();
  };

  // ------------------------------------------------------------ router and refresh
  var routes = [];
  var seq = 0;
  var lastHash = null;
  function keyOf(node) {
    return node.tagName + '|' + (node.getAttribute('href') || '') + '|' + node.textContent;
  }
  async function render(navigated) {
    var my = ++seq;
    var hash = location.hash.slice(1) || '/';
    var q = hash.indexOf('?');
    var path = q === -1 ? hash : hash.slice(0, q);
    var params = new URLSearchParams(q === -1 ? '' : hash.slice(q + 1));
    var view = document.getElementById('view');
    var match = null, route = null;
    for (var i = 0; i < routes.length && !match; i++) {
      match = routes[i].re.exec(path);
      if (match) route = routes[i];
    }
    var nodes;
    var title = 'Página não encontrada';
    if (!route) {
      nodes = [el('h1', null, title), el('p', null, 'Este endereço não existe nesta interface. ', el('a', { href: '#/' }, 'Voltar ao início'), '.')];
    } else {
      try {
        var out = await route.view(match.slice(1).map(function (s) { return decodeURIComponent(s); }), params);
        title = out.title;
        nodes = out.nodes;
      } catch (e) {
        title = 'Erro';
        nodes = [el('h1', null, route.name || 'Erro'), Lab.errorBox(e)];
      }
    }
    if (my !== seq) return;
    var active = document.activeElement;
    var focusKey = !navigated && active && view.contains(active) ? keyOf(active) : null;
    var scroll = window.scrollY;
    view.textContent = '';
    append(view, nodes);
    document.title = title + ' · ' + Lab.service + ' (cluster simulado)';
    document.querySelectorAll('header.top nav a').forEach(function (a) {
      var target = a.getAttribute('href').slice(1);
      var current = target === '/' ? path === '/' : path === target || path.indexOf(target + '/') === 0;
      if (current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    });
    var stamp = document.getElementById('lab-updated');
    if (stamp) stamp.textContent = 'Atualizado às ' + new Date().toLocaleTimeString('pt-BR');
    document.body.setAttribute('data-rendered', String(my));
    if (navigated) {
      var h1 = view.querySelector('h1');
      if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus(); }
    } else {
      window.scrollTo(0, scroll);
      if (focusKey) {
        var all = view.querySelectorAll('a, button, summary');
        for (var j = 0; j < all.length; j++) if (keyOf(all[j]) === focusKey) { all[j].focus(); break; }
      }
    }
  }
  Lab.refresh = function () { return render(false); };
  /** options: { service, routes: [{ re, view, name }], refreshMs } */
  Lab.start = function (options) {
    Lab.service = options.service;
    routes = options.routes;
    window.addEventListener('hashchange', function () { lastHash = location.hash; render(true); });
    lastHash = location.hash;
    render(false);
    setInterval(function () {
      var dlg = document.getElementById('lab-dialog');
      if (document.hidden || (dlg && dlg.open)) return;
      render(false);
    }, options.refreshMs || 3000);
  };
})();
`;
