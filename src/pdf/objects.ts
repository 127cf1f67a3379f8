/**
 * The PDF object model: what the parser produces and the serializer writes. Strings keep their bytes; a
 * stream keeps its encoded data, so that an object read and written again is the same object.
 */

/** A PDF name (`/Type`), without the slash, `#xx` escapes decoded. */
export class PdfName {
  private static readonly interned = new Map<string, PdfName>();
  private constructor(readonly name: string) {}
  /** The one PdfName for `name`. */
  static of(name: string): PdfName {
    let n = PdfName.interned.get(name);
    if (!n) {
      n = new PdfName(name);
      if (PdfName.interned.size < 10_000) PdfName.interned.set(name, n);
    }
    return n;
  }
}

/** A PDF string, literal `( )` or hexadecimal `< >`, as bytes. */
export class PdfString {
  constructor(
    readonly bytes: Uint8Array,
    readonly hex = false,
  ) {}
}

/** An indirect reference `num gen R`. */
export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
  /** `num gen` as a map key. */
  get key(): string {
    return `${this.num} ${this.gen}`;
  }
}

/**
 * A real number written with a decimal point (integers are plain JS numbers). A real read from a file keeps
 * its text, so that an object written again in an update says exactly what it said before.
 */
export class PdfReal {
  constructor(
    readonly value: number,
    readonly text?: string,
  ) {}
}

/** A dictionary. Keys are names without the slash; insertion order is kept for output. */
export class PdfDict {
  readonly map: Map<string, PdfObject>;
  constructor(entries?: Iterable<[string, PdfObject]>) {
    this.map = new Map(entries);
  }
  get(key: string): PdfObject | undefined {
    return this.map.get(key);
  }
  set(key: string, value: PdfObject): this {
    this.map.set(key, value);
    return this;
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  /** A shallow copy (values shared). */
  clone(): PdfDict {
    return new PdfDict(this.map);
  }
}

/** A stream: its dictionary and its data as stored in the file (still encoded). */
export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    readonly data: Uint8Array,
  ) {}
}

/** Bytes written to the output as they are; used for placeholders whose place must be found again. */
export class PdfRaw {
  constructor(readonly text: string) {}
}

/** Any PDF object. */
export type PdfObject =
  null | boolean | number | PdfReal | PdfName | PdfString | PdfRef | PdfDict | PdfStream | PdfRaw | PdfObject[];

/** The name's text when `o` is a name. */
export function nameOf(o: PdfObject | undefined): string | undefined {
  return o instanceof PdfName ? o.name : undefined;
}

/** `o` when it is a dictionary (a stream's dictionary for a stream). */
export function dictOf(o: PdfObject | undefined): PdfDict | undefined {
  return o instanceof PdfDict ? o : o instanceof PdfStream ? o.dict : undefined;
}

/** The numeric value of an integer or real. */
export function numberOf(o: PdfObject | undefined): number | undefined {
  return typeof o === 'number' ? o : o instanceof PdfReal ? o.value : undefined;
}

/** Short for `PdfName.of`. */
export const name = (n: string): PdfName => PdfName.of(n);
