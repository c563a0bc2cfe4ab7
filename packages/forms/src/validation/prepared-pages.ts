import { isQuestion } from '../components/component-kind.js';
import { hasContextualRules } from '../components/contextual-rules.js';
import { type ConditionNode, parseCondition } from '../conditions/condition-expression.js';
import type {
  FormDefinition,
  PageDefinition,
  QuestionComponent,
} from '../definition/form-definition.js';

/** A page with its conditions parsed and its questions listed. */
export interface PreparedPage {
  readonly definition: PageDefinition;
  readonly condition: ConditionNode | undefined;
  readonly questions: readonly QuestionComponent[];
  readonly conditions: ReadonlyMap<string, ConditionNode>;
}

/** A definition's pages prepared once, with the lookups a compiled form needs. */
export interface PreparedPages {
  readonly pages: ReadonlyMap<string, PreparedPage>;
  /** Questions outside repeaters, by answer id. */
  readonly questionsById: ReadonlyMap<string, QuestionComponent>;
  /** The page of each answer id (a repeater's own id for its items). */
  readonly pageOfAnswer: ReadonlyMap<string, string>;
  /** Questions whose checks need the clock or other answers. */
  readonly contextual: readonly QuestionComponent[];
  /** True when any page or question has a condition, or the form has a repeater. */
  readonly hasConditions: boolean;
}

/** Parses every condition and indexes every question of a checked definition. */
export function preparePages(definition: FormDefinition): PreparedPages {
  const pages = new Map<string, PreparedPage>();
  const questionsById = new Map<string, QuestionComponent>();
  const pageOfAnswer = new Map<string, string>();
  const contextual: QuestionComponent[] = [];
  let hasConditions = false;
  for (const page of definition.pages) {
    const conditions = new Map<string, ConditionNode>();
    const questions: QuestionComponent[] = [];
    for (const component of page.components) {
      if (component.condition !== undefined) {
        conditions.set(component.id, parseCondition(component.condition));
        hasConditions = true;
      }
      if (!isQuestion(component)) continue;
      questions.push(component);
      if (page.kind === 'repeater') continue;
      questionsById.set(component.id, component);
      pageOfAnswer.set(component.id, page.id);
      if (hasContextualRules(component)) contextual.push(component);
    }
    if (page.kind === 'repeater') pageOfAnswer.set(page.id, page.id);
    if (page.condition !== undefined || page.kind === 'repeater') hasConditions = true;
    pages.set(page.id, {
      definition: page,
      condition: page.condition === undefined ? undefined : parseCondition(page.condition),
      questions,
      conditions,
    });
  }
  return { pages, questionsById, pageOfAnswer, contextual, hasConditions };
}
