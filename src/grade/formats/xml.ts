// Text as XML 1.0 character data and attribute values (XML 1.0 section 2.2,
// "Characters"): the five special characters escaped, and the characters
// XML cannot hold at all (C0 controls but tab, newline and return; lone
// surrogates; U+FFFE/U+FFFF) written as a visible \xNN, since a guest's
// output can contain any byte.
export function xmlText(text: string): string {
  let out = "";
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === "&") out += "&amp;";
    else if (ch === "<") out += "&lt;";
    else if (ch === ">") out += "&gt;";
    else if (ch === '"') out += "&quot;";
    else if (ch === "'") out += "&apos;";
    else if ((c < 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd) || (c >= 0xd800 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) {
      out += `\\x${c.toString(16).padStart(2, "0")}`;
    } else out += ch;
  }
  return out;
}

/** Attribute values also keep newlines and tabs visible (an attribute's whitespace is normalised by parsers). */
export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}
