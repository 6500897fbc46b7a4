// Family tracing: an officer types a family's enquiry and sees the likely matches among the org's
// decrypted person records, best first. Confirming a match adds a dated note to that person's
// record (sealed like any edit); the enquiry itself is never stored or sent.
import { useMemo, useState } from 'preact/hooks';
import { m, type AlertMessageKey } from '../alerts/messages.ts';
import type { Person } from '#model/records';
import type { OpenedRecords } from '../records.ts';
import type { NameWay } from '../search/names.ts';
import { buildTracingIndex, traceEnquiry, type Enquiry, type TracingCandidate } from './match.ts';

/** How a word of the enquiry met the record, in the officer's language. */
const wayLabel: Record<NameWay, () => string> = {
  same: () => m('tracing.way.same'),
  start: () => m('tracing.way.start'),
  sound: () => m('tracing.way.sound'),
  spelling: () => m('tracing.way.spelling'),
  joined: () => m('tracing.way.joined'),
};

export interface TracingPanelProps {
  opened: OpenedRecords;
  onShow: (id: string) => void;
  onTraced: (person: Person, note: string) => Promise<void>;
}

export function TracingPanel({ opened, onShow, onTraced }: TracingPanelProps) {
  const [enquiry, setEnquiry] = useState<Enquiry>({ name: '' });
  const [results, setResults] = useState<TracingCandidate[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const index = useMemo(
    () => buildTracingIndex(opened.persons, new Map(opened.communities.map((community) => [community.id, community.name]))),
    [opened],
  );
  const persons = useMemo(() => new Map(opened.persons.map((person) => [person.id, person])), [opened]);
  const communities = useMemo(() => new Map(opened.communities.map((community) => [community.id, community.name])), [opened]);
  const set = (key: keyof Enquiry) => (event: Event) => setEnquiry({ ...enquiry, [key]: (event.currentTarget as HTMLInputElement).value });

  async function confirm(person: Person) {
    const note = m('tracing.note', { date: new Date().toISOString().slice(0, 10) });
    await onTraced(person, note);
    setNotice(m('tracing.recorded', { name: person.name }));
    setResults(null);
    setEnquiry({ name: '' });
  }

  return (
    <section class="tracing" data-testid="tracing-panel">
      <h3>{m('tracing.title')}</h3>
      <p class="hint">{m('tracing.hint')}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setNotice(null);
          setResults(traceEnquiry(index, enquiry));
        }}
      >
        <label>
          {m('tracing.name')}
          <input name="tracingName" required maxLength={200} value={enquiry.name} onInput={set('name')} />
        </label>
        <label>
          {m('tracing.nationality')}
          <input name="tracingNationality" maxLength={2} value={enquiry.nationality ?? ''} onInput={set('nationality')} />
        </label>
        <label>
          {m('tracing.place')}
          <input name="tracingPlace" maxLength={200} value={enquiry.lastPlace ?? ''} onInput={set('lastPlace')} />
        </label>
        <label>
          {m('tracing.date')}
          <input name="tracingDate" type="date" value={enquiry.lastSeen ?? ''} onInput={set('lastSeen')} />
        </label>
        <button type="submit">{m('tracing.search')}</button>
      </form>
      {notice && (
        <p class="status-line" role="status" data-testid="tracing-notice">
          {notice}
        </p>
      )}
      {results && results.length === 0 && <p data-testid="tracing-none">{m('tracing.none')}</p>}
      {results && results.length > 0 && (
        <>
          <p>{m('tracing.count', { count: results.length })}</p>
          <ol class="tracing-results" data-testid="tracing-results">
            {results.map((candidate) => {
              const person = persons.get(candidate.id);
              if (!person) return null;
              const last = person.history.at(-1);
              return (
                <li key={candidate.id} data-testid="tracing-candidate">
                  <strong>{person.name}</strong>
                  {person.nameLatin && ` (${person.nameLatin})`} · {person.nationality} · {person.status}
                  {person.communityId && communities.get(person.communityId) && ` · ${communities.get(person.communityId)}`}
                  {last?.placeName && ` · ${last.placeName}`}
                  <div class="hint">
                    {m('tracing.reasons', {
                      reasons: candidate.reasons.map((reason) => m(`tracing.reason.${reason}` as AlertMessageKey)).join(', '),
                      matched: candidate.nameWords.matched,
                      of: candidate.nameWords.of,
                    })}{' '}
                    · {m('tracing.score', { score: candidate.score })}
                  </div>
                  <ul class="hint pairings" data-testid="tracing-pairings">
                    {candidate.pairings.map((pairing) => (
                      <li key={pairing.query}>
                        {m('tracing.pairing', { query: pairing.query, record: pairing.record, way: wayLabel[pairing.way]() })}
                      </li>
                    ))}
                  </ul>
                  <button type="button" class="secondary small" onClick={() => onShow(person.id)}>
                    {m('tracing.show')}
                  </button>{' '}
                  <button type="button" class="small" onClick={() => void confirm(person)}>
                    {m('tracing.confirm')}
                  </button>
                </li>
              );
            })}
          </ol>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setResults(null);
              setNotice(m('tracing.closed'));
            }}
          >
            {m('tracing.notFound')}
          </button>
        </>
      )}
    </section>
  );
}
