import Foundation

/// Dates as `JSONEncoder.DateEncodingStrategy.iso8601` writes them (`2026-12-01T16:28:18Z`: UTC,
/// whole seconds rounded down).
///
/// Every timestamp of every tool result is written this way, so the common years are written
/// digit by digit; dates outside 1900–9999 (where Foundation's calendar is no longer the
/// proleptic Gregorian one, or the year has five digits) go through Foundation.
enum ISO8601Text {
    private static let firstFast: TimeInterval = -2_208_988_800  // 1900-01-01T00:00:00Z
    private static let endOfFast: TimeInterval = 253_402_300_800  // 10000-01-01T00:00:00Z

    /// `date` in ISO 8601.
    static func string(from date: Date) -> String {
        let interval = date.timeIntervalSince1970
        guard interval >= firstFast, interval < endOfFast else { return date.formatted(.iso8601) }
        let seconds = Int(interval.rounded(.down))
        let secondOfDay = (seconds % 86_400 + 86_400) % 86_400
        let days = (seconds - secondOfDay) / 86_400
        let (year, month, day) = civilDate(daysSince1970: days)
        var text = [UInt8]()
        text.reserveCapacity(20)
        func append(_ number: Int, digits: Int) {
            var divisor = 1
            for _ in 1..<digits { divisor *= 10 }
            var rest = number
            while divisor > 0 {
                text.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        append(year, digits: 4)
        text.append(UInt8(ascii: "-"))
        append(month, digits: 2)
        text.append(UInt8(ascii: "-"))
        append(day, digits: 2)
        text.append(UInt8(ascii: "T"))
        append(secondOfDay / 3600, digits: 2)
        text.append(UInt8(ascii: ":"))
        append(secondOfDay / 60 % 60, digits: 2)
        text.append(UInt8(ascii: ":"))
        append(secondOfDay % 60, digits: 2)
        text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
