import Foundation
import Synchronization

/// Property names in snake_case, exactly as `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase`
/// writes them.
enum SnakeCase {
    /// Names already converted: a bounded set (the coding keys of our types), so the conversion
    /// runs once per name, not once per value written.
    private static let convertedNames = Mutex<[String: String]>([:])

    /// `key` in snake_case.
    static func converted(_ key: String) -> String {
        if !key.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") || $0 >= 0x80 }) {
            return key
        }
        if let known = convertedNames.withLock({ $0[key] }) { return known }
        let converted = convert(key)
        convertedNames.withLock { names in
            if names.count < 4096 { names[key] = converted }
        }
        return converted
    }

    private static func convert(_ key: String) -> String {
        guard !key.isEmpty else { return key }
        var words: [Range<String.Index>] = []
        var wordStart = key.startIndex
        var searchRange = key.index(after: wordStart)..<key.endIndex
        while let upper = key.rangeOfCharacter(from: .uppercaseLetters, options: [], range: searchRange) {
            words.append(wordStart..<upper.lowerBound)
            searchRange = upper.lowerBound..<searchRange.upperBound
            guard let lower = key.rangeOfCharacter(from: .lowercaseLetters, options: [], range: searchRange) else {
                wordStart = searchRange.lowerBound
                break
            }
            if lower.lowerBound == key.index(after: upper.lowerBound) {
                wordStart = upper.lowerBound
            } else {
                let beforeLower = key.index(before: lower.lowerBound)
                words.append(upper.lowerBound..<beforeLower)
                wordStart = beforeLower
            }
            searchRange = lower.upperBound..<searchRange.upperBound
        }
        words.append(wordStart..<searchRange.upperBound)
        return words.map { key[$0].lowercased() }.joined(separator: "_")
    }
}
