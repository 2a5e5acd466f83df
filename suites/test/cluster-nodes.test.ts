// --node / --node-cmd / target.nodes: parsing and resolution (suites/src/runner/nodes.ts), and the
// node each transcript entry names (harness/transcript.ts).
import { describe, expect, it } from 'vitest';
import { NodeList, nodeFlagProblem, parseNodeFlag, resolveNodes } from '../src/runner/nodes.ts';
import { Transcript, nodeOfLabel } from '../src/harness/transcript.ts';

describe('--node', () => {
  it('parses ws=URL,http=URL in either order and drops trailing slashes', () => {
    expect(parseNodeFlag('ws=ws://127.0.0.1:6001/,http=http://127.0.0.1:6001')).toEqual({ ws: 'ws://127.0.0.1:6001', http: 'http://127.0.0.1:6001' });
    expect(parseNodeFlag('http=https://a.example/,ws=wss://a.example')).toEqual({ ws: 'wss://a.example', http: 'https://a.example' });
  });

  it.each([
    ['ws://127.0.0.1:6001', 'expected ws=URL,http=URL'],
    ['ws=ws://a:1', 'missing http=URL'],
    ['http=http://a:1', 'missing ws=URL'],
    ['ws=ws://a:1,http=http://a:1,ws=ws://b:1', 'ws= given twice'],
    ['ws=ws://a:1,http=http://a:1,key=x', "unknown part 'key'"],
    ['ws=http://a:1,http=http://a:1', 'ws:// or wss://'],
    ['ws=ws://a:1,http=ws://a:1', 'http:// or https://'],
  ])('refuses %s with a plain reason', (value, reason) => {
    expect(nodeFlagProblem(value)).toContain(reason);
    expect(() => parseNodeFlag(value)).toThrow(reason);
  });

  it('resolves flags over the config file, and commands one per node', () => {
    const file = [
      { ws: 'ws://f:1', http: 'http://f:1', cmd: 'run f1' },
      { ws: 'ws://f:2', http: 'http://f:2', cmd: 'run f2' },
    ];
    expect(resolveNodes({ flags: [], commands: [] })).toBeUndefined();
    expect(resolveNodes({ flags: [], commands: [], file })).toEqual({ nodes: [{ ws: 'ws://f:1', http: 'http://f:1' }, { ws: 'ws://f:2', http: 'http://f:2' }], nodeCommands: ['run f1', 'run f2'] });
    const flags = ['ws=ws://a:1,http=http://a:1', 'ws=ws://b:1,http=http://b:1'];
    expect(resolveNodes({ flags, commands: [], file })).toEqual({ nodes: [{ ws: 'ws://a:1', http: 'http://a:1' }, { ws: 'ws://b:1', http: 'http://b:1' }] });
    expect(resolveNodes({ flags, commands: ['x', 'y'] })).toMatchObject({ nodeCommands: ['x', 'y'] });
    expect(resolveNodes({ flags: flags.slice(0, 1), commands: [] })).toContain('at least 2 --node');
    expect(resolveNodes({ flags, commands: ['x'] })).toContain('1 --node-cmd for 2 nodes');
    expect(resolveNodes({ flags: [], commands: ['x'] })).toContain('--node-cmd starts the nodes');
    expect(resolveNodes({ flags, commands: ['x', ' '] })).toContain('must not be empty');
  });

  it('the config file needs two nodes or none', () => {
    expect(NodeList.safeParse([{ ws: 'ws://a:1', http: 'http://a:1' }]).success).toBe(false);
    expect(NodeList.safeParse([{ ws: 'ws://a:1', http: 'http://a:1' }, { ws: 'ws://b:1', http: 'http://b:1', cmd: 'x' }]).success).toBe(true);
    expect(NodeList.safeParse([{ ws: 'ws://a:1', http: 'http://a:1' }, { ws: 'ws://b:1', http: 'http://b:1', port: 1 }]).success).toBe(false);
  });
});

describe('transcript entries of a cluster target', () => {
  it('name the node of the connection or request, and nothing for a single node', () => {
    expect(nodeOfLabel('c3@n2')).toBe('n2');
    expect(nodeOfLabel('r1@n1')).toBe('n1');
    expect(nodeOfLabel('c1')).toBeUndefined();
    expect(nodeOfLabel('c1@')).toBeUndefined();
    const t = new Transcript();
    t.add('ws-out', '{}', 'c1@n2');
    t.add('http-out', 'GET /', 'r1');
    t.note('n');
    expect(t.entries().map((e) => e.node)).toEqual(['n2', undefined, undefined]);
  });
});
