// The provider's own sign-out pages, in Vietnamese with English alongside
// (the dev provider does not know which language the service uses).
const pageHead =
  '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Nhà cung cấp định danh thử nghiệm – Dev identity provider</title></head><body><main>';

/** The provider's "sign out?" page around oidc-provider's logout form. */
export function signOutPage(form: string): string {
  return `${pageHead}<h1>Đăng xuất khỏi nhà cung cấp định danh thử nghiệm? <span lang="en">Sign out of the dev identity provider?</span></h1>${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Có, đăng xuất – <span lang="en">Yes, sign me out</span></button> <button type="submit" form="op.logoutForm">Không, vẫn đăng nhập – <span lang="en">No, stay signed in</span></button></main></body></html>`;
}

/** The provider's "you have signed out" page. */
export const signedOutPage: string = `${pageHead}<h1>Bạn đã đăng xuất. <span lang="en">You have signed out.</span></h1></main></body></html>`;

/** The answer to a request naming no persona (or an unknown one): plain text listing the personas. */
export function choosePersonaText(personaIds: readonly string[]): string {
  return `Dev identity provider: choose a persona with login_hint. Known: ${personaIds.join(', ')}\n`;
}
