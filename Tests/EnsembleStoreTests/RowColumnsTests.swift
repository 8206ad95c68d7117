import Foundation
import GRDB
import Testing

@testable import EnsembleStore

/// A JSON array of strings read by splitting the plain text must read as `JSONDecoder` reads it,
/// and any text that is not plain must still go to `JSONDecoder`.
struct RowColumnsTests {
    @Test(arguments: [
        #"[]"#, #"["coder"]"#, #"["planner","coder","reviewer"]"#, #"["a,b","c"]"#, #"["with \"quote\"","x"]"#,
        #"[ "spaced" , "out" ]"#, #"["back\\slash"]"#, #"["é","😀"]"#, #"["\u0041"]"#, #"[""]"#, #"["",""]"#,
    ])
    func aStringArrayReadsAsJSONDecoderReadsIt(text: String) throws {
        let row = Row(["plan": text])
        let expected = try JSONDecoder().decode([String].self, from: Data(text.utf8))
        #expect(try row.stringArray("plan", in: "tickets") == expected)
    }

    @Test(arguments: [#"["open"#, #"{"a":1}"#, #"["a",1]"#, #"[,]"#, #"nope"#])
    func textThatIsNotAStringArrayIsACorruptRow(text: String) {
        #expect(throws: StoreError.self) { try Row(["plan": text]).stringArray("plan", in: "tickets") }
    }

    @Test func jsonTextIsWhatJSONEncoderWrites() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let texts = ["", "coder", "a \"quote\"", "back\\slash", "new\nline\ttab", "\u{1F}\u{7F}", "é/😀"]
        for count in 0...texts.count {
            let strings = Array(texts.prefix(count))
            #expect(jsonText(strings) == String(decoding: try encoder.encode(strings), as: UTF8.self))
            let fields = Dictionary(uniqueKeysWithValues: strings.enumerated().map { ("key_\($0.offset)", $0.element) })
            #expect(jsonText(fields) == String(decoding: try encoder.encode(fields), as: UTF8.self))
        }
    }
}
