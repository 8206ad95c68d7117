import EnsembleServer
import EnsembleTestSupport
import Foundation
import MCP
import Testing

/// The parser reads what `JSONDecoder` reads, refuses what it refuses, and never crashes.
struct JSONValueParserTests {
    @Test func readsEveryKindOfValueAsTheSDKsDecoderDoes() throws {
        let text = #"""
            {"jsonrpc":"2.0","id":-7,"method":"tools/call","params":{"name":"get_ticket",
            "arguments":{"ticket_id":"SHOP-1","n":[0,1.5,-2e3,12345678901234,true,false,null],
            "text":"a \"quote\", a \\ backslash, \/ slash, \n\t\b\f\r, \u00e9 é \ud83d\ude00 😀","empty":{},"list":[]}}}
            """#
        let parsed = try JSONValueParser.parse(text)
        let decoded = try JSONDecoder().decode(Value.self, from: Data(text.utf8))
        #expect(parsed == decoded)
        #expect(parsed.objectValue?["id"] == .int(-7))
    }

    @Test func aDataURLStaysAString() throws {
        #expect(try JSONValueParser.parse(#"["data:text/plain;base64,SGk="]"#) == ["data:text/plain;base64,SGk="])
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "1e", "+1", "tru", "nul", "\"open",
        "{\"a\" 1}", "{a:1}", "[1 2]", "1 2", "\"tab\there\"", "\"\\x\"", "\"\\u12\"", "\"\\ud83d\"",
        "\"\\ude00\"", "\"\\ud83d\\u0041\"", "1e999", "// comment\n1", "[1]x",
    ])
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(throws: JSONValueParser.Failure.self, "\(text.debugDescription)") { try JSONValueParser.parse(text) }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONValueParser.Failure.self) { try JSONValueParser.parse(Data([0x22, 0xC3, 0x28, 0x22])) }
    }

    @Test func refusesNestingBeyondTheLimitWithoutExhaustingTheStack() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONValueParser.Failure.self) { try JSONValueParser.parse(deep) }
        let depth = JSONValueParser.maximumDepth
        let allowed = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: Never.self) { try JSONValueParser.parse(allowed) }
    }

    @Test func numbersBeyondIntBecomeDoubles() throws {
        #expect(try JSONValueParser.parse("9223372036854775807") == .int(Int.max))
        #expect(try JSONValueParser.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try JSONValueParser.parse("-0") == .int(0))
    }
}

/// The writer's text parses back to the same value, escapes as `JSONEncoder` does, and is stable.
struct JSONValueWriterTests {
    @Test func writesTextThatParsesBackToTheSameValue() throws {
        let value: Value = [
            "z": [1, 2.5, -3, true, false, .null, "x"],
            "a": ["nested": ["deeper": "é 😀 \u{1F} \"q\" \\ / \n\r\t\u{08}\u{0C}"]],
            "m": 12_345_678_901_234,
        ]
        let text = JSONValueWriter.string(value)
        #expect(try JSONValueParser.parse(text) == value)
        #expect(try JSONDecoder().decode(Value.self, from: Data(text.utf8)) == value)
        #expect(text.hasPrefix(#"{"a":"#) && text.contains(#","m":12345678901234,"z":"#), "members sorted")
    }

    @Test func escapesStringsAsJSONEncoderWithoutEscapingSlashes() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        for scalar in (0..<0x80).compactMap(Unicode.Scalar.init) {
            let text = "a\(Character(scalar))b é"
            let expected = String(decoding: try encoder.encode(text), as: UTF8.self)
            #expect(JSONValueWriter.string(.string(text)) == expected, "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test func writesIntegralDoublesAsIntegersAndNonFiniteAsNull() {
        #expect(JSONValueWriter.string([2.0, 0.5, 1e20, .double(.infinity)]) == "[2,0.5,1e+20,null]")
    }
}

/// Random documents and random damage to them: the parser agrees with `JSONDecoder` on what is
/// JSON and what it means, and never crashes on what a client may send.
struct JSONValueParserFuzzTests {
    private func randomValue(_ random: inout SeededGenerator, depth: Int = 0) -> Value {
        let pick = Int.random(in: 0..<(depth > 3 ? 6 : 8), using: &random)
        switch pick {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .int(Int.random(in: -1_000_000...1_000_000, using: &random))
        case 3: return .double(Double(Int.random(in: -99_999...99_999, using: &random)) / 64)
        case 4, 5:
            let alphabet = Array("ab \"\\/\n\té😀\u{1}{}[],:0")
            return .string(
                String(
                    (0..<Int.random(in: 0...12, using: &random)).map { _ in
                        alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
                    }
                )
            )
        case 6:
            return .array(
                (0..<Int.random(in: 0...4, using: &random)).map { _ in randomValue(&random, depth: depth + 1) }
            )
        default:
            var object: [String: Value] = [:]
            for index in 0..<Int.random(in: 0...4, using: &random) {
                object["k\(index)"] = randomValue(&random, depth: depth + 1)
            }
            return .object(object)
        }
    }

    @Test(arguments: 0..<20)
    func agreesWithJSONDecoderOnRandomAndDamagedDocuments(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed))
        var (accepted, refused) = (0, 0)
        for _ in 0..<100 {
            var bytes = Array(JSONValueWriter.string(randomValue(&random)).utf8)
            // Damage some: flip, drop or insert a byte.
            if Bool.random(using: &random), !bytes.isEmpty {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.remove(at: index)
                default: bytes.insert(Array("{}[],:\"\\ 0e-.".utf8).randomElement(using: &random) ?? 0, at: index)
                }
            }
            let data = Data(bytes)
            let ours = try? JSONValueParser.parse(data)
            let theirs = try? JSONDecoder().decode(Value.self, from: data)
            #expect(ours == theirs, "seed \(seed): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            if ours == nil { refused += 1 } else { accepted += 1 }
        }
        #expect(accepted > 40 && refused > 5, "seed \(seed): \(accepted) accepted, \(refused) refused")
    }
}
