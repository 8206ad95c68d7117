/// The final `result` line of a Claude Code `stream-json` run.
package struct RunSummary: Equatable, Sendable, Codable {
    /// The authoritative failure flag (`subtype` can say success on failure).
    package var isError: Bool
    package var totalCostUsd: Double
    package var inputTokens: Int
    package var outputTokens: Int
    package var turns: Int
    package var permissionDenials: Int
    package var result: String?
    /// How the run ended as Claude Code says, such as `success` or `error_max_turns`.
    package var subtype: String?

    package init(
        isError: Bool,
        totalCostUsd: Double = 0,
        inputTokens: Int = 0,
        outputTokens: Int = 0,
        turns: Int = 0,
        permissionDenials: Int = 0,
        result: String? = nil,
        subtype: String? = nil
    ) {
        self.isError = isError
        self.totalCostUsd = totalCostUsd
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.turns = turns
        self.permissionDenials = permissionDenials
        self.result = result
        self.subtype = subtype
    }
}
