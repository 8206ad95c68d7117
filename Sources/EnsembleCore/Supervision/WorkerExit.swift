/// How a worker process ended, with what its stream-json output reported.
package struct WorkerExit: Equatable, Sendable {
    /// How the process ended.
    package enum Termination: Equatable, Sendable {
        case exited(code: Int32)
        case signaled(Int32)
        /// The process could not be started at all.
        case launchFailed(String)
        /// No process was started: a per-task worker found no task left to start one for.
        case noTask

        /// The exit code and the signal, whichever applies.
        package var codeAndSignal: (code: Int32?, signal: Int32?) {
            switch self {
            case .exited(let code): (code, nil)
            case .signaled(let signal): (nil, signal)
            case .launchFailed, .noTask: (nil, nil)
            }
        }
    }

    package var termination: Termination
    /// The final `result` line, when the process printed one.
    package var summary: RunSummary?
    /// Whether the run completed at least one stage.
    package var madeProgress: Bool
    /// How long the process ran.
    package var duration: Duration

    package init(
        termination: Termination,
        summary: RunSummary? = nil,
        madeProgress: Bool = false,
        duration: Duration = .zero
    ) {
        self.termination = termination
        self.summary = summary
        self.madeProgress = madeProgress
        self.duration = duration
    }

    /// Whether the run ended well: exit code 0 and no error reported in its result.
    package var isClean: Bool {
        (termination == .exited(code: 0) || termination == .noTask) && summary?.isError != true
    }

    /// A short phrase for events and status reasons, such as "exited with code 1".
    package var phrase: String {
        switch termination {
        case .exited(let code) where summary?.isError == true:
            "exited with code \(code) reporting an error"
        case .exited(let code):
            "exited with code \(code)"
        case .signaled(let signal):
            "was killed by signal \(signal)"
        case .launchFailed(let reason):
            "could not be started (\(reason))"
        case .noTask:
            "had no task left to start"
        }
    }
}
