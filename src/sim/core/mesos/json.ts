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

export function escapeString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '/':
        out += '\\/';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default:
        out += code < 0x20 ? '\\u' + code.toString(16).padStart(4, '0') : ch;
    }
  }
  return out + '"';
}

export function stringify(value: MesosJson): string {
  const parts: string[] = [];
  write(value, parts);
  return parts.join('');
}

function write(value: MesosJson, out: string[]): void {
  if (value === null) {
    out.push('null');
  } else if (typeof value === 'boolean') {
    out.push(value ? 'true' : 'false');
  } else if (typeof value === 'number') {
    out.push(Number.isInteger(value) ? String(value) : formatDouble(value));
  } else if (typeof value === 'string') {
    out.push(escapeString(value));
  } else if (value instanceof Double) {
    out.push(formatDouble(value.value));
  } else if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i], out);
    }
    out.push(']');
  } else {
    out.push('{');
    let first = true;
    for (const key of Object.keys(value)) {
      const v = value[key];
      if (v === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(escapeString(key), ':');
      write(v, out);
    }
    out.push('}');
  }
}

/**
 * A JSON answer as libprocess sends it: `application/json`, or with `?jsonp=cb` the body
 * `cb(<json>);` as `text/javascript`.
 */
export function jsonResponse(request: Request, value: MesosJson, status = 200): Response {
  const jsonp = new URL(request.url).searchParams.get('jsonp');
  const body = stringify(value);
  if (jsonp !== null) {
    return new Response(`${jsonp}(${body});`, {
      status,
      headers: { 'Content-Type': 'text/javascript' },
    });
  }
  return new Response(body, { status, headers: { 'Content-Type': 'application/json' } });
}
