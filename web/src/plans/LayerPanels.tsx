// The plan's details and its layers as editable lists. Every change goes through the pure helpers
// in draft.ts and comes back as a new plan value.
import { alertLevel, contactRoles, hazardTypes, isRealWarning, planStatuses, transportModes, type Plan } from '#plans';
import { m as alertText, type AlertMessageKey } from '../alerts/messages.ts';
import { addContact, addTask, addTrigger, countryCodes, removeItem, updateItem, type ItemLayer, type PlaceLayer } from './draft.ts';
import type { Org } from './actions.ts';
import { ContactPhone } from './ContactPhone.tsx';
import { m, type PlanMessageKey } from './messages.ts';

const value = (event: Event) => (event.currentTarget as HTMLInputElement).value;
/** The option a select rendered from `options` has picked, typed as one of them (undefined for an empty choice). */
const picked = <Option extends string>(event: Event, options: readonly Option[]) => options.find((option) => option === value(event));
const checked = (event: Event) => (event.currentTarget as HTMLInputElement).checked;
const words = (text: string) => text.replace(/_/g, ' ');

export function PlanDetails({
  plan,
  orgs,
  ownOrgId,
  sharedWith,
  editable,
  onChange,
  onShare,
}: {
  plan: Plan;
  orgs: Org[];
  ownOrgId: string;
  sharedWith: string[];
  editable: boolean;
  onChange: (plan: Plan) => void;
  onShare: (ids: string[]) => void;
}) {
  const partners = orgs.filter((org) => org.id !== ownOrgId);
  function toggle(org: Org, on: boolean) {
    const ids = on ? [...new Set([...sharedWith, org.id])] : sharedWith.filter((id) => id !== org.id);
    onShare(ids);
    onChange({ ...plan, partners: partners.filter((item) => ids.includes(item.id)).map((item) => item.name) });
  }
  return (
    <fieldset class="plan-details" disabled={!editable} data-testid="plan-details">
      <label>
        {m('field.title')}
        <input name="title" value={plan.title} onInput={(event) => onChange({ ...plan, title: value(event) })} />
      </label>
      <label>
        {m('field.scenario')}
        <select
          name="scenario"
          value={plan.scenario}
          onChange={(event) => {
            const scenario = picked(event, hazardTypes);
            if (scenario) onChange({ ...plan, scenario });
          }}
        >
          {hazardTypes.map((type) => (
            <option value={type}>{words(type)}</option>
          ))}
        </select>
      </label>
      <label>
        {m('field.status')}
        <select
          name="status"
          value={plan.status}
          onChange={(event) => {
            const status = picked(event, planStatuses);
            if (status) onChange({ ...plan, status });
          }}
        >
          {planStatuses.map((status) => (
            <option value={status}>{words(status)}</option>
          ))}
        </select>
      </label>
      <label>
        {m('field.reviewDate')}
        <input
          type="date"
          name="reviewDate"
          value={plan.reviewDate}
          onInput={(event) => value(event) && onChange({ ...plan, reviewDate: value(event) })}
        />
      </label>
      <label>
        {m('field.ownerAgency')}
        <input name="ownerAgency" value={plan.ownerAgency} onInput={(event) => onChange({ ...plan, ownerAgency: value(event) })} />
      </label>
      <div class="partners" data-testid="partners">
        <span>{m('field.partners')}</span>
        {partners.map((org) => (
          <label class="check" key={org.id}>
            <input type="checkbox" checked={sharedWith.includes(org.id)} onChange={(event) => toggle(org, checked(event))} /> {org.name}{' '}
            <small>({org.kind})</small>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function NameInput({ name, onName }: { name: string; onName: (name: string) => void }) {
  return <input class="item-name" aria-label={m('field.name')} value={name} onInput={(event) => onName(value(event))} />;
}

function NumberInput({ label, number, onNumber }: { label: PlanMessageKey; number: number; onNumber: (number: number) => void }) {
  return (
    <label class="inline">
      {m(label)}
      <input
        type="number"
        min="0"
        value={number}
        onInput={(event) => {
          const parsed = Number.parseInt(value(event), 10);
          if (Number.isFinite(parsed) && parsed >= 0) onNumber(parsed);
        }}
      />
    </label>
  );
}

function Item({
  testId,
  children,
  onRemove,
  onMove,
  moving,
}: {
  testId: string;
  children: preact.ComponentChildren;
  onRemove: () => void;
  onMove?: () => void;
  moving?: boolean;
}) {
  return (
    <li class={moving ? 'plan-item moving' : 'plan-item'} data-testid={testId}>
      {children}
      {onMove && (
        <button type="button" class="secondary small" aria-pressed={moving === true} onClick={onMove}>
          {m('item.move')}
        </button>
      )}
      <button type="button" class="secondary small" onClick={onRemove}>
        {m('item.remove')}
      </button>
    </li>
  );
}

export function LayerLists({
  plan,
  onChange,
  onMove,
  moving,
}: {
  plan: Plan;
  onChange: (plan: Plan) => void;
  onMove?: (layer: PlaceLayer, id: string) => void;
  moving?: { layer: PlaceLayer; id: string } | null;
}) {
  const isMoving = (layer: PlaceLayer, id: string) => moving?.layer === layer && moving.id === id;
  const update = <Layer extends ItemLayer>(layer: Layer, id: string, changes: Partial<Plan[Layer][number]>) =>
    onChange(updateItem(plan, layer, id, changes));
  const remove = (layer: ItemLayer, id: string) => onChange(removeItem(plan, layer, id));
  const none = <p class="hint">{m('item.none')}</p>;
  return (
    <div class="layer-lists">
      <h4>{m('layer.hazardZones')}</h4>
      {plan.hazardZones.length === 0 && none}
      <ul>
        {plan.hazardZones.map((zone) => (
          <Item key={zone.id} testId="hazard-zone-item" onRemove={() => remove('hazardZones', zone.id)}>
            <NameInput name={zone.name} onName={(name) => update('hazardZones', zone.id, { name })} />
            <select
              aria-label={m('field.alertLevel')}
              value={zone.alertLevel ?? ''}
              onChange={(event) => update('hazardZones', zone.id, { alertLevel: picked(event, alertLevel.options) })}
            >
              <option value="">-</option>
              {alertLevel.options.map((level) => (
                <option value={level}>{words(level)}</option>
              ))}
            </select>
            <small>{zone.source}</small>
            {zone.cap && !isRealWarning(zone.cap) && (
              <small class="not-real-label" data-testid="hazard-zone-not-real">
                {alertText(`status.${zone.cap.status}` as AlertMessageKey)}
              </small>
            )}
          </Item>
        ))}
      </ul>
      {(['assemblyPoints', 'shelters'] as const).map((layer) => (
        <>
          <h4>{m(`layer.${layer}`)}</h4>
          {plan[layer].length === 0 && none}
          <ul>
            {plan[layer].map((place) => (
              <Item
                key={place.id}
                testId={layer === 'assemblyPoints' ? 'assembly-point-item' : 'shelter-item'}
                onRemove={() => remove(layer, place.id)}
                {...(onMove ? { onMove: () => onMove(layer, place.id) } : {})}
                moving={isMoving(layer, place.id)}
              >
                <NameInput name={place.name} onName={(name) => update(layer, place.id, { name })} />
                <NumberInput
                  label="field.capacity"
                  number={place.capacity}
                  onNumber={(capacity) => update(layer, place.id, { capacity })}
                />
              </Item>
            ))}
          </ul>
        </>
      ))}
      <h4>{m('layer.routes')}</h4>
      {plan.routes.length === 0 && none}
      <ul>
        {plan.routes.map((route) => (
          <Item key={route.id} testId="route-item" onRemove={() => remove('routes', route.id)}>
            <NameInput name={route.name} onName={(name) => update('routes', route.id, { name })} />
            <select
              aria-label={m('field.mode')}
              value={route.mode}
              onChange={(event) => {
                const mode = picked(event, transportModes);
                if (mode) update('routes', route.id, { mode });
              }}
            >
              {transportModes.map((mode) => (
                <option value={mode}>{mode}</option>
              ))}
            </select>
          </Item>
        ))}
      </ul>
      <h4>{m('layer.borderCrossings')}</h4>
      {plan.borderCrossings.length === 0 && none}
      <ul>
        {plan.borderCrossings.map((crossing) => (
          <Item
            key={crossing.id}
            testId="crossing-item"
            onRemove={() => remove('borderCrossings', crossing.id)}
            {...(onMove ? { onMove: () => onMove('borderCrossings', crossing.id) } : {})}
            moving={isMoving('borderCrossings', crossing.id)}
          >
            <NameInput name={crossing.name} onName={(name) => update('borderCrossings', crossing.id, { name })} />
            <input
              class="short"
              aria-label={m('field.countries')}
              value={crossing.countries.join(', ')}
              onChange={(event) => {
                const codes = countryCodes(value(event));
                if (codes.length === 2) update('borderCrossings', crossing.id, { countries: [codes[0]!, codes[1]!] });
              }}
            />
            <label class="check">
              <input
                type="checkbox"
                checked={crossing.open}
                onChange={(event) => update('borderCrossings', crossing.id, { open: checked(event) })}
              />{' '}
              {m('field.open')}
            </label>
          </Item>
        ))}
      </ul>
      <h4>{m('layer.contacts')}</h4>
      <ul>
        {plan.contacts.map((contact) => (
          <Item key={contact.id} testId="contact-item" onRemove={() => remove('contacts', contact.id)}>
            <NameInput name={contact.name} onName={(name) => update('contacts', contact.id, { name })} />
            <input
              aria-label={m('field.organisation')}
              value={contact.organisation}
              onInput={(event) => update('contacts', contact.id, { organisation: value(event) })}
            />
            <select
              aria-label={m('field.role')}
              value={contact.role}
              onChange={(event) => {
                const role = picked(event, contactRoles);
                if (role) update('contacts', contact.id, { role });
              }}
            >
              {contactRoles.map((role) => (
                <option value={role}>{words(role)}</option>
              ))}
            </select>
            <ContactPhone
              phone={contact.phone}
              area={plan.area}
              label={m('field.phone')}
              testId="contact-phone-reading"
              onPhone={(phone) => update('contacts', contact.id, { phone })}
            />
            <input
              aria-label={m('field.email')}
              type="email"
              value={contact.email ?? ''}
              onChange={(event) => update('contacts', contact.id, { email: value(event) || undefined })}
            />
            <input
              aria-label={m('field.nationalities')}
              value={contact.nationalitiesServed.join(', ')}
              onChange={(event) => update('contacts', contact.id, { nationalitiesServed: countryCodes(value(event)) })}
            />
          </Item>
        ))}
      </ul>
      <button type="button" class="secondary small" onClick={() => onChange(addContact(plan))}>
        {m('item.add')}: {m('layer.contacts')}
      </button>
      <h4>{m('layer.triggers')}</h4>
      <ul>
        {plan.triggers.map((trigger) => (
          <Item key={trigger.id} testId="trigger-item" onRemove={() => remove('triggers', trigger.id)}>
            <input
              aria-label={m('field.condition')}
              value={trigger.condition}
              onInput={(event) => update('triggers', trigger.id, { condition: value(event) })}
            />
            <select
              aria-label={m('field.alertLevel')}
              value={trigger.alertLevel}
              onChange={(event) => {
                const level = picked(event, alertLevel.options);
                if (level) update('triggers', trigger.id, { alertLevel: level });
              }}
            >
              {alertLevel.options.map((level) => (
                <option value={level}>{words(level)}</option>
              ))}
            </select>
            <textarea
              aria-label={m('field.actions')}
              value={trigger.actions.join('\n')}
              onChange={(event) => {
                const actions = (event.currentTarget as HTMLTextAreaElement).value
                  .split('\n')
                  .map((line) => line.trim())
                  .filter(Boolean);
                if (actions.length) update('triggers', trigger.id, { actions });
              }}
            />
          </Item>
        ))}
      </ul>
      <button type="button" class="secondary small" onClick={() => onChange(addTrigger(plan))}>
        {m('item.add')}: {m('layer.triggers')}
      </button>
      <h4>{m('layer.tasks')}</h4>
      <ul>
        {plan.tasks.map((task) => (
          <Item key={task.id} testId="task-item" onRemove={() => remove('tasks', task.id)}>
            <input
              aria-label={m('field.taskTitle')}
              value={task.title}
              onInput={(event) => update('tasks', task.id, { title: value(event) })}
            />
            <input aria-label={m('field.role')} value={task.role} onInput={(event) => update('tasks', task.id, { role: value(event) })} />
            <input
              aria-label={m('field.owner')}
              value={task.owner ?? ''}
              onInput={(event) => update('tasks', task.id, { owner: value(event) || undefined })}
            />
            <input
              type="date"
              aria-label={m('field.due')}
              value={task.due ?? ''}
              onInput={(event) => update('tasks', task.id, { due: value(event) || undefined })}
            />
            <label class="check">
              <input type="checkbox" checked={task.done} onChange={(event) => update('tasks', task.id, { done: checked(event) })} />{' '}
              {m('field.done')}
            </label>
          </Item>
        ))}
      </ul>
      <button type="button" class="secondary small" onClick={() => onChange(addTask(plan))}>
        {m('item.add')}: {m('layer.tasks')}
      </button>
    </div>
  );
}
