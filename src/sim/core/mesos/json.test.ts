import { describe, expect, it } from 'vitest';
import { dbl, formatDouble, jsonResponse, stringify } from './json.ts';
import {
  containsResources,
  parseResources,
  rangesString,
  resourcesJson,
  subtractResources,
} from './resources.ts';

describe('Mesos JSON writer', () => {
  it('writes doubles as %#.15g with trailing zeros trimmed, always with a decimal point', () => {
    expect(formatDouble(1)).toBe('1.0');
    expect(formatDouble(0)).toBe('0.0');
    expect(formatDouble(0.1)).toBe('0.1');
    expect(formatDouble(2048)).toBe('2048.0');
    expect(formatDouble(604800)).toBe('604800.0');
    expect(formatDouble(0.25)).toBe('0.25');
    expect(formatDouble(1764117520.123456)).toBe('1764117520.12346');
    expect(formatDouble(-3.5)).toBe('-3.5');
  });

  it('keeps integers integral, marks doubles, escapes slashes and control characters', () => {
    expect(stringify({ a: 1, b: dbl(1), c: 'a/b', d: 'x"y\\z\n\u0001', e: [true, null] })).toBe(
      '{"a":1,"b":1.0,"c":"a\\/b","d":"x\\"y\\\\z\\n\\u0001","e":[true,null]}',
    );
    expect(JSON.parse(stringify({ p: 'zk://zookeeper:2181/mesos' })).p).toBe('zk://zookeeper:2181/mesos');
  });

  it('wraps the body for JSONP', async () => {
    const plain = jsonResponse(new Request('http://x/state'), { a: dbl(2) });
    expect(plain.headers.get('content-type')).toBe('application/json');
    expect(await plain.text()).toBe('{"a":2.0}');
    const wrapped = jsonResponse(new Request('http://x/state?jsonp=angular.callbacks._0'), { a: dbl(2) });
    expect(wrapped.headers.get('content-type')).toBe('text/javascript');
    expect(await wrapped.text()).toBe('angular.callbacks._0({"a":2.0});');
  });
});

describe('resources', () => {
  it('parses MESOS_RESOURCES and writes the HTTP shape (gpus always, ports as a string)', () => {
    const r = parseResources('cpus:2;mem:1024;disk:2048;ports:[31000-31009]');
    expect(r).toEqual({ cpus: 2, mem: 1024, disk: 2048, gpus: 0, ports: [{ begin: 31000, end: 31009 }] });
    expect(stringify(resourcesJson(r))).toBe(
      '{"disk":2048.0,"mem":1024.0,"gpus":0.0,"cpus":2.0,"ports":"[31000-31009]"}',
    );
    expect(stringify(resourcesJson(parseResources('cpus:0.5')))).toBe(
      '{"disk":0.0,"mem":0.0,"gpus":0.0,"cpus":0.5}',
    );
  });

  it('subtracts port ranges and checks containment', () => {
    const r = parseResources('cpus:2;mem:1024;ports:[31000-31009]');
    const used = { cpus: 0.5, mem: 100, disk: 0, gpus: 0, ports: [{ begin: 31003, end: 31004 }] };
    const left = subtractResources(r, used);
    expect(rangesString(left.ports)).toBe('[31000-31002, 31005-31009]');
    expect(left.cpus).toBe(1.5);
    expect(containsResources(r, used)).toBe(true);
    expect(containsResources(left, used)).toBe(false);
    expect(containsResources(r, { ...used, ports: [{ begin: 31010, end: 31010 }] })).toBe(false);
  });
});
