import { describe, expect, it } from 'vitest';
import { createApiClient, OfflineError } from '../api.ts';
import { describeFailure } from './failure.ts';

const texts = { offline: () => 'offline', server: (message: string) => `refused: ${message}` };

describe('describeFailure', () => {
  it('says "no connection" when the API client could not reach the server, else gives the message', async () => {
    // A real request through the app's client to a port where nothing listens.
    const unreachable = await createApiClient(undefined, 'http://127.0.0.1:9')
      .api.health.$get()
      .catch((error: unknown) => error);
    expect(unreachable).toBeInstanceOf(OfflineError);
    expect(describeFailure(unreachable, texts)).toBe('offline');
    expect(describeFailure(new Error('validation_failed: title is required'), texts)).toBe('refused: validation_failed: title is required');
    expect(describeFailure('bare string', texts)).toBe('refused: bare string');
  });

  it('does not call a bug "no connection" (issue 17: any TypeError was shown as offline)', () => {
    let bug: unknown;
    try {
      (undefined as unknown as { title: () => void }).title();
    } catch (error) {
      bug = error;
    }
    expect(bug).toBeInstanceOf(TypeError);
    expect(describeFailure(bug, texts)).toMatch(/^refused: /);
  });
});
