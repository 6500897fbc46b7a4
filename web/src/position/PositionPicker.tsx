// Where a community or a person is, in the capture and person forms (issue 16, part 1): the phone's
// GPS ("Use my position": high accuracy, refined while the person waits, works offline), a tap on
// the map, or coordinates typed in decimal or degrees, minutes and seconds. The position keeps its
// source and, for GPS and map taps, how far off it may be; the officer sees both (PositionText).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Position } from '#model/records';
import { t } from '../i18n/index.ts';
import { GOOD_ACCURACY_M, LOCATE_SECONDS, qualityOf } from './accuracy.ts';
import { readCoordinates } from './coordinates.ts';

/** A position as the officer reads it: coordinates, where they came from, and how far off they may be. */
export function PositionText({ position }: { position: Position }) {
  return (
    <span class={`position quality-${qualityOf(position)}`} data-testid="position-text">
      <bdi dir="ltr">
        {position.lat.toFixed(5)}, {position.lon.toFixed(5)}
      </bdi>{' '}
      · {t(`position.source.${position.source ?? 'unknown'}`)}
      {position.accuracy !== undefined && <> · {t('position.accuracy', { metres: Math.round(position.accuracy) })}</>}
    </span>
  );
}

type Locating =
  | { state: 'idle' }
  | { state: 'locating'; accuracy: number | null }
  | { state: 'failed'; message: string }
  | { state: 'done'; accuracy: number };

/** Watches the GPS until a good fix, LOCATE_SECONDS, or Stop; each better fix is passed on as it comes. */
function useLocate(onPosition: (position: Position) => void) {
  const [locating, setLocating] = useState<Locating>({ state: 'idle' });
  const stopRef = useRef<(() => void) | null>(null);
  useEffect(() => () => stopRef.current?.(), []);

  function start() {
    stopRef.current?.();
    if (!('geolocation' in navigator)) return setLocating({ state: 'failed', message: t('position.unsupported') });
    setLocating({ state: 'locating', accuracy: null });
    let best: number | null = null;
    const finish = (next: Locating) => {
      navigator.geolocation.clearWatch(watch);
      clearTimeout(timer);
      stopRef.current = null;
      setLocating(next);
    };
    /** Ends the search: on the best fix found, when there was one; else as `otherwise` says. */
    const end = (otherwise: Locating) => finish(best !== null ? { state: 'done', accuracy: best } : otherwise);
    const watch = navigator.geolocation.watchPosition(
      ({ coords }) => {
        if (best !== null && coords.accuracy >= best) return;
        best = coords.accuracy;
        onPosition({ lon: coords.longitude, lat: coords.latitude, source: 'gps', accuracy: Math.round(coords.accuracy) });
        if (coords.accuracy <= GOOD_ACCURACY_M) finish({ state: 'done', accuracy: coords.accuracy });
        else setLocating({ state: 'locating', accuracy: coords.accuracy });
      },
      (error) => {
        // A timeout after a first fix keeps that fix; before one, it is a failure like the others.
        const message =
          error.code === error.PERMISSION_DENIED
            ? t('position.denied')
            : error.code === error.TIMEOUT
              ? t('position.timeout', { seconds: LOCATE_SECONDS })
              : t('position.unavailable');
        end({ state: 'failed', message });
      },
      { enableHighAccuracy: true, maximumAge: 0, timeout: LOCATE_SECONDS * 1000 },
    );
    // watchPosition's timeout runs per fix; this one ends the whole search.
    const timer = setTimeout(
      () => end({ state: 'failed', message: t('position.timeout', { seconds: LOCATE_SECONDS }) }),
      LOCATE_SECONDS * 1000,
    );
    stopRef.current = () => end({ state: 'idle' });
  }

  return { locating, start, stop: () => stopRef.current?.() };
}

export function PositionPicker({
  position,
  hint,
  onPosition,
}: {
  position: Position | null;
  /** What to say while there is no position yet. */
  hint: string;
  onPosition: (position: Position) => void;
}) {
  const { locating, start, stop } = useLocate(onPosition);
  // A position placed another way (a tap on the map, typed coordinates) ends the GPS search: a later
  // fix must not replace what the person chose.
  const placedOtherwise = position !== null && position.source !== 'gps';
  useEffect(() => {
    if (placedOtherwise) stop();
  }, [placedOtherwise, position?.lat, position?.lon]);
  const [typed, setTyped] = useState('');
  const [typedProblem, setTypedProblem] = useState<string | null>(null);

  function setTypedPosition() {
    const reading = readCoordinates(typed);
    if (!reading.ok) return setTypedProblem(t(`position.typed.problem.${reading.problem}`));
    setTypedProblem(null);
    stop();
    onPosition({ lon: reading.lon, lat: reading.lat, source: 'typed' });
  }

  const poor = position?.source === 'gps' && qualityOf(position) === 'poor' && locating.state !== 'locating';
  return (
    <fieldset class="position-picker" data-testid="position-picker">
      <legend>{t('community.location')}</legend>
      {position ? (
        <p class="hint" data-testid="pin">
          <PositionText position={position} />
        </p>
      ) : (
        <p class="hint">{hint}</p>
      )}
      <div class="actions wrap">
        {locating.state === 'locating' ? (
          <button type="button" class="secondary" onClick={stop}>
            {t('position.stop')}
          </button>
        ) : (
          <button type="button" class="secondary" onClick={start} data-testid="use-my-position">
            {t('position.useMine')}
          </button>
        )}
      </div>
      {locating.state === 'locating' && (
        <p class="status-line" role="status" data-testid="locating">
          {locating.accuracy === null ? t('position.locating') : t('position.improving', { metres: Math.round(locating.accuracy) })}
        </p>
      )}
      {locating.state === 'failed' && (
        <p class="warning" role="alert" data-testid="locate-problem">
          {locating.message}
        </p>
      )}
      {poor && position.accuracy !== undefined && (
        <p class="warning" data-testid="position-poor">
          {t('position.poor', { metres: Math.round(position.accuracy) })}
        </p>
      )}
      <label>
        {t('position.typed')}
        <span class="row">
          <input
            name="coordinates"
            dir="ltr"
            maxLength={80}
            value={typed}
            placeholder={`32.1167, 20.0667`}
            onInput={(event) => setTyped((event.currentTarget as HTMLInputElement).value)}
            onKeyDown={(event) => {
              // Enter sets the position instead of submitting the record's form.
              if (event.key === 'Enter') {
                event.preventDefault();
                setTypedPosition();
              }
            }}
          />
          <button type="button" class="secondary small" onClick={setTypedPosition} data-testid="set-coordinates">
            {t('position.typed.set')}
          </button>
        </span>
      </label>
      {typedProblem && (
        <p class="warning" role="alert" data-testid="coordinates-problem">
          {typedProblem}
        </p>
      )}
    </fieldset>
  );
}
