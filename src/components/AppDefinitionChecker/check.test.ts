import { describe, expect, it } from 'vitest';
import { checkText } from './check.ts';

describe('checkText (what the app definition checker shows)', () => {
  it('gives the 422 body of Marathon 1.3.6 for a rule violation', () => {
    const r = checkText('{"id": "/web", "cmd": "sleep 1", "instances": -1}');
    expect(r.kind).toBe('error');
    if (r.kind !== 'error') return;
    expect(r.status).toBe(422);
    expect(r.body.message).toBe('Object is not valid');
    expect(JSON.stringify(r.body.details)).toContain('/instances');
  });

  it('gives 400 for broken JSON and for an empty body', () => {
    const broken = checkText('{"id": ');
    expect(broken.kind === 'error' && broken.status).toBe(400);
    const empty = checkText('  ');
    expect(empty.kind === 'error' && empty.body.message).toBe('Please specify data in JSON format');
  });

  it('shows an accepted app as Marathon stores it, doubles with a decimal point', () => {
    const r = checkText('{"id": "web", "cmd": "python3 -m http.server $PORT0", "mem": 64}');
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.json).toContain('"id": "/web"');
    expect(r.json).toContain('"mem": 64.0');
    expect(r.json).toContain('"instances": 1');
  });
});
