import EnsembleCore
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
}
