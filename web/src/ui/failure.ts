// What a screen says when a call to the server fails: "no connection" when the server could not be
// reached (OfflineError, from the API client's fetch), else the message of the server or of the
// error. One rule for every workspace; each builds its own message (text or message key).
import { OfflineError } from '../api.ts';

export function describeFailure<Message>(
  error: unknown,
  messages: { offline: () => Message; server: (message: string) => Message },
): Message {
  return error instanceof OfflineError ? messages.offline() : messages.server(error instanceof Error ? error.message : String(error));
}
