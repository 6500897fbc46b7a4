// The requester's form: CSOs to ask, the area (clicked on the map or imported), nationalities
// (a consulate: those it serves), fields, purpose and expiry. Signed on this device and filed.
import { useMemo, useState } from 'preact/hooks';
import { releaseFieldNames, type ReleaseField } from '#crypto/protocol';
import type { Session } from '../session.ts';
import { fileRequest, type Org } from './actions.ts';
import { areaFromGeoJson, polygonFromVertices } from './area.ts';
import { AreaMap } from './AreaMap.tsx';
import { m, type ActivationMessageKey } from './messages.ts';
import type { Area } from './select.ts';

const DEFAULT_FIELDS: ReleaseField[] = ['headcount', 'location', 'nationality'];

export function RequestForm({
  session,
  myOrg,
  related,
  onFiled,
}: {
  session: Session;
  myOrg: Org | null;
  related: Org[];
  onFiled: (hash: string) => void;
}) {
  const csos = related.filter((org) => org.kind === 'cso');
  const served = myOrg?.kind === 'consulate' ? myOrg.nationalities : null;
  const [draft, setDraft] = useState<[number, number][]>([]);
  const [imported, setImported] = useState<Area | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const drawn = useMemo(() => (imported ? null : polygonFromVertices(draft)), [draft, imported]);
  const area = imported ?? (drawn?.ok ? drawn.area : null);

  async function onFile(event: Event) {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const result = areaFromGeoJson(await file.text());
    input.value = '';
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setError(null);
    setDraft([]);
    setImported(result.area);
    setNotice(m('form.areaImported', { count: result.positions }));
  }

  async function onSubmit(event: Event) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const orgIds = data.getAll('cso').map(String);
    const nationalities = served
      ? data.getAll('nationality').map(String)
      : String(data.get('nationalities') ?? '')
          .split(/[\s,;]+/)
          .map((code) => code.trim().toUpperCase())
          .filter(Boolean);
    const fields = data.getAll('field').map(String) as ReleaseField[];
    const purpose = String(data.get('purpose') ?? '');
    const days = Number(data.get('expiry'));
    const problem = !orgIds.length
      ? 'choose at least one CSO'
      : !area
        ? drawn && !drawn.ok
          ? drawn.message
          : 'draw or import the area'
        : !nationalities.length || nationalities.some((code) => !/^[A-Z]{2}$/.test(code))
          ? 'name the nationalities as two-letter codes'
          : !fields.length
            ? 'choose at least one field'
            : purpose.trim().length < 10
              ? 'say what the release is for, in at least 10 characters'
              : !(days >= 1 && days <= 30)
                ? 'the expiry is 1 to 30 days'
                : null;
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onFiled(await fileRequest(session, { orgIds, area: area!, nationalities, fields, purpose, expiresInDays: days }));
    } catch (reason) {
      setError((reason as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card activation-form" data-testid="activation-request-form" onSubmit={onSubmit}>
      <h2>{m('new')}</h2>
      <fieldset>
        <legend>{m('form.csos')}</legend>
        {csos.length === 0 && <p class="warning">{m('form.noCsos')}</p>}
        {csos.map((org) => (
          <label key={org.id} class="check">
            <input type="checkbox" name="cso" value={org.id} defaultChecked={csos.length === 1} /> {org.name}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{m('form.area')}</legend>
        <p class="hint">{m('form.areaHint')}</p>
        <AreaMap
          area={area}
          draft={draft}
          onClick={(position) => {
            setImported(null);
            setNotice(null);
            setDraft((points) => [...points, [Number(position[0].toFixed(6)), Number(position[1].toFixed(6))]]);
          }}
        />
        <div class="inline">
          <span data-testid="area-status">{imported ? notice : m('form.areaPoints', { count: draft.length })}</span>
          <button type="button" class="secondary" onClick={() => setDraft((points) => points.slice(0, -1))} disabled={!draft.length}>
            {m('form.areaUndo')}
          </button>
          <button type="button" class="secondary" onClick={() => (setDraft([]), setImported(null))}>
            {m('form.areaClear')}
          </button>
          <label class="file">
            {m('form.areaImport')}{' '}
            <input type="file" accept=".geojson,.json,application/geo+json,application/json" data-testid="area-file" onChange={onFile} />
          </label>
        </div>
      </fieldset>
      <fieldset>
        <legend>{m('form.nationalities')}</legend>
        {served ? (
          <>
            <p class="hint">{m('form.nationalitiesServed')}</p>
            {served.map((code) => (
              <label key={code} class="check">
                <input type="checkbox" name="nationality" value={code} defaultChecked /> {code}
              </label>
            ))}
          </>
        ) : (
          <label>
            {m('form.nationalitiesCodes')}
            <input name="nationalities" placeholder="NP, BD" />
          </label>
        )}
      </fieldset>
      <fieldset>
        <legend>{m('form.fields')}</legend>
        <p class="hint">{m('form.fieldsHint')}</p>
        {releaseFieldNames.map((field) => (
          <label key={field} class="check">
            <input type="checkbox" name="field" value={field} defaultChecked={DEFAULT_FIELDS.includes(field)} />{' '}
            {m(`field.${field}` as ActivationMessageKey)}
          </label>
        ))}
      </fieldset>
      <label>
        {m('form.purpose')}
        <textarea name="purpose" rows={3} minLength={10} maxLength={2000} required />
      </label>
      <label>
        {m('form.expiry')}
        <input name="expiry" type="number" min={1} max={30} defaultValue="7" required />
      </label>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {m('form.submit')}
      </button>
    </form>
  );
}
