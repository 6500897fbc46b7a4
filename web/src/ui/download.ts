// Saving a file the app made on this device (an export, a manifest, a bulk-SMS list): a Blob behind
// a temporary object URL, clicked through a link that is in the document for the click (Firefox
// ignores clicks on detached links), revoked once the browser has taken it.

/** A file to save: its name, its media type, its text. */
export interface Download {
  name: string;
  type: string;
  text: string;
}

export function download({ name, type, text }: Download): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
