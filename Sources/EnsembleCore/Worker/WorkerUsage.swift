/// What a worker's Claude Code runs have cost, summed over its runs.
package struct WorkerUsage: Equatable, Sendable, Codable {
    package var totalCostUsd: Double
    package var inputTokens: Int
    package var outputTokens: Int
    package var turns: Int

    package init(totalCostUsd: Double = 0, inputTokens: Int = 0, outputTokens: Int = 0, turns: Int = 0) {
        self.totalCostUsd = totalCostUsd
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.turns = turns
    }
}
