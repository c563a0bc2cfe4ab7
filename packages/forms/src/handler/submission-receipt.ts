import { createSealedBox } from '../seal/sealed-box.js';

/**
 * The sealed receipt a citizen's browser gets when their submission is
 * recorded: the confirmation page shows only the reference in it, so a link
 * cannot make the service's page show a reference (or any text) of
 * someone's choosing.
 */
export interface ReceiptSealer {
  seal(formId: string, reference: string | undefined): Promise<string>;
  /** The reference of a receipt for this form; `null` for a submission without one; `undefined` when there is no valid receipt. */
  open(formId: string, value: string | undefined): Promise<string | null | undefined>;
}

/** How long a receipt shows its reference: long enough to read and note it, short for a shared computer. */
export const receiptMaxAgeSeconds: number = 15 * 60;

/** Creates the receipt sealer of one handler. */
export function createReceiptSealer(
  secret: Uint8Array<ArrayBuffer>,
  maxAgeSeconds: number,
  now: () => Date,
): ReceiptSealer {
  const box = createSealedBox(secret, 'civicblocks-forms-receipt-v1');
  return {
    seal: (formId, reference) => box.seal({ f: formId, r: reference ?? null, t: now().getTime() }),
    async open(formId, value) {
      if (value === undefined || value === '') return undefined;
      try {
        const receipt = (await box.open(value)) as { f?: unknown; r?: unknown; t?: unknown } | null;
        if (
          receipt === null ||
          typeof receipt !== 'object' ||
          receipt.f !== formId ||
          typeof receipt.t !== 'number' ||
          now().getTime() - receipt.t > maxAgeSeconds * 1000
        )
          return undefined;
        return typeof receipt.r === 'string' ? receipt.r : null;
      } catch {
        return undefined;
      }
    },
  };
}
