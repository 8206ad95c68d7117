import Testing

@testable import EnsembleWorkers

/// Output split into lines however its chunks fall.
struct LineSplitterTests {
    private func split(_ chunks: [[UInt8]]) -> [String] {
        var splitter = LineSplitter()
        var lines: [String] = []
        for chunk in chunks {
            lines += chunk.withUnsafeBytes { splitter.lines(in: $0) }
        }
        if let last = splitter.finish() { lines.append(last) }
        return lines
    }

    @Test func linesComeWholeWhereverTheChunksEnd() {
        let text = Array("{\"type\":\"system\"}\r\n\nré😀sumé\nlast without newline".utf8)
        let expected = [#"{"type":"system"}"#, "", "ré😀sumé", "last without newline"]
        // Every way of cutting the text in two, including inside a multi-byte character
        for cut in 0...text.count {
            #expect(split([Array(text[..<cut]), Array(text[cut...])]) == expected, "cut at \(cut)")
        }
        #expect(split(text.map { [$0] }) == expected)
        #expect(split([]) == [])
        #expect(split([Array("one\n".utf8)]) == ["one"])
    }
}
