import EnsembleCore
import EnsembleTestSupport
import Foundation
import Testing

/// Quoting must write every string exactly as `JSONEncoder` does with `.withoutEscapingSlashes`.
struct JSONQuotingTests {
    @Test func everyASCIICharacterIsQuotedAsJSONEncoderQuotesIt() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let characters = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        for text in characters + [characters.joined(), "é/😀 \"quoted\" back\\slash", ""] {
            var quoted: [UInt8] = []
            JSONQuoting.append(quoted: text, to: &quoted)
            #expect(quoted == Array(try encoder.encode(text)), "\(text.debugDescription)")
        }
    }

    @Test func randomTextIsQuotedAsJSONEncoderQuotesIt() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var generator = SeededGenerator(seed: 21)
        let pieces = ["\"", "\\", "\n", "\t", "\u{01}", "\u{1F}", "/", "é", "😀", "plain text ", "{\"key\":\"value\"}"]
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                pieces.randomElement(using: &generator)!
            }.joined()
            var quoted: [UInt8] = Array("prefix".utf8)
            JSONQuoting.append(quoted: text, to: &quoted)
            #expect(quoted == Array("prefix".utf8) + Array(try encoder.encode(text)), "\(text.debugDescription)")
        }
    }
}
