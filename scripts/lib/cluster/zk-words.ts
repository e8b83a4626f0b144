// ZooKeeper's four-letter words over TCP (`ruok` → `imok`), as `nc` would send them.
import { connect } from 'node:net';

export function fourLetterWord(
  port: number,
  word: string,
  timeoutMs = 2000,
  host = '127.0.0.1',
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host });
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer to ${word} in ${timeoutMs} ms`)));
    socket.on('connect', () => socket.write(word));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

export async function zookeeperAnswers(port: number, timeoutMs = 2000): Promise<boolean> {
  try {
    return (await fourLetterWord(port, 'ruok', timeoutMs)) === 'imok';
  } catch {
    return false;
  }
}
