// What the operations map's colours and circles mean (issue 16, part 4), folded away until asked
// for so it never covers the map on a phone.
import { statuses } from '#model/records';
import { formatNumber, t } from '../i18n/index.ts';
import { CLUSTER_COLOUR, HIGHLIGHT_COLOUR, headcountRadius, OTHER_STATUS_COLOUR, statusColours } from './colours.ts';

function Swatch({ colour, radius = 6, ring }: { colour: string; radius?: number; ring?: string }) {
  const size = radius * 2 + 4;
  return (
    <svg width={size} height={size} aria-hidden="true" class="swatch">
      <circle cx={size / 2} cy={size / 2} r={radius} fill={colour} stroke={ring ?? '#ffffff'} stroke-width={ring ? 2 : 1.5} />
    </svg>
  );
}

/** What the map shows now, for the legend's first line: the same count as the list beside it. */
export interface ShownOnMap {
  communities: number;
  people: number;
}

/** The communities a map draws and the people in them. */
export function shownOnMap(features: readonly { properties: { headcount: number } }[]): ShownOnMap {
  let people = 0;
  for (const feature of features) people += feature.properties.headcount;
  return { communities: features.length, people };
}

export function MapLegend({ shown }: { shown: ShownOnMap }) {
  const others = statuses.filter((status) => !statusColours[status]);
  return (
    <details class="map-legend" data-testid="map-legend">
      <summary>
        {t('map.legend')} ·{' '}
        <span data-testid="map-count" data-communities={String(shown.communities)} data-people={String(shown.people)}>
          {t('map.shown', shown)}
        </span>
      </summary>
      <ul>
        {statuses
          .filter((status) => statusColours[status])
          .map((status) => (
            <li key={status}>
              <Swatch colour={statusColours[status]!} /> {t(`status.${status}`)}
            </li>
          ))}
        <li>
          <Swatch colour={OTHER_STATUS_COLOUR} /> {others.map((status) => t(`status.${status}`)).join(', ')}
        </li>
        <li>
          {headcountRadius.map(([, radius]) => (
            <Swatch key={radius} colour={OTHER_STATUS_COLOUR} radius={radius} />
          ))}{' '}
          {t('map.legend.size', { people: headcountRadius.map(([people]) => formatNumber(people)).join(' · ') })}
        </li>
        <li>
          <Swatch colour={CLUSTER_COLOUR} radius={9} ring={HIGHLIGHT_COLOUR} /> {t('map.legend.cluster')}
        </li>
        <li>
          <Swatch colour={HIGHLIGHT_COLOUR} radius={7} ring={CLUSTER_COLOUR} /> {t('map.legend.pin')}
        </li>
      </ul>
    </details>
  );
}
