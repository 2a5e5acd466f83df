// StrykerJS ignorer plugins of the mutation run (stryker.config.mjs `ignorers`). Each names why a
// class of mutants says nothing about the suite: Stryker reports them as "ignored", with the reason.
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

/** `faults.has('x')`, `app.faults.has('x')`, `app?.faults.has('x')`, `anyFaults.has('x')` */
function isFaultCheck(node) {
  if (!node || (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression')) return false;
  const callee = node.callee;
  if (!callee || (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression')) return false;
  if (callee.property.type !== 'Identifier' || callee.property.name !== 'has') return false;
  if (node.arguments.length !== 1 || node.arguments[0].type !== 'StringLiteral') return false;
  const obj = callee.object;
  if (obj.type === 'Identifier') return /faults$/i.test(obj.name);
  return (obj.type === 'MemberExpression' || obj.type === 'OptionalMemberExpression') && obj.property.type === 'Identifier' && obj.property.name === 'faults';
}

/** true when `test` can only hold with a fault switched on (a fault check, or a conjunction holding one) */
function needsFault(test) {
  if (!test) return false;
  if (isFaultCheck(test)) return true;
  if (test.type === 'LogicalExpression' && test.operator === '&&') return needsFault(test.left) || needsFault(test.right);
  return false;
}

/** `!faults.has('x')` (true whenever the fault is off) */
const isNoFault = (node) => node?.type === 'UnaryExpression' && node.operator === '!' && isFaultCheck(node.argument);

const FAULT_REASON = 'fault switch: named faults are the self-test\'s planted bugs and every one is off in the mutation run, so mutating the switch or the code only a fault reaches is equivalent by construction';

/**
 * The named-fault machinery (reference-server/src/faults.ts) is not protocol handling: a fault
 * check, its negation, and the code that only runs when a fault is on.
 */
const faultBranches = {
  shouldIgnore(path) {
    const node = path.node;
    // a conjunction holding a fault check is false whenever faults are off, whatever its other operands
    if (needsFault(node) || isNoFault(node)) return FAULT_REASON;
    // `limit + (faults.has('x') ? 1 : 0)`: the fault's offset is 0, so + and - are the same
    if (node.type === 'BinaryExpression' && [node.left, node.right].some((o) => o.type === 'ConditionalExpression' && needsFault(o.test) && o.alternate.type === 'NumericLiteral' && o.alternate.value === 0)) return FAULT_REASON;
    const parent = path.parent;
    if (!parent) return undefined;
    if ((parent.type === 'IfStatement' || parent.type === 'ConditionalExpression') && path.key === 'consequent' && needsFault(parent.test)) return FAULT_REASON;
    if (parent.type === 'ConditionalExpression' && path.key === 'alternate' && isNoFault(parent.test)) return FAULT_REASON;
    return undefined;
  },
};

const MESSAGE_CALLEES = /^(ProtocolError|RestError|refuse|rejected|[A-Za-z]*Error)$/;
const calleeName = (callee) => (callee.type === 'Identifier' ? callee.name : (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && callee.property.type === 'Identifier' ? callee.property.name : undefined);

/**
 * Human-readable text: the message (and clause id) of a protocol or REST error, the reason of a
 * WebSocket close. Protocol literals (event names, codes, prefixes) come from spec/src, never from
 * a literal here, so a string argument of these calls is prose a client is not meant to parse.
 */
const errorMessages = {
  shouldIgnore(path) {
    const node = path.node;
    if (node.type !== 'StringLiteral' && node.type !== 'TemplateLiteral') return undefined;
    const parent = path.parent;
    if (!parent || (parent.type !== 'CallExpression' && parent.type !== 'NewExpression' && parent.type !== 'OptionalCallExpression') || path.listKey !== 'arguments') return undefined;
    const name = calleeName(parent.callee);
    if (name === undefined) return undefined;
    if (MESSAGE_CALLEES.test(name)) return 'error message or clause id: prose for people, not a protocol literal';
    if (name === 'close' && path.key === 1) return 'WebSocket close reason: prose for people (the close code is what the protocol defines)';
    return undefined;
  },
};

export const strykerPlugins = [declareValuePlugin(PluginKind.Ignore, 'fault-branches', faultBranches), declareValuePlugin(PluginKind.Ignore, 'error-messages', errorMessages)];
