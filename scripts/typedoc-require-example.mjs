// A TypeDoc plugin: every exported symbol of a published package must show how
// it is used. A symbol whose comment (or first signature's) has no @example
// tag is reported as a warning, which the docs build treats as an error.
import { Converter, ReflectionKind } from 'typedoc';

const exportedKinds =
  ReflectionKind.Class |
  ReflectionKind.Interface |
  ReflectionKind.TypeAlias |
  ReflectionKind.Function |
  ReflectionKind.Variable |
  ReflectionKind.Enum;

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    for (const reflection of context.project.getReflectionsByKind(exportedKinds)) {
      if (!reflection.parent?.kindOf(ReflectionKind.Module | ReflectionKind.Project)) continue;
      const comments = [reflection.comment, reflection.signatures?.[0]?.comment];
      if (comments.some((comment) => comment?.getTag('@example'))) continue;
      app.logger.warn(`${reflection.getFriendlyFullName()} is exported but has no @example`);
    }
  });
}
