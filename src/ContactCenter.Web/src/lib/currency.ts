/** A sum in one currency, as the server sends totals (amounts of different currencies are never added together). */
export interface CurrencyAmount { currency: string; amount: number }

/** The currencies offered for a deal; a deal's own currency is offered too when it is none of these. */
export const dealCurrencies = ['RUB', 'USD', 'EUR'] as const;

/** The choices for a deal's currency select: the usual ones plus the deal's current one. */
export function currencyChoices(current?: string | null): string[] {
  const code = current?.toUpperCase();
  return code && !(dealCurrencies as readonly string[]).includes(code) ? [...dealCurrencies, code] : [...dealCurrencies];
}

/** A currency's code and name in the UI's language ("RUB · российский рубль"); the code alone where Intl cannot name it. */
export function currencyLabel(code: string, locale: string): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: 'currency' }).of(code);
    return name && name !== code ? `${code} · ${name}` : code;
  } catch { return code; }
}

/**
 * Adds an amount (negative to take one away) to its currency's sum; a currency whose sum comes to zero is dropped,
 * a new one is appended. Amounts are cents-exact decimals on the server: the float noise of the addition is rounded off.
 */
export function addAmount(sums: readonly CurrencyAmount[], currency: string, amount: number): CurrencyAmount[] {
  if (amount === 0) return [...sums];
  const round = (n: number) => Math.round(n * 10000) / 10000;
  const found = sums.some((s) => s.currency === currency);
  const next = found
    ? sums.map((s) => (s.currency === currency ? { ...s, amount: round(s.amount + amount) } : s))
    : [...sums, { currency, amount: round(amount) }];
  return next.filter((s) => s.amount !== 0);
}
