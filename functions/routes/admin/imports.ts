// The table's admin routes for customer imports: a job, its chunks of records posted by the CLI, its progress.

import * as z from 'zod';
import { csvMappingSchema } from '../../core/imports/csvMapping.js';
import type { ImportedCustomer, RefusedRecord } from '../../core/imports/importedCustomer.js';
import type { ImportReport } from '../../core/imports/importCustomers.js';
import {
  CSV_ENCODINGS,
  IMPORT_SOURCES,
  IMPORT_STATES,
  type ImportProgress,
  type ImportUpload,
  MAX_LISTED_IMPORTS,
} from '../../core/imports/importJobs.js';
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

const advertisingProof = z
  .object({
    attribute: z.string().trim().min(1).max(256).meta({ description: 'The attribute holding advertising consent.' }),
    dateAttribute: z
      .string()
      .trim()
      .min(1)
      .max(256)
      .optional()
      .meta({ description: 'The attribute holding its date.' }),
  })
  .meta({ id: 'PinpointAdvertisingProof' });

const pinpointTally = z
  .object({
    endpoints: z.number().int(),
    byChannel: z.record(z.string(), z.number().int()),
    inactive: z.number().int(),
    optedOut: z.number().int(),
    subscribedAdvertisingUnknown: z.number().int(),
    advertisingGranted: z.number().int(),
    advertisingRefused: z.number().int(),
    notDelivered: z.record(z.string(), z.number().int()),
    withoutDate: z.number().int(),
  })
  .meta({ id: 'PinpointEndpointTally' });

const importUpload = z
  .object({
    encoding: z.enum(CSV_ENCODINGS),
    advertising: advertisingProof.optional(),
    status: z.enum(['waiting-for-file', 'reading', 'read', 'failed']),
    chunks: z.number().int().optional().meta({ description: 'How many chunks the file made, once read.' }),
    error: z.string().optional().meta({ description: 'Why the file could not be read.' }),
    endpoints: pinpointTally.optional(),
  })
  .meta({ id: 'ImportUpload', description: 'A job whose file is uploaded and read by the import worker.' });

/** One chunk as the import-file worker queues it for the import-chunk worker. */
export const queuedImportChunk = z.object({
  jobId: z.string().min(1),
  records: z.array(importedCustomer).max(MAX_RECORDS_PER_CHUNK).default([]),
  refused: z.array(refusedRecord).max(MAX_RECORDS_PER_CHUNK).default([]),
});

const importJob = z
  .object({
    id: z.string(),
    source: z.enum(IMPORT_SOURCES),
    dryRun: z.boolean(),
    triggerJourneys: z.boolean(),
    mapping: csvMappingSchema.optional(),
    upload: importUpload.optional(),
    createdAt: z.iso.datetime(),
    createdBy: z.string(),
    cancelled: z
      .object({ at: z.iso.datetime(), by: z.string() })
      .optional()
      .meta({ description: 'When and by whom the import was stopped.' }),
  })
  .meta({ id: 'ImportJob' });

const importProgress = z
  .object({
    job: importJob,
    chunks: z.number().int(),
    lastRecord: z.number().int(),
    report: importReport,
    state: z.enum(IMPORT_STATES).optional().meta({
      description:
        'An uploaded file’s job: `done` once the file is read and every chunk applied. Any job: `cancelled`.',
    }),
  })
  .meta({ id: 'ImportProgress' });

// The schemas above describe what the handlers take and return; these fail to compile when the domain types move.
export type ImportSchemasMatch = [
  Assert<Same<Omit<z.output<typeof importedCustomer>, 'consents'>, Omit<ImportedCustomer, 'consents'>>>,
  Assert<Same<z.output<typeof refusedRecord>, RefusedRecord>>,
  Assert<Same<z.output<typeof importReport>, ImportReport>>,
  Assert<Same<z.output<typeof importUpload>, ImportUpload>>,
  Assert<Same<z.output<typeof importProgress>, ImportProgress>>,
];

export const importRoutes = adminRoutes({
  startImport: {
    method: 'POST',
    path: '/admin/v1/imports',
    permission: 'profiles:import',
    tag: 'customers',
    summary: 'Start a customer import',
    description:
      'Creates an import job. Either its records are then posted in chunks to `/admin/v1/imports/{id}/records` ' +
      '(the `retain import customers` CLI reads the file and does it), or, with `upload: true`, the answer holds ' +
      'a URL to `PUT` the whole file to (a presigned S3 URL in AWS, valid for an hour; the local runtime’s own ' +
      'URL locally): the import worker reads it, queues its chunks and deletes it; follow `state` on ' +
      '`GET /admin/v1/imports/{id}`.',
    body: z.object({
      source: z.enum(IMPORT_SOURCES).default('csv'),
      dryRun: z.boolean().default(false).meta({ description: 'Report what would change; write nothing.' }),
      triggerJourneys: z
        .boolean()
        .default(false)
        .meta({ description: 'Send each changed customer through the journeys as an `identify`.' }),
      mapping: csvMappingSchema
        .optional()
        .meta({ description: 'The mapping the file is read with (without one, the headers suggest it).' }),
      upload: z.boolean().default(false).meta({ description: 'Answer a URL to upload the whole file to.' }),
      encoding: z.enum(CSV_ENCODINGS).default('auto').meta({ description: 'An uploaded CSV file’s encoding.' }),
      advertising: advertisingProof
        .optional()
        .meta({ description: 'An uploaded Pinpoint export: the attribute proving advertising consent.' }),
    }),
    bodyOptional: true,
    responses: {
      201: {
        description: 'The job, and where to upload its file when asked.',
        schema: z.object({
          job: importJob,
          upload: z
            .object({ url: z.string(), method: z.literal('PUT'), expiresAt: z.iso.datetime() })
            .optional()
            .meta({ description: 'PUT the file’s bytes here, unchanged (gzipped is fine for a Pinpoint export).' }),
        }),
      },
    },
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
  listImports: {
    method: 'GET',
    path: '/admin/v1/imports',
    permission: 'profiles:read',
    tag: 'customers',
    summary: 'The latest imports, newest first',
    description: 'Each with its progress and report so far, as `GET /admin/v1/imports/{id}` answers it.',
    query: z.object({ limit: z.coerce.number().int().min(1).max(MAX_LISTED_IMPORTS).default(10) }).strict(),
    responses: {
      200: { description: 'The latest imports.', schema: z.object({ imports: z.array(importProgress) }) },
    },
  },
  cancelImport: {
    method: 'POST',
    path: '/admin/v1/imports/{id}/cancel',
    permission: 'profiles:import',
    tag: 'customers',
    summary: 'Stop an import',
    description:
      'No chunk is applied after this: a posted chunk answers 409, a queued one is dropped, and the import ' +
      'worker queues no more of the file. A chunk being applied finishes; what was applied stays. Cancelling ' +
      'twice answers the first; an import that is done or failed answers 409.',
    params: idParams,
    responses: { 200: { description: 'The stopped import and what it applied.', schema: importProgress } },
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
      200: { description: 'The job and its report so far.', schema: importProgress },
    },
  },
});
