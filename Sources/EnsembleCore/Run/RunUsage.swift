/// What Claude Code runs cost: money, tokens, turns and time, summed over `runs` of them.
///
/// Each run's figures come from its own `result` line, so a sum over a ticket's runs is its
/// exact cost, not an estimate.
package struct RunUsage: Equatable, Sendable, Codable {
    package var costUsd: Double
    package var inputTokens: Int
    package var outputTokens: Int
    package var turns: Int
    /// Wall-clock seconds the runs' processes ran.
    package var seconds: Double
    package var runs: Int

    package init(
        costUsd: Double = 0,
        inputTokens: Int = 0,
        outputTokens: Int = 0,
        turns: Int = 0,
        seconds: Double = 0,
        runs: Int = 0
    ) {
        self.costUsd = costUsd
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.turns = turns
        self.seconds = seconds
        self.runs = runs
    }

    /// The sum of two usages.
    package static func + (left: RunUsage, right: RunUsage) -> RunUsage {
        RunUsage(
            costUsd: left.costUsd + right.costUsd,
            inputTokens: left.inputTokens + right.inputTokens,
            outputTokens: left.outputTokens + right.outputTokens,
            turns: left.turns + right.turns,
            seconds: left.seconds + right.seconds,
            runs: left.runs + right.runs
        )
    }
}

/// The usage of one stage of a ticket: every run of it, first attempts, retries and rework rounds.
package struct StageUsage: Equatable, Sendable, Codable {
    package var stage: Int
    package var workerType: WorkerTypeName
    package var usage: RunUsage

    package init(stage: Int, workerType: WorkerTypeName, usage: RunUsage) {
        self.stage = stage
        self.workerType = workerType
        self.usage = usage
    }
}
