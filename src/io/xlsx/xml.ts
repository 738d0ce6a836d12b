/**
 * A streaming XML scanner for the parts of an .xlsx (issue 16), in place of a general
 * parser: profiled on a 100,000-row sheet, saxes's character-by-character state machine and
 * the objects it makes for every tag and attribute were half of the import worker's time and
 * most of its garbage. SpreadsheetML is plain XML — elements, attributes, text, the five
 * predefined entities and character references; no DTD — so this scanner finds tags with
 * indexOf, hands over a tag's name and its raw attribute text (read with `attr` only where
 * wanted), and decodes text only while the reader asks for it (`wantText`): the text of the
 * cells, nothing else. Text it is not asked for is passed over without being kept, so a
 * huge text node costs no memory. It checks that every element is closed by its own end tag
 * and that the part ends with its root closed (a part cut short is damaged); a DOCTYPE (and
 * with it any entity expansion) is refused.
 */

export interface XmlEvents {
  /** a start tag (its name as written, with any prefix) and the text of its attributes */
  open(name: string, attrs: string): void;
  /** an end tag, or right after `open` for an empty element (`<c r="A1"/>`) */
  close(name: string): void;
  /** text while `wantText` is true, entities decoded, in one or more pieces */
  text(s: string): void;
  /**
   * Optional: a whole element the reader reads at once, starting at `s[lt]` (a cell as
   * Excel writes it), in place of its tags one by one; the index after it, or -1 to read
   * the tags as they come.
   */
  element?(s: string, lt: number): number;
}

/** The longest tag (`<…>`) read across pieces of text; a longer one is no SpreadsheetML. */
const MAX_TAG = 1 << 20;
/** Deepest nesting a part may have: SpreadsheetML nests about 8 deep; a deeper one is hostile (its stack would fill the memory). */
const MAX_DEPTH = 64;

export class XmlError extends Error {}

export class XmlScanner {
  /** the reader wants the text from here to the next tag */
  wantText = false;
  /** the start of a tag (or an entity) cut by the end of the last piece */
  private rest = '';
  private readonly stack: string[] = [];
  private started = false;

  constructor(private readonly on: XmlEvents) {}

  write(chunk: string): void {
    const s = this.rest === '' ? chunk : this.rest + chunk;
    this.rest = '';
    const n = s.length;
    let i = 0;
    while (i < n) {
      const lt = s.indexOf('<', i);
      const end = lt < 0 ? n : lt;
      if (end > i && this.wantText) {
        // an entity, or a CR that may be the first half of a CRLF, cut by the end of the piece waits for the rest
        const amp = lt < 0 ? s.lastIndexOf('&') : -1;
        const cut = amp >= i && s.indexOf(';', amp) < 0 && n - amp < 12 ? amp : lt < 0 && s.charCodeAt(n - 1) === 13 ? n - 1 : -1;
        if (cut >= i) {
          if (cut > i) this.on.text(decode(s.slice(i, cut)));
          this.rest = s.slice(cut);
          return;
        }
        this.on.text(decode(s.slice(i, end)));
      }
      if (lt < 0) return;
      if (this.on.element !== undefined && this.stack.length > 0) {
        const after = this.on.element(s, lt);
        if (after > 0) {
          i = after;
          continue;
        }
      }
      const gt = this.tagEnd(s, lt);
      if (gt < 0) {
        if (n - lt > MAX_TAG) throw new XmlError('a tag without its end');
        this.rest = s.slice(lt);
        return;
      }
      this.tag(s, lt, gt);
      i = gt + 1;
    }
  }

  /** After the last piece: the root element must have been closed. */
  end(): void {
    if (this.rest !== '' || this.stack.length > 0 || !this.started) throw new XmlError(this.started ? 'the part ends before its elements are closed' : 'no XML in the part');
  }

  /**
   * The index of the `>` ending the markup that starts at lt, or -1 when it goes on past the
   * text: a comment ends at `-->`, CDATA at `]]>`, a processing instruction at `?>`, a tag
   * at the first `>` outside quotes.
   */
  private tagEnd(s: string, lt: number): number {
    const c = s.charCodeAt(lt + 1);
    if (c === 33 /* ! */) {
      if (s.startsWith('<!--', lt)) return endOf(s.indexOf('-->', lt + 4), 2);
      if (s.startsWith('<![CDATA[', lt)) return endOf(s.indexOf(']]>', lt + 9), 2);
      if (lt + 9 > s.length) return -1;
      throw new XmlError('a DOCTYPE, which no workbook part has');
    }
    if (c === 63 /* ? */) return endOf(s.indexOf('?>', lt + 2), 1);
    TAG.lastIndex = lt + 1;
    return TAG.test(s) ? TAG.lastIndex - 1 : -1;
  }

  private tag(s: string, lt: number, gt: number): void {
    const c = s.charCodeAt(lt + 1);
    if (c === 33) {
      // CDATA is text as it stands; a comment is nothing
      if (s.charCodeAt(lt + 2) === 91 && this.wantText) this.on.text(s.slice(lt + 9, gt - 2));
      return;
    }
    if (c === 63) return;
    if (c === 47 /* / */) {
      const name = s.slice(lt + 2, gt).trimEnd();
      if (this.stack.pop() !== name) throw new XmlError(`an end tag </${name}> that closes no <${name}>`);
      this.on.close(name);
      return;
    }
    const empty = s.charCodeAt(gt - 1) === 47;
    let k = lt + 1;
    const stop = empty ? gt - 1 : gt;
    while (k < stop) {
      const d = s.charCodeAt(k);
      if (d === 32 || d === 9 || d === 10 || d === 13) break;
      k++;
    }
    const name = s.slice(lt + 1, k);
    if (name === '') throw new XmlError('a tag without a name');
    if (this.started && this.stack.length === 0) throw new XmlError('more than one root element');
    this.started = true;
    this.on.open(name, k < stop ? s.slice(k, stop) : '');
    if (empty) this.on.close(name);
    else if (this.stack.push(name) > MAX_DEPTH) throw new XmlError('elements nested too deep');
  }
}

const endOf = (at: number, extra: number): number => (at < 0 ? -1 : at + extra);

/** The rest of a tag after its `<`, to its `>` outside quoted attribute values (sticky: from lastIndex). */
const TAG = /[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>/y;

/** The local name of a tag or attribute (`x:row` → `row`: some writers prefix the main namespace). */
export function local(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/**
 * The value of the attribute whose local name is `name` (`r`, `id` for `r:id`) in a tag's
 * attribute text, entities decoded; undefined when it has none. The way Excel writes them
 * (` r="A1"`) is found at once; any other (a prefix, single quotes, spaces around `=`) by
 * reading the attributes in turn.
 */
export function attr(attrs: string, name: string): string | undefined {
  if (attrs.indexOf(name) < 0) return undefined;
  let plain = PLAIN.get(name);
  if (plain === undefined) PLAIN.set(name, (plain = ` ${name}="`));
  const at = attrs.indexOf(plain);
  if (at >= 0) {
    const from = at + plain.length;
    const close = attrs.indexOf('"', from);
    if (close >= 0) return decode(attrs.slice(from, close));
  }
  // written as Excel writes attributes, and not there
  return UNUSUAL.test(attrs) ? anyAttr(attrs, name) : undefined;
}

/** Attribute text not written as Excel writes it: a prefix, single quotes, other white space, spaces around `=`. */
const UNUSUAL = /[:'\t\n\r]| =|= /;

/** ` name="`, by name */
const PLAIN = new Map<string, string>();

function anyAttr(attrs: string, name: string): string | undefined {
  const n = attrs.length;
  let k = 0;
  while (k < n) {
    // the attribute's name, then =, then its quoted value; white space anywhere between
    while (k < n && isSpace(attrs.charCodeAt(k))) k++;
    const start = k;
    while (k < n && attrs.charCodeAt(k) !== 61 && !isSpace(attrs.charCodeAt(k))) k++;
    const end = k;
    while (k < n && isSpace(attrs.charCodeAt(k))) k++;
    if (k >= n || attrs.charCodeAt(k) !== 61) return undefined;
    k++;
    while (k < n && isSpace(attrs.charCodeAt(k))) k++;
    const q = attrs.charCodeAt(k);
    if (q !== 34 && q !== 39) return undefined;
    const close = attrs.indexOf(q === 34 ? '"' : "'", k + 1);
    if (close < 0) return undefined;
    // `name`, or `prefix:name`
    const at = end - name.length;
    if (at >= start && attrs.startsWith(name, at) && (at === start || attrs.charCodeAt(at - 1) === 58)) return decode(attrs.slice(k + 1, close));
    k = close + 1;
  }
  return undefined;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([0-9A-Fa-f]{1,6}));|\r\n?/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text as XML means it: entities and character references decoded, line endings as \n. */
export function decode(s: string): string {
  if (s.indexOf('&') < 0 && s.indexOf('\r') < 0) return s;
  return s.replace(ENTITY, (m, named: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (named !== undefined) return NAMED[named];
    if (m.charCodeAt(0) === 13) return '\n';
    const cp = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
  });
}
