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

    /// Appends the escape of `byte` without building an array for it: a ticket's text holds many.
    private static func appendEscape(for byte: UInt8, to bytes: inout [UInt8]) {
        bytes.append(0x5C)
        switch byte {
        case 0x22, 0x5C: bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(UInt8(ascii: "u"))
            bytes.append(0x30)
            bytes.append(0x30)
            bytes.append(hexDigit(byte >> 4))
            bytes.append(hexDigit(byte & 0xF))
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? 0x30 + value : UInt8(ascii: "a") + value - 10
    }
}
