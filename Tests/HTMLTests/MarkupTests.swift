import HTML
import Testing

@Suite struct MarkupTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("Tom & Jerry", "Tom &amp; Jerry"),
        ("\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;"),
        ("cliënt — één", "cliënt — één"),
        ("a\u{0}b", "a\u{FFFD}b"),
    ])
    func text_isEscaped(input: String, expected: String) {
        #expect(Markup.text(input).rendered == expected)
    }

    @Test func stringsInABuilderBlock_areEscapedText() {
        let evil = "</p><img src=x onerror=alert(1)>"
        let m = element("p") { evil }
        #expect(m.rendered == "<p>&lt;/p&gt;&lt;img src=x onerror=alert(1)&gt;</p>")
        #expect(!m.rendered.contains("<img"))
    }

    @Test func attributeValues_cannotLeaveTheirQuotes() {
        let m = element("a", [.href("/app/clients/x\" onmouseover=\"alert(1)"), Attribute("title", "it's <b>")]) { "x" }
        #expect(m.rendered == "<a href=\"/app/clients/x&quot; onmouseover=&quot;alert(1)\" title=\"it&#39;s &lt;b&gt;\">x</a>")
    }

    @Test func voidElements_haveNoEndTag_andBooleanAttributesNoValue() {
        let m = element("input", [Attribute("name", "note"), Attribute(flag: "required")])
        #expect(m.rendered == "<input name=\"note\" required>")
    }

    @Test func optionalsLoopsAndBranches_build() {
        let names = ["Anna", "<Bram>"]
        let show = false
        let m = element("ul") {
            for n in names { element("li") { n } }
            if show { element("li") { "hidden" } }
            if names.isEmpty { "none" } else { element("li") { "\(names.count) total" } }
        }
        #expect(m.rendered == "<ul><li>Anna</li><li>&lt;Bram&gt;</li><li>2 total</li></ul>")
    }

    @Test func document_hasDoctypeAndLanguage() {
        let page = document(lang: "nl", head: { element("title") { "T & T" } }, body: { element("h1") { "Kop" } })
        #expect(page.rendered == "<!doctype html>\n<html lang=\"nl\"><head><title>T &amp; T</title></head><body><h1>Kop</h1></body></html>\n")
    }

    @Test func join_separatesEscapedParts() {
        let m = Markup.join([.text("a<"), .text("b")], separator: .literal(", "))
        #expect(m.rendered == "a&lt;, b")
    }
}
