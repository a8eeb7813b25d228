/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * Label and field selectors with the grammar of k8s.io/apimachinery/pkg/labels and
 * pkg/fields: `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)`,
 * `key notin (a,b)`, `key>1`, `key<1` for labels; `=`, `==` and `!=` for fields.
 */
import { badRequest } from './api-errors';

type Requirement =
  | { operator: 'exists' | 'notExists'; key: string }
  | { operator: 'in' | 'notIn'; key: string; values: string[] }
  | { operator: 'greaterThan' | 'lessThan'; key: string; value: number };

/** A parsed label selector; an empty one matches everything. */
export type LabelSelector = (labels: Record<string, string> | undefined) => boolean;

/** Splits on commas that are not inside a `(...)` value set. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const character of selector) {
    if (character === '(') depth += 1;
    if (character === ')') depth -= 1;
    if (character === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

function parseRequirement(text: string): Requirement {
  const setMatch = /^([^\s!=<>(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(text);
  if (setMatch) {
    const values = (setMatch[3] ?? '').split(',').map((value) => value.trim());
    return { operator: setMatch[2] === 'in' ? 'in' : 'notIn', key: setMatch[1] ?? '', values };
  }
  const comparison = /^([^\s!=<>(),]+)\s*(==|!=|=|>|<)\s*([^\s!=<>(),]*)$/.exec(text);
  if (comparison) {
    const key = comparison[1] ?? '';
    const operator = comparison[2];
    const value = comparison[3] ?? '';
    if (operator === '>' || operator === '<') {
      const number = Number(value);
      if (!Number.isInteger(number)) {
        throw badRequest(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer: "${value}"`);
      }
      return { operator: operator === '>' ? 'greaterThan' : 'lessThan', key, value: number };
    }
    return { operator: operator === '!=' ? 'notIn' : 'in', key, values: [value] };
  }
  const existence = /^(!?)\s*([^\s!=<>(),]+)$/.exec(text);
  if (existence) {
    return { operator: existence[1] === '!' ? 'notExists' : 'exists', key: existence[2] ?? '' };
  }
  throw badRequest(`unable to parse requirement: invalid label selector "${text}"`);
}

function matchesRequirement(requirement: Requirement, labels: Record<string, string>): boolean {
  const value = labels[requirement.key];
  switch (requirement.operator) {
    case 'exists':
      return value !== undefined;
    case 'notExists':
      return value === undefined;
    case 'in':
      return value !== undefined && requirement.values.includes(value);
    case 'notIn':
      // Like the real selector, `key!=v` and `key notin (...)` also match objects without the key.
      return value === undefined || !requirement.values.includes(value);
    case 'greaterThan':
      return value !== undefined && Number(value) > requirement.value;
    case 'lessThan':
      return value !== undefined && Number(value) < requirement.value;
  }
}

/** Parses a `labelSelector` query value; throws a 400 ApiError when it is malformed. */
export function parseLabelSelector(selector: string | null | undefined): LabelSelector {
  const requirements = splitRequirements(selector ?? '').map(parseRequirement);
  return (labels) => requirements.every((requirement) => matchesRequirement(requirement, labels ?? {}));
}

/** A parsed field selector over the fields the caller exposes for an object. */
export type FieldSelector = (fields: Record<string, string | undefined>) => boolean;

/**
 * Parses a `fieldSelector` query value. `supported` lists the field paths the resource allows;
 * another path is a 400, worded like the real server's.
 */
export function parseFieldSelector(selector: string | null | undefined, supported: string[]): FieldSelector {
  const terms = (selector ?? '')
    .split(',')
    .map((term) => term.trim())
    .filter((term) => term !== '')
    .map((term) => {
      const match = /^([^=!]+?)\s*(==|!=|=)\s*(.*)$/.exec(term);
      if (!match) throw badRequest(`invalid selector: '${term}'; can't understand '${term}'`);
      const field = match[1] ?? '';
      if (!supported.includes(field)) {
        throw badRequest(`field label not supported: ${field}`);
      }
      return { field, negate: match[2] === '!=', value: match[3] ?? '' };
    });
  return (fields) => terms.every((term) => (fields[term.field] === term.value) !== term.negate);
}
