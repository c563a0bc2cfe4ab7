import type { CompiledForm, FormAnswers } from './compiled-form.js';

function isItem(item: unknown): item is Record<string, unknown> {
  return typeof item === 'object' && item !== null && !Array.isArray(item);
}

/**
 * The answers a form asks for these answers: answers to hidden questions and
 * pages, and to questions the form does not have, are dropped (repeated until
 * nothing changes, since a dropped answer can hide more questions).
 */
export function pruneFormAnswers(
  form: CompiledForm<unknown>,
  answers: FormAnswers,
): Record<string, unknown> {
  let current: Record<string, unknown> = { ...answers };
  for (let pass = 0; pass < 5; pass += 1) {
    const kept: Record<string, unknown> = {};
    for (const page of form.visiblePages(current)) {
      if (page.kind === 'repeater') {
        const items = Object.hasOwn(current, page.id) ? current[page.id] : undefined;
        if (!Array.isArray(items)) continue;
        kept[page.id] = items.filter(isItem).map((item) => {
          const keptItem: Record<string, unknown> = {};
          for (const question of form.visibleQuestions(page.id, current, item)) {
            if (Object.hasOwn(item, question.id)) keptItem[question.id] = item[question.id];
          }
          return keptItem;
        });
        continue;
      }
      for (const question of form.visibleQuestions(page.id, current)) {
        if (Object.hasOwn(current, question.id)) kept[question.id] = current[question.id];
      }
    }
    const stable = Object.keys(kept).length === Object.keys(current).length;
    current = kept;
    if (stable) break;
  }
  return current;
}
