import { describe, expect, it } from 'vitest';
import { emptyPlan, plan } from './model.ts';
import { samplePlan } from './sample-plan.ts';

describe('plan schema', () => {
  it('accepts the sample plan and an empty draft', () => {
    expect(plan.safeParse(samplePlan()).success).toBe(true);
    const draft = emptyPlan({
      id: 'p',
      title: 'Draft',
      scenario: 'earthquake',
      area: samplePlan().area,
      ownerAgency: 'City',
      reviewDate: '2027-01-01',
    });
    expect(plan.safeParse(draft).success).toBe(true);
    expect(draft.status).toBe('draft');
  });

  it('refuses open rings, swapped coordinates, unknown hazards and contacts without a way to reach them', () => {
    const issues = (value: unknown) => {
      const result = plan.safeParse(value);
      return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    };
    const open = samplePlan();
    open.area = {
      type: 'Polygon',
      coordinates: [
        [
          [22.55, 32.7],
          [22.72, 32.7],
          [22.72, 32.8],
          [22.55, 32.8],
        ],
      ],
    };
    expect(issues(open)).toEqual(['area.coordinates.0: a polygon ring must end where it starts']);
    const swapped = samplePlan();
    swapped.routes[0]!.geometry.coordinates[0] = [32.7, 122.6];
    expect(issues(swapped)).toEqual(['routes.0.geometry.coordinates.0: expected [longitude, latitude] within -180..180 and -90..90']);
    expect(issues({ ...samplePlan(), scenario: 'meteor' })).toHaveLength(1);
    const twice = samplePlan();
    twice.shelters.push({ ...twice.shelters[0]! });
    expect(issues(twice)).toEqual(['shelters.1.id: the id "school" is used twice in this layer: give each item its own id']);
    const unreachable = samplePlan();
    delete unreachable.contacts[0]!.phone;
    expect(issues(unreachable)).toEqual(['contacts.0: a contact needs a phone number or an email address']);
  });
});
