// Five agency-style JSON Schemas become forms and round-trip through the
// journey engine: their example data, typed into the pages a citizen sees,
// comes back out of toData unchanged and valid against the original schema.
import { describe, expect, it } from 'vitest';
import {
  firstIncompleteRoute,
  inputsForRoute,
  type JourneyRoute,
  submitPage,
} from '../src/journey/form-journey.js';
import { formFromJsonSchema } from '../src/json-schema/json-schema-form.js';
import { renderFormPage } from '../src/render/page-html.js';
import { agencySchemas } from './fixtures/agency-schemas.js';

/** Fills every page from `target` answers, as a citizen would, until check your answers. */
export function fillJourney(
  source: ReturnType<typeof formFromJsonSchema>,
  target: Record<string, unknown>,
): Record<string, unknown> {
  let answers: Record<string, unknown> = {};
  let route: JourneyRoute = firstIncompleteRoute(source.form, answers);
  for (let step = 0; step < 60 && route.kind !== 'checkAnswers'; step += 1) {
    let posted: Record<string, string | string[]> = {};
    if (route.kind === 'list') {
      const wanted = Array.isArray(target[route.pageId])
        ? (target[route.pageId] as unknown[]).length
        : 0;
      const added = Array.isArray(answers[route.pageId])
        ? (answers[route.pageId] as unknown[]).length
        : 0;
      posted = { addAnother: added < wanted ? 'yes' : 'no' };
    } else {
      posted = inputsForRoute(source.form, target, route);
    }
    const next = submitPage(source.form, { route, posted, answers, locale: 'en' });
    if (next.kind === 'invalid')
      throw new Error(
        `${JSON.stringify(route)}: ${next.errors.map((error) => `${error.field} ${error.message.en}`).join('; ')}`,
      );
    if (next.kind === 'complete') break;
    answers = next.answers;
    route = next.route;
  }
  expect(route.kind).toBe('checkAnswers');
  return answers;
}

describe('agency-style JSON Schemas as forms', () => {
  for (const agency of agencySchemas) {
    it(`${agency.name}: renders every page and round-trips its example`, () => {
      const source = formFromJsonSchema(agency.schema, agency.options);
      expect(source.validateData(agency.example).valid).toBe(true);
      for (const page of source.definition.pages) {
        const route: JourneyRoute =
          page.kind === 'repeater'
            ? { kind: 'item', pageId: page.id, index: 0 }
            : { kind: 'page', pageId: page.id };
        for (const locale of ['vi', 'en'] as const) {
          const rendered = renderFormPage(source.form, {
            route,
            answers: {},
            locale,
            basePath: '/f',
          });
          expect(rendered.main).toContain('<form method="post"');
        }
      }
      const target = source.fromData(agency.example);
      const answers = fillJourney(source, target);
      const result = source.form.validate(answers);
      expect(result.valid).toBe(true);
      expect(source.toData(answers)).toEqual(agency.example);
    });
  }

  it('conditional questions follow if/then/else and dependentRequired', () => {
    const business = agencySchemas[2];
    if (business === undefined) throw new Error('fixture');
    const source = formFromJsonSchema(business.schema, business.options);
    const household = fillJourney(
      source,
      source.fromData({ businessType: 'household', ownerName: 'Võ Thị Sáu' }),
    );
    expect(source.toData(household)).toEqual({
      businessType: 'household',
      ownerName: 'Võ Thị Sáu',
    });
    const ids = source.definition.pages.map((page) => page.id);
    expect(ids).toContain('registrationNumber');
    expect(ids).toContain('ownerName');
    // A website without its owner is refused on the owner's page, in both languages.
    const refused = source.validateData({
      businessType: 'company',
      registrationNumber: '0312345678',
      website: 'x.vn',
    });
    expect(refused.valid).toBe(false);
    if (!refused.valid) {
      expect(refused.errors[0]?.field).toBe('websiteOwner');
      expect(refused.errors[0]?.message.en).toBe('Enter who owns the website');
      expect(refused.errors[0]?.message.vi).toBe('Nhập who owns the website');
    }
  });
});
