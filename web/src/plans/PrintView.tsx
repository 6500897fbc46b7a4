// The printable plan: printablePlan's document model (plain text, escaped by Preact) with the map as
// an image. Shown on screen first; the print stylesheet prints only this.
import type { PrintDocument } from '#plans';
import { m } from './messages.ts';

export function PrintView({
  document: printed,
  mapImage,
  onClose,
}: {
  document: PrintDocument;
  mapImage: string | null;
  onClose: () => void;
}) {
  return (
    <article class="plan-print" data-testid="plan-print">
      <div class="print-actions">
        <button type="button" onClick={() => window.print()}>
          {m('export.print')}
        </button>
        <button type="button" class="secondary" onClick={onClose}>
          {m('print.close')}
        </button>
      </div>
      <h1>{printed.title}</h1>
      <p class="subtitle">{printed.subtitle}</p>
      {mapImage && <img class="print-map" src={mapImage} alt={m('print.map')} data-testid="print-map" />}
      {printed.sections.map((section) => (
        <section key={section.id} class="print-section">
          <h2>{section.heading}</h2>
          {section.blocks.map((block) => {
            if (block.kind === 'paragraph') return <p>{block.text}</p>;
            if (block.kind === 'list')
              return (
                <ul>
                  {block.items.map((item) => (
                    <li>{item}</li>
                  ))}
                </ul>
              );
            if (block.kind === 'facts')
              return (
                <dl>
                  {block.facts.map((fact) => (
                    <>
                      <dt>{fact.label}</dt>
                      <dd>{fact.value}</dd>
                    </>
                  ))}
                </dl>
              );
            if (block.rows.length === 0) return <p class="hint">{block.empty}</p>;
            return (
              <table>
                <thead>
                  <tr>
                    {block.columns.map((column) => (
                      <th class={column.numeric ? 'numeric' : ''}>{column.label}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {block.rows.map((row) => (
                    <tr>
                      {block.columns.map((column) => (
                        <td class={column.numeric ? 'numeric' : ''}>{String(row[column.key] ?? '')}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            );
          })}
        </section>
      ))}
    </article>
  );
}
