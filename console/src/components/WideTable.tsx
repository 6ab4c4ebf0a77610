// A table wider than a phone: it scrolls in its own box (focusable, so the keyboard can scroll it too).
import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

export function WideTable({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  return (
    <div className="wide-table" role="region" aria-label={label} tabIndex={0}>
      <Table striped verticalSpacing="xs" miw={minWidth} aria-label={label}>
        {children}
      </Table>
    </div>
  );
}
