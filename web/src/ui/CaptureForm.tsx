// The short capture form for a community. Validated with the record schema before it is sealed;
// a field that is wrong says so next to the form, and nothing is saved.
import { useState } from 'preact/hooks';
import { t, type MessageKey } from '../i18n/index.ts';
import { community as communitySchema, needs, RECORD_SCHEMA_VERSION, siteTypes, statuses, type Community } from '../model/records.ts';
import { newId } from '../session.ts';

export interface CaptureFormProps {
  pin: { lon: number; lat: number } | null;
  memberId: string;
  onSave: (community: Community) => Promise<void>;
  onCancel: () => void;
}

export function CaptureForm({ pin, memberId, onSave, onCancel }: CaptureFormProps) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: Event) {
    event.preventDefault();
    if (!pin) return setError(t('capture.noPin'));
    const formElement = event.target as HTMLFormElement;
    const form = new FormData(formElement);
    const now = new Date().toISOString();
    const status = String(form.get('status')) as Community['status'];
    const contactName = String(form.get('contactName') ?? '').trim();
    const contactPhone = String(form.get('contactPhone') ?? '').trim();
    const candidate = {
      id: newId(),
      schemaVersion: RECORD_SCHEMA_VERSION,
      kind: 'community',
      updatedAt: now,
      updatedBy: memberId,
      name: String(form.get('name') ?? '').trim(),
      location: { lon: pin.lon, lat: pin.lat },
      headcount: { total: Number(form.get('headcount')) },
      nationalities: String(form.get('nationalities') ?? '')
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map((code) => ({ code: code.toUpperCase() })),
      languages: [],
      site: { type: String(form.get('siteType')) },
      ...(contactName ? { contact: { name: contactName, ...(contactPhone ? { phone: contactPhone } : {}) } } : {}),
      needs: form.getAll('needs').map(String),
      vulnerabilities: [],
      status,
      history: [{ at: now, status, location: { lon: pin.lon, lat: pin.lat } }],
    };
    const parsed = communitySchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return setError(`${issue.path.join('.')}: ${issue.message}`);
    }
    setBusy(true);
    setError(null);
    try {
      await onSave(parsed.data);
      formElement.reset();
    } catch (reason) {
      setError((reason as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card capture" onSubmit={onSubmit} data-testid="capture-form">
      <h2>{t('capture.title')}</h2>
      {!pin && <p class="hint">{t('capture.hint')}</p>}
      {pin && (
        <p class="hint" data-testid="pin">
          {pin.lat.toFixed(5)}, {pin.lon.toFixed(5)}
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <label>
        {t('capture.siteName')}
        <input name="name" required maxLength={200} />
      </label>
      <label>
        {t('capture.headcount')}
        <input name="headcount" type="number" inputMode="numeric" min={0} required />
      </label>
      <label>
        {t('capture.nationalities')}
        <input name="nationalities" required placeholder="NP, BD" />
      </label>
      <label>
        {t('capture.siteType')}
        <select name="siteType">
          {siteTypes.map((type) => (
            <option value={type}>{t(`site.${type}` as MessageKey)}</option>
          ))}
        </select>
      </label>
      <label>
        {t('capture.status')}
        <select name="status">
          {statuses.map((status) => (
            <option value={status}>{t(`status.${status}` as MessageKey)}</option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t('capture.needs')}</legend>
        {needs.map((need) => (
          <label class="check">
            <input type="checkbox" name="needs" value={need} /> {t(`need.${need}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      <label>
        {t('capture.contactName')}
        <input name="contactName" maxLength={200} />
      </label>
      <label>
        {t('capture.contactPhone')}
        <input name="contactPhone" type="tel" maxLength={40} />
      </label>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('form.working') : t('capture.save')}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          {t('capture.cancel')}
        </button>
      </div>
    </form>
  );
}
