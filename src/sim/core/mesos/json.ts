// The JSON writer of Mesos 1.1 (stout's jsonify), as far as a client can see it:
// - doubles are written with `%#.15g` and trailing zeros trimmed, so they always carry a
//   decimal point (`1.0`, `0.5`, `1479211234.12346`); integers are written as integers;
// - strings escape `"`, `\`, `/` (as `\/`), the usual control characters, and other
//   characters below 0x20 as `\u00XX`;
// - object keys keep the order the handler wrote them in.
// Numbers in a value tree are integers unless wrapped with `dbl()`.

export class Double {
  constructor(readonly value: number) {}
}

/** Marks a number as a C++ double: it is written with a decimal point. */
export function dbl(value: number): Double {
  return new Double(value);
}

export type MesosJson =
  null | boolean | number | string | Double | MesosJson[] | { [key: string]: MesosJson };

/** Formats a double as stout does (`%#.15g`, trailing zeros removed but one kept after the point). */
export function formatDouble(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return value + '.0';
  // Fast path: when the shortest round-trip form has at most 15 significant digits and no
  // exponent, %.15g gives the same digits.
  const abs = Math.abs(value);
  if (abs >= 1e-4 && abs < 1e15) {
    const plain = String(value);
    if (!plain.includes('e') && plain.replace(/^-?0*\.?0*/, '').replace('.', '').length <= 15) {
      return plain.includes('.') ? plain : plain + '.0';
    }
  }
  const exp = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(15)))));
  let text: string;
  if (exp < -4 || exp >= 15) {
    // %g switches to scientific notation; C prints at least two exponent digits.
    const [mantissa, e] = value.toExponential(14).split('e');
    const sign = e.startsWith('-') ? '-' : '+';
    const digits = e.replace(/^[-+]/, '').padStart(2, '0');
    text = `${trimZeros(mantissa)}e${sign}${digits}`;
  } else {
    text = trimZeros(value.toFixed(Math.max(0, 14 - exp)));
  }
  return text;
}

function trimZeros(s: string): string {
  if (!s.includes('.')) return `${s}.0`;
  let end = s.length;
  while (end > 0 && s[end - 1] === '0') end--;
  if (s[end - 1] === '.') end++;
  return s.slice(0, end);
}

// Characters stout escapes: quote, backslash, slash and the C0 controls.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\/\u0000-\u001f]/;
// eslint-disable-next-line no-control-regex
const ESCAPES = /["\\/\u0000-\u001f]/g;
const SHORT: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

export function escapeString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  return (
    '"' +
    s.replace(ESCAPES, (ch) => SHORT[ch] ?? '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0')) +
    '"'
  );
}

export function stringify(value: MesosJson): string {
  return write(value);
}

function write(value: MesosJson): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isInteger(value) ? String(value) : formatDouble(value);
    case 'string':
      return escapeString(value);
  }
  if (value instanceof Double) return formatDouble(value.value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += write(value[i]);
    }
    return out + ']';
  }
  let out = '{';
  let first = true;
  for (const key in value) {
    const v = value[key];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += escapeString(key) + ':' + write(v);
  }
  return out + '}';
}

/**
 * A JSON answer as libprocess sends it: `application/json`, or with `?jsonp=cb` the body
 * `cb(<json>);` as `text/javascript`.
 */
export function jsonResponse(request: Request, value: MesosJson, status = 200): Response {
  return rawJsonResponse(request, stringify(value), status);
}

/** Like jsonResponse, for a body already written by stringify(). */
export function rawJsonResponse(request: Request, body: string, status = 200): Response {
  const q = request.url.indexOf('?');
  const jsonp = q === -1 ? null : new URLSearchParams(request.url.slice(q + 1)).get('jsonp');
  if (jsonp !== null) {
    return new Response(`${jsonp}(${body});`, {
      status,
      headers: { 'Content-Type': 'text/javascript' },
    });
  }
  return new Response(body, { status, headers: { 'Content-Type': 'application/json' } });
}
