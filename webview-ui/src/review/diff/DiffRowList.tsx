import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useWindowVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import type { DiffRow } from './diffRows';

/** Up to this many rows everything is in the DOM (find-in-page, Tab through every hunk); above, only what is on screen. */
export const VIRTUALIZE_ABOVE_ROWS = 400;

const ESTIMATED_HEIGHT: Record<DiffRow['type'], number> = { file: 32, hunk: 26, line: 20, pair: 20, gap: 26, note: 22 };

export interface ScrollToRow {
  (index: number): void;
}

interface ListProps {
  rows: readonly DiffRow[];
  renderRow: (row: DiffRow, index: number) => ReactNode;
  rowClassName: (row: DiffRow) => string;
  /** Receives a function that brings a row into view (used by j/k navigation). */
  scrollRef: { current: ScrollToRow | undefined };
}

export function DiffRowList(props: ListProps) {
  return props.rows.length > VIRTUALIZE_ABOVE_ROWS ? <VirtualRows {...props} /> : <AllRows {...props} />;
}

function AllRows({ rows, renderRow, rowClassName, scrollRef }: ListProps) {
  const container = useRef<HTMLDivElement>(null);
  scrollRef.current = (index) => {
    container.current?.querySelector(`[data-row-index="${index}"]`)?.scrollIntoView?.({ block: 'nearest' });
  };
  return (
    <div ref={container} className="diff-rows">
      {rows.map((row, index) => (
        <div key={row.key} className={`diff-row ${rowClassName(row)}`} data-row-index={index} data-row-key={row.key}>
          {renderRow(row, index)}
        </div>
      ))}
    </div>
  );
}

/**
 * Window-scrolled virtual list: the page keeps one scrollbar, and only rows near the viewport
 * exist in the DOM. Rows wrap long lines, so their real heights are measured after render.
 * Positions are set through React's style prop (CSSOM), which a strict style-src CSP allows.
 */
function VirtualRows({ rows, renderRow, rowClassName, scrollRef }: ListProps) {
  const container = useRef<HTMLDivElement>(null);
  const scrollMargin = useOffsetTop(container);
  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize: (index) => ESTIMATED_HEIGHT[rows[index]?.type ?? 'line'],
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: 12,
    scrollMargin,
    // A zero height (element not laid out yet, or a DOM without layout) would collapse the list.
    measureElement: (element, _entry, instance: Virtualizer<Window, Element>) => {
      const height = element.getBoundingClientRect().height;
      return height > 0 ? height : ESTIMATED_HEIGHT[rows[instance.indexFromElement(element)]?.type ?? 'line'];
    },
  });
  scrollRef.current = (index) => virtualizer.scrollToIndex(index, { align: 'center' });

  return (
    <div ref={container} className="diff-rows diff-rows--virtual" style={{ height: virtualizer.getTotalSize() }}>
      {virtualizer.getVirtualItems().map((item) => {
        const row = rows[item.index]!;
        return (
          <div
            key={item.key}
            ref={virtualizer.measureElement}
            className={`diff-row ${rowClassName(row)}`}
            data-index={item.index}
            data-row-index={item.index}
            data-row-key={row.key}
            style={{ transform: `translateY(${item.start - scrollMargin}px)` }}
          >
            {renderRow(row, item.index)}
          </div>
        );
      })}
    </div>
  );
}

/** Distance from the top of the document, kept current as content above the list changes size. */
function useOffsetTop(ref: { current: HTMLElement | null }): number {
  const [offset, setOffset] = useState(0);
  useLayoutEffect(() => {
    const measure = () => {
      const el = ref.current;
      if (el) setOffset(Math.round(el.getBoundingClientRect().top + window.scrollY));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, [ref]);
  return offset;
}
