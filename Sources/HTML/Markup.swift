/// A fragment of HTML that is safe by construction.
///
/// There is no way to turn a runtime `String` into markup without escaping it: text becomes
/// markup only through `Markup.text` (or a `String` in a `@MarkupBuilder` block, which calls
/// it), attribute values are escaped when written, and element and attribute *names* are
/// `StaticString`s, i.e. literals in our own source, never data. So a client reference, a
/// professional's name or an evidence sentence can never open a tag or an attribute.
public struct Markup: Sendable {
    /// Escaped HTML; only this module writes it.
    var html: String

    init(escaped html: String) { self.html = html }

    /// The markup as text, for the response body.
    public var rendered: String { html }

    public static let empty = Markup(escaped: "")

    /// Text content: `& < > " '` are escaped, so it can never become a tag or leave an attribute.
    public static func text(_ s: String) -> Markup { Markup(escaped: Escape.text(s)) }

    /// Markup written in our own source as a literal (a doctype, an entity such as `&nbsp;`):
    /// a `StaticString` cannot be built from data at run time.
    public static func literal(_ s: StaticString) -> Markup { Markup(escaped: s.description) }

    /// Several fragments one after the other.
    public static func join(_ parts: [Markup], separator: Markup = .empty) -> Markup {
        var out = ""
        for (i, p) in parts.enumerated() {
            if i > 0 { out += separator.html }
            out += p.html
        }
        return Markup(escaped: out)
    }
}

/// One attribute: a literal name and an escaped value (or a boolean attribute, no value).
public struct Attribute: Sendable {
    let name: StaticString
    let value: String?

    public init(_ name: StaticString, _ value: String) { self.name = name; self.value = value }
    /// A boolean attribute such as `required` or `disabled`.
    public init(flag name: StaticString) { self.name = name; self.value = nil }

    public static func `class`(_ v: String) -> Attribute { Attribute("class", v) }
    public static func id(_ v: String) -> Attribute { Attribute("id", v) }
    public static func href(_ v: String) -> Attribute { Attribute("href", v) }
}

/// Elements without content or end tag (HTML Living Standard §13.1.2).
let voidElements: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                                 "source", "track", "wbr"]

/// An element with attributes and content. `script` and `style` are refused: their content is
/// not parsed as HTML, so escaping would not protect it (this app has neither; CSS is a file).
public func element(_ name: StaticString, _ attributes: [Attribute] = [],
                    @MarkupBuilder _ content: () -> [Markup] = { [] }) -> Markup {
    let tag = name.description
    precondition(tag != "script" && tag != "style", "raw-text elements are not supported")
    var out = "<" + tag
    for a in attributes {
        out += " " + a.name.description
        if let v = a.value { out += "=\"" + Escape.attribute(v) + "\"" }
    }
    out += ">"
    if voidElements.contains(tag) { return Markup(escaped: out) }
    for part in content() { out += part.html }
    out += "</" + tag + ">"
    return Markup(escaped: out)
}

/// A whole page: doctype, `html` with its language, and the given head and body.
public func document(lang: String, @MarkupBuilder head: () -> [Markup], @MarkupBuilder body: () -> [Markup]) -> Markup {
    let page = element("html", [Attribute("lang", lang)]) {
        element("head", [], head)
        element("body", [], body)
    }
    return Markup(escaped: "<!doctype html>\n" + page.html + "\n")
}

/// Builds `[Markup]` from statements; a bare `String` is text and is escaped.
@resultBuilder
public enum MarkupBuilder {
    public static func buildBlock(_ parts: [Markup]...) -> [Markup] { parts.flatMap { $0 } }
    public static func buildExpression(_ m: Markup) -> [Markup] { [m] }
    public static func buildExpression(_ ms: [Markup]) -> [Markup] { ms }
    public static func buildExpression(_ s: String) -> [Markup] { [.text(s)] }
    public static func buildOptional(_ m: [Markup]?) -> [Markup] { m ?? [] }
    public static func buildEither(first m: [Markup]) -> [Markup] { m }
    public static func buildEither(second m: [Markup]) -> [Markup] { m }
    public static func buildArray(_ ms: [[Markup]]) -> [Markup] { ms.flatMap { $0 } }
    public static func buildLimitedAvailability(_ m: [Markup]) -> [Markup] { m }
}

/// HTML escaping (HTML Living Standard §13.5 "escaping a string"), stricter than needed so one
/// function is safe in text and in double- or single-quoted attributes.
public enum Escape {
    public static func text(_ s: String) -> String {
        var needs = false
        for b in s.utf8 where b == 38 || b == 60 || b == 62 || b == 34 || b == 39 || b == 0 { needs = true; break }
        if !needs { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{0}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    public static func attribute(_ s: String) -> String { text(s) }
}
