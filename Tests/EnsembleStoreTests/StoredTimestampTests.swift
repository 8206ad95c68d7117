import EnsembleTestSupport
import Foundation
import GRDB
import Testing

@testable import EnsembleStore

/// A stored timestamp must read as exactly the date GRDB reads from it, and only text in the
/// stored form is read without GRDB.
struct StoredTimestampTests {
    @Test func aStoredDateReadsAsGRDBReadsIt() throws {
        var generator = SeededGenerator(seed: 17)
        let edges: [TimeInterval] = [0, 0.001, 0.999, 951_782_400, 1_764_590_400.25, 4_107_542_399.999, 4_102_444_800]
        let random = (0..<5_000).map { _ in TimeInterval.random(in: 0...4.1e9, using: &generator) }
        for interval in edges + random {
            let stored = Date(timeIntervalSince1970: interval).databaseValue
            guard case .string(let text) = stored.storage else {
                Issue.record("GRDB stored \(stored) for \(interval)")
                continue
            }
            #expect(StoredTimestamp.date(from: text) == Date.fromDatabaseValue(stored), "\(text)")
        }
    }

    @Test(arguments: [
        "2026-12-01", "2026-12-01 10:00", "2026-12-01T10:00:00.000", "2026-13-01 00:00:00", "2026-12-01 24:00:00",
        "2026-12-01 10:00:00.5", "2026-12-01 10:00:00.000Z", "20261201 10:00:00.000", "2026-12-01 10:0a:00",
    ])
    func textInAnotherFormIsLeftToGRDB(text: String) {
        #expect(StoredTimestamp.date(from: text) == nil)
    }
}
