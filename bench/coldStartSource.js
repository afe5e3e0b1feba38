// The 200-line TypeScript function whose first call after deploy the cold-start benchmark times: an
// order-quote handler with types, validation, tax and discount rules and formatting — the kind of code
// a real function holds. `variant` changes a constant and a rate, so each deploy is truly new code
// (a new content hash, a new version, nothing cached for it).

/** @param {number} variant @returns {string} exactly 200 lines of TypeScript */
export function coldStartSource(variant) {
  const text = `// Order quote: validates an order, prices its lines, applies discounts and tax, and answers a quote.
export const config = { access: "public" } as const;

const BUILD_ID = "bench-${variant}";
const BASE_VAT = ${(0.2 + (variant % 7) / 1000).toFixed(4)};

type Currency = "EUR" | "USD" | "GBP";
type Region = "eu" | "us" | "uk" | "other";

interface OrderLine {
  sku: string;
  quantity: number;
  unitPrice: number;
  category?: "books" | "food" | "general" | "digital";
}

interface Customer {
  id: string;
  region: Region;
  loyaltyYears?: number;
  vatNumber?: string;
}

interface OrderInput {
  currency?: Currency;
  customer?: Customer;
  lines?: OrderLine[];
  coupon?: string;
}

interface PricedLine extends OrderLine {
  net: number;
  tax: number;
  gross: number;
}

interface Quote {
  build: string;
  currency: Currency;
  lines: PricedLine[];
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
  formatted: string;
  warnings: string[];
}

class QuoteError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = "QuoteError";
  }
}

const TAX_RATES: Record<Region, Record<NonNullable<OrderLine["category"]>, number>> = {
  eu: { books: 0.055, food: 0.055, general: BASE_VAT, digital: BASE_VAT },
  us: { books: 0, food: 0, general: 0.0725, digital: 0.0725 },
  uk: { books: 0, food: 0, general: 0.2, digital: 0.2 },
  other: { books: 0, food: 0, general: 0, digital: 0 },
};

const COUPONS: Record<string, { percent?: number; amount?: number; minimum?: number }> = {
  WELCOME10: { percent: 10 },
  SPRING: { percent: 15, minimum: 50 },
  FLAT5: { amount: 5, minimum: 20 },
};

const SYMBOLS: Record<Currency, string> = { EUR: "€", USD: "$", GBP: "£" };

function isCurrency(value: unknown): value is Currency {
  return value === "EUR" || value === "USD" || value === "GBP";
}

function isRegion(value: unknown): value is Region {
  return value === "eu" || value === "us" || value === "uk" || value === "other";
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new QuoteError(\`\${field} must be a non-empty string\`, field);
  }
  return value.trim();
}

function requireNumber(value: unknown, field: string, min = 0): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new QuoteError(\`\${field} must be a number of at least \${min}\`, field);
  }
  return value;
}

function validateCustomer(input: unknown): Customer {
  if (input === undefined) return { id: "guest", region: "other" };
  if (typeof input !== "object" || input === null) throw new QuoteError("customer must be an object", "customer");
  const raw = input as Record<string, unknown>;
  const region = raw.region ?? "other";
  if (!isRegion(region)) throw new QuoteError("customer.region is unknown", "customer.region");
  const customer: Customer = { id: requireString(raw.id, "customer.id"), region };
  if (raw.loyaltyYears !== undefined) {
    customer.loyaltyYears = requireNumber(raw.loyaltyYears, "customer.loyaltyYears");
  }
  if (typeof raw.vatNumber === "string" && /^[A-Z]{2}[0-9A-Z]{8,12}$/.test(raw.vatNumber)) {
    customer.vatNumber = raw.vatNumber;
  }
  return customer;
}

function validateLines(input: unknown): OrderLine[] {
  if (!Array.isArray(input) || input.length === 0) throw new QuoteError("lines must be a non-empty array", "lines");
  if (input.length > 500) throw new QuoteError("at most 500 lines per order", "lines");
  return input.map((raw, index) => {
    const line = (raw ?? {}) as Record<string, unknown>;
    const category = line.category ?? "general";
    if (category !== "books" && category !== "food" && category !== "general" && category !== "digital") {
      throw new QuoteError(\`lines[\${index}].category is unknown\`, \`lines[\${index}].category\`);
    }
    return {
      sku: requireString(line.sku, \`lines[\${index}].sku\`),
      quantity: Math.floor(requireNumber(line.quantity, \`lines[\${index}].quantity\`, 1)),
      unitPrice: requireNumber(line.unitPrice, \`lines[\${index}].unitPrice\`),
      category,
    };
  });
}

function priceLine(line: OrderLine, customer: Customer): PricedLine {
  const rate = customer.vatNumber && customer.region === "eu" ? 0 : TAX_RATES[customer.region][line.category ?? "general"];
  const net = round(line.quantity * line.unitPrice);
  const tax = round(net * rate);
  return { ...line, net, tax, gross: round(net + tax) };
}

function couponDiscount(code: string | undefined, subtotal: number, warnings: string[]): number {
  if (!code) return 0;
  const coupon = COUPONS[code.toUpperCase()];
  if (!coupon) {
    warnings.push(\`unknown coupon \${code}\`);
    return 0;
  }
  if (coupon.minimum !== undefined && subtotal < coupon.minimum) {
    warnings.push(\`coupon \${code} needs an order of at least \${coupon.minimum}\`);
    return 0;
  }
  const value = coupon.percent !== undefined ? (subtotal * coupon.percent) / 100 : (coupon.amount ?? 0);
  return round(Math.min(value, subtotal));
}

function loyaltyDiscount(customer: Customer, subtotal: number): number {
  const years = Math.min(customer.loyaltyYears ?? 0, 10);
  return round((subtotal * years) / 200);
}

function totalQuantity(lines: OrderLine[]): number {
  let count = 0;
  for (const line of lines) count += line.quantity;
  return count;
}

function format(amount: number, currency: Currency): string {
  const [whole, cents] = amount.toFixed(2).split(".");
  const grouped = whole!.replace(/\\B(?=(\\d{3})+(?!\\d))/g, ",");
  return \`\${SYMBOLS[currency]}\${grouped}.\${cents}\`;
}

export function quote(input: OrderInput): Quote {
  const warnings: string[] = [];
  const currency = input.currency ?? "EUR";
  if (!isCurrency(currency)) throw new QuoteError("currency must be EUR, USD or GBP", "currency");
  const customer = validateCustomer(input.customer);
  const lines = validateLines(input.lines).map((line) => priceLine(line, customer));
  const subtotal = round(lines.reduce((sum, line) => sum + line.net, 0));
  const discount = round(couponDiscount(input.coupon, subtotal, warnings) + loyaltyDiscount(customer, subtotal));
  const taxBefore = lines.reduce((sum, line) => sum + line.tax, 0);
  const tax = subtotal === 0 ? 0 : round(taxBefore * (1 - discount / subtotal));
  const total = round(subtotal - discount + tax);
  if (total > 10_000) warnings.push("orders over 10,000 are reviewed by hand");
  if (totalQuantity(lines) > 1_000) warnings.push("orders of over 1,000 items ship in parts");
  return { build: BUILD_ID, currency, lines, subtotal, discount, tax, total, formatted: format(total, currency), warnings };
}

export default async function (event: { body?: unknown } | OrderInput, context: { trigger: string }) {
  const input = (context.trigger === "http" ? (event as { body?: unknown }).body : event) as OrderInput;
  try {
    const result = quote(input ?? {});
    return { ok: true, quote: result };
  } catch (error) {
    if (error instanceof QuoteError) {
      return Response.json({ ok: false, field: error.field, message: error.message }, { status: 400 });
    }
    throw error;
  }
}
`;
  const count = text.trimEnd().split("\n").length;
  if (count !== 200) throw new Error(`coldStartSource: ${count} lines, not 200`);
  return text;
}

/** A payload the function prices without warnings or errors. */
export const COLD_START_PAYLOAD = {
  currency: "EUR",
  customer: { id: "c-1", region: "eu", loyaltyYears: 3 },
  coupon: "WELCOME10",
  lines: [
    { sku: "book-1", quantity: 2, unitPrice: 12.5, category: "books" },
    { sku: "mug-7", quantity: 1, unitPrice: 9.9 },
  ],
};
