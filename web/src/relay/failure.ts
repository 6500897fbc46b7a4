// What the relay screens say when a call to the server fails.
import { m } from '../alerts/messages.ts';
import { describeFailure } from '../ui/failure.ts';

export const relayFailure = (error: unknown) =>
  describeFailure(error, { offline: () => m('relay.error.offline'), server: (message) => m('relay.error.server', { message }) });
