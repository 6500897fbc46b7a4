// Small XML helpers over @xmldom/xmldom (works in browsers, Workers and Node alike): strict
// parsing into a result value, namespace-agnostic element lookup, and escaping for writers.
// xmldom does not load external entities or DTDs, so untrusted files cannot reach the network.
import { DOMParser, type Document, type Element, onErrorStopParsing } from '@xmldom/xmldom';
import { convertError, type ConvertError, fail, ok, type Result } from './result.ts';

export function parseXml(text: string, what: string): Result<Document, ConvertError> {
  try {
    const document = new DOMParser({ onError: onErrorStopParsing }).parseFromString(text, 'text/xml');
    if (!document.documentElement) return fail(convertError(`this ${what} file has no root element`));
    return ok(document);
  } catch (error) {
    return fail(
      convertError(
        `this ${what} file is not well-formed XML (${(error as Error).message.split('\n')[0]}): check that it is complete and was saved as XML`,
      ),
    );
  }
}

/** Direct children with this local name, whatever their namespace prefix. */
export function children(element: Element, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).localName === localName) found.push(node as Element);
  }
  return found;
}

function child(element: Element, localName: string): Element | undefined {
  return children(element, localName)[0];
}

/** All descendants with this local name, in document order. */
export function descendants(element: Element | Document, localName: string): Element[] {
  return Array.from(element.getElementsByTagNameNS('*', localName)) as Element[];
}

/** Trimmed text of the first child with this local name, or undefined. */
export function childText(element: Element, localName: string): string | undefined {
  const found = child(element, localName);
  const text = found?.textContent?.trim();
  return text === undefined || text === '' ? undefined : text;
}

/** Escape text for element content and attribute values. */
export function escapeXml(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing the control characters XML 1.0 forbids is the point
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}
