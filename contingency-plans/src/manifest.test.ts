import { describe, expect, it } from 'vitest';
import { assignToAssemblyPoints } from './assign.ts';
import { evacuationManifest, type ReleasedPerson } from './manifest.ts';

describe('evacuationManifest', () => {
  const assignment = assignToAssemblyPoints(
    [
      { id: 'camp', lon: 0, lat: 0, headcount: 60, nationalities: [{ code: 'NP' }, { code: 'BD' }] },
      { id: 'dorm', lon: 0.2, lat: 0, headcount: 10, nationalities: [{ code: 'NP' }] },
    ],
    [
      { id: 'port', lon: 0.001, lat: 0, capacity: 40 },
      { id: 'hall', lon: 0.01, lat: 0, capacity: 30 },
      { id: 'east', lon: 0.2, lat: 0.001, capacity: 30 },
    ],
    { maxDistanceKm: 5 },
  );
  if (!assignment.ok) throw new Error(assignment.error.message);
  const person = (id: string, name: string, nationality: string, communityId?: string, extra: Partial<ReleasedPerson> = {}): ReleasedPerson => ({ id, name, nationality, needs: [], ...(communityId ? { communityId } : {}), ...extra });

  it('groups each nationality by assembly point and leaves out refugees and refusals', () => {
    const manifests = evacuationManifest(
      [
        person('1', 'Sita Rai', 'NP', 'camp', { phone: '+218 91 1', needs: ['medical'], documents: { passport: 'confiscated' } }),
        person('2', 'Anil Gurung', 'NP', 'dorm'),
        person('3', 'Karim Uddin', 'BD', 'camp'),
        person('4', 'Hari Tamang', 'NP'),
        person('5', 'Refugee Person', 'NP', 'camp', { refugee: true }),
        person('6', 'No Consent', 'BD', 'camp', { consent: { ownConsulate: false } }),
      ],
      assignment.value,
      { assemblyPointNames: new Map([['port', 'Port'], ['hall', 'Town hall'], ['east', 'East gate']]) },
    );
    // The camp (60) is split: 40 at the port, 20 at the hall; its people are listed at the port.
    expect(manifests.map((manifest) => [manifest.nationality, manifest.people, manifest.withheld])).toEqual([
      ['BD', 1, 1],
      ['NP', 3, 1],
    ]);
    const nepal = manifests[1]!;
    expect(nepal.groups.map((group) => [group.assemblyPointName ?? '(not assigned)', group.people.map((entry) => entry.name)])).toEqual([
      ['East gate', ['Anil Gurung']],
      ['Port', ['Sita Rai']],
      ['(not assigned)', ['Hari Tamang']],
    ]);
    expect(nepal.groups[1]!.people[0]).toEqual({ id: '1', name: 'Sita Rai', phone: '+218 91 1', needs: ['medical'], passport: 'confiscated', communityId: 'camp' });
    expect(JSON.stringify(manifests)).not.toContain('Refugee Person');
    expect(evacuationManifest([person('3', 'Karim Uddin', 'BD', 'camp')], assignment.value, { nationalities: ['NP'] })).toEqual([]);
  });
});
