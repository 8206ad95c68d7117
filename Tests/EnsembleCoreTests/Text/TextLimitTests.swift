import EnsembleCore
import Testing

struct TextLimitTests {
    @Test func freeTextKeepsLineBreaksAndTabsAndRefusesOtherControls() {
        #expect(TextLimit.report.violation(of: "line one\n\tline two", field: "content") == nil)
        let nul = TextLimit.report.violation(of: "DIR/\u{0}/etc", field: "content")
        #expect(nul?.contains("content contains a NUL character (at character 5)") == true)
        #expect(TextLimit.report.violation(of: "bell\u{7}", field: "content")?.contains("U+0007") == true)
        #expect(TextLimit.report.violation(of: "c1\u{85}", field: "content")?.contains("U+0085") == true)
        #expect(TextLimit.report.violation(of: "a\u{2028}b", field: "content")?.contains("line separator") == true)
        #expect(TextLimit.report.violation(of: "crlf\r\n", field: "content")?.contains("U+000D") == true)
    }

    @Test func singleLinesRefuseLineBreaksAndTabs() {
        #expect(TextLimit.title.violation(of: "Add login", field: "title") == nil)
        #expect(TextLimit.title.violation(of: "Add\nlogin", field: "title")?.contains("single line") == true)
        #expect(TextLimit.path.violation(of: "/tmp/a\tb", field: "path")?.contains("a tab") == true)
    }

    @Test func lengthsCountUnicodeScalarsUpToTheLimit() {
        let limit = TextLimit(maximumLength: 3, allowsLineBreaks: false)
        #expect(limit.violation(of: "äöü", field: "x") == nil)
        #expect(limit.violation(of: "äöüß", field: "x") == "x is 4 characters long, over the limit of 3: shorten it.")
        let long = String(repeating: "a", count: TextLimit.report.maximumLength + 1)
        #expect(TextLimit.report.violation(of: long, field: "report")?.contains("move detail into a file") == true)
    }
}
