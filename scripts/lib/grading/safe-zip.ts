// Reads ZIP archives that come from students without trusting them: everything stays in memory (no
// path is ever created from an entry name), and an archive is refused as a whole when an entry name
// could escape a folder (`..`, absolute, drive letters, backslashes), is a link, is encrypted, or when
// the number of entries, the sizes or the compression ratio pass the limits.
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  maxEntries: number;
  /** Uncompressed bytes of one entry. */
  maxEntryBytes: number;
  /** Uncompressed bytes of all entries together. */
  maxTotalBytes: number;
  /** Uncompressed / compressed, checked for entries larger than 64 KiB. */
  maxRatio: number;
}

/** Limits for one student's `entrega` archive (a few KB of JSON and YAML in practice). */
export const SUBMISSION_LIMITS: ZipLimits = {
  maxEntries: 500,
  maxEntryBytes: 5 * 1024 * 1024,
  maxTotalBytes: 20 * 1024 * 1024,
  maxRatio: 200,
};

/** Limits for Moodle's "Download all submissions" zip (stored student files). */
export const MOODLE_LIMITS: ZipLimits = {
  maxEntries: 20_000,
  maxEntryBytes: 50 * 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024 * 1024,
  maxRatio: 200,
};

export type ZipProblem = 'corrompido' | 'perigoso' | 'grande-demais';

export class ZipRefused extends Error {
  constructor(
    readonly problem: ZipProblem,
    /** Portuguese, for the feedback. */
    message: string,
  ) {
    super(message);
    this.name = 'ZipRefused';
  }
}

export interface ZipEntryInfo {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  mtime: Date;
  isDirectory: boolean;
  private: { localOffset: number };
}

function corrupt(detail: string): ZipRefused {
  return new ZipRefused('corrompido', `O arquivo zip está corrompido ou incompleto (${detail}).`);
}

/** Why an entry name is unsafe, or undefined. */
export function unsafeName(name: string): string | undefined {
  if (name.includes('\0')) return 'um nome com caractere nulo';
  if (name.startsWith('/') || name.startsWith('\\')) return `um caminho absoluto (${name})`;
  if (/^[a-zA-Z]:/.test(name)) return `um caminho com letra de unidade (${name})`;
  if (name.includes('\\')) return `um caminho com barra invertida (${name})`;
  if (name.split('/').some((p) => p === '..')) return `um caminho que sai da pasta (${name})`;
  return undefined;
}

function dosDate(date: number, time: number): Date {
  return new Date(
    1980 + (date >> 9),
    ((date >> 5) & 0xf) - 1,
    date & 0x1f,
    time >> 11,
    (time >> 5) & 0x3f,
    (time & 0x1f) * 2,
  );
}

/** The central directory, checked against the limits; names NFC-normalised. */
export function listZip(zip: Buffer, limits: ZipLimits): ZipEntryInfo[] {
  if (zip.length < 22) throw corrupt('menor que o mínimo de um zip');
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt('não é um zip');
  const count = zip.readUInt16LE(eocd + 10);
  const cdSize = zip.readUInt32LE(eocd + 12);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) {
    throw new ZipRefused(
      'grande-demais',
      'O arquivo zip usa o formato ZIP64, grande demais para uma entrega.',
    );
  }
  if (count > limits.maxEntries) {
    throw new ZipRefused(
      'grande-demais',
      `O arquivo zip tem ${count} arquivos; o limite é ${limits.maxEntries}.`,
    );
  }
  if (cdOffset + cdSize > zip.length) throw corrupt('diretório central fora do arquivo');
  const out: ZipEntryInfo[] = [];
  let p = cdOffset;
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== 0x02014b50)
      throw corrupt('diretório central inválido');
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const time = zip.readUInt16LE(p + 12);
    const date = zip.readUInt16LE(p + 14);
    const crc = zip.readUInt32LE(p + 16);
    const compressedSize = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const external = zip.readUInt32LE(p + 38);
    const localOffset = zip.readUInt32LE(p + 42);
    if (p + 46 + nameLen > zip.length) throw corrupt('nome fora do arquivo');
    const name = zip
      .subarray(p + 46, p + 46 + nameLen)
      .toString('utf8')
      .normalize('NFC');
    p += 46 + nameLen + extraLen + commentLen;
    const bad = unsafeName(name);
    if (bad) throw new ZipRefused('perigoso', `O arquivo zip tem ${bad}; por segurança ele não foi aberto.`);
    const mode = (external >>> 16) & 0o170000;
    if (mode === 0o120000) {
      throw new ZipRefused(
        'perigoso',
        `O arquivo zip tem um link simbólico (${name}); por segurança ele não foi aberto.`,
      );
    }
    if (flags & 0x1) throw new ZipRefused('perigoso', `O arquivo zip tem arquivos com senha (${name}).`);
    const isDirectory = name.endsWith('/');
    if (!isDirectory && method !== 0 && method !== 8)
      throw corrupt(`método de compressão ${method} em ${name}`);
    if (size > limits.maxEntryBytes) {
      throw new ZipRefused(
        'grande-demais',
        `O arquivo ${name} dentro do zip tem ${mib(size)}; o limite é ${mib(limits.maxEntryBytes)}.`,
      );
    }
    if (size > 65_536 && size / Math.max(compressedSize, 1) > limits.maxRatio) {
      throw new ZipRefused(
        'grande-demais',
        `O arquivo ${name} dentro do zip se expande ${Math.round(size / Math.max(compressedSize, 1))} vezes (uma "bomba zip"); o limite é ${limits.maxRatio}.`,
      );
    }
    total += size;
    if (total > limits.maxTotalBytes) {
      throw new ZipRefused('grande-demais', `O zip descompactado passaria de ${mib(limits.maxTotalBytes)}.`);
    }
    out.push({
      name,
      method,
      compressedSize,
      size,
      crc,
      mtime: dosDate(date, time),
      isDirectory,
      private: { localOffset },
    });
  }
  return out;
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} MiB`
    : `${Math.ceil(bytes / 1024)} KiB`;
}

/** One entry's bytes: never more than its declared size (an archive that lies is corrupt). */
export function readEntry(zip: Buffer, entry: ZipEntryInfo): Buffer {
  const lo = entry.private.localOffset;
  if (lo + 30 > zip.length || zip.readUInt32LE(lo) !== 0x04034b50)
    throw corrupt(`cabeçalho de ${entry.name}`);
  const start = lo + 30 + zip.readUInt16LE(lo + 26) + zip.readUInt16LE(lo + 28);
  if (start + entry.compressedSize > zip.length) throw corrupt(`${entry.name} termina fora do arquivo`);
  const raw = zip.subarray(start, start + entry.compressedSize);
  let data: Buffer;
  if (entry.method === 0) data = Buffer.from(raw);
  else {
    try {
      data = inflateRawSync(raw, { maxOutputLength: Math.max(entry.size, 1) });
    } catch {
      throw corrupt(`${entry.name} não descompacta`);
    }
  }
  if (data.length !== entry.size) throw corrupt(`${entry.name} tem tamanho diferente do declarado`);
  if (crc32(data) !== entry.crc) throw corrupt(`${entry.name} não confere (CRC)`);
  return data;
}

/** Every file of a small archive, checked; directories skipped. */
export function readZipSafely(zip: Buffer, limits: ZipLimits): { name: string; data: Buffer; mtime: Date }[] {
  return listZip(zip, limits)
    .filter((e) => !e.isDirectory)
    .map((e) => ({ name: e.name, data: readEntry(zip, e), mtime: e.mtime }));
}
