// The table's admin routes for customer imports: a job, its chunks of records posted by the CLI, its progress.

import * as z from 'zod';
import { csvMappingSchema } from '../../core/imports/csvMapping.js';
import type { ImportedCustomer, RefusedRecord } from '../../core/imports/importedCustomer.js';
import type { ImportReport } from '../../core/imports/importCustomers.js';
import { IMPORT_SOURCES } from '../../core/imports/importJobs.js';
import { CONSENT_CHANNELS } from '../../core/profiles/profile.js';
import { adminRoutes } from '../contract.js';
import { type Assert, idParams, type Same } from '../shapes.js';

/** At most this many records per chunk (the admin API also caps a body at 64 KB). */
export const MAX_RECORDS_PER_CHUNK = 500;

const recordNumber = z.number().int().min(1).meta({ description: 'The row (or line) number in the file.' });

const refusedRecord = z
  .object({
    record: recordNumber,
    field: z.string().optional().meta({ description: 'The column or field at fault.' }),
    reason: z.string(),
  })
  .meta({ id: 'RefusedRecord' });

const importedCustomer = z
  .object({
    record: recordNumber,
    userId: z.string().trim().min(1).max(256),
    email: z.string().max(320).optional(),
    phone: z.string().max(64).optional(),
    pushTokens: z
      .array(
        z.object({ token: z.string().min(1).max(4096), platform: z.enum(['apns', 'apns_sandbox', 'fcm', 'webpush']) }),
      )
      .max(10)
      .default([]),
    timezone: z.string().max(64).optional(),
    locale: z.string().max(35).optional(),
    traits: z.record(z.string().min(1).max(256), z.unknown()).default({}),
    consents: z
      .array(
        z.object({
          channel: z.enum(CONSENT_CHANNELS),
          granted: z.boolean(),
          at: z.iso.datetime({ offset: true }).optional().meta({ description: 'Without it, no proof: not applied.' }),
          source: z.string().min(1).max(100),
        }),
      )
      .default([]),
    statedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .meta({ id: 'ImportedCustomer', description: 'One customer as the file states them (addresses as written).' });

const importReport = z
  .object({
    source: z.string(),
    dryRun: z.boolean(),
    records: z.number().int(),
    accepted: z.number().int(),
    refusedCount: z.number().int(),
    refused: z.array(refusedRecord).meta({ description: 'The first 1,000 refusals, in record order.' }),
    created: z.number().int(),
    changed: z.number().int().meta({ description: 'Profiles written (a dry run: that would be).' }),
    unchanged: z.number().int(),
    consent: z.object({
      applied: z.number().int(),
      olderKept: z.number().int().meta({ description: 'Dated statements older than the consent on record.' }),
      withoutDate: z.number().int().meta({ description: 'Statements without a date: not proof, left unknown.' }),
    }),
    journeysTriggered: z.number().int(),
  })
  .meta({ id: 'ImportReport' });

const importJob = z
  .object({
    id: z.string(),
    source: z.enum(IMPORT_SOURCES),
    dryRun: z.boolean(),
    triggerJourneys: z.boolean(),
    mapping: csvMappingSchema.optional(),
    createdAt: z.iso.datetime(),
    createdBy: z.string(),
  })
  .meta({ id: 'ImportJob' });

// The schemas above describe what the handlers take and return; these fail to compile when the domain types move.
export type ImportSchemasMatch = [
  Assert<Same<Omit<z.output<typeof importedCustomer>, 'consents'>, Omit<ImportedCustomer, 'consents'>>>,
  Assert<Same<z.output<typeof refusedRecord>, RefusedRecord>>,
  Assert<Same<z.output<typeof importReport>, ImportReport>>,
];

export const importRoutes = adminRoutes({
  startImport: {
    method: 'POST',
    path: '/admin/v1/imports',
    permission: 'profiles:import',
    tag: 'customers',
    summary: 'Start a customer import',
    description:
      'Creates an import job; its records are then posted in chunks to `/admin/v1/imports/{id}/records` (the ' +
      '`retain import customers` CLI reads the file and does it). The same in AWS and locally: no S3 upload.',
    body: z.object({
      source: z.enum(IMPORT_SOURCES).default('csv'),
      dryRun: z.boolean().default(false).meta({ description: 'Report what would change; write nothing.' }),
      triggerJourneys: z
        .boolean()
        .default(false)
        .meta({ description: 'Send each changed customer through the journeys as an `identify`.' }),
      mapping: csvMappingSchema
        .optional()
        .meta({ description: 'The mapping the file is read with, kept as a record.' }),
    }),
    bodyOptional: true,
    responses: { 201: { description: 'The job.', schema: importJob } },
  },
  importRecords: {
    method: 'POST',
    path: '/admin/v1/imports/{id}/records',
    permission: 'profiles:import',
    tag: 'customers',
    summary: 'Apply a chunk of an import',
    description:
      `Up to ${MAX_RECORDS_PER_CHUNK} records read from the file, with the rows the reader refused, applied to ` +
      'profiles under the live rules (addresses normalised, newer consent wins). The chunk is kept under its first ' +
      'record number: sent again, it applies nothing and answers the report of the first time (`repeated`).',
    params: idParams,
    body: z
      .object({
        records: z.array(importedCustomer).max(MAX_RECORDS_PER_CHUNK).default([]),
        refused: z.array(refusedRecord).max(MAX_RECORDS_PER_CHUNK).default([]),
      })
      .refine((b) => b.records.length + b.refused.length > 0, { message: 'a chunk needs records', path: ['records'] })
      .refine((b) => b.records.length + b.refused.length <= MAX_RECORDS_PER_CHUNK, {
        message: `at most ${MAX_RECORDS_PER_CHUNK} records per chunk`,
        path: ['records'],
      }),
    responses: {
      200: {
        description: 'The chunk’s part of the report.',
        schema: z.object({
          first: recordNumber,
          last: recordNumber,
          repeated: z.boolean().meta({ description: 'This chunk was applied before; nothing was done now.' }),
          report: importReport,
        }),
      },
    },
  },
  getImport: {
    method: 'GET',
    path: '/admin/v1/imports/{id}',
    permission: 'profiles:read',
    tag: 'customers',
    summary: 'An import’s progress and report',
    description: 'The job, how many chunks have been applied, the last record reached and the report so far.',
    params: idParams,
    responses: {
      200: {
        description: 'The job and its report so far.',
        schema: z.object({
          job: importJob,
          chunks: z.number().int(),
          lastRecord: z.number().int(),
          report: importReport,
        }),
      },
    },
  },
});
