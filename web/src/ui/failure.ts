// What a screen says when a call to the server fails: "no connection" when the server could not be
// reached (fetch() rejects with a TypeError, whatever navigator.onLine believes), else the server's
// own message. One rule for every workspace.
export function failureText(error: unknown, texts: { offline: () => string; server: (message: string) => string }): string {
  return error instanceof TypeError ? texts.offline() : texts.server(error instanceof Error ? error.message : String(error));
}
