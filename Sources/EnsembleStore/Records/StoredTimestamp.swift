import Foundation
import GRDB

/// The text GRDB stores a `Date` as ("yyyy-MM-dd HH:mm:ss.SSS", UTC), read with integer arithmetic.
///
/// GRDB reads it into date components and asks Foundation's `Calendar` for the date, which took
/// a tenth of decoding a row. Text in any other form goes to GRDB.
enum StoredTimestamp {
    /// The date `text` holds, or `nil` when it is not exactly in the stored form.
    static func date(from text: String) -> Date? {
        var text = text
        return text.withUTF8 { date(fromUTF8: $0) }
    }

    private static func date(fromUTF8 bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        guard bytes.count == 19 || bytes.count == 23 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        func separator(_ index: Int, _ character: Character) -> Bool {
            bytes[index] == character.asciiValue
        }
        guard separator(4, "-"), separator(7, "-"), separator(10, " "), separator(13, ":"), separator(16, ":"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var milliseconds = 0
        if bytes.count == 23 {
            guard separator(19, "."), let fraction = number(20..<23) else { return nil }
            milliseconds = fraction
        }
        let seconds = daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
        // From the reference date, with the fraction in nanoseconds, as `Calendar` computes it:
        // the same instant to the last bit.
        let sinceReference = seconds - Int(Date.timeIntervalBetween1970AndReferenceDate)
        return Date(timeIntervalSinceReferenceDate: Double(sinceReference) + Double(milliseconds * 1_000_000) / 1e9)
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
    /// `days_from_civil`).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let year = month <= 2 ? year - 1 : year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension Row {
    /// A non-null timestamp column (`StoredTimestamp`).
    func date(_ column: String) -> Date {
        if let date = storedDate(column) { return date }
        return self[column]
    }

    /// A nullable timestamp column (`StoredTimestamp`).
    func optionalDate(_ column: String) -> Date? {
        if let date = storedDate(column) { return date }
        return self[column]
    }

    /// The column's date when it holds text in the stored form.
    private func storedDate(_ column: String) -> Date? {
        guard case .string(let text) = (self[column] as DatabaseValue).storage else { return nil }
        return StoredTimestamp.date(from: text)
    }
}
