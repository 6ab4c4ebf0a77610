// The product catalog: what the shop sells, learned from its commerce events and corrected by imports, so that
// recommendations can be printed as products (name, price, link, picture) and never offer what is out of stock.

import * as z from 'zod';
import type { StoredEvent } from '../events/storedEvent.js';
import { MAX_MONEY } from '../events/limits.js';
import { InvalidRequestError } from '../errors.js';

export const PRODUCT_ID = /^[^\s/][^/]{0,254}$/;

export const catalogProductSchema = z.object({
  id: z.string().regex(PRODUCT_ID, 'a product id of 1–255 characters without "/"'),
  name: z.string().trim().min(1).max(500).optional(),
  price: z.number().min(0).max(MAX_MONEY).optional(),
  category: z.string().trim().min(1).max(200).optional(),
  imageUrl: z.url().max(2000).optional(),
  url: z.url().max(2000).optional(),
  /** Out of stock is never recommended. Unknown counts as in stock (a shop that never says sells what it shows). */
  inStock: z.boolean().default(true),
  /**
   * A consumable (tea, pet food) is bought again: it may be recommended to a customer who bought it, once the
   * purchase cycle has passed since their last purchase of it.
   */
  consumable: z.boolean().default(false),
  purchaseCycleDays: z.number().int().min(1).max(3650).optional(),
});
export type CatalogProductInput = z.input<typeof catalogProductSchema>;
export type CatalogProductDefinition = z.output<typeof catalogProductSchema>;

export type CatalogProduct = CatalogProductDefinition & {
  /** When an event or an import last changed it. */
  updatedAt: string;
  /** The time of the newest event that described it: an older, replayed event never undoes a newer one. */
  observedAt?: string;
};

/** What one commerce event says about a product: only the attributes it carried. */
export type ProductObservation = {
  id: string;
  at: string;
  name?: string;
  price?: number;
  category?: string;
  imageUrl?: string;
  url?: string;
  inStock?: boolean;
};

const PRODUCT_EVENTS = new Set(['Product Viewed', 'Product Added', 'Product Clicked']);
const LIST_EVENTS = new Set(['Order Completed', 'Checkout Started', 'Cart Viewed', 'Product List Viewed']);

/** The products a batch of events describes, one merged observation per product, the newest attribute winning. */
export function productObservationsOf(events: StoredEvent[]): ProductObservation[] {
  const byId = new Map<string, ProductObservation>();
  const ordered = [...events].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  for (const event of ordered) {
    if (event.type !== 'track' || !event.event || !event.properties) continue;
    const described = PRODUCT_EVENTS.has(event.event)
      ? [event.properties]
      : LIST_EVENTS.has(event.event) && Array.isArray(event.properties.products)
        ? (event.properties.products as unknown[])
        : [];
    for (const item of described.slice(0, 100)) {
      if (item === null || typeof item !== 'object') continue;
      const seen = observationOf(item as Record<string, unknown>, event.timestamp);
      if (!seen) continue;
      byId.set(seen.id, { ...byId.get(seen.id), ...seen });
    }
  }
  return [...byId.values()];
}

function observationOf(p: Record<string, unknown>, at: string): ProductObservation | undefined {
  const rawId = p.product_id ?? p.sku ?? p.id;
  const id = typeof rawId === 'number' && Number.isFinite(rawId) ? String(rawId) : rawId;
  if (typeof id !== 'string' || !PRODUCT_ID.test(id)) return undefined;
  const seen: ProductObservation = { id, at };
  const text = (v: unknown, max: number) =>
    typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : undefined;
  const link = (v: unknown) => {
    const s = text(v, 2000);
    return s && z.url().safeParse(s).success ? s : undefined;
  };
  const name = text(p.name, 500);
  const category = text(p.category, 200);
  const url = link(p.url);
  const imageUrl = link(p.image_url ?? p.imageUrl);
  const price = typeof p.price === 'string' && p.price.trim() !== '' ? Number(p.price) : p.price;
  if (name) seen.name = name;
  if (category) seen.category = category;
  if (url) seen.url = url;
  if (imageUrl) seen.imageUrl = imageUrl;
  if (typeof price === 'number' && Number.isFinite(price) && price >= 0 && price <= MAX_MONEY) seen.price = price;
  if (typeof p.in_stock === 'boolean') seen.inStock = p.in_stock;
  return seen;
}

export const MAX_IMPORT_PRODUCTS = 500;

/** CSV column → field; the event spellings (`product_id`, `image_url`, `in_stock`) and the API's both work. */
const CSV_COLUMNS: Record<string, keyof CatalogProductInput> = {
  id: 'id',
  product_id: 'id',
  name: 'name',
  price: 'price',
  category: 'category',
  url: 'url',
  image_url: 'imageUrl',
  imageurl: 'imageUrl',
  in_stock: 'inStock',
  instock: 'inStock',
  consumable: 'consumable',
  purchase_cycle_days: 'purchaseCycleDays',
  purchasecycledays: 'purchaseCycleDays',
};

/**
 * Rows of a CSV import (already split into records, the first the header) as product inputs: empty cells are
 * absent, numbers and booleans typed by column. An unknown column is refused, naming it, rather than dropped.
 */
export function productInputsOfCsv(records: string[][]): Record<string, unknown>[] {
  const [header, ...rows] = records;
  if (!header) throw new InvalidRequestError('body.csv: the CSV has no header row', 'body.csv');
  const fields = header.map((name, column) => {
    const field = CSV_COLUMNS[name.trim().toLowerCase()];
    if (!field)
      throw new InvalidRequestError(
        `body.csv: column ${column + 1} "${name}" is not a catalog field (${Object.keys(CSV_COLUMNS).join(', ')})`,
        'body.csv',
      );
    return field;
  });
  return rows.map((cells) => {
    const input: Record<string, unknown> = {};
    fields.forEach((field, column) => {
      const cell = (cells[column] ?? '').trim();
      if (cell === '') return;
      if (field === 'price' || field === 'purchaseCycleDays') input[field] = Number(cell.replace(/,/g, ''));
      else if (field === 'inStock' || field === 'consumable') input[field] = booleanCell(cell);
      else input[field] = cell;
    });
    return input;
  });
}

function booleanCell(cell: string): boolean | string {
  const v = cell.toLowerCase();
  if (['true', 'yes', 'y', '1'].includes(v)) return true;
  if (['false', 'no', 'n', '0'].includes(v)) return false;
  return cell;
}

/**
 * Every row checked before anything is written: the first bad one is a 400 naming its row (1-based, as a
 * spreadsheet shows data rows) and field, and a product named twice is refused (which one should win?).
 */
export function validCatalogImport(inputs: unknown[]): CatalogProductDefinition[] {
  if (inputs.length === 0) throw new InvalidRequestError('body: no products to import', 'body');
  if (inputs.length > MAX_IMPORT_PRODUCTS)
    throw new InvalidRequestError(
      `body: ${inputs.length} products; at most ${MAX_IMPORT_PRODUCTS} a request (send a large catalog in parts)`,
      'body',
    );
  const seen = new Map<string, number>();
  return inputs.map((input, i) => {
    const row = i + 1;
    const parsed = catalogProductSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.join('.') || 'row';
      throw new InvalidRequestError(`row ${row}, ${field}: ${issue.message}`, `body.${i}.${field}`);
    }
    const first = seen.get(parsed.data.id);
    if (first !== undefined)
      throw new InvalidRequestError(`row ${row}, id: "${parsed.data.id}" is also row ${first}`, `body.${i}.id`);
    seen.set(parsed.data.id, row);
    return parsed.data;
  });
}
