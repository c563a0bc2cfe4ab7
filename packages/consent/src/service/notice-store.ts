import {
  canonicalJson,
  executorFor,
  type SqlExecutor,
  type SqlWriteOptions,
} from '@civicblocks/core';
import { ConsentError } from '../errors/consent-error.js';
import { checkId, checkVersion } from '../model/check-input.js';
import { checkNotice } from '../model/check-notice.js';
import type { ConsentNotice, NoticeReference } from '../model/notice.js';

/** Published notices, cached once read (a version never changes). @internal */
export interface NoticeStore {
  publish(
    notice: ConsentNotice,
    publishedAt: Date,
    options?: SqlWriteOptions,
  ): Promise<ConsentNotice>;
  get(reference: NoticeReference, executor?: SqlExecutor): Promise<ConsentNotice>;
  latest(id: string, executor?: SqlExecutor): Promise<ConsentNotice>;
}

/** @internal */
export function createNoticeStore(root: SqlExecutor): NoticeStore {
  const cache = new Map<string, ConsentNotice>();
  const keyOf = (id: string, version: number): string => `${id}@${version}`;

  const publish = async (
    notice: ConsentNotice,
    publishedAt: Date,
    options?: SqlWriteOptions,
  ): Promise<ConsentNotice> => {
    const checked = checkNotice(notice);
    const document = canonicalJson(checked as never);
    const executor = executorFor(root, options);
    const { rows } = await executor.query<{ document: unknown }>(
      `WITH inserted AS (
         INSERT INTO consent_notices (notice_id, version, controller_id, reask, document, published_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6)
         ON CONFLICT (notice_id, version) DO NOTHING
         RETURNING document)
       SELECT document FROM inserted
       UNION ALL
       SELECT document FROM consent_notices WHERE notice_id = $1 AND version = $2
         AND NOT EXISTS (SELECT 1 FROM inserted)`,
      [
        checked.id,
        checked.version,
        checked.controller.id,
        checked.existingConsents === 're-ask',
        document,
        publishedAt,
      ],
    );
    const stored = rows[0]?.document;
    if (stored !== undefined && canonicalJson(stored as never) !== document) {
      throw new ConsentError(
        'CONSENT_NOTICE_EXISTS',
        'this notice version was already published with other content: publish the next version',
        {
          details: { field: 'version' },
        },
      );
    }
    return checked;
  };

  const get = async (
    reference: NoticeReference,
    executor: SqlExecutor = root,
  ): Promise<ConsentNotice> => {
    const id = checkId(reference?.id, 'notice.id');
    const version = checkVersion(reference?.version, 'notice.version');
    const cached = cache.get(keyOf(id, version));
    if (cached !== undefined) return cached;
    const { rows } = await executor.query<{ document: ConsentNotice }>(
      'SELECT document FROM consent_notices WHERE notice_id = $1 AND version = $2',
      [id, version],
    );
    const row = rows[0];
    if (row === undefined) {
      throw new ConsentError('CONSENT_UNKNOWN_NOTICE', 'no such notice version', {
        details: { field: 'notice' },
      });
    }
    const notice = checkNotice(row.document);
    cache.set(keyOf(id, version), notice);
    return notice;
  };

  const latest = async (id: string, executor: SqlExecutor = root): Promise<ConsentNotice> => {
    checkId(id, 'notice.id');
    const { rows } = await executor.query<{ version: number }>(
      'SELECT max(version) AS version FROM consent_notices WHERE notice_id = $1',
      [id],
    );
    const version = rows[0]?.version;
    if (version === undefined || version === null) {
      throw new ConsentError('CONSENT_UNKNOWN_NOTICE', 'no such notice', {
        details: { field: 'notice' },
      });
    }
    return get({ id, version }, executor);
  };

  return { publish, get, latest };
}
