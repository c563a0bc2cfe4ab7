import type { FormDefinition } from '../src/definition/form-definition.js';
import { exampleApplicationDefinition } from '../src/testing/example-application.js';
import type { FormTestClient, TestPage } from '../src/testing/form-test-client.js';

/** Answers the "About you" section of the example application in Vietnamese, ending on the address page. */
export async function completeAboutYou(client: FormTestClient): Promise<TestPage> {
  await client.get('/apply?lang=vi');
  await client.post('/apply/name', { fullName: 'Nguyễn Thị Lan' });
  await client.post('/apply/date-of-birth', {
    'dateOfBirth-day': '5',
    'dateOfBirth-month': 'tháng Ba',
    'dateOfBirth-year': '1990',
  });
  await client.post('/apply/citizen-id', { citizenId: '001190123456' });
  await client.post('/apply/contact', { email: '', phone: '0912 345 678' });
  return client.post('/apply/address', {
    'homeAddress-line1': '12 Phố Huế',
    'homeAddress-commune': 'Phường Hai Bà Trưng',
    'homeAddress-province': 'Hà Nội',
  });
}

/**
 * A later version of the example application whose ID question accepts only
 * the legacy 9-digit ID, so a saved 12-digit citizen ID no longer validates
 * and must be asked again on resume.
 */
export const exampleApplicationVersion3: FormDefinition = {
  ...exampleApplicationDefinition,
  version: '3',
  pages: exampleApplicationDefinition.pages.map((page) =>
    page.id === 'citizen-id'
      ? {
          ...page,
          components: [
            {
              type: 'nationalId',
              id: 'citizenId',
              label: { vi: 'Số CMND', en: 'ID card number' },
              schemes: ['vn-legacy-id'],
            },
          ],
        }
      : page,
  ),
};
