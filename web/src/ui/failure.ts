// What a screen says when a call to the server fails: "no connection" when the server could not be
// reached (fetch() rejects with a TypeError, whatever navigator.onLine believes), else the server's
// own message. One rule for every workspace; each builds its own message (text or message key).
export function describeFailure<Message>(error: unknown, messages: { offline: () => Message; server: (message: string) => Message }): Message {
  return error instanceof TypeError ? messages.offline() : messages.server(error instanceof Error ? error.message : String(error));
}
