// The import page's data: a job started and its file handed over, then the job followed until it is done, failed or
// stopped; the latest jobs; a job stopped.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, type Schemas } from '../../api/client.js';
import type { operations } from '../../api/schema.js';
import { useApi } from '../../auth/session.js';

export type ImportJob = Schemas['ImportJob'];
export type ImportMapping = NonNullable<ImportJob['mapping']>;
export type EndpointTally = Schemas['PinpointEndpointTally'];
export type ImportProgress = operations['getImport']['responses'][200]['content']['application/json'];
export type ImportState = NonNullable<ImportProgress['state']>;
/** What the form asks for, with a CSV's mapping as the Columns editor set it; `upload` is always true from the console. */
export type ImportOptions = Omit<
  NonNullable<operations['startImport']['requestBody']>['content']['application/json'],
  'upload'
>;

/** The upload URL refused the file: S3 (or the local runtime) answers in its own words, not the API's. */
export class UploadRefused extends Error {
  constructor(
    readonly status: number,
    readonly text: string,
  ) {
    super(`${status} ${text}`);
  }
}

const FINISHED: readonly (ImportState | undefined)[] = ['done', 'failed', 'cancelled'];
/** An uploaded file's job still under way: the one kind the console offers to stop. */
export const isRunning = (state: ImportState | undefined) =>
  state === 'waiting-for-file' || state === 'reading' || state === 'applying';
export const isFinished = (state: ImportState | undefined) => FINISHED.includes(state);

/**
 * Starts an upload job and PUTs the file's bytes to the URL it answers. The PUT goes straight to the bucket (a
 * presigned S3 URL in AWS), so it carries no admin token, and the bytes go without a content type: the URL is
 * signed for the object, not for a type the browser guesses from the file name.
 */
export function useStartImport() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    // The new job heads the latest imports (which then follow it while it runs).
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['imports'] }),
    mutationFn: async ({ file, options }: { file: File; options: ImportOptions }) => {
      const started = await answer(api.POST('/admin/v1/imports', { body: { ...options, upload: true } }));
      if (!started.upload) throw new Error('the API answered no upload URL');
      const put = await fetch(started.upload.url, { method: started.upload.method, body: new Blob([file]) });
      if (!put.ok) throw new UploadRefused(put.status, (await put.text()).slice(0, 500));
      return started.job;
    },
  });
}

/** The job's progress, asked every second until the file is read and every chunk applied (or the file failed). */
export function useImportProgress(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['import', id],
    enabled: id !== undefined,
    queryFn: () => answer(api.GET('/admin/v1/imports/{id}', { params: { path: { id: id ?? '' } } })),
    refetchInterval: (query) => (isFinished(query.state.data?.state) ? false : 1_000),
  });
}

/** The latest imports, newest first (the console's and the CLI's), asked again every few seconds while one runs. */
export function useLatestImports() {
  const api = useApi();
  return useQuery({
    queryKey: ['imports'],
    queryFn: () => answer(api.GET('/admin/v1/imports', { params: { query: { limit: 10 } } })),
    refetchInterval: (query) => (query.state.data?.imports.some((i) => isRunning(i.state)) ? 3_000 : false),
  });
}

/** Stops a job: the chunks not yet applied never will be; what was applied stays. */
export function useCancelImport(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => answer(api.POST('/admin/v1/imports/{id}/cancel', { params: { path: { id } } })),
    onSuccess: (progress) => {
      queryClient.setQueryData(['import', id], progress);
      return queryClient.invalidateQueries({ queryKey: ['imports'] });
    },
  });
}
