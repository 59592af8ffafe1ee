import type { BalanceCategory, CategoryRule, WorkItem } from './model.js';

/** An item's category and the rule that gave it (shown on each item). */
export interface Categorised {
  category: BalanceCategory;
  /** 1-based index into the rules, and a readable form: `#1 label tech-debt`, `#3 inherited from PAY-1`. */
  rule: number;
  because: string;
}

type Item = Pick<WorkItem, 'id' | 'team' | 'title' | 'type' | 'labels' | 'parent' | 'links'>;

/**
 * Maps each item to a Balance category: the first rule whose conditions all
 * hold wins. An `inherit: parent` rule gives an item its parent's category when
 * the parent is among the items (children inherit, transitively; a cycle
 * inherits nothing and falls through to the next rules). Items no rule matches
 * are `improve` (rule 0, "no rule matched").
 */
export function categorise(items: readonly Item[], rules: readonly CategoryRule[]): Map<string, Categorised> {
  const byId = new Map(items.map((item) => [item.id, item]));
  const result = new Map<string, Categorised>();
  const visiting = new Set<string>();
  const lower = rules.map(lowerRule);
  // One shared answer per matching rule: 200,000 items need 200,000 answers, not 200,000 new strings.
  const byRule = lower.map((rule, i): Categorised | null =>
    'inherit' in rule ? null : { category: rule.category, rule: i + 1, because: `#${i + 1} ${rule.text}` },
  );

  const of = (item: Item): Categorised => {
    const known = result.get(item.id);
    if (known) return known;
    visiting.add(item.id);
    let found: Categorised | null = null;
    for (let i = 0; i < lower.length && found === null; i++) {
      const rule = lower[i] as LowerRule;
      if ('inherit' in rule) {
        const parent = item.parent === null ? undefined : byId.get(item.parent);
        if (parent && !visiting.has(parent.id)) {
          const inherited = of(parent);
          found = { category: inherited.category, rule: i + 1, because: `#${i + 1} inherited from ${parent.id}` };
        }
      } else if (matches(rule, item)) {
        found = byRule[i] as Categorised;
      }
    }
    visiting.delete(item.id);
    const decided = found ?? NO_RULE;
    result.set(item.id, decided);
    return decided;
  };
  for (const item of items) of(item);
  return result;
}

const NO_RULE: Categorised = { category: 'improve', rule: 0, because: 'no rule matched' };

type LowerRule =
  | { inherit: 'parent' }
  | {
      category: BalanceCategory;
      type?: Set<string>;
      label?: Set<string>;
      titlePrefix?: string[];
      team?: Set<string>;
      parent?: Set<string>;
      linkedToDebt?: boolean;
      text: string;
    };

function lowerRule(rule: CategoryRule): LowerRule {
  if ('inherit' in rule) return rule;
  const set = (values: string[] | undefined) => (values ? new Set(values.map((v) => v.toLowerCase())) : undefined);
  const parts: string[] = [];
  if (rule.type) parts.push(`type ${rule.type.join('|')}`);
  if (rule.label) parts.push(`label ${rule.label.join('|')}`);
  if (rule.titlePrefix) parts.push(`title prefix ${rule.titlePrefix.join('|')}`);
  if (rule.team) parts.push(`team ${rule.team.join('|')}`);
  if (rule.parent) parts.push(`parent ${rule.parent.join('|')}`);
  if (rule.linkedToDebt) parts.push('linked to a debt item');
  const lowered: LowerRule = { category: rule.category, text: parts.length > 0 ? parts.join(', ') : 'everything else' };
  const type = set(rule.type);
  const label = set(rule.label);
  const team = rule.team ? new Set(rule.team) : undefined;
  const parent = rule.parent ? new Set(rule.parent) : undefined;
  if (type) lowered.type = type;
  if (label) lowered.label = label;
  if (team) lowered.team = team;
  if (parent) lowered.parent = parent;
  if (rule.titlePrefix) lowered.titlePrefix = rule.titlePrefix.map((p) => p.toLowerCase());
  if (rule.linkedToDebt !== undefined) lowered.linkedToDebt = rule.linkedToDebt;
  return lowered;
}

/** Types and labels repeat across items: each distinct one is lower-cased once. */
const lowered = new Map<string, string>();
function lower(text: string): string {
  let value = lowered.get(text);
  if (value === undefined) {
    if (lowered.size > 10_000) lowered.clear();
    lowered.set(text, (value = text.toLowerCase()));
  }
  return value;
}

function matches(rule: Exclude<LowerRule, { inherit: 'parent' }>, item: Item): boolean {
  if (rule.type && !rule.type.has(lower(item.type))) return false;
  if (rule.label) {
    let found = false;
    for (const l of item.labels) if (rule.label.has(lower(l))) found = true;
    if (!found) return false;
  }
  if (rule.titlePrefix) {
    const title = item.title.toLowerCase();
    if (!rule.titlePrefix.some((p) => title.startsWith(p))) return false;
  }
  if (rule.team && !rule.team.has(item.team)) return false;
  if (rule.parent && (item.parent === null || !rule.parent.has(item.parent))) return false;
  if (rule.linkedToDebt !== undefined && item.links.some((l) => l.startsWith('debt:')) !== rule.linkedToDebt) return false;
  return true;
}
