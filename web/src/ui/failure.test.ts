import { describe, expect, it } from 'vitest';
import { describeFailure } from './failure.ts';

const texts = { offline: () => 'offline', server: (message: string) => `refused: ${message}` };

describe('describeFailure', () => {
  it('says "no connection" when fetch could not reach the server, else gives the server\'s message', async () => {
    // What fetch() really throws when nothing listens on the port.
    const unreachable = await fetch('http://127.0.0.1:9/').catch((error: unknown) => error);
    expect(describeFailure(unreachable, texts)).toBe('offline');
    expect(describeFailure(new Error('validation_failed: title is required'), texts)).toBe('refused: validation_failed: title is required');
    expect(describeFailure('bare string', texts)).toBe('refused: bare string');
  });
});
