// A small XML reader and a checker of the JUnit XML structure that test
// reporters (GitLab, GitHub actions, Jenkins) accept, after the commonly used
// JUnit XSD (Jenkins' junit-10.xsd / the Ant report): no validating parser
// is available offline, so this checks well-formedness and that structure.
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*/;

/** Parses an XML 1.0 document (no DTDs, no CDATA, no namespaces needed); throws on anything malformed. */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`XML at offset ${i}: ${why}`);
  };
  for (const ch of xml) {
    const c = ch.codePointAt(0)!;
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffe || c === 0xffff) fail(`character U+${c.toString(16)} is not allowed in XML`);
  }
  const decode = (raw: string): string => {
    if (/&(?!(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/.test(raw)) fail(`a bare & in ${JSON.stringify(raw.slice(0, 40))}`);
    if (raw.includes("<")) fail("a < in text or an attribute");
    return raw.replace(/&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
      e === "amp" ? "&" : e === "lt" ? "<" : e === "gt" ? ">" : e === "quot" ? '"' : e === "apos" ? "'" :
        String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
    );
  };
  const skipSpace = () => {
    while (i < xml.length && /\s/.test(xml[i]!)) i++;
  };
  if (xml.startsWith("<?xml")) {
    const end = xml.indexOf("?>");
    if (end < 0) fail("unterminated XML declaration");
    i = end + 2;
  }
  const element = (): XmlElement => {
    if (xml[i] !== "<") fail("expected <");
    i++;
    const name = NAME.exec(xml.slice(i))?.[0] ?? fail("expected an element name");
    i += name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      skipSpace();
      if (xml.startsWith("/>", i)) {
        i += 2;
        return { name, attributes, children: [], text: "" };
      }
      if (xml[i] === ">") {
        i++;
        break;
      }
      const attr = NAME.exec(xml.slice(i))?.[0] ?? fail(`expected an attribute in <${name}>`);
      i += attr.length;
      skipSpace();
      if (xml[i] !== "=") fail(`expected = after ${attr}`);
      i++;
      skipSpace();
      const quote = xml[i];
      if (quote !== '"' && quote !== "'") fail(`attribute ${attr} is not quoted`);
      const end = xml.indexOf(quote!, i + 1);
      if (end < 0) fail(`unterminated attribute ${attr}`);
      if (attr in attributes) fail(`attribute ${attr} given twice`);
      attributes[attr] = decode(xml.slice(i + 1, end));
      i = end + 1;
    }
    const children: XmlElement[] = [];
    let text = "";
    for (;;) {
      const lt = xml.indexOf("<", i);
      if (lt < 0) fail(`<${name}> is not closed`);
      text += decode(xml.slice(i, lt));
      i = lt;
      if (xml.startsWith("</", i)) {
        const close = `</${name}>`;
        if (!xml.startsWith(close, i)) fail(`expected ${close}`);
        i += close.length;
        return { name, attributes, children, text };
      }
      if (xml.startsWith("<!--", i)) {
        const end = xml.indexOf("-->", i);
        if (end < 0) fail("unterminated comment");
        i = end + 3;
        continue;
      }
      children.push(element());
    }
  };
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== xml.length) fail("content after the root element");
  return root;
}

const INTEGER = /^[0-9]+$/;
const DECIMAL = /^[0-9]+(\.[0-9]+)?$/;

/** Problems with `xml` as a JUnit report; an empty list when it conforms. */
export function checkJunit(xml: string): string[] {
  const problems: string[] = [];
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (e) {
    return [(e as Error).message];
  }
  const attrs = (el: XmlElement, allowed: Record<string, "string" | "integer" | "decimal">, required: string[]) => {
    for (const r of required) if (!(r in el.attributes)) problems.push(`<${el.name}> lacks required attribute ${r}`);
    for (const [k, v] of Object.entries(el.attributes)) {
      const kind = allowed[k];
      if (!kind) problems.push(`<${el.name}> has attribute ${k}, which the schema does not allow`);
      else if (kind === "integer" && !INTEGER.test(v)) problems.push(`<${el.name} ${k}="${v}"> is not an integer`);
      else if (kind === "decimal" && !DECIMAL.test(v)) problems.push(`<${el.name} ${k}="${v}"> is not a decimal`);
    }
  };
  const only = (el: XmlElement, names: string[]) => {
    for (const c of el.children) if (!names.includes(c.name)) problems.push(`<${el.name}> may not contain <${c.name}>`);
  };
  const suites = root.name === "testsuites" ? root.children : root.name === "testsuite" ? [root] : [];
  if (root.name === "testsuites") {
    attrs(root, { name: "string", time: "decimal", tests: "integer", failures: "integer", errors: "integer", skipped: "integer", disabled: "integer" }, []);
    only(root, ["testsuite"]);
  } else if (root.name !== "testsuite") {
    problems.push(`the root element is <${root.name}>, not <testsuites> or <testsuite>`);
  }
  if (root.name === "testsuites" && root.attributes.tests !== undefined) {
    const sum = suites.reduce((n, s) => n + Number(s.attributes.tests ?? 0), 0);
    if (Number(root.attributes.tests) !== sum) problems.push(`<testsuites tests="${root.attributes.tests}"> but its suites hold ${sum}`);
  }
  for (const suite of suites) {
    attrs(suite, {
      name: "string", tests: "integer", failures: "integer", errors: "integer", skipped: "integer", disabled: "integer",
      time: "decimal", timestamp: "string", hostname: "string", id: "string", package: "string", file: "string",
    }, ["name", "tests"]);
    only(suite, ["properties", "testcase", "system-out", "system-err"]);
    for (const props of suite.children.filter((c) => c.name === "properties")) {
      only(props, ["property"]);
      for (const p of props.children) attrs(p, { name: "string", value: "string" }, ["name", "value"]);
    }
    const cases = suite.children.filter((c) => c.name === "testcase");
    if (Number(suite.attributes.tests) !== cases.length) problems.push(`<testsuite tests="${suite.attributes.tests}"> but ${cases.length} testcases`);
    const failing = cases.filter((c) => c.children.some((x) => x.name === "failure")).length;
    if (suite.attributes.failures !== undefined && Number(suite.attributes.failures) !== failing) {
      problems.push(`<testsuite failures="${suite.attributes.failures}"> but ${failing} testcases fail`);
    }
    for (const tc of cases) {
      attrs(tc, { name: "string", classname: "string", time: "decimal", assertions: "integer", status: "string", file: "string", line: "integer" }, ["name"]);
      only(tc, ["skipped", "error", "failure", "system-out", "system-err"]);
      for (const f of tc.children.filter((c) => c.name === "failure" || c.name === "error")) {
        attrs(f, { message: "string", type: "string" }, []);
        if (f.children.length > 0) problems.push(`<${f.name}> holds elements`);
      }
    }
  }
  return problems;
}
