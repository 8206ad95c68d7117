/// JSON string quoting as `JSONEncoder` writes it with `.withoutEscapingSlashes`.
///
/// Quotes, backslashes and control characters are escaped, everything else (slashes, non-ASCII
/// characters) is itself. The tool results' writer and the store's JSON columns quote with it.
package enum JSONQuoting {
    /// Appends `utf8` in quotes to `bytes`, copying the runs between characters that need an escape.
    package static func append(quoted utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var offset = 0
        while offset < utf8.count {
            let byte = utf8[offset]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<offset]))
                appendEscape(for: byte, to: &bytes)
                runStart = offset + 1
            }
            offset += 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends `text` in quotes to `bytes`.
    package static func append(quoted text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { append(quoted: $0, to: &bytes) }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func appendEscape(for byte: UInt8, to bytes: inout [UInt8]) {
        let escaped: [UInt8] =
            switch byte {
            case 0x22: [0x5C, 0x22]
            case 0x5C: [0x5C, 0x5C]
            case 0x08: [0x5C, UInt8(ascii: "b")]
            case 0x0C: [0x5C, UInt8(ascii: "f")]
            case 0x0A: [0x5C, UInt8(ascii: "n")]
            case 0x0D: [0x5C, UInt8(ascii: "r")]
            case 0x09: [0x5C, UInt8(ascii: "t")]
            default: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            }
        bytes.append(contentsOf: escaped)
    }
}
