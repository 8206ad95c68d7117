/// Which events to read: by processed flag, after an id, of some types, at most `limit`, oldest first.
package struct EventQuery: Equatable, Sendable {
    /// The allowed range of `limit`.
    package static let limitRange = 1...1_000
    /// The number of events returned when no limit is given.
    package static let defaultLimit = 100

    /// Only unprocessed (`false`) or processed (`true`) events; `nil` for both.
    package var processed: Bool?
    package var sinceId: EventID?
    package var types: [EventType]?
    package var limit: Int

    /// Creates a query.
    /// - Throws: `EnsembleError.invalidArgument` when `limit` is out of range.
    package init(
        processed: Bool? = false,
        sinceId: EventID? = nil,
        types: [EventType]? = nil,
        limit: Int = defaultLimit
    ) throws(EnsembleError) {
        guard Self.limitRange.contains(limit) else {
            throw .invalidArgument(
                "limit must be between \(Self.limitRange.lowerBound) and \(Self.limitRange.upperBound)."
            )
        }
        self.processed = processed
        self.sinceId = sinceId
        self.types = types
        self.limit = limit
    }
}
