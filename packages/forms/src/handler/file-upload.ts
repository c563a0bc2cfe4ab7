import { isQuestion } from '../components/component-kind.js';
import type { UploadedFile } from '../components/posted-form.js';
import type { JourneyRoute } from '../journey/form-journey.js';
import type { CompiledForm } from '../validation/compiled-form.js';
import type { FileStorage } from './handler-options.js';

/**
 * Hands a page's accepted files to the storage and puts their ids in the
 * answers; when one fails, the files this page already stored are removed.
 */
export async function storePageFiles(
  form: CompiledForm<unknown>,
  route: Extract<JourneyRoute, { kind: 'page' | 'item' }>,
  answers: Record<string, unknown>,
  files: ReadonlyMap<string, File[]>,
  storage: FileStorage,
): Promise<Record<string, unknown>> {
  const page = form.page(route.pageId);
  const next = { ...answers };
  const target: Record<string, unknown> =
    route.kind === 'item' && Array.isArray(next[route.pageId])
      ? ((next[route.pageId] as Record<string, unknown>[])[route.index] ?? {})
      : next;
  const storedIds: string[] = [];
  try {
    for (const component of page.components) {
      if (!isQuestion(component) || component.type !== 'file') continue;
      const stored = target[component.id];
      const posted = files.get(component.id) ?? [];
      if (!Array.isArray(stored)) continue;
      const withIds: UploadedFile[] = [];
      for (const [index, file] of posted.filter((candidate) => candidate.size > 0).entries()) {
        const meta = stored[index] as UploadedFile | undefined;
        if (meta === undefined) continue;
        const id = await storage.put({
          name: meta.name,
          type: meta.type,
          size: meta.size,
          bytes: new Uint8Array(await file.arrayBuffer()),
        });
        storedIds.push(id);
        withIds.push({ ...meta, id });
      }
      target[component.id] = withIds;
    }
  } catch (error) {
    // best effort: the page failed, so none of its files may stay behind
    await Promise.allSettled(storedIds.map((id) => storage.delete?.(id)));
    throw error;
  }
  return next;
}

/** File metadata by input name, as the journey engine reads it. */
export function uploadedFiles(files: ReadonlyMap<string, File[]>): Record<string, UploadedFile[]> {
  const uploaded = Object.create(null) as Record<string, UploadedFile[]>;
  for (const [name, list] of files) {
    uploaded[name] = list.map((file) => ({ name: file.name, type: file.type, size: file.size }));
  }
  return uploaded;
}
