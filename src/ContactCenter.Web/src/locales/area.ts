// One feature area's strings: Russian must have exactly the English keys (the compiler checks it).
export function area<const T extends Record<string, string>>(strings: { en: T; ru: { [K in keyof T]: string } }) {
  return strings;
}
