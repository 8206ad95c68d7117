/// The outcome of marking events processed: which ids changed, which already were, which do not exist.
package struct ProcessedMarking: Equatable, Sendable, Codable {
    package var marked: [EventID]
    package var alreadyProcessed: [EventID]
    package var unknown: [EventID]

    package init(marked: [EventID], alreadyProcessed: [EventID], unknown: [EventID]) {
        self.marked = marked
        self.alreadyProcessed = alreadyProcessed
        self.unknown = unknown
    }
}
