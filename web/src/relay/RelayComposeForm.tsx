// Composing a relayed message (several languages, right-to-left included), filed and signed by an
// officer, to a CSO's own communities or those of a CSO this requester works with.
import { useState } from 'preact/hooks';
import type { Org } from '../activation/actions.ts';
import { areaFromGeoJson } from '../activation/area.ts';
import type { AnyArea } from '../activation/select.ts';
import type { RelayDraft } from '../alerts/AlertsWorkspace.tsx';
import { m } from '../alerts/messages.ts';
import { directionOf, languageLabel } from '../i18n/index.ts';
import type { Session } from '../session.ts';
import * as actions from './actions.ts';
import { relayFailure } from './failure.ts';
import { MESSAGE_LANGUAGES } from './languages.ts';

export interface RelayComposeFormProps {
  session: Session;
  draft: RelayDraft | null;
  area: AnyArea | null;
  onArea: (area: AnyArea) => void;
  targets: Pick<Org, 'id' | 'name'>[];
  onFiled: (hash: string) => void;
  onError: (text: string) => void;
}

export function RelayComposeForm({ session, draft, area, onArea, targets, onFiled, onError }: RelayComposeFormProps) {
  const [areaLabel, setAreaLabel] = useState(draft ? m('relay.form.areaFrom', { name: draft.areaName }) : m('relay.form.areaNone'));
  const [orgId, setOrgId] = useState('');
  const [nationalities, setNationalities] = useState((draft?.nationalities ?? []).join(', '));
  const [messages, setMessages] = useState<{ language: string; text: string }[]>([
    { language: 'ar', text: '' },
    { language: 'en', text: '' },
  ]);
  const [purpose, setPurpose] = useState(draft ? m('relay.form.purposeFromAlert', { purpose: draft.purpose }) : '');
  const [expiry, setExpiry] = useState(3);
  const [busy, setBusy] = useState(false);
  const target = orgId || targets[0]?.id || '';

  async function submit(event: Event) {
    event.preventDefault();
    const codes = nationalities
      .split(/[\s,;]+/)
      .map((code) => code.trim().toUpperCase())
      .filter(Boolean);
    const written = messages.filter((item) => item.text.trim());
    const problem = !area
      ? m('relay.form.areaNone')
      : !target
        ? m('relay.form.cso')
        : codes.length === 0 || codes.some((code) => !/^[A-Z]{2}$/.test(code))
          ? m('relay.form.nationalities')
          : written.length === 0 || new Set(written.map((item) => item.language)).size !== written.length
            ? m('relay.form.languages')
            : purpose.trim().length < 10
              ? m('relay.form.purpose')
              : null;
    if (problem) return onError(m('relay.form.invalid', { message: problem }));
    setBusy(true);
    try {
      onFiled(
        await actions.fileRelay(session, {
          orgId: target,
          area: area!,
          nationalities: [...new Set(codes)],
          messages: written,
          purpose,
          expiresInDays: expiry,
        }),
      );
    } catch (error) {
      onError(relayFailure(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form data-testid="relay-form" onSubmit={submit}>
      <h3>{m('relay.form.title')}</h3>
      <label>
        {m('relay.form.cso')}
        <select name="cso" value={target} onChange={(event) => setOrgId(event.currentTarget.value)}>
          {targets.map((org) => (
            <option key={org.id} value={org.id}>
              {org.id === session.identity.orgId ? m('relay.form.own', { name: org.name }) : org.name}
            </option>
          ))}
        </select>
      </label>
      <p data-testid="relay-area">
        {m('relay.form.area')}: {areaLabel}
      </p>
      <label>
        {m('relay.form.areaFile')}
        <input
          type="file"
          accept=".geojson,.json"
          onChange={async (event) => {
            const file = event.currentTarget.files?.[0];
            if (!file) return;
            const result = areaFromGeoJson(await file.text());
            if (!result.ok) return onError(result.message);
            onArea(result.area);
            setAreaLabel(file.name);
          }}
        />
      </label>
      <label>
        {m('relay.form.nationalities')}
        <input name="nationalities" value={nationalities} onInput={(event) => setNationalities(event.currentTarget.value)} />
      </label>
      <fieldset>
        <legend>{m('relay.form.languages')}</legend>
        {messages.map((item, index) => (
          <div class="relay-message" key={index}>
            <label>
              {m('relay.form.language')}
              <select
                name="language"
                value={item.language}
                onChange={(event) =>
                  setMessages(messages.map((other, at) => (at === index ? { ...other, language: event.currentTarget.value } : other)))
                }
              >
                {MESSAGE_LANGUAGES.map((code) => (
                  <option key={code} value={code}>
                    {languageLabel(code)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {m('relay.form.text')}
              <textarea
                name={`text-${item.language}`}
                lang={item.language}
                dir={directionOf(item.language)}
                rows={3}
                maxLength={1000}
                value={item.text}
                onInput={(event) =>
                  setMessages(messages.map((other, at) => (at === index ? { ...other, text: event.currentTarget.value } : other)))
                }
              />
            </label>
          </div>
        ))}
        <button
          type="button"
          class="secondary small"
          onClick={() =>
            setMessages([
              ...messages,
              { language: MESSAGE_LANGUAGES.find((code) => !messages.some((item) => item.language === code)) ?? 'en', text: '' },
            ])
          }
        >
          {m('relay.form.addLanguage')}
        </button>
      </fieldset>
      <label>
        {m('relay.form.purpose')}
        <textarea name="purpose" rows={2} maxLength={2000} value={purpose} onInput={(event) => setPurpose(event.currentTarget.value)} />
      </label>
      <label>
        {m('relay.form.expiry')}
        <input
          name="expiry"
          type="number"
          min={1}
          max={14}
          value={expiry}
          onInput={(event) => setExpiry(Math.min(14, Math.max(1, Number(event.currentTarget.value) || 1)))}
        />
      </label>
      <button type="submit" disabled={busy}>
        {m('relay.form.submit')}
      </button>
    </form>
  );
}
