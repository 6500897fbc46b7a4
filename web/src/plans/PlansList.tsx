// The plans this organisation can open, and (for officers) the ways to start a new one.
import type { ComponentChildren } from 'preact';
import type { PlanListItem } from './actions.ts';
import { m } from './messages.ts';

interface Props {
  plans: PlanListItem[];
  canStart: boolean;
  /** The reference scenario a plan can start from, by name. */
  scenarioName: string;
  onBlank: () => void;
  onFromScenario: () => void;
  onOpen: (planId: string) => void;
  onRefresh: () => void;
  /** Shown under the list: the summaries panel. */
  children?: ComponentChildren;
}

export function PlansList({ plans, canStart, scenarioName, onBlank, onFromScenario, onOpen, onRefresh, children }: Props) {
  return (
    <section data-testid="plans-list">
      <h3>{m('title')}</h3>
      {canStart && (
        <p class="row">
          <button type="button" onClick={onBlank} data-testid="new-plan">
            {m('new.blank')}
          </button>
          <button type="button" class="secondary" onClick={onFromScenario} data-testid="new-from-scenario">
            {m('new.fromScenario')}: {scenarioName}
          </button>
        </p>
      )}
      {plans.length === 0 && <p class="hint">{m('list.none')}</p>}
      <ul class="plan-list">
        {plans.map((item) => (
          <li key={item.id}>
            <button type="button" class="link" onClick={() => onOpen(item.id)}>
              {item.title}
            </button>{' '}
            <small>
              {item.status.replace(/_/g, ' ')} · {m('list.version', { version: item.latestVersion })}
            </small>
          </li>
        ))}
      </ul>
      <button type="button" class="secondary small" onClick={onRefresh}>
        {m('list.refresh')}
      </button>
      {children}
    </section>
  );
}
