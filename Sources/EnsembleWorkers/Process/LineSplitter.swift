/// Splits a process's output into lines as its chunks arrive, by bytes.
///
/// A worker prints a line per message and tool call; swift-subprocess's own string sequence is
/// generic over the text encoding and took several times longer per line than splitting the
/// bytes here and decoding each line once. A line ends at `\n` (a `\r` before it is dropped);
/// what is left when the output ends is the last line.
struct LineSplitter {
    private var pending: [UInt8] = []

    /// The lines that `chunk` completes, in order.
    mutating func lines(in chunk: UnsafeRawBufferPointer) -> [String] {
        var lines: [String] = []
        var start = 0
        for (offset, byte) in chunk.enumerated() where byte == UInt8(ascii: "\n") {
            pending.append(contentsOf: chunk[start..<offset])
            lines.append(Self.line(of: pending))
            pending.removeAll(keepingCapacity: true)
            start = offset + 1
        }
        pending.append(contentsOf: chunk[start...])
        return lines
    }

    /// The unterminated last line, once the output ended; `nil` when there is none.
    mutating func finish() -> String? {
        defer { pending.removeAll() }
        return pending.isEmpty ? nil : Self.line(of: pending)
    }

    private static func line(of bytes: [UInt8]) -> String {
        let end = bytes.last == UInt8(ascii: "\r") ? bytes.count - 1 : bytes.count
        return String(decoding: bytes[..<end], as: UTF8.self)
    }
}
