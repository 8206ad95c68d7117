/// How long a text argument may be and which characters it may hold; every text a caller sends
/// has one, documented in the tool's schema (`maxLength`) and checked before anything is written.
///
/// Control characters are refused everywhere (a NUL would cut an argv or a path short); free text
/// keeps `\n` and `\t`. Lengths count Unicode scalars, as JSON Schema's `maxLength` does.
///
/// | limit | characters | line breaks | used for |
/// | --- | --- | --- | --- |
/// | `line` | 256 | no | ids, names, statuses, tool patterns |
/// | `title` | 200 | no | ticket titles |
/// | `path` | 4,096 | no | project paths |
/// | `summary` | 2,000 | yes | descriptions of projects and worker types, reasons, resolutions |
/// | `report` | 16,000 | yes | comments and stage reports |
/// | `guidance` | 16,000 | yes | a project's rules and patterns |
/// | `document` | 32,000 | yes | ticket descriptions, system prompts |
package struct TextLimit: Equatable, Sendable {
    /// The most Unicode scalars the text may have.
    package var maximumLength: Int
    /// Whether `\n` and `\t` are allowed.
    package var allowsLineBreaks: Bool

    package init(maximumLength: Int, allowsLineBreaks: Bool) {
        self.maximumLength = maximumLength
        self.allowsLineBreaks = allowsLineBreaks
    }

    package static let line = TextLimit(maximumLength: 256, allowsLineBreaks: false)
    package static let title = TextLimit(maximumLength: 200, allowsLineBreaks: false)
    package static let path = TextLimit(maximumLength: 4_096, allowsLineBreaks: false)
    package static let summary = TextLimit(maximumLength: 2_000, allowsLineBreaks: true)
    package static let report = TextLimit(maximumLength: 16_000, allowsLineBreaks: true)
    package static let guidance = TextLimit(maximumLength: 16_000, allowsLineBreaks: true)
    package static let document = TextLimit(maximumLength: 32_000, allowsLineBreaks: true)

    /// Why `text` breaks this limit, as a sentence naming `field`, or `nil` when it fits.
    package func violation(of text: String, field: String) -> String? {
        var count = 0
        for scalar in text.unicodeScalars {
            count += 1
            if let name = Self.forbiddenName(scalar, allowsLineBreaks: allowsLineBreaks) {
                return "\(field) contains \(name) (at character \(count)): remove control characters"
                    + (allowsLineBreaks ? " other than line breaks and tabs." : "; it must be a single line.")
            }
        }
        guard count <= maximumLength else {
            return "\(field) is \(count) characters long, over the limit of \(maximumLength): shorten it"
                + (maximumLength >= TextLimit.report.maximumLength
                    ? " or move detail into a file in the repository." : ".")
        }
        return nil
    }

    /// A readable name for a refused scalar, or `nil` when it is allowed.
    private static func forbiddenName(_ scalar: Unicode.Scalar, allowsLineBreaks: Bool) -> String? {
        if allowsLineBreaks, scalar == "\n" || scalar == "\t" { return nil }
        switch scalar.value {
        case 0: return "a NUL character"
        case 0x0A: return "a line break"
        case 0x09: return "a tab"
        case 0x01...0x1F, 0x7F...0x9F:
            return "the control character U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4))"
        case 0x2028, 0x2029: return "a Unicode line separator"
        default: return nil
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
