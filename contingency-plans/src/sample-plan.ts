// A small, realistic example plan (flooding in Derna, Libya, after the 2023 dam failures): for
// tests, documentation and the web client's empty state. Names and numbers are invented.
import { type Plan, PLAN_SCHEMA_VERSION } from './model.ts';

export function samplePlan(): Plan {
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    id: 'derna-flood-2026',
    title: 'Derna flood evacuation of migrant workers',
    scenario: 'flood',
    area: {
      type: 'Polygon',
      coordinates: [
        [
          [22.55, 32.7],
          [22.72, 32.7],
          [22.72, 32.8],
          [22.55, 32.8],
          [22.55, 32.7],
        ],
      ],
    },
    ownerAgency: 'Derna Municipality Emergency Office',
    partners: ['Consulate of Nepal', 'Embassy of Bangladesh', 'Migrant Workers Network Libya'],
    reviewDate: '2027-03-01',
    status: 'active',
    hazardZones: [
      {
        id: 'wadi',
        name: 'Wadi Derna flood plain',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [22.63, 32.74],
              [22.65, 32.74],
              [22.66, 32.77],
              [22.645, 32.775],
              [22.63, 32.74],
            ],
          ],
        },
        source: 'drawn',
        alertLevel: 'red',
      },
    ],
    assemblyPoints: [
      { id: 'port', name: 'Derna port', lon: 22.655, lat: 32.768, capacity: 400 },
      { id: 'stadium', name: 'Al-Bayda road stadium', lon: 22.6, lat: 32.75, capacity: 1200 },
    ],
    shelters: [{ id: 'school', name: 'Omar Al-Mukhtar school', lon: 22.58, lat: 32.745, capacity: 300 }],
    routes: [
      {
        id: 'coast-road',
        name: 'Coast road west',
        geometry: {
          type: 'LineString',
          coordinates: [
            [22.655, 32.768],
            [22.62, 32.76],
            [22.6, 32.75],
            [22.5, 32.75],
          ],
        },
        mode: 'road',
        capacity: 5000,
      },
      {
        id: 'ferry',
        name: 'Ferry to Benghazi',
        geometry: {
          type: 'LineString',
          coordinates: [
            [22.655, 32.77],
            [21.5, 32.4],
            [20.06, 32.12],
          ],
        },
        mode: 'sea',
      },
    ],
    borderCrossings: [{ id: 'musaid', name: 'Musaid', lon: 25.05, lat: 31.58, countries: ['LY', 'EG'], open: true }],
    contacts: [
      {
        id: 'np-consul',
        name: 'Duty officer',
        organisation: 'Consulate of Nepal',
        role: 'consulate',
        phone: '+218 21 000 0001',
        nationalitiesServed: ['NP'],
      },
      {
        id: 'bd-embassy',
        name: 'Labour wing',
        organisation: 'Embassy of Bangladesh',
        role: 'embassy',
        email: 'labour@example.org',
        nationalitiesServed: ['BD'],
      },
    ],
    triggers: [
      {
        id: 'dam-warning',
        condition: 'Water authority warns that a dam upstream may fail',
        alertLevel: 'orange',
        actions: ['Tell community contacts to prepare to move', 'Open the stadium assembly point'],
      },
      {
        id: 'red-alert',
        condition: 'GDACS red alert or dam failure',
        alertLevel: 'red',
        actions: ['Move everyone in the flood plain to assembly points'],
      },
    ],
    tasks: [
      {
        id: 'buses',
        title: 'Agree bus contract with the transport union',
        role: 'Logistics lead',
        owner: 'M. Salem',
        due: '2026-12-15',
        done: false,
      },
    ],
  };
}
