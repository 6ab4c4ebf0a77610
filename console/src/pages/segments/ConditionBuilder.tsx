// The condition builder: groups (all / any), rules (attribute, operator, value), saved segments, each negatable.
import { ActionIcon, Autocomplete, Button, Card, Checkbox, Group, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  COMMON_ATTRIBUTES,
  childrenOf,
  isGroup,
  needsValue,
  newRule,
  OPERATORS,
  type Operator,
  type Rule,
  valueFromText,
  valueToText,
  withChildren,
} from './conditionParts.js';
import type { Condition } from './queries.js';

type NodeProps = {
  condition: Condition;
  onChange(next: Condition): void;
  onRemove?: () => void;
  /** "1", "2.1": where the node is, so every field has a label of its own. */
  position: string;
  segments: string[];
};

export function ConditionBuilder({
  condition,
  onChange,
  segments,
}: {
  condition: Condition;
  onChange(next: Condition): void;
  segments: string[];
}) {
  return <ConditionNode condition={condition} onChange={onChange} position="1" segments={segments} />;
}

/** `{not: x}` is shown as x with its "not" box ticked; ticking wraps, unticking unwraps. */
function ConditionNode({ condition, onChange, onRemove, position, segments }: NodeProps) {
  const { t } = useTranslation();
  const negated = 'not' in condition;
  const inner = 'not' in condition ? condition.not : condition;
  const change = (next: Condition) => onChange(negated ? { not: next } : next);
  const negate = (
    <Checkbox
      label={t('segments.builder.not')}
      aria-label={t('segments.builder.notOf', { position })}
      checked={negated}
      onChange={(e) => onChange(e.currentTarget.checked ? { not: inner } : inner)}
    />
  );
  const remove = onRemove && (
    <ActionIcon
      variant="subtle"
      color="red"
      onClick={onRemove}
      aria-label={t('segments.builder.removeOf', { position })}
      title={t('segments.builder.remove')}
    >
      ×
    </ActionIcon>
  );

  if (isGroup(inner)) {
    const children = childrenOf(inner);
    const setChildren = (next: Condition[]) => change(withChildren(inner, next));
    return (
      <Card
        withBorder
        padding="sm"
        component="fieldset"
        style={{ minWidth: 0 }}
        data-testid={`condition-${position}`}
        aria-label={t('segments.builder.groupOf', { position })}
      >
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="sm" wrap="wrap">
            <NativeSelect
              aria-label={t('segments.builder.matchOf', { position })}
              value={'all' in inner ? 'all' : 'any'}
              data={[
                { value: 'all', label: t('segments.builder.all') },
                { value: 'any', label: t('segments.builder.any') },
              ]}
              onChange={(e) => change(e.currentTarget.value === 'all' ? { all: children } : { any: children })}
            />
            {negate}
          </Group>
          {remove}
        </Group>
        <Stack gap="xs" mt="xs" pl={{ base: 0, sm: 'md' }}>
          {children.map((child, i) => (
            <ConditionNode
              // Conditions have no ids; the position is what identifies a row while it is edited.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              key={i}
              condition={child}
              position={`${position}.${i + 1}`}
              segments={segments}
              onChange={(next) => setChildren(children.map((c, j) => (j === i ? next : c)))}
              onRemove={children.length > 1 ? () => setChildren(children.filter((_, j) => j !== i)) : undefined}
            />
          ))}
          <Group gap="xs" wrap="wrap">
            <Button size="xs" variant="light" onClick={() => setChildren([...children, newRule()])}>
              {t('segments.builder.addRule')}
            </Button>
            <Button size="xs" variant="light" onClick={() => setChildren([...children, { all: [newRule()] }])}>
              {t('segments.builder.addGroup')}
            </Button>
            <Button
              size="xs"
              variant="light"
              disabled={segments.length === 0}
              onClick={() => setChildren([...children, { segment: segments[0] }])}
            >
              {t('segments.builder.addSegment')}
            </Button>
          </Group>
        </Stack>
      </Card>
    );
  }

  if ('segment' in inner) {
    return (
      <Group gap="sm" align="flex-end" wrap="wrap" data-testid={`condition-${position}`}>
        <NativeSelect
          label={t('segments.builder.inSegment')}
          aria-label={t('segments.builder.segmentOf', { position })}
          value={inner.segment}
          data={segments.includes(inner.segment) ? segments : [inner.segment, ...segments]}
          onChange={(e) => change({ segment: e.currentTarget.value })}
        />
        {negate}
        {remove}
      </Group>
    );
  }

  return (
    <RuleRow rule={inner as Rule} onChange={change} position={position}>
      {negate}
      {remove}
    </RuleRow>
  );
}

function RuleRow({
  rule,
  onChange,
  position,
  children,
}: {
  rule: Rule;
  onChange(next: Rule): void;
  position: string;
  children: React.ReactNode;
}) {
  const { t } = useTranslation();
  const op = rule.op as Operator;
  return (
    <Group gap="sm" align="flex-end" wrap="wrap" data-testid={`condition-${position}`}>
      <Autocomplete
        label={t('segments.builder.attribute')}
        aria-label={t('segments.builder.attributeOf', { position })}
        data={COMMON_ATTRIBUTES}
        value={rule.attribute}
        onChange={(attribute) => onChange({ ...rule, attribute })}
        w={{ base: '100%', sm: 240 }}
      />
      <NativeSelect
        label={t('segments.builder.operator')}
        aria-label={t('segments.builder.operatorOf', { position })}
        value={op}
        data={OPERATORS.map((o) => ({ value: o, label: t(`segments.op.${o}`) }))}
        onChange={(e) => {
          const next = e.currentTarget.value as Operator;
          const value = valueFromText(next, valueToText(rule.value));
          onChange(value === undefined ? { attribute: rule.attribute, op: next } : { ...rule, op: next, value });
        }}
      />
      {needsValue(op) && (
        <TextInput
          label={t('segments.builder.value')}
          aria-label={t('segments.builder.valueOf', { position })}
          description={
            op === 'in'
              ? t('segments.builder.valueList')
              : op === 'within' || op === 'not_within'
                ? t('segments.builder.valueDuration')
                : undefined
          }
          value={valueToText(rule.value)}
          onChange={(e) => onChange({ ...rule, value: valueFromText(op, e.currentTarget.value) })}
          w={{ base: '100%', sm: 180 }}
        />
      )}
      {children}
    </Group>
  );
}
