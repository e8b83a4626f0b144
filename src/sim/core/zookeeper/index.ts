// The simulated ZooKeeper: data tree and sessions, the jute wire codec, the protocol engine
// and the four-letter words. The TCP adapter lives in src/sim/node/zookeeper-server.ts.
export * from './errors.ts';
export * from './database.ts';
export * from './jute.ts';
export * from './four-letter-words.ts';
export * from './protocol.ts';
