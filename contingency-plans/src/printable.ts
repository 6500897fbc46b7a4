// A printable plan as a structured document (sections of facts, paragraphs, lists and tables of
// plain text), which the web client renders with its print stylesheet. No HTML is built here: the
// renderer escapes every string, so names typed by users cannot inject markup.
import type { AssignmentResult } from './assign.ts';
import { type Gap, type PlanAnalysis, planGaps } from './gaps.ts';
import { isRealWarning, type Plan } from './model.ts';
import type { TransportNeed } from './transport.ts';

export type PrintBlock =
  | { kind: 'facts'; facts: { label: string; value: string }[] }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; columns: { key: string; label: string; numeric?: boolean }[]; rows: Record<string, string | number>[]; empty: string };

export interface PrintSection {
  id: string;
  heading: string;
  blocks: PrintBlock[];
}

export interface PrintDocument {
  title: string;
  subtitle: string;
  /** The moment the analysis was made (passed in, so the function stays pure). */
  preparedAt: string;
  sections: PrintSection[];
}

export interface PrintAnalysis extends PlanAnalysis {
  assignment?: AssignmentResult;
  transport?: TransportNeed;
  gaps?: Gap[];
}

const words = (text: string) => text.replace(/_/g, ' ');

function table(
  columns: { key: string; label: string; numeric?: boolean }[],
  rows: Record<string, string | number>[],
  empty: string,
): PrintBlock {
  return { kind: 'table', columns, rows, empty };
}

export function printablePlan(plan: Plan, analysis: PrintAnalysis, preparedAt: string): PrintDocument {
  const gaps = analysis.gaps ?? planGaps(plan, analysis, preparedAt);
  const load = new Map((analysis.assignment?.points ?? []).map((point) => [point.assemblyPointId, point]));
  const sections: PrintSection[] = [
    {
      id: 'overview',
      heading: 'Overview',
      blocks: [
        {
          kind: 'facts',
          facts: [
            { label: 'Scenario', value: words(plan.scenario) },
            { label: 'Status', value: words(plan.status) },
            { label: 'Owner', value: plan.ownerAgency },
            { label: 'Partners', value: plan.partners.join(', ') || '(none)' },
            { label: 'Review by', value: plan.reviewDate },
            ...(analysis.assignment
              ? [
                  { label: 'People in the plan', value: analysis.assignment.totals.people.toLocaleString('en') },
                  { label: 'People with an assembly point', value: analysis.assignment.totals.assignedPeople.toLocaleString('en') },
                ]
              : []),
          ],
        },
      ],
    },
    {
      id: 'gaps',
      heading: 'Gaps to close',
      blocks: [
        gaps.length
          ? { kind: 'list', items: gaps.map((gap) => `${gap.severity.toUpperCase()}: ${gap.message}`) }
          : { kind: 'paragraph', text: 'No gaps found.' },
      ],
    },
    {
      id: 'triggers',
      heading: 'Triggers and actions',
      blocks: [
        table(
          [
            { key: 'level', label: 'Alert level' },
            { key: 'condition', label: 'When' },
            { key: 'actions', label: 'Actions, in order' },
          ],
          plan.triggers.map((trigger) => ({
            level: words(trigger.alertLevel),
            condition: trigger.condition,
            actions: trigger.actions.map((action, index) => `${index + 1}. ${action}`).join('\n'),
          })),
          'No trigger defined.',
        ),
      ],
    },
    {
      id: 'hazard_zones',
      heading: 'Hazard zones',
      blocks: [
        table(
          [
            { key: 'name', label: 'Zone' },
            { key: 'level', label: 'Alert level' },
            { key: 'source', label: 'Source' },
            { key: 'expires', label: 'Alert expires' },
          ],
          plan.hazardZones.map((zone) => ({
            name: zone.name,
            level: zone.alertLevel ? words(zone.alertLevel) : '',
            source: zone.cap
              ? `CAP: ${zone.cap.event ?? zone.cap.identifier}${isRealWarning(zone.cap) ? '' : ` (${zone.cap.status}, not a real alert)`}`
              : zone.source,
            expires: zone.cap?.expires ?? '',
          })),
          'No hazard zone drawn.',
        ),
      ],
    },
    {
      id: 'assembly_points',
      heading: 'Assembly points',
      blocks: [
        table(
          [
            { key: 'name', label: 'Assembly point' },
            { key: 'position', label: 'Latitude, longitude' },
            { key: 'capacity', label: 'Capacity', numeric: true },
            { key: 'assigned', label: 'Assigned', numeric: true },
            { key: 'short', label: 'Places short', numeric: true },
          ],
          plan.assemblyPoints.map((point) => ({
            name: point.name,
            position: `${point.lat.toFixed(5)}, ${point.lon.toFixed(5)}`,
            capacity: point.capacity,
            assigned: load.get(point.id)?.load ?? '',
            short: load.get(point.id)?.overflow ?? '',
          })),
          'No assembly point.',
        ),
      ],
    },
    {
      id: 'shelters',
      heading: 'Shelters',
      blocks: [
        table(
          [
            { key: 'name', label: 'Shelter' },
            { key: 'position', label: 'Latitude, longitude' },
            { key: 'capacity', label: 'Capacity', numeric: true },
          ],
          plan.shelters.map((shelter) => ({
            name: shelter.name,
            position: `${shelter.lat.toFixed(5)}, ${shelter.lon.toFixed(5)}`,
            capacity: shelter.capacity,
          })),
          'No shelter.',
        ),
      ],
    },
    {
      id: 'routes',
      heading: 'Evacuation routes and border crossings',
      blocks: [
        table(
          [
            { key: 'name', label: 'Route' },
            { key: 'mode', label: 'Mode' },
            { key: 'capacity', label: 'People per day', numeric: true },
          ],
          plan.routes.map((route) => ({ name: route.name, mode: route.mode, capacity: route.capacity ?? '' })),
          'No evacuation route.',
        ),
        table(
          [
            { key: 'name', label: 'Border crossing' },
            { key: 'countries', label: 'Countries' },
            { key: 'open', label: 'Open' },
          ],
          plan.borderCrossings.map((crossing) => ({
            name: crossing.name,
            countries: crossing.countries.join(' – '),
            open: crossing.open ? 'yes' : 'no',
          })),
          'No border crossing listed.',
        ),
      ],
    },
    ...(analysis.transport
      ? [
          {
            id: 'transport',
            heading: 'Transport needed',
            blocks: [
              table(
                [
                  { key: 'point', label: 'Assembly point' },
                  { key: 'people', label: 'People', numeric: true },
                  { key: 'vehicles', label: 'Vehicles' },
                ],
                analysis.transport.points.map((point) => ({
                  point: plan.assemblyPoints.find((item) => item.id === point.assemblyPointId)?.name ?? point.assemblyPointId,
                  people: point.people,
                  vehicles: Object.entries(point.mix)
                    .map(([type, count]) => `${count} × ${type}`)
                    .join(', '),
                })),
                'Nobody to move.',
              ),
            ] satisfies PrintBlock[],
          },
        ]
      : []),
    ...(analysis.nationalitiesPresent
      ? [
          {
            id: 'population',
            heading: 'People in the area by nationality',
            blocks: [
              table(
                [
                  { key: 'nationality', label: 'Nationality' },
                  { key: 'people', label: 'People', numeric: true },
                ],
                Object.entries(analysis.nationalitiesPresent).map(([nationality, people]) => ({ nationality, people })),
                'No figures.',
              ),
            ] satisfies PrintBlock[],
          },
        ]
      : []),
    {
      id: 'contacts',
      heading: 'Contacts',
      blocks: [
        table(
          [
            { key: 'organisation', label: 'Organisation' },
            { key: 'name', label: 'Name' },
            { key: 'role', label: 'Role' },
            { key: 'phone', label: 'Phone' },
            { key: 'email', label: 'Email' },
            { key: 'serves', label: 'Nationals served' },
          ],
          plan.contacts.map((contact) => ({
            organisation: contact.organisation,
            name: contact.name,
            role: words(contact.role),
            phone: contact.phone ?? '',
            email: contact.email ?? '',
            serves: contact.nationalitiesServed.join(', '),
          })),
          'No contact.',
        ),
      ],
    },
    {
      id: 'tasks',
      heading: 'Roles and tasks',
      blocks: [
        table(
          [
            { key: 'task', label: 'Task' },
            { key: 'role', label: 'Role' },
            { key: 'owner', label: 'Owner' },
            { key: 'due', label: 'Due' },
            { key: 'done', label: 'Done' },
          ],
          plan.tasks.map((task) => ({
            task: task.title,
            role: task.role,
            owner: task.owner ?? '',
            due: task.due ?? '',
            done: task.done ? 'yes' : 'no',
          })),
          'No task.',
        ),
      ],
    },
  ];
  return { title: plan.title, subtitle: `${plan.ownerAgency} — contingency plan, ${words(plan.status)}`, preparedAt, sections };
}
